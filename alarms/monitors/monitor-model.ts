// Monitors in OpenSearch Alerting's shape: parsing and validating the request body of
// `POST/PUT _plugins/_alerting/monitors` into a typed monitor, and rendering it back the way
// Alerting does (triggers wrapped as `query_level_trigger` / `bucket_level_trigger`, ids assigned).

import { randomUUID } from 'node:crypto';
import { illegalArgument } from '../../index/errors.ts';
import { compileCondition, compileBucketCondition } from './trigger-condition.ts';
import { parseSchedule, type Schedule } from './schedule.ts';
import { templateError } from './mustache-template.ts';

export type MonitorType = 'query_level_monitor' | 'bucket_level_monitor';

export interface Throttle {
  value: number;
  unit: 'SECONDS' | 'MINUTES' | 'HOURS' | 'DAYS';
}

export interface Action {
  id: string;
  name: string;
  destination_id: string;
  message_template: { source: string; lang: string };
  subject_template?: { source: string; lang: string };
  throttle_enabled: boolean;
  throttle?: Throttle;
  action_execution_policy?: { action_execution_scope: { per_alert?: { actionable_alerts: string[] }; per_execution?: Record<string, never> } };
}

/** Lookout's anti-flap and no-data settings on a trigger (absent in OpenSearch; ignored there). */
export interface TriggerLookout {
  /** The condition must hold this long before the alert becomes ACTIVE (and notifies). */
  pending_seconds?: number;
  /** The condition must be false this long before an ACTIVE alert completes (and resolves). */
  cooldown_seconds?: number;
  /** M of N: fire when at least M of the last N evaluations breach. */
  datapoints_to_alarm?: number;
  evaluation_periods?: number;
  /** `notify`: an input that matched no documents opens a NO_DATA alert and notifies; `ignore` (default) evaluates it as usual. */
  no_data?: 'ignore' | 'notify';
}

export interface Trigger {
  id: string;
  name: string;
  severity: string;
  /** Query-level: `script.source`. Bucket-level: buckets_path + parent_bucket_path + script. */
  condition: {
    script: { source: string; lang: string };
    buckets_path?: Record<string, string>;
    parent_bucket_path?: string;
  };
  actions: Action[];
  lookout?: TriggerLookout;
}

export interface SearchInput {
  search: { indices: string[]; query: Record<string, unknown> };
}

export interface Monitor {
  type: 'monitor';
  schema_version: number;
  name: string;
  monitor_type: MonitorType;
  enabled: boolean;
  enabled_time: number | null;
  schedule: Schedule;
  inputs: SearchInput[];
  triggers: Trigger[];
  last_update_time: number;
  ui_metadata?: Record<string, unknown>;
}

const UNITS = ['SECONDS', 'MINUTES', 'HOURS', 'DAYS'];
const UNIT_MS: Record<string, number> = { SECONDS: 1000, MINUTES: 60_000, HOURS: 3_600_000, DAYS: 86_400_000 };

export function throttleMs(t: Throttle): number {
  return t.value * UNIT_MS[t.unit];
}

const newId = () => randomUUID().replace(/-/g, '').slice(0, 20);

function obj(v: unknown, field: string): Record<string, unknown> {
  if (!v || typeof v !== 'object' || Array.isArray(v)) throw illegalArgument(`${field} must be an object`);
  return v as Record<string, unknown>;
}

function str(v: unknown, field: string): string {
  if (typeof v !== 'string' || v === '') throw illegalArgument(`${field} is required`);
  return v;
}

function template(v: unknown, field: string): { source: string; lang: string } {
  const t = obj(v, field);
  if (typeof t.source !== 'string') throw illegalArgument(`${field}.source is required`);
  const lang = t.lang ?? 'mustache';
  if (lang !== 'mustache') throw illegalArgument(`${field}.lang must be mustache`);
  const error = templateError(t.source);
  if (error) throw illegalArgument(`${field}.source is not a valid mustache template: ${error}`);
  return { source: t.source, lang };
}

function nonNegative(v: unknown, field: string): number | undefined {
  if (v === undefined) return undefined;
  if (typeof v !== 'number' || !(v >= 0)) throw illegalArgument(`${field} must be a non-negative number`);
  return v;
}

function parseAction(raw: unknown, where: string, prev?: Trigger): Action {
  const a = obj(raw, where);
  const name = str(a.name, `${where}.name`);
  const action: Action = {
    // An update that omits ids keeps those of same-named actions: throttling state is keyed by action id.
    id: typeof a.id === 'string' ? a.id : (prev?.actions.find((x) => x.name === name)?.id ?? newId()),
    name,
    destination_id: str(a.destination_id, `${where}.destination_id`),
    message_template: template(a.message_template, `${where}.message_template`),
    throttle_enabled: a.throttle_enabled === true,
  };
  if (a.subject_template !== undefined && a.subject_template !== null) action.subject_template = template(a.subject_template, `${where}.subject_template`);
  if (a.throttle !== undefined && a.throttle !== null) {
    const t = obj(a.throttle, `${where}.throttle`);
    const unit = (t.unit ?? 'MINUTES') as string;
    if (typeof t.value !== 'number' || !(t.value > 0)) throw illegalArgument(`${where}.throttle.value must be a positive number`);
    if (!UNITS.includes(unit)) throw illegalArgument(`${where}.throttle.unit must be one of ${UNITS.join(', ')}`);
    action.throttle = { value: t.value, unit: unit as Throttle['unit'] };
  }
  if (action.throttle_enabled && !action.throttle) throw illegalArgument(`${where}.throttle is required when throttle_enabled is true`);
  if (a.action_execution_policy !== undefined) action.action_execution_policy = a.action_execution_policy as Action['action_execution_policy'];
  return action;
}

function parseLookout(raw: unknown, where: string): TriggerLookout | undefined {
  if (raw === undefined) return undefined;
  const l = obj(raw, where);
  for (const k of Object.keys(l)) {
    if (!['pending_seconds', 'cooldown_seconds', 'datapoints_to_alarm', 'evaluation_periods', 'no_data'].includes(k)) throw illegalArgument(`unknown field [${k}] in ${where}`);
  }
  const out: TriggerLookout = {
    pending_seconds: nonNegative(l.pending_seconds, `${where}.pending_seconds`),
    cooldown_seconds: nonNegative(l.cooldown_seconds, `${where}.cooldown_seconds`),
    datapoints_to_alarm: nonNegative(l.datapoints_to_alarm, `${where}.datapoints_to_alarm`),
    evaluation_periods: nonNegative(l.evaluation_periods, `${where}.evaluation_periods`),
  };
  if (l.no_data !== undefined) {
    if (l.no_data !== 'ignore' && l.no_data !== 'notify') throw illegalArgument(`${where}.no_data must be ignore or notify`);
    out.no_data = l.no_data;
  }
  const n = out.evaluation_periods ?? 1;
  const m = out.datapoints_to_alarm ?? n;
  if (m < 1 || m > n) throw illegalArgument(`${where}.datapoints_to_alarm must be between 1 and evaluation_periods`);
  return out;
}

function parseTrigger(raw: unknown, type: MonitorType, i: number, prevMonitor?: Monitor): Trigger {
  const outer = obj(raw, `triggers[${i}]`);
  const wrapper = type === 'bucket_level_monitor' ? 'bucket_level_trigger' : 'query_level_trigger';
  const other = type === 'bucket_level_monitor' ? 'query_level_trigger' : 'bucket_level_trigger';
  if (other in outer) throw illegalArgument(`a ${type} cannot have a ${other}`);
  const where = `triggers[${i}]`;
  const t = wrapper in outer ? obj(outer[wrapper], `${where}.${wrapper}`) : outer;
  const cond = obj(t.condition, `${where}.condition`);
  const script = obj(cond.script, `${where}.condition.script`);
  const source = str(script.source, `${where}.condition.script.source`);
  const condition: Trigger['condition'] = { script: { source, lang: typeof script.lang === 'string' ? script.lang : 'painless' } };
  if (type === 'bucket_level_monitor') {
    condition.parent_bucket_path = str(cond.parent_bucket_path, `${where}.condition.parent_bucket_path`);
    const bp = obj(cond.buckets_path, `${where}.condition.buckets_path`);
    if (Object.values(bp).some((v) => typeof v !== 'string')) throw illegalArgument(`${where}.condition.buckets_path values must be strings`);
    condition.buckets_path = bp as Record<string, string>;
    compileBucketCondition(source); // syntax check now, not at the first run
  } else {
    compileCondition(source);
  }
  const severity = String(t.severity ?? '1');
  if (!/^[1-5]$/.test(severity)) throw illegalArgument(`${where}.severity must be 1 to 5`);
  const actions = t.actions === undefined ? [] : t.actions;
  if (!Array.isArray(actions)) throw illegalArgument(`${where}.actions must be a list`);
  const name = str(t.name, `${where}.name`);
  // An update that omits ids keeps those of same-named triggers: alerts are keyed by trigger id.
  const prev = prevMonitor?.triggers.find((p) => (typeof t.id === 'string' ? p.id === t.id : p.name === name));
  return {
    id: typeof t.id === 'string' ? t.id : (prev?.id ?? newId()),
    name,
    severity,
    condition,
    actions: actions.map((a, j) => parseAction(a, `${where}.actions[${j}]`, prev)),
    lookout: parseLookout(t.lookout, `${where}.lookout`),
  };
}

/** Parses a monitor body; `prev` keeps ids and enabled_time stable across updates. */
export function parseMonitor(raw: Record<string, unknown>, now: number, prev?: Monitor): Monitor {
  const allowed = ['type', 'schema_version', 'name', 'monitor_type', 'enabled', 'enabled_time', 'schedule', 'inputs', 'triggers', 'last_update_time', 'ui_metadata', 'user', 'data_sources', 'owner', 'id', '_id'];
  for (const k of Object.keys(raw)) if (!allowed.includes(k)) throw illegalArgument(`unknown field [${k}] in monitor`);
  if (raw.type !== undefined && raw.type !== 'monitor') throw illegalArgument(`type must be [monitor]`);
  const monitorType = (raw.monitor_type ?? 'query_level_monitor') as string;
  if (monitorType !== 'query_level_monitor' && monitorType !== 'bucket_level_monitor') {
    throw illegalArgument(`monitor_type [${monitorType}] is not supported (query_level_monitor, bucket_level_monitor)`);
  }
  const inputs = raw.inputs;
  if (!Array.isArray(inputs) || inputs.length !== 1) throw illegalArgument('inputs must hold exactly one search input');
  const input = obj(obj(inputs[0], 'inputs[0]').search, 'inputs[0].search');
  const indices = input.indices;
  if (!Array.isArray(indices) || indices.length === 0 || indices.some((x) => typeof x !== 'string')) throw illegalArgument('inputs[0].search.indices must be a non-empty list of index patterns');
  const query = obj(input.query ?? {}, 'inputs[0].search.query');
  const triggers = raw.triggers ?? [];
  if (!Array.isArray(triggers)) throw illegalArgument('triggers must be a list');
  const enabled = raw.enabled === undefined ? true : raw.enabled === true;
  const parsedTriggers = triggers.map((t, i) => parseTrigger(t, monitorType as MonitorType, i, prev));
  return {
    type: 'monitor',
    schema_version: 5,
    name: str(raw.name, 'name'),
    monitor_type: monitorType as MonitorType,
    enabled,
    enabled_time: enabled ? (prev?.enabled ? prev.enabled_time : now) : null,
    schedule: parseSchedule(raw.schedule),
    inputs: [{ search: { indices: indices as string[], query } }],
    triggers: parsedTriggers,
    last_update_time: now,
    ...(raw.ui_metadata && typeof raw.ui_metadata === 'object' ? { ui_metadata: raw.ui_metadata as Record<string, unknown> } : {}),
  };
}

/** The monitor as Alerting renders it in responses (`monitor` object). */
export function renderMonitor(m: Monitor): Record<string, unknown> {
  const wrapper = m.monitor_type === 'bucket_level_monitor' ? 'bucket_level_trigger' : 'query_level_trigger';
  return { ...m, triggers: m.triggers.map((t) => ({ [wrapper]: t })) };
}
