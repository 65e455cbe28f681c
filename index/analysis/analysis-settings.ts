// Reads the `analysis` section out of index settings in any shape OpenSearch accepts or returns:
// nested (`{index: {analysis: {…}}}`), without the `index` prefix, or flattened
// (`"index.analysis.analyzer.a.filter.0": "lowercase"`), and the index-level limits analysis obeys.

import type { Params } from './params.ts';
import type { AnalysisLimits } from './tokenizers.ts';

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
