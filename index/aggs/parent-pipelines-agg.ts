// Parent pipelines that walk the buckets of their histogram / multi-bucket parent: derivative,
// cumulative_sum, serial_diff, moving_fn (built-in MovingFunctions only), bucket_script,
// bucket_selector and bucket_sort. Results are written into each bucket's `aggs`.

import { compileExpression, ExpressionError, type Expression } from '../expr/index.ts';
import { gapValue, parseGapPolicy, type GapPolicy } from './bucket-path.ts';
import { bucketComparator, parseOrder } from './bucket-order.ts';
import { formatNumber, hasString, type FormatSpec } from './doc-value-format.ts';
import { OpenSearchError, checkKeys, illegalArgument, int, str, type Json } from './parse-helpers.ts';
import type { AggregationRequest, PipelineInput, PipelineType, ReducedBucket } from './types.ts';

interface Params {
  buckets_path: string | Record<string, string>;
  gap_policy: GapPolicy;
  format?: string;
  unit?: string;
  lag?: number;
  window?: number;
  shift?: number;
  script?: string;
  sort?: { path: string; asc: boolean }[];
  from?: number;
  size?: number;
}

type Kind = 'derivative' | 'cumulative_sum' | 'serial_diff' | 'moving_fn' | 'bucket_script' | 'bucket_selector' | 'bucket_sort';

const OWN: Record<Kind, string[]> = {
  derivative: ['unit'], cumulative_sum: [], serial_diff: ['lag'], moving_fn: ['window', 'shift', 'script'],
  bucket_script: ['script'], bucket_selector: ['script'], bucket_sort: ['sort', 'from', 'size'],
};

function scriptSource(v: unknown): string {
  if (typeof v === 'string') return v;
  if (v && typeof v === 'object' && typeof (v as Json).source === 'string') return (v as Json).source as string;
  if (v && typeof v === 'object' && typeof (v as Json).inline === 'string') return (v as Json).inline as string;
  throw illegalArgument('[script] must be a string or an object with [source]');
}

const valueAt = (b: ReducedBucket, path: string, subs: AggregationRequest[], gap: GapPolicy) => gapValue(b, path, subs, gap);

function formatted(value: number | null, format: FormatSpec | undefined, extra: Record<string, unknown> = {}) {
  return { value, ...extra, ...(format && value !== null && hasString(format) ? { format } : {}) };
}

function make(kind: Kind): PipelineType {
  return {
    kind: 'pipeline',
    scope: 'parent',
    parse(name, body: Json): Params {
      checkKeys(kind, body, [...(kind === 'bucket_sort' ? [] : ['buckets_path']), 'gap_policy', 'format', ...OWN[kind]]);
      const p: Params = { buckets_path: '', gap_policy: body.gap_policy === undefined ? (kind === 'bucket_sort' ? 'skip' : 'skip') : parseGapPolicy(body.gap_policy) };
      if (kind !== 'bucket_sort') {
        if (body.buckets_path === undefined) throw illegalArgument(`[buckets_path] must be set for aggregation [${name}]`);
        p.buckets_path = typeof body.buckets_path === 'object' ? (body.buckets_path as Record<string, string>) : str(kind, 'buckets_path', body.buckets_path);
      }
      if (body.format !== undefined) p.format = str(kind, 'format', body.format);
      if (body.unit !== undefined) p.unit = str(kind, 'unit', body.unit);
      if (kind === 'serial_diff') {
        p.lag = body.lag === undefined ? 1 : int(kind, 'lag', body.lag);
        if (p.lag <= 0) throw illegalArgument(`[lag] must be a positive integer: [${name}]`);
      }
      if (kind === 'moving_fn') {
        if (body.window === undefined) throw illegalArgument(`[window] must be a positive, non-zero integer.`);
        p.window = int(kind, 'window', body.window);
        if (p.window <= 0) throw illegalArgument(`[window] must be a positive, non-zero integer.`);
        p.shift = body.shift === undefined ? 0 : int(kind, 'shift', body.shift);
      }
      if (kind === 'moving_fn' || kind === 'bucket_script' || kind === 'bucket_selector') {
        if (body.script === undefined) throw illegalArgument(`[script] must not be null: [${name}]`);
        p.script = scriptSource(body.script);
        if (kind !== 'moving_fn') {
          try { compileExpression(p.script); } catch (e) {
            throw new OpenSearchError('script_exception', `compile error`, 400, { script: p.script, lang: 'painless', reason: (e as Error).message });
          }
        }
      }
      if (kind === 'bucket_sort') {
        p.sort = body.sort === undefined ? [] : parseOrder(kind, ([] as unknown[]).concat(body.sort).map((s) => (typeof s === 'string' ? { [s]: 'asc' } : s)))
          .map((o) => ({ path: o.by === 'path' ? o.path! : o.by, asc: o.asc }));
        p.from = body.from === undefined ? 0 : int(kind, 'from', body.from);
        p.size = body.size === undefined ? undefined : int(kind, 'size', body.size);
      }
      return p;
    },
    run(req, input: PipelineInput) {
      const p = req.params as Params;
      const { req: parentReq, buckets } = input.parent!;
      const subs = parentReq.subAggs;
      const format: FormatSpec | undefined = p.format ? { t: 'decimal', pattern: p.format } : undefined;
      const path = typeof p.buckets_path === 'string' ? p.buckets_path : '';
      switch (kind) {
        case 'derivative': {
          let last: number | null = null;
          let lastKey = 0;
          const unitMs = p.unit ? unitMillis(p.unit) : undefined;
          for (const b of buckets) {
            const v = valueAt(b, path, subs, p.gap_policy);
            if (v === undefined) continue;
            if (last !== null && v !== null) {
              const d = v - last;
              const extra = unitMs ? { normalized_value: d / ((Number(b.key) - lastKey) / unitMs) } : {};
              b.aggs[req.name] = formatted(d, format, extra);
            } else b.aggs[req.name] = undefined;
            last = v;
            lastKey = Number(b.key);
          }
          return undefined;
        }
        case 'cumulative_sum': {
          let sum = 0;
          for (const b of buckets) {
            const v = valueAt(b, path, subs, p.gap_policy === 'skip' ? 'insert_zeros' : p.gap_policy);
            if (v !== undefined && v !== null && !Number.isNaN(v)) sum += v;
            b.aggs[req.name] = formatted(sum, format);
          }
          return undefined;
        }
        case 'serial_diff': {
          const hist: (number | null)[] = [];
          for (const b of buckets) {
            const v = valueAt(b, path, subs, p.gap_policy);
            if (v === undefined) continue;
            hist.push(v);
            const lagged = hist.length > p.lag! ? hist[hist.length - 1 - p.lag!] : undefined;
            if (lagged !== undefined && lagged !== null && v !== null) b.aggs[req.name] = formatted(v - lagged, format);
          }
          return undefined;
        }
        case 'moving_fn': {
          const fn = movingFunction(p.script!);
          const vals: number[] = [];
          buckets.forEach((b) => {
            const v = valueAt(b, path, subs, p.gap_policy);
            const end = vals.length + p.shift!;
            const start = Math.max(0, end - p.window!);
            const window = vals.slice(start, Math.max(start, Math.min(end, vals.length)));
            b.aggs[req.name] = formatted(fn(window), format);
            if (v !== undefined && v !== null && !Number.isNaN(v)) vals.push(v);
          });
          return undefined;
        }
        case 'bucket_script':
        case 'bucket_selector': {
          const expr: Expression = compileExpression(p.script!);
          const vars = typeof p.buckets_path === 'string' ? { _value0: p.buckets_path } : p.buckets_path;
          for (let i = 0; i < buckets.length; i++) {
            const b = buckets[i];
            const params: Record<string, unknown> = {};
            let skip = false;
            for (const [k, bp] of Object.entries(vars)) {
              const v = valueAt(b, bp, subs, p.gap_policy);
              if (v === undefined || v === null) { skip = true; break; }
              params[k] = v;
            }
            if (kind === 'bucket_script') {
              if (skip) continue;
              const r = runScript(expr, params);
              b.aggs[req.name] = formatted(typeof r === 'number' ? r : Number(r), format);
            } else if (!skip && runScript(expr, params) !== true) {
              buckets.splice(i--, 1);
            }
          }
          return undefined;
        }
        case 'bucket_sort': {
          if (p.sort!.length > 0) {
            const order = p.sort!.map((s) => ({ by: s.path === '_count' ? '_count' : s.path === '_key' ? '_key' : 'path', path: s.path, asc: s.asc }) as const);
            const cmp = bucketComparator(order as never, subs);
            const sorted = [...buckets].sort(cmp);
            buckets.splice(0, buckets.length, ...sorted);
          }
          const end = p.size === undefined ? buckets.length : p.from! + p.size;
          const kept = buckets.slice(p.from, end);
          buckets.splice(0, buckets.length, ...kept);
          return undefined;
        }
      }
    },
    render(_req, reduced) {
      const r = reduced as { value: number | null; normalized_value?: number; format?: FormatSpec };
      const out: Record<string, unknown> = { value: r.value };
      if (r.format && r.value !== null) out.value_as_string = formatNumber(r.format, r.value);
      if (r.normalized_value !== undefined) {
        out.normalized_value = r.normalized_value;
        if (r.format) out.normalized_value_as_string = formatNumber(r.format, r.normalized_value);
      }
      return out;
    },
    typedName: () => (kind === 'derivative' ? 'derivative' : 'simple_value'),
    value: (_req, reduced) => (reduced as { value: number | null }).value,
  };
}

function runScript(expr: Expression, params: Record<string, unknown>): unknown {
  try {
    return expr.evaluate(params);
  } catch (e) {
    if (e instanceof ExpressionError) throw new OpenSearchError('script_exception', 'runtime error', 400, { script: expr.source, lang: 'painless', reason: e.message });
    throw e;
  }
}

function unitMillis(unit: string): number {
  const m = /^(\d+)?(ms|s|m|h|d|w|M|q|y)$/.exec(unit) ?? /^(second|minute|hour|day|week|month|quarter|year)$/.exec(unit);
  const table: Record<string, number> = { ms: 1, s: 1000, second: 1000, m: 60000, minute: 60000, h: 3600000, hour: 3600000, d: 86400000, day: 86400000, w: 604800000, week: 604800000, M: 2592000000, month: 2592000000, q: 7776000000, quarter: 7776000000, y: 31536000000, year: 31536000000 };
  if (!m) throw illegalArgument(`Unable to parse unit [${unit}]`);
  return (m[2] ? Number(m[1] ?? 1) * table[m[2]] : table[m[1]]);
}

/** The built-in MovingFunctions (max, min, sum, unweightedAvg, linearWeightedAvg, stdDev, ewma…). */
function movingFunction(script: string): (values: number[]) => number | null {
  const call = /^\s*(?:return\s+)?MovingFunctions\.(\w+)\(\s*values\s*(?:,\s*([^)]*))?\)\s*;?\s*$/.exec(script);
  if (!call) throw illegalArgument(`moving_fn only supports the built-in MovingFunctions, got [${script}]`);
  const [, name, argText] = call;
  const args = argText ? argText.split(',').map((a) => Number(a.trim())) : [];
  const finite = (vs: number[]) => vs.filter((v) => !Number.isNaN(v));
  switch (name) {
    case 'max': return (v) => (finite(v).length ? Math.max(...finite(v)) : NaN);
    case 'min': return (v) => (finite(v).length ? Math.min(...finite(v)) : NaN);
    case 'sum': return (v) => finite(v).reduce((a, b) => a + b, 0);
    case 'unweightedAvg': return (v) => (finite(v).length ? finite(v).reduce((a, b) => a + b, 0) / finite(v).length : NaN);
    case 'linearWeightedAvg': return (v) => {
      let avg = 0, total = 0, w = 1;
      for (const x of finite(v)) { avg += x * w; total += w; w++; }
      return total === 0 ? NaN : avg / total;
    };
    case 'stdDev': return (v) => {
      const f = finite(v);
      if (f.length === 0) return NaN;
      const avg = args.length ? args[0] : f.reduce((a, b) => a + b, 0) / f.length;
      return Math.sqrt(f.reduce((a, x) => a + (x - avg) ** 2, 0) / f.length);
    };
    case 'ewma': return (v) => {
      const alpha = args[0] ?? 0.3;
      let avg = NaN, first = true;
      for (const x of finite(v)) { if (first) { avg = x; first = false; } else avg = x * alpha + avg * (1 - alpha); }
      return avg;
    };
    default: throw illegalArgument(`unknown MovingFunctions.${name}`);
  }
}

export const derivativeAgg = make('derivative');
export const cumulativeSumAgg = make('cumulative_sum');
export const serialDiffAgg = make('serial_diff');
export const movingFnAgg = make('moving_fn');
export const bucketScriptAgg = make('bucket_script');
export const bucketSelectorAgg = make('bucket_selector');
export const bucketSortAgg = make('bucket_sort');
