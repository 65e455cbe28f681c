// Index settings as OpenSearch stores them: flat keys under `index.` with string values, normalized
// from whatever nesting the request used, rendered back nested or flat (`flat_settings`).

import { illegalArgument } from '../errors.ts';

export type FlatSettings = Record<string, string | string[]>;

/** Flattens `{index: {number_of_shards: 1}}` / `{number_of_shards: 1}` into `{'index.number_of_shards': '1'}`. */
export function flattenSettings(settings: unknown, prefix = '', out: FlatSettings = {}): FlatSettings {
  if (settings === null || settings === undefined) return out;
  if (typeof settings !== 'object' || Array.isArray(settings)) throw illegalArgument('settings must be an object');
  for (const [k, v] of Object.entries(settings as Record<string, unknown>)) {
    const key = prefix + k;
    if (v !== null && typeof v === 'object' && !Array.isArray(v)) flattenSettings(v, key + '.', out);
    else if (Array.isArray(v)) out[key] = v.map(String);
    else if (v === null) out[key] = null as unknown as string;
    else out[key] = String(v);
  }
  return out;
}

/** Prefixes keys with `index.` the way OpenSearch normalizes index settings. */
export function normalizeIndexSettings(flat: FlatSettings): FlatSettings {
  const out: FlatSettings = {};
  for (const [k, v] of Object.entries(flat)) out[k.startsWith('index.') ? k : `index.${k}`] = v;
  return out;
}

/** Turns flat settings back into a nested object. */
export function nestSettings(flat: FlatSettings): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(flat)) {
    const parts = key.split('.');
    let node = out;
    for (let i = 0; i < parts.length - 1; i++) {
      const next = node[parts[i]];
      if (next === undefined || typeof next !== 'object' || Array.isArray(next)) node[parts[i]] = {};
      node = node[parts[i]] as Record<string, unknown>;
    }
    node[parts[parts.length - 1]] = value;
  }
  return out;
}

/** Reads an integer setting with a default, rejecting junk as OpenSearch does. */
export function intSetting(flat: FlatSettings, key: string, dflt: number): number {
  const v = flat[key];
  if (v === undefined || v === null) return dflt;
  const n = Number(v);
  if (!Number.isInteger(n)) throw illegalArgument(`Failed to parse value [${String(v)}] for setting [${key}]`);
  return n;
}

/** Parses OpenSearch time values (`1s`, `500ms`, `-1`) into milliseconds (-1 = disabled). */
export function parseTimeValue(value: string | undefined, dflt: number, key = 'value'): number {
  if (value === undefined || value === null) return dflt;
  if (value === '-1') return -1;
  const m = /^(\d+(?:\.\d+)?)(nanos|micros|ms|s|m|h|d)$/.exec(value.trim());
  if (!m) throw illegalArgument(`failed to parse setting [${key}] with value [${value}] as a time value: unit is missing or unrecognized`);
  const n = Number(m[1]);
  const mult: Record<string, number> = { nanos: 1e-6, micros: 1e-3, ms: 1, s: 1000, m: 60000, h: 3600000, d: 86400000 };
  return n * mult[m[2]];
}

/** Parses an OpenSearch byte size setting (`512mb`, `64kb`, `1gb`, `1024b`) into bytes. */
export function byteSizeSetting(flat: FlatSettings, key: string, dflt: number): number {
  const v = flat[key];
  if (v === undefined || v === null) return dflt;
  const m = /^(\d+(?:\.\d+)?)(b|kb|mb|gb|tb|pb)$/i.exec(String(v).trim());
  if (!m) throw illegalArgument(`failed to parse setting [${key}] with value [${String(v)}] as a size in bytes: unit is missing or unrecognized`);
  const mult: Record<string, number> = { b: 1, kb: 1024, mb: 1024 ** 2, gb: 1024 ** 3, tb: 1024 ** 4, pb: 1024 ** 5 };
  return Math.floor(Number(m[1]) * mult[m[2].toLowerCase()]);
}
