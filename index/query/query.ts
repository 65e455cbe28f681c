// The typed query tree: what the parsers in this folder produce from OpenSearch's JSON and what
// `compile-query.ts` turns into per-segment matchers and scorers. Option names keep their wire
// spelling (snake_case) so rendering back to JSON is a plain copy and round trips stay exact.

/** A scalar as OpenSearch accepts it for term values and query texts. */
export type Scalar = string | number | boolean;

/** `boost` and `_name`, accepted by every query type. */
export interface QueryCommon {
  boost?: number;
  _name?: string;
}

export interface MatchAllQuery extends QueryCommon { type: 'match_all' }
export interface MatchNoneQuery extends QueryCommon { type: 'match_none' }

export interface TermQuery extends QueryCommon {
  type: 'term';
  field: string;
  value: Scalar;
  case_insensitive?: boolean;
}

/** Where a terms lookup fetches its values: a field path of one document. */
export interface TermsLookup {
  index: string;
  id: string;
  path: string;
  routing?: string;
  store?: boolean;
}

export interface TermsQuery extends QueryCommon {
  type: 'terms';
  field: string;
  /** The values; empty until the coordinator resolves a `lookup` (see terms-lookup.ts). */
  values: Scalar[];
  lookup?: TermsLookup;
  /** `bitmap`: values is one base64 serialized RoaringBitmap of integers. */
  value_type?: 'default' | 'bitmap';
}

export interface RangeQuery extends QueryCommon {
  type: 'range';
  field: string;
  /** Lower bound (null = unbounded), inclusive when include_lower is true (the default). */
  from?: Scalar | null;
  to?: Scalar | null;
  include_lower?: boolean;
  include_upper?: boolean;
  format?: string;
  time_zone?: string;
  relation?: string;
}

export interface ExistsQuery extends QueryCommon { type: 'exists'; field: string }

export interface PrefixQuery extends QueryCommon {
  type: 'prefix';
  field: string;
  value: string;
  rewrite?: string;
  case_insensitive?: boolean;
}

export interface WildcardQuery extends QueryCommon {
  type: 'wildcard';
  field: string;
  value: string;
  rewrite?: string;
  case_insensitive?: boolean;
}

export interface RegexpQuery extends QueryCommon {
  type: 'regexp';
  field: string;
  value: string;
  flags?: string;
  flags_value?: number;
  max_determinized_states?: number;
  rewrite?: string;
  case_insensitive?: boolean;
}

export interface FuzzyQuery extends QueryCommon {
  type: 'fuzzy';
  field: string;
  value: Scalar;
  fuzziness?: Scalar;
  prefix_length?: number;
  max_expansions?: number;
  transpositions?: boolean;
  rewrite?: string;
}

export interface IdsQuery extends QueryCommon { type: 'ids'; values: string[] }

export interface BoolQuery extends QueryCommon {
  type: 'bool';
  must: Query[];
  filter: Query[];
  should: Query[];
  must_not: Query[];
  minimum_should_match?: Scalar;
  adjust_pure_negative?: boolean;
}

export interface ConstantScoreQuery extends QueryCommon { type: 'constant_score'; filter: Query }

export interface DisMaxQuery extends QueryCommon {
  type: 'dis_max';
  queries: Query[];
  tie_breaker?: number;
}

export interface BoostingQuery extends QueryCommon {
  type: 'boosting';
  positive: Query;
  negative: Query;
  negative_boost: number;
}

/** Options shared by the match family (match, match_bool_prefix, multi_match). */
export interface MatchOptions {
  analyzer?: string;
  operator?: string;
  minimum_should_match?: Scalar;
  fuzziness?: Scalar;
  prefix_length?: number;
  max_expansions?: number;
  fuzzy_transpositions?: boolean;
  fuzzy_rewrite?: string;
  lenient?: boolean;
  zero_terms_query?: string;
  cutoff_frequency?: number;
  auto_generate_synonyms_phrase_query?: boolean;
}

export interface MatchQuery extends QueryCommon, MatchOptions { type: 'match'; field: string; query: Scalar }

export interface MatchPhraseQuery extends QueryCommon {
  type: 'match_phrase';
  field: string;
  query: Scalar;
  slop?: number;
  analyzer?: string;
  zero_terms_query?: string;
}

export interface MatchPhrasePrefixQuery extends QueryCommon {
  type: 'match_phrase_prefix';
  field: string;
  query: Scalar;
  slop?: number;
  analyzer?: string;
  max_expansions?: number;
  zero_terms_query?: string;
}

export interface MatchBoolPrefixQuery extends QueryCommon, MatchOptions { type: 'match_bool_prefix'; field: string; query: Scalar }

export interface MultiMatchQuery extends QueryCommon, MatchOptions {
  type: 'multi_match';
  query: Scalar;
  /** Field patterns, each optionally `name^boost`; empty = index.query.default_field. */
  fields: string[];
  match_type?: string;
  tie_breaker?: number;
  slop?: number;
}

export interface QueryStringQuery extends QueryCommon {
  type: 'query_string';
  query: string;
  default_field?: string;
  fields?: string[];
  default_operator?: string;
  analyzer?: string;
  quote_analyzer?: string;
  allow_leading_wildcard?: boolean;
  analyze_wildcard?: boolean;
  lenient?: boolean;
  fuzziness?: Scalar;
  fuzzy_prefix_length?: number;
  fuzzy_max_expansions?: number;
  fuzzy_transpositions?: boolean;
  fuzzy_rewrite?: string;
  phrase_slop?: number;
  minimum_should_match?: Scalar;
  tie_breaker?: number;
  match_type?: string;
  quote_field_suffix?: string;
  time_zone?: string;
  enable_position_increments?: boolean;
  auto_generate_synonyms_phrase_query?: boolean;
  max_determinized_states?: number;
  escape?: boolean;
  rewrite?: string;
}

export interface SimpleQueryStringQuery extends QueryCommon {
  type: 'simple_query_string';
  query: string;
  fields?: string[];
  default_operator?: string;
  analyzer?: string;
  flags?: string;
  lenient?: boolean;
  analyze_wildcard?: boolean;
  minimum_should_match?: Scalar;
  quote_field_suffix?: string;
  auto_generate_synonyms_phrase_query?: boolean;
  fuzzy_prefix_length?: number;
  fuzzy_max_expansions?: number;
  fuzzy_transpositions?: boolean;
}

/** How `match` and `all_of` combine their parts. */
export type IntervalMode = 'ordered' | 'unordered' | 'unordered_no_overlap';

/** The filters an intervals rule can apply (source intervals kept or dropped against the filter's). */
export type IntervalFilterKind =
  | 'containing' | 'not_containing' | 'contained_by' | 'not_contained_by'
  | 'overlapping' | 'not_overlapping' | 'before' | 'after';

export interface IntervalFilter { kind: IntervalFilterKind; rule: IntervalsRule }

/** One rule of an `intervals` query (OpenSearch's IntervalsSourceProvider), keyed by `rule`. */
export type IntervalsRule =
  | { rule: 'match'; query: string; max_gaps?: number; mode?: IntervalMode; ordered?: boolean; analyzer?: string; use_field?: string; filter?: IntervalFilter }
  | { rule: 'prefix'; prefix: string; analyzer?: string; use_field?: string }
  | { rule: 'wildcard'; pattern: string; analyzer?: string; use_field?: string; max_expansions?: number }
  | { rule: 'regexp'; pattern: string; flags?: string; flags_value?: number; case_insensitive?: boolean; max_expansions?: number; use_field?: string }
  | { rule: 'fuzzy'; term: string; prefix_length?: number; transpositions?: boolean; fuzziness?: Scalar; analyzer?: string; use_field?: string }
  | { rule: 'all_of'; intervals: IntervalsRule[]; max_gaps?: number; mode?: IntervalMode; ordered?: boolean; filter?: IntervalFilter }
  | { rule: 'any_of'; intervals: IntervalsRule[]; filter?: IntervalFilter };

export interface IntervalsQuery extends QueryCommon { type: 'intervals'; field: string; source: IntervalsRule }

/** `distance_feature`: boosts docs whose date or geo_point is near `origin` (score = boost · pivot / (pivot + distance)). */
export interface DistanceFeatureQuery extends QueryCommon {
  type: 'distance_feature';
  field: string;
  /** A date (math allowed) for dates; `[lon, lat]`, `"lat,lon"` or `{lat, lon}` for geo points. */
  origin: Scalar | number[] | Record<string, unknown>;
  /** A time value (`1h`) for dates, a distance (`1km`) for geo points. */
  pivot: string;
}

/** `span_term`: positions of one exact term. */
export interface SpanTermQuery extends QueryCommon { type: 'span_term'; field: string; value: Scalar }
/** `span_near`: clauses within `slop` positions of each other, in order unless `in_order: false`. */
export interface SpanNearQuery extends QueryCommon { type: 'span_near'; clauses: SpanQuery[]; slop?: number; in_order?: boolean }
export interface SpanOrQuery extends QueryCommon { type: 'span_or'; clauses: SpanQuery[] }
/** `span_first`: spans ending at or before position `end`. */
export interface SpanFirstQuery extends QueryCommon { type: 'span_first'; match: SpanQuery; end: number }
/** `span_multi`: a multi-term query (prefix, wildcard, regexp, fuzzy, range) as spans of its terms. */
export interface SpanMultiQuery extends QueryCommon { type: 'span_multi'; match: PrefixQuery | WildcardQuery | RegexpQuery | FuzzyQuery | RangeQuery }
/** `span_not`: `include` spans not overlapping an `exclude` span widened by `pre` / `post` (or `dist`). */
export interface SpanNotQuery extends QueryCommon { type: 'span_not'; include: SpanQuery; exclude: SpanQuery; pre?: number; post?: number; dist?: number }
export interface SpanContainingQuery extends QueryCommon { type: 'span_containing'; big: SpanQuery; little: SpanQuery }
export interface SpanWithinQuery extends QueryCommon { type: 'span_within'; big: SpanQuery; little: SpanQuery }
export interface FieldMaskingSpanQuery extends QueryCommon { type: 'field_masking_span'; query: SpanQuery; field: string }

/** The span family: queries over term positions that nest only in each other. */
export type SpanQuery =
  | SpanTermQuery | SpanNearQuery | SpanOrQuery | SpanFirstQuery | SpanMultiQuery | SpanNotQuery
  | SpanContainingQuery | SpanWithinQuery | FieldMaskingSpanQuery;

/** Every query Lookout understands: a discriminated union on `type`. */
export type Query =
  | MatchAllQuery | MatchNoneQuery | TermQuery | TermsQuery | RangeQuery | ExistsQuery | PrefixQuery
  | WildcardQuery | RegexpQuery | FuzzyQuery | IdsQuery | BoolQuery | ConstantScoreQuery | DisMaxQuery
  | BoostingQuery | MatchQuery | MatchPhraseQuery | MatchPhrasePrefixQuery | MatchBoolPrefixQuery
  | MultiMatchQuery | QueryStringQuery | SimpleQueryStringQuery | IntervalsQuery
  | DistanceFeatureQuery | SpanQuery;

export type QueryType = Query['type'];

/** Exhaustiveness guard for `switch (q.type)`. */
export function assertNever(x: never): never {
  throw new Error(`unhandled query ${JSON.stringify(x)}`);
}
