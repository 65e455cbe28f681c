// The query registry: wire JSON → typed Query (parseQuery) and back (renderQuery). One entry per
// query type; parseInner applies OpenSearch's envelope rules (`{type: {…}}`, exactly one key).

import { illegalArgument, parsingError } from '../errors.ts';
import { isObject, suggest, type ParseContext } from './parse-util.ts';
import { assertNever, type Query } from './query.ts';
import { parseBool, renderBool } from './bool-query.ts';
import { parseBoosting, renderBoosting } from './boosting-query.ts';
import { parseConstantScore, renderConstantScore } from './constant-score-query.ts';
import { parseDisMax, renderDisMax } from './dis-max-query.ts';
import { parseDistanceFeature, renderDistanceFeature } from './distance-feature-query.ts';
import { parseExists, renderExists } from './exists-query.ts';
import { parseFuzzy, renderFuzzy } from './fuzzy-query.ts';
import { parseIds, renderIds } from './ids-query.ts';
import { parseIntervals, renderIntervals } from './intervals-query.ts';
import { parseMatchAll, parseMatchNone, renderMatchAll } from './match-all-query.ts';
import { parseMatchBoolPrefix, renderMatchBoolPrefix } from './match-bool-prefix-query.ts';
import { parseMatchPhrase, parseMatchPhrasePrefix, renderMatchPhrase, renderMatchPhrasePrefix } from './match-phrase-query.ts';
import { parseMatch, renderMatch } from './match-query.ts';
import { parseMultiMatch, renderMultiMatch } from './multi-match-query.ts';
import { parsePrefix, renderPrefix } from './prefix-query.ts';
import { parseQueryString, renderQueryString } from './query-string-query.ts';
import { parseRange, renderRange } from './range-query.ts';
import { parseRegexp, renderRegexp } from './regexp-query.ts';
import { parseSimpleQueryString, renderSimpleQueryString } from './simple-query-string-query.ts';
import {
  parseFieldMaskingSpan, parseSpanContaining, parseSpanFirst, parseSpanMulti, parseSpanNear, parseSpanNot, parseSpanOr,
  parseSpanTerm, parseSpanWithin, renderSpan,
} from './span-query.ts';
import { parseTerm, renderTerm } from './term-query.ts';
import { parseTerms, renderTerms } from './terms-query.ts';
import { parseWildcard, renderWildcard } from './wildcard-query.ts';

type Parser = (body: Record<string, unknown>, ctx: ParseContext) => Query;

const PARSERS: Record<string, Parser> = {
  match_all: parseMatchAll,
  match_none: parseMatchNone,
  term: parseTerm,
  terms: parseTerms,
  range: parseRange,
  exists: parseExists,
  prefix: parsePrefix,
  wildcard: parseWildcard,
  regexp: parseRegexp,
  fuzzy: parseFuzzy,
  ids: parseIds,
  bool: parseBool,
  constant_score: parseConstantScore,
  dis_max: parseDisMax,
  boosting: parseBoosting,
  match: parseMatch,
  match_phrase: parseMatchPhrase,
  match_phrase_prefix: parseMatchPhrasePrefix,
  match_bool_prefix: parseMatchBoolPrefix,
  multi_match: parseMultiMatch,
  query_string: parseQueryString,
  simple_query_string: parseSimpleQueryString,
  intervals: parseIntervals,
  distance_feature: parseDistanceFeature,
  span_term: parseSpanTerm,
  span_near: parseSpanNear,
  span_or: parseSpanOr,
  span_first: parseSpanFirst,
  span_multi: parseSpanMulti,
  span_not: parseSpanNot,
  span_containing: parseSpanContaining,
  span_within: parseSpanWithin,
  field_masking_span: parseFieldMaskingSpan,
};

/** Query types OpenSearch 2.19 registers that Lookout does not execute (named in the error, not "unknown"). */
const UNSUPPORTED = [
  'nested', 'has_child', 'has_parent', 'parent_id', 'function_score', 'script', 'script_score', 'geo_distance',
  'geo_bounding_box', 'geo_polygon', 'geo_shape', 'more_like_this', 'wrapper', 'terms_set', 'common', 'percolate',
  'rank_feature', 'template', 'xy_shape', 'match_only_text',
];

const CTX: ParseContext = { parseInner };

/** Parses a query object (`{"match": {...}}`) into the typed tree; throws OpenSearch's parsing errors. */
export function parseQuery(json: unknown): Query {
  return parseInner(json);
}

/** Parses one query envelope, applying AbstractQueryBuilder.parseInnerQueryBuilder's rules. */
export function parseInner(json: unknown): Query {
  if (!isObject(json)) throw parsingError('[_na] query malformed, must start with start_object');
  const keys = Object.keys(json);
  if (keys.length === 0) throw illegalArgument('query malformed, empty clause found at [1:1]');
  const name = keys[0];
  const body = json[name];
  if (!isObject(body)) throw parsingError(`[${name}] query malformed, no start_object after query name`);
  const parser = PARSERS[name];
  if (!parser) {
    if (UNSUPPORTED.includes(name)) throw parsingError(`[${name}] query is not supported`);
    throw parsingError(`unknown query [${name}]${suggest(name, [...Object.keys(PARSERS), ...UNSUPPORTED])}`);
  }
  const q = parser(body, CTX);
  if (keys.length > 1) throw parsingError(`[${name}] malformed query, expected [END_OBJECT] but found [FIELD_NAME]`);
  return q;
}

/** Renders a typed query back to OpenSearch JSON (parse → render → parse is the identity). */
export function renderQuery(q: Query): Record<string, unknown> {
  return { [q.type]: renderBody(q) };
}

function renderBody(q: Query): Record<string, unknown> {
  switch (q.type) {
    case 'match_all':
    case 'match_none': return renderMatchAll(q);
    case 'term': return renderTerm(q);
    case 'terms': return renderTerms(q);
    case 'range': return renderRange(q);
    case 'exists': return renderExists(q);
    case 'prefix': return renderPrefix(q);
    case 'wildcard': return renderWildcard(q);
    case 'regexp': return renderRegexp(q);
    case 'fuzzy': return renderFuzzy(q);
    case 'ids': return renderIds(q);
    case 'bool': return renderBool(q);
    case 'constant_score': return renderConstantScore(q);
    case 'dis_max': return renderDisMax(q);
    case 'boosting': return renderBoosting(q);
    case 'match': return renderMatch(q);
    case 'match_phrase': return renderMatchPhrase(q);
    case 'match_phrase_prefix': return renderMatchPhrasePrefix(q);
    case 'match_bool_prefix': return renderMatchBoolPrefix(q);
    case 'multi_match': return renderMultiMatch(q);
    case 'query_string': return renderQueryString(q);
    case 'simple_query_string': return renderSimpleQueryString(q);
    case 'intervals': return renderIntervals(q);
    case 'distance_feature': return renderDistanceFeature(q);
    case 'span_term': case 'span_near': case 'span_or': case 'span_first': case 'span_multi': case 'span_not':
    case 'span_containing': case 'span_within': case 'field_masking_span':
      return renderSpan(q);
    default: return assertNever(q);
  }
}
