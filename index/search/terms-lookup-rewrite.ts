// The coordinator's rewrite of terms lookups: `{"terms": {"f": {"index", "id", "path", "routing"}}}`
// becomes `{"terms": {"f": [values…]}}` with the values at `path` in that document, fetched once per
// search before the query reaches the shards (OpenSearch's TermsQueryBuilder.doRewrite on the
// coordinator). Done on the request JSON so the search stays synchronous.

import { extractValues } from '../query/terms-lookup.ts';

/** Fetches a lookup document's `_source` (null when missing; throws index_not_found for a missing index). */
export type LookupSourceFetcher = (index: string, id: string, routing: string | undefined) => Record<string, unknown> | null;

const NON_FIELD_KEYS = new Set(['boost', '_name', 'value_type']);

/** True when the JSON holds a terms query whose values come from a lookup. */
export function hasTermsLookupJson(json: unknown): boolean {
  let found = false;
  walk(json, (terms) => {
    if (lookupEntries(terms).length > 0) found = true;
    return terms;
  });
  return found;
}

/** A copy of the query JSON with every terms lookup replaced by the looked-up values. */
export function rewriteTermsLookups(json: unknown, fetch: LookupSourceFetcher): unknown {
  const cache = new Map<string, Record<string, unknown> | null>();
  return walk(json, (terms) => {
    const entries = lookupEntries(terms);
    if (entries.length === 0) return terms;
    const out: Record<string, unknown> = { ...terms };
    for (const [field, l] of entries) {
      const key = `${String(l.index)}\u0000${String(l.id)}\u0000${String(l.routing ?? '')}`;
      if (!cache.has(key)) cache.set(key, fetch(String(l.index), String(l.id), l.routing === undefined ? undefined : String(l.routing)));
      const src = cache.get(key);
      out[field] = src ? extractValues(src, String(l.path)) : [];
    }
    return out;
  });
}

function lookupEntries(terms: Record<string, unknown>): Array<[string, Record<string, unknown>]> {
  return Object.entries(terms).filter((e): e is [string, Record<string, unknown>] => {
    const [k, v] = e;
    return !NON_FIELD_KEYS.has(k) && v !== null && typeof v === 'object' && !Array.isArray(v) && 'id' in v && 'path' in v;
  });
}

/** Rebuilds JSON, passing the body of every `terms` key through `f`. */
function walk(node: unknown, f: (terms: Record<string, unknown>) => Record<string, unknown>): unknown {
  if (Array.isArray(node)) return node.map((x) => walk(x, f));
  if (node === null || typeof node !== 'object') return node;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(node)) {
    out[k] = k === 'terms' && v !== null && typeof v === 'object' && !Array.isArray(v) ? f(v as Record<string, unknown>) : walk(v, f);
  }
  return out;
}
