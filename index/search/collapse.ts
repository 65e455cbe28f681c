// Field collapsing: parses `collapse` (field, inner_hits, max_concurrent_group_searches), reads each
// hit's collapse key from doc values, keeps the best hit per key (on every shard, then once more when
// the coordinator merges), and builds the per-group request of OpenSearch's expand phase (inner_hits).

import { illegalArgument, xContentParseError } from '../errors.ts';
import type { FieldInfo } from '../mapping/field-types.ts';
import { INTEGER_TYPES, NUMERIC_TYPES } from '../mapping/field-types.ts';
import type { Segment } from '../segment/segment.ts';
import type { ShardSearchContext } from './shard-context.ts';

/** A parsed `inner_hits` entry of a collapse: its name and the options copied into the group search. */
export interface CollapseInnerHits {
  name: string;
  /** Body keys of the group search (from, size, sort, _source, version, …); query is added per group. */
  body: Record<string, unknown>;
}

/** A parsed `collapse` clause. */
export interface CollapseSpec {
  field: string;
  innerHits: CollapseInnerHits[];
  maxConcurrentGroupSearches?: number;
}

/** A collapse key: keyword string, number, or null for docs without a value (one group of their own). */
export type CollapseKey = string | number | null;

const INNER_HITS_KEYS = new Set([
  'name', 'from', 'size', 'sort', '_source', 'fields', 'docvalue_fields', 'stored_fields', 'version',
  'seq_no_primary_term', 'highlight', 'explain', 'track_scores', 'collapse', 'ignore_unmapped', 'script_fields',
]);

/**
 * Parses `collapse`. `inner` parses the second-level collapse of an inner_hits entry, which takes
 * only a field: OpenSearch's parser rejects inner_hits and collapse there.
 */
export function parseCollapse(json: unknown, inner = false): CollapseSpec {
  const name = inner ? 'inner_collapse' : 'collapse';
  if (json === null || typeof json !== 'object' || Array.isArray(json)) {
    throw xContentParseError(`[${name}] collapse doesn't support values of type: ${Array.isArray(json) ? 'START_ARRAY' : 'VALUE'}`);
  }
  const o = json as Record<string, unknown>;
  const allowed = inner ? ['field'] : ['field', 'inner_hits', 'max_concurrent_group_searches'];
  for (const k of Object.keys(o)) {
    if (!allowed.includes(k)) throw xContentParseError(`[${name}] unknown field [${k}]`);
  }
  if (typeof o.field !== 'string' || o.field === '') throw xContentParseError(`[${name}] field is required`);
  const spec: CollapseSpec = { field: o.field, innerHits: [] };
  if (o.max_concurrent_group_searches !== undefined) {
    const n = Number(o.max_concurrent_group_searches);
    if (!Number.isInteger(n) || n < 1) throw illegalArgument(`maxConcurrentGroupSearches must be positive, was: ${String(o.max_concurrent_group_searches)}`);
    spec.maxConcurrentGroupSearches = n;
  }
  if (o.inner_hits !== undefined) {
    const list = Array.isArray(o.inner_hits) ? o.inner_hits : [o.inner_hits];
    spec.innerHits = list.map((ih) => parseInnerHits(ih, spec.field));
  }
  return spec;
}

function parseInnerHits(json: unknown, field: string): CollapseInnerHits {
  if (json === null || typeof json !== 'object' || Array.isArray(json)) throw xContentParseError('[inner_hits] expected an object');
  const body: Record<string, unknown> = {};
  let name = field;
  for (const [k, v] of Object.entries(json as Record<string, unknown>)) {
    if (!INNER_HITS_KEYS.has(k)) throw xContentParseError(`[inner_hits] unknown field [${k}]`);
    if (k === 'name') name = String(v);
    else if (k === 'ignore_unmapped') continue;
    else if (k === 'collapse') {
      parseCollapse(v, true);
      body.collapse = v;
    } else body[k] = v;
  }
  // InnerHitBuilder's defaults: the first three hits of each group.
  body.from ??= 0;
  body.size ??= 3;
  return { name, body };
}

/** Checks the collapse field on one index (CollapseBuilder.build's errors). */
export function checkCollapseField(ctx: ShardSearchContext, spec: CollapseSpec): FieldInfo {
  const info = ctx.mapping.field(spec.field);
  if (!info) throw illegalArgument(`no mapping found for \`${spec.field}\` in order to collapse on`);
  if (info.type !== 'keyword' && !NUMERIC_TYPES.has(info.type)) {
    throw illegalArgument(`unknown type for collapse field \`${spec.field}\`, only keywords and numbers are accepted`);
  }
  if (!info.docValues) throw illegalArgument(`cannot collapse on field \`${spec.field}\` without \`doc_values\``);
  if (!info.index && spec.innerHits.length > 0) {
    throw illegalArgument(`cannot expand \`inner_hits\` for collapse field \`${spec.field}\`, only indexed field can retrieve \`inner_hits\``);
  }
  return info;
}

/** Reads the collapse key of a doc (the field must hold a single value; the first one is used). */
export function collapseKey(info: FieldInfo, seg: Segment, doc: number): CollapseKey {
  const dv = seg.docValues.get(info.path);
  if (!dv) return null;
  const a = dv.offsets[doc];
  if (a === dv.offsets[doc + 1]) return null;
  const v = dv.values[a];
  if (dv.kind === 'ordinal') return dv.terms![v];
  return INTEGER_TYPES.has(info.type) ? Math.trunc(v) : v;
}

/** Keeps the first (best) item of each key, in order. */
export function firstPerKey<T>(items: T[], keyOf: (item: T) => CollapseKey): T[] {
  const seen = new Set<string>();
  const out: T[] = [];
  for (const item of items) {
    const k = keyOf(item);
    const id = k === null ? 'null' : `${typeof k}:${k}`;
    if (seen.has(id)) continue;
    seen.add(id);
    out.push(item);
  }
  return out;
}

/**
 * The body of one group's search in the expand phase: the original query restricted to the group
 * (a term filter, or "field missing" for the null group), with the inner_hits options.
 */
export function groupSearchBody(spec: CollapseSpec, inner: CollapseInnerHits, key: CollapseKey, query: unknown, postFilter: unknown): Record<string, unknown> {
  const bool: Record<string, unknown> = key === null
    ? { must_not: [{ exists: { field: spec.field } }] }
    : { filter: [{ term: { [spec.field]: key } }] };
  if (query !== undefined) bool.must = [query];
  const body: Record<string, unknown> = { ...inner.body, query: { bool } };
  if (postFilter !== undefined) body.post_filter = postFilter;
  return body;
}
