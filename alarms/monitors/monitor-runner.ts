// Runs a monitor once: renders the input query's mustache (`{{period_end}}`, `{{period_start}}`, epoch
// ms as Alerting passes them), searches through the evaluator (node.sink.search), and evaluates each
// trigger — one verdict for a query-level trigger, the matching buckets for a bucket-level trigger.
// No side effects: the monitor service turns a run into alerts and notifications.

import type { Monitor, Trigger } from './monitor-model.ts';
import { renderTemplate } from './mustache-template.ts';
import { bucketMatches, compileBucketCondition, compileCondition } from './trigger-condition.ts';

/** The search the runner needs: the DocumentSink's `search`. */
export type SearchFn = (index: string, body: Record<string, unknown>) => Promise<Record<string, unknown>>;

/** One bucket a bucket-level trigger matched; `key` is its identity within the trigger. */
export interface MatchedBucket {
  key: string;
  bucketKeys: string[];
  bucket: Record<string, unknown>;
}

export interface TriggerRun {
  trigger: Trigger;
  /** Query-level: the condition's verdict. Bucket-level: whether any bucket matched. */
  triggered: boolean;
  buckets?: MatchedBucket[];
  error?: string;
}

export interface MonitorRun {
  periodStart: number;
  periodEnd: number;
  results: Array<Record<string, unknown>>;
  inputError?: string;
  /** The input matched no documents (and, for bucket monitors, produced no buckets). */
  noData: boolean;
  triggers: TriggerRun[];
}

/** Renders `{{…}}` in every string of a query (no HTML escaping: the output is JSON, not HTML). */
export function renderQuery(query: Record<string, unknown>, view: Record<string, unknown>): Record<string, unknown> {
  const walk = (v: unknown): unknown => {
    if (typeof v === 'string') {
      if (!v.includes('{{')) return v;
      return renderTemplate(v, view);
    }
    if (Array.isArray(v)) return v.map(walk);
    if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, walk(x)]));
    return v;
  };
  return walk(query) as Record<string, unknown>;
}

/** Finds the aggregation a bucket trigger's parent_bucket_path names (`a` or `a>b` through single buckets). */
export function parentBuckets(result: Record<string, unknown>, path: string): Array<Record<string, unknown>> | undefined {
  let node = result.aggregations as Record<string, unknown> | undefined;
  const parts = path.split('>');
  for (let i = 0; i < parts.length && node; i++) {
    node = node[parts[i]] as Record<string, unknown> | undefined;
  }
  const buckets = node?.buckets;
  if (Array.isArray(buckets)) return buckets as Array<Record<string, unknown>>;
  if (buckets && typeof buckets === 'object') return Object.entries(buckets).map(([key, b]) => ({ key, ...(b as object) }));
  return undefined;
}

/** The bucket's key values as strings, in order (a composite key has one per source). */
export function bucketKeysOf(bucket: Record<string, unknown>): string[] {
  const k = bucket.key;
  if (k && typeof k === 'object') return Object.values(k as object).map((v) => String(v));
  return [String(bucket.key_as_string ?? k)];
}

function totalHits(result: Record<string, unknown>): number {
  const total = (result.hits as { total?: number | { value: number } } | undefined)?.total;
  return typeof total === 'number' ? total : (total?.value ?? 0);
}

export function evaluateTrigger(trigger: Trigger, monitor: Monitor, ctx: Record<string, unknown>): TriggerRun {
  try {
    if (monitor.monitor_type === 'bucket_level_monitor') {
      const c = trigger.condition;
      const expr = compileBucketCondition(c.script.source);
      const results = ctx.results as Array<Record<string, unknown>>;
      const buckets = results[0] ? parentBuckets(results[0], c.parent_bucket_path!) : [];
      if (buckets === undefined) return { trigger, triggered: false, buckets: [], error: `parent_bucket_path [${c.parent_bucket_path}] names no bucket aggregation in the input results` };
      const matched: MatchedBucket[] = [];
      for (const b of buckets) {
        if (!bucketMatches(expr, c.buckets_path!, b)) continue;
        const bucketKeys = bucketKeysOf(b);
        matched.push({ key: bucketKeys.join('#'), bucketKeys, bucket: b });
      }
      return { trigger, triggered: matched.length > 0, buckets: matched };
    }
    const cond = compileCondition(trigger.condition.script.source);
    return { trigger, triggered: cond.evaluate(ctx) };
  } catch (err) {
    return { trigger, triggered: false, error: (err as Error).message, ...(monitor.monitor_type === 'bucket_level_monitor' ? { buckets: [] } : {}) };
  }
}

/** The `ctx` triggers and templates see (Alerting's names). */
export function triggerCtx(monitor: Monitor, monitorId: string | undefined, run: Pick<MonitorRun, 'periodStart' | 'periodEnd' | 'results' | 'inputError'>, trigger?: Trigger): Record<string, unknown> {
  return {
    monitor: { _id: monitorId, name: monitor.name, monitor_type: monitor.monitor_type, enabled: monitor.enabled, schedule: monitor.schedule, inputs: monitor.inputs },
    trigger: trigger ? { id: trigger.id, name: trigger.name, severity: trigger.severity, actions: trigger.actions } : undefined,
    results: run.results,
    periodStart: new Date(run.periodStart).toISOString(),
    periodEnd: new Date(run.periodEnd).toISOString(),
    error: run.inputError ?? null,
  };
}

/** Runs the input and every trigger for the period [periodStart, periodEnd]. */
export async function runMonitor(monitor: Monitor, monitorId: string | undefined, search: SearchFn, periodStart: number, periodEnd: number): Promise<MonitorRun> {
  const input = monitor.inputs[0].search;
  const run: MonitorRun = { periodStart, periodEnd, results: [], noData: false, triggers: [] };
  try {
    const body = renderQuery(input.query, { period_start: periodStart, period_end: periodEnd });
    const result = await search(input.indices.join(','), body);
    run.results = [result];
    const buckets = monitor.monitor_type === 'bucket_level_monitor'
      ? monitor.triggers.map((t) => parentBuckets(result, t.condition.parent_bucket_path!)?.length ?? 0).reduce((a, b) => a + b, 0)
      : 0;
    run.noData = totalHits(result) === 0 && buckets === 0;
  } catch (err) {
    run.inputError = (err as Error).message;
  }
  for (const trigger of monitor.triggers) {
    if (run.inputError) {
      run.triggers.push({ trigger, triggered: false, error: run.inputError, ...(monitor.monitor_type === 'bucket_level_monitor' ? { buckets: [] } : {}) });
      continue;
    }
    run.triggers.push(evaluateTrigger(trigger, monitor, triggerCtx(monitor, monitorId, run, trigger)));
  }
  return run;
}
