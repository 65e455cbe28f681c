// Parses a search request (body plus URL parameters) into a typed SearchRequest, rejecting unknown
// keys and bad values with OpenSearch's errors. Query and aggregation trees are parsed by their modules.

import { OpenSearchError, actionRequestValidation, illegalArgument, parsingError } from '../errors.ts';
import { parseSourceFilter, type SourceFilter } from '../docs/source-filter.ts';

/** A search request after parsing the envelope (query/aggs/sort stay JSON for their parsers). */
export interface SearchRequest {
  query?: unknown;
  postFilter?: unknown;
  from: number;
  size: number;
  sort?: unknown;
  source: SourceFilter | null;
  aggs?: Record<string, unknown>;
  searchAfter?: unknown[];
  trackTotalHits: boolean | number;
  trackScores: boolean;
  minScore?: number;
  timeout?: string;
  terminateAfter?: number;
  highlight?: Record<string, unknown>;
  fields?: Array<string | Record<string, unknown>>;
  docvalueFields?: Array<string | Record<string, unknown>>;
  storedFields?: string[];
  version: boolean;
  seqNoPrimaryTerm: boolean;
  explain: boolean;
  /** `indices_boost` entries in request order: an index expression and its score multiplier. */
  indicesBoost?: Array<{ expr: string; boost: number }>;
  profile: boolean;
  collapse?: unknown;
  /** Report each matched `_name`d query's score (`matched_queries` becomes an object). */
  includeNamedQueriesScore: boolean;
  /** Kept only so the coordinator can check their per-index limits before refusing them. */
  scriptFields?: Record<string, unknown>;
  rescore?: Array<Record<string, unknown>>;
  /** `scroll` keep-alive from the URL (Lookout refuses scrolls after validating them). */
  scroll?: string;
  /** `batched_reduce_size` (≥ 2; default 512). */
  batchedReduceSize: number;
  /** `pre_filter_shard_size`, when given. */
  preFilterShardSize?: number;
}

const BODY_KEYS = new Set([
  'query', 'post_filter', 'from', 'size', 'sort', '_source', 'aggs', 'aggregations', 'search_after', 'track_total_hits',
  'track_scores', 'min_score', 'timeout', 'terminate_after', 'highlight', 'fields', 'docvalue_fields', 'stored_fields',
  'version', 'seq_no_primary_term', 'explain', 'indices_boost', 'profile', 'ext', 'stats', 'collapse', 'script_fields',
  'suggest', 'rescore', 'slice', 'pit', 'search_pipeline', 'include_named_queries_score', 'derived', 'verbose_pipeline',
]);

function tokenName(v: unknown): string {
  if (Array.isArray(v)) return 'START_ARRAY';
  if (v === null) return 'VALUE_NULL';
  switch (typeof v) {
    case 'object': return 'START_OBJECT';
    case 'string': return 'VALUE_STRING';
    case 'number': return 'VALUE_NUMBER';
    case 'boolean': return 'VALUE_BOOLEAN';
    default: return 'VALUE_EMBEDDED_OBJECT';
  }
}

function intValue(v: unknown, name: string): number {
  const n = typeof v === 'string' && v.trim() !== '' ? Number(v) : v;
  if (typeof n !== 'number' || !Number.isInteger(n)) {
    throw parsingError(`[${name}] failed to parse field [${name}]`);
  }
  return n;
}

/** Parses the envelope of a search request. `params` are the URL query parameters. */
export function parseSearchRequest(body: Record<string, unknown> | null, params: Record<string, string>): SearchRequest {
  const b = body ?? {};
  for (const [k, v] of Object.entries(b)) {
    if (!BODY_KEYS.has(k)) throw parsingError(`Unknown key for a ${tokenName(v)} in [${k}].`);
  }
  for (const unsupported of ['suggest', 'slice', 'pit']) {
    if (b[unsupported] !== undefined) throw illegalArgument(`[${unsupported}] is not supported by Lookout`);
  }
  if (b.aggs !== undefined && b.aggregations !== undefined) {
    throw parsingError('Found two aggregation type definitions in [aggs] and [aggregations]');
  }
  const req: SearchRequest = {
    query: b.query,
    postFilter: b.post_filter,
    from: b.from !== undefined ? intValue(b.from, 'from') : params.from !== undefined ? intValue(params.from, 'from') : 0,
    size: b.size !== undefined ? intValue(b.size, 'size') : params.size !== undefined ? intValue(params.size, 'size') : 10,
    sort: b.sort ?? (params.sort ? params.sort.split(',') : undefined),
    source: parseSourceFilter(params._source ?? b._source, params._source_includes, params._source_excludes),
    aggs: (b.aggs ?? b.aggregations) as Record<string, unknown> | undefined,
    searchAfter: b.search_after as unknown[] | undefined,
    trackTotalHits: 10000,
    trackScores: b.track_scores === true || params.track_scores === 'true',
    minScore: b.min_score === undefined ? undefined : Number(b.min_score),
    timeout: (b.timeout as string | undefined) ?? params.timeout,
    terminateAfter: b.terminate_after !== undefined ? intValue(b.terminate_after, 'terminate_after') : params.terminate_after !== undefined ? intValue(params.terminate_after, 'terminate_after') : undefined,
    highlight: b.highlight as Record<string, unknown> | undefined,
    fields: b.fields as SearchRequest['fields'],
    docvalueFields: (b.docvalue_fields as SearchRequest['docvalueFields']) ?? (params.docvalue_fields ? params.docvalue_fields.split(',') : undefined),
    storedFields: b.stored_fields !== undefined ? ([] as string[]).concat(b.stored_fields as string) : params.stored_fields?.split(','),
    scriptFields: b.script_fields as Record<string, unknown> | undefined,
    rescore: b.rescore === undefined ? undefined : ([] as Array<Record<string, unknown>>).concat(b.rescore as Record<string, unknown>),
    scroll: params.scroll,
    batchedReduceSize: params.batched_reduce_size !== undefined ? intValue(params.batched_reduce_size, 'batched_reduce_size') : 512,
    preFilterShardSize: params.pre_filter_shard_size !== undefined ? intValue(params.pre_filter_shard_size, 'pre_filter_shard_size') : undefined,
    version: b.version === true || params.version === 'true',
    seqNoPrimaryTerm: b.seq_no_primary_term === true || params.seq_no_primary_term === 'true',
    explain: b.explain === true || params.explain === 'true',
    indicesBoost: b.indices_boost === undefined ? undefined : parseIndicesBoost(b.indices_boost),
    profile: b.profile === true,
    collapse: b.collapse,
    includeNamedQueriesScore: b.include_named_queries_score === true || params.include_named_queries_score === 'true',
  };
  const tth: unknown = params.track_total_hits ?? b.track_total_hits;
  if (tth !== undefined) {
    if (tth === true || tth === 'true') req.trackTotalHits = true;
    else if (tth === false || tth === 'false') req.trackTotalHits = false;
    else {
      const n = Number(tth);
      if (!Number.isInteger(n)) throw illegalArgument(`Failed to parse value [${String(tth)}] as only [true] or [false] are allowed.`);
      if (n < 0) throw illegalArgument(`[track_total_hits] parameter must be positive or equals to -1, got ${n}`);
      req.trackTotalHits = n;
    }
  }
  if (params.rest_total_hits_as_int === 'true' && req.trackTotalHits !== true) {
    if (req.trackTotalHits !== 10000 && tth !== undefined && req.trackTotalHits !== false) {
      throw new OpenSearchError('action_request_validation_exception', `Validation Failed: 1: [rest_total_hits_as_int] cannot be used if the tracking of total hits is not accurate, got ${req.trackTotalHits};`, 400);
    }
    if (req.trackTotalHits === 10000) req.trackTotalHits = true;
  }
  if (params.q !== undefined) {
    const qs: Record<string, unknown> = { query: params.q };
    if (params.df) qs.default_field = params.df;
    if (params.default_operator) qs.default_operator = params.default_operator;
    if (params.analyzer) qs.analyzer = params.analyzer;
    if (params.lenient) qs.lenient = params.lenient === 'true';
    if (params.analyze_wildcard) qs.analyze_wildcard = params.analyze_wildcard === 'true';
    req.query = { query_string: qs };
  }
  // SearchRequest setters reject these before anything else runs.
  if (req.batchedReduceSize < 2) throw illegalArgument('batchedReduceSize must be >= 2');
  if (req.preFilterShardSize !== undefined && req.preFilterShardSize < 1) throw illegalArgument('preFilterShardSize must be >= 1');
  const invalid: string[] = [];
  if (req.collapse !== undefined && req.scroll !== undefined) invalid.push('cannot use `collapse` in a scroll context');
  if (req.collapse !== undefined && req.rescore !== undefined && req.rescore.length > 0) invalid.push('cannot use `collapse` in conjunction with `rescore`');
  if (invalid.length > 0) throw actionRequestValidation(invalid);
  if (req.from < 0) throw illegalArgument(`[from] parameter cannot be negative, found [${req.from}]`);
  if (req.size < 0) throw illegalArgument(`[size] parameter cannot be negative, found [${req.size}]`);
  if (req.searchAfter !== undefined && req.from > 0) {
    throw new OpenSearchError('action_request_validation_exception', `Validation Failed: 1: [from] parameter must be set to 0 when [search_after] is used;`, 400);
  }
  return req;
}

/**
 * `indices_boost`: the array form `[{"idx": 2.0}, …]` or the deprecated object form `{"idx": 2.0}`;
 * order matters, as the first entry naming an index wins.
 */
function parseIndicesBoost(v: unknown): Array<{ expr: string; boost: number }> {
  const entries = Array.isArray(v) ? v.flatMap((o) => {
    if (o === null || typeof o !== 'object' || Array.isArray(o)) throw parsingError(`Expected [START_OBJECT] in [indices_boost] but found [${tokenName(o)}]`);
    const keys = Object.entries(o as Record<string, unknown>);
    if (keys.length !== 1) throw parsingError(`Expected one object in [indices_boost] but found [${keys.length}]`);
    return keys;
  }) : v !== null && typeof v === 'object' ? Object.entries(v as Record<string, unknown>) : null;
  if (!entries) throw parsingError(`Expected [START_ARRAY] or [START_OBJECT] in [indices_boost] but found [${tokenName(v)}]`);
  return entries.map(([expr, boost]) => {
    const n = Number(boost);
    if (typeof boost !== 'number' && typeof boost !== 'string' || Number.isNaN(n)) throw parsingError(`[indices_boost] expected a number for [${expr}] but found [${tokenName(boost)}]`);
    return { expr, boost: n };
  });
}
