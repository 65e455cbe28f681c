// Reading analysis settings. Index settings arrive nested (`{index: {analysis: {…}}}`), without the
// `index` prefix, or flattened (`"index.analysis.analyzer.a.filter.0": "lowercase"`), and component
// values typed (`min_gram: 2`) or as the strings OpenSearch stores (`"2"`, `"true"`, comma lists).

import { AnalysisError } from './analyzer.ts';

/** Index-level limits the factories check (`index.max_ngram_diff`, `index.max_shingle_diff`). */
export interface AnalysisLimits {
  maxNgramDiff: number;
  maxShingleDiff: number;
}

/** OpenSearch's defaults of those limits. */
export const DEFAULT_LIMITS: AnalysisLimits = { maxNgramDiff: 1, maxShingleDiff: 3 };

/** The settings object of one analysis component (`analysis.filter.my_filter`). */
export type Params = Readonly<Record<string, unknown>>;

/** An integer setting, or `fallback` when absent. */
export function intParam(p: Params, key: string, fallback: number): number {
  const v = p[key];
  if (v === undefined || v === null) return fallback;
  const n = typeof v === 'number' ? v : Number(String(v).trim());
  if (!Number.isInteger(n)) throw new AnalysisError(`Failed to parse value [${String(v)}] for setting [${key}]`);
  return n;
}

/** A boolean setting, accepting only true/false as OpenSearch does. */
export function boolParam(p: Params, key: string, fallback: boolean): boolean {
  const v = p[key];
  if (v === undefined || v === null) return fallback;
  if (v === true || v === 'true') return true;
  if (v === false || v === 'false') return false;
  throw new AnalysisError(`Failed to parse value [${String(v)}] as only [true] or [false] are allowed.`);
}

/** A string setting. */
export function strParam(p: Params, key: string, fallback: string): string;
export function strParam(p: Params, key: string, fallback?: string): string | undefined;
export function strParam(p: Params, key: string, fallback?: string): string | undefined {
  const v = p[key];
  if (v === undefined || v === null) return fallback;
  return String(v);
}

/** A list setting: an array, or a comma-separated string as `Settings.getAsList` reads it. */
export function listParam(p: Params, key: string): string[] | undefined {
  const v = p[key];
  if (v === undefined || v === null) return undefined;
  if (Array.isArray(v)) return v.map((x) => String(x));
  return String(v).split(',').map((s) => s.trim()).filter((s) => s.length > 0);
}

/** Like {@link listParam} but without splitting strings (synonym rules and mappings contain commas). */
export function rulesParam(p: Params, key: string): string[] | undefined {
  const v = p[key];
  if (v === undefined || v === null) return undefined;
  return Array.isArray(v) ? v.map((x) => String(x)) : [String(v)];
}

/** Rejects settings that read files from the node, which Lookout does not ship. */
export function rejectPathParam(p: Params, key: string, component: string): void {
  if (p[key] !== undefined) {
    throw new AnalysisError(`[${key}] is not supported by Lookout for [${component}]: inline the values instead`);
  }
}

/** Translates a Java regex with its `flags` setting (`CASE_INSENSITIVE|COMMENTS`) to a global RegExp. */
export function javaRegex(pattern: string, flags: string | undefined, component: string): RegExp {
  let f = 'g';
  let src = pattern;
  for (const flag of (flags ?? '').split('|').map((s) => s.trim()).filter(Boolean)) {
    if (flag === 'CASE_INSENSITIVE') f += 'i';
    else if (flag === 'MULTILINE') f += 'm';
    else if (flag === 'DOTALL') f += 's';
    else if (flag === 'COMMENTS') src = src.replace(/\\#/g, '\u0000').replace(/#.*$/gm, '').replace(/\s+/g, '').replace(/\u0000/g, '\\#');
    else if (flag !== 'UNICODE_CASE' && flag !== 'UNICODE_CHARACTER_CLASS' && flag !== 'CANON_EQ' && flag !== 'LITERAL' && flag !== 'UNIX_LINES') {
      throw new AnalysisError(`Unknown regex flag [${flag}]`);
    }
  }
  // Java's POSIX classes and \Q…\E quoting have no JavaScript syntax.
  const posix: Record<string, string> = {
    Lower: 'a-z', Upper: 'A-Z', Alpha: 'a-zA-Z', Digit: '0-9', Alnum: 'a-zA-Z0-9', Punct: '!-\\/:-@\\[-`{-~',
    Space: ' \\t\\n\\x0B\\f\\r', XDigit: '0-9a-fA-F', Blank: ' \\t',
  };
  src = src.replace(/\\Q([\s\S]*?)(\\E|$)/g, (_m, lit: string) => lit.replace(/[.*+?^${}()|[\]\\/-]/g, '\\$&'));
  src = src.replace(/\\([pP])\{(Lower|Upper|Alpha|Digit|Alnum|Punct|Space|XDigit|Blank)\}/g, (_m, p: string, name: string) =>
    p === 'p' ? `[${posix[name]}]` : `[^${posix[name]}]`);
  src = src.replace(/\\p\{Is(\w+)\}/g, '\\p{$1}');
  // Java's class intersection `[a&&[^b]]` needs the `v` flag; Unicode properties need `u`.
  const candidates = src.includes('&&') ? [f + 'v', f + 'u'] : /\\[pP]\{/.test(src) ? [f + 'u'] : [f];
  let error: Error | undefined;
  for (const flagsToTry of candidates) {
    try {
      return new RegExp(src, flagsToTry);
    } catch (e) {
      error ??= e as Error;
    }
  }
  throw new AnalysisError(`Invalid regex [${pattern}] for [${component}]: ${error?.message}`);
}

/** The component definitions of an index, by component name. */
export interface AnalysisSettings {
  analyzer: Record<string, Params>;
  tokenizer: Record<string, Params>;
  filter: Record<string, Params>;
  char_filter: Record<string, Params>;
  normalizer: Record<string, Params>;
  limits: AnalysisLimits;
}

const isPlainObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

function flatten(obj: Record<string, unknown>, prefix: string, out: Map<string, unknown>): void {
  for (const [k, v] of Object.entries(obj)) {
    if (isPlainObject(v)) flatten(v, `${prefix}${k}.`, out);
    else out.set(`${prefix}${k}`, v);
  }
}

/** Objects whose keys are all 0…n-1 become arrays (flattened list settings). */
function arraysFromIndexedKeys(v: unknown): unknown {
  if (!isPlainObject(v)) return v;
  const keys = Object.keys(v);
  for (const k of keys) v[k] = arraysFromIndexedKeys(v[k]);
  if (keys.length > 0 && keys.every((k) => /^\d+$/.test(k))) {
    const arr: unknown[] = [];
    for (const k of keys) arr[Number(k)] = v[k];
    if (arr.length === keys.length) return arr;
  }
  return v;
}

/** Extracts analysis definitions and limits from index settings of any shape. */
export function readAnalysisSettings(indexSettings: Record<string, unknown>): AnalysisSettings {
  const flat = new Map<string, unknown>();
  flatten(indexSettings ?? {}, '', flat);
  const nested: Record<string, unknown> = {};
  let maxNgramDiff = 1;
  let maxShingleDiff = 3;
  for (const [rawKey, value] of flat) {
    const key = rawKey.startsWith('index.') ? rawKey.slice('index.'.length) : rawKey;
    if (key === 'max_ngram_diff') maxNgramDiff = Number(value);
    else if (key === 'max_shingle_diff') maxShingleDiff = Number(value);
    if (!key.startsWith('analysis.')) continue;
    const path = key.split('.').slice(1);
    let node = nested;
    for (let i = 0; i < path.length - 1; i++) {
      const next = node[path[i]];
      node = (isPlainObject(next) ? next : (node[path[i]] = {})) as Record<string, unknown>;
    }
    node[path[path.length - 1]] = value;
  }
  const group = (name: string): Record<string, Params> => {
    const g = arraysFromIndexedKeys(nested[name]);
    const out: Record<string, Params> = {};
    if (isPlainObject(g)) for (const [k, v] of Object.entries(g)) out[k] = isPlainObject(v) ? v : {};
    return out;
  };
  return {
    analyzer: group('analyzer'),
    tokenizer: group('tokenizer'),
    filter: group('filter'),
    char_filter: group('char_filter'),
    normalizer: group('normalizer'),
    limits: {
      maxNgramDiff: Number.isFinite(maxNgramDiff) ? maxNgramDiff : 1,
      maxShingleDiff: Number.isFinite(maxShingleDiff) ? maxShingleDiff : 3,
    },
  };
}
