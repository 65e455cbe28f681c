// Query → executable tree for one shard (OpenSearch's per-shard rewrite + toQuery): resolves fields
// against the mapping (unmapped fields match nothing), propagates boosts the way Lucene folds them
// into weights, and exposes matches/scorers per segment with deletes removed.

import type { Bitmap, Segment } from '../segment/segment.ts';
import type { ShardSearchContext } from '../search/shard-context.ts';
import { mulBoost, type CompileContext } from './compile-context.ts';
import { andNot, temporary } from './exec/bitmaps.ts';
import { BoolExec, BoostingExec, DisMaxExec } from './exec/bool-exec.ts';
import { AllExec, ConstWrapExec, NoneExec } from './exec/const-exec.ts';
import type { Exec, SegmentScorer } from './exec/exec.ts';
import { compileBoolPrefixField, compileMatchField, compilePhraseField, compilePhrasePrefixField } from './full-text-compile.ts';
import { compileMetadataQuery, isMetadataField } from './metadata-compile.ts';
import { calculateMinShouldMatch } from './min-should-match.ts';
import { compileDistanceFeature } from './distance-feature-compile.ts';
import { compileSpan } from './span-compile.ts';
import { compileIntervals } from './intervals-compile.ts';
import { collectNamedQueries } from './named-queries.ts';
import { compileMultiMatch } from './multi-match-compile.ts';
import { assertNever, type BoolQuery, type Query } from './query.ts';
import { compileQueryString, compileSimpleQueryString } from './query-string-compile.ts';
import {
  checkRegexLength, compileExists, compileFuzzy, compileIds, compilePattern, compileRange, compileTerm, compileTerms, regexpPattern, wildcardPattern,
} from './term-level-compile.ts';

/** A query compiled for one shard. */
export interface CompiledQuery {
  /** Matching docs of segment `segOrd` with deleted docs removed (a new bitmap: callers may mutate it). */
  matches(seg: Segment, segOrd: number): Bitmap;
  /** A scorer over the segment's docs (scores 0 when compiled without scores). */
  scorer(seg: Segment, segOrd: number): SegmentScorer;
  /** The executable root (for the query phase). */
  readonly root: Exec;
  /** `_name`d sub-queries, each compiled on its own (for `matched_queries`). */
  readonly named: Array<{ name: string; query: CompiledQuery }>;
}

/** Compiles a parsed query against a shard. `needsScores: false` builds cheaper non-scoring nodes. */
export function compileQuery(q: Query, ctx: ShardSearchContext, opts: { needsScores: boolean }): CompiledQuery {
  const c: CompileContext = { shard: ctx, build: (child, boost, scoring) => build(c, child, boost, scoring) };
  const root = build(c, q, 1, opts.needsScores);
  // A named root is the query itself; named sub-queries compile lazily, only if a hit is probed.
  let named: CompiledQuery['named'] | undefined;
  const self: CompiledQuery = {
    root,
    get named() {
      if (!named) {
        named = collectNamedQueries(q).map((n) => ({
          name: n.name,
          query: n.query === q && opts.needsScores ? self : compileQuery(n.query, ctx, { needsScores: true }),
        }));
      }
      return named;
    },
    matches(seg) {
      const m = root.matches(seg);
      return seg.deletes && seg.deletes.size > 0 ? andNot(m, seg.deletes) : temporary(m.clone());
    },
    scorer(seg) {
      return root.scorer(seg);
    },
  };
  return self;
}

function build(c: CompileContext, q: Query, parentBoost: number, scoring: boolean): Exec {
  const boost = mulBoost(parentBoost, q.boost);
  const field = (name: string) => c.shard.mapping.field(name);
  if ('field' in q && METADATA_QUERY_TYPES.has(q.type) && isMetadataField(q.field)) return compileMetadataQuery(c, q, boost);
  switch (q.type) {
    case 'match_all': return new AllExec(boost);
    case 'match_none': return new NoneExec();
    case 'term': { const i = field(q.field); return i ? compileTerm(c, q, i, boost, scoring) : new NoneExec(); }
    case 'terms': { const i = field(q.field); return i ? compileTerms(c, q, i, boost) : new NoneExec(); }
    case 'range': { const i = field(q.field); return i ? compileRange(c, q, i, boost) : new NoneExec(); }
    case 'exists': return compileExists(c, q, boost);
    case 'prefix': {
      const i = field(q.field);
      if (!i) return new NoneExec();
      const v = i.storage === 'keyword' && i.normalizer ? c.shard.analyzers.normalize(i, q.value) : q.value;
      return compilePattern(c, 'prefix', i, q.case_insensitive ? wildcardPattern(escapeWildcard(v) + '*', true) : v, boost);
    }
    case 'wildcard': {
      const i = field(q.field);
      if (!i) return new NoneExec();
      const v = i.storage === 'keyword' && i.normalizer ? c.shard.analyzers.normalize(i, q.value) : q.value;
      return compilePattern(c, 'wildcard', i, wildcardPattern(v, q.case_insensitive), boost);
    }
    case 'regexp': {
      checkRegexLength(c, q.value);
      const i = field(q.field);
      if (!i) return new NoneExec();
      return compilePattern(c, 'regexp', i, regexpPattern(q.value, q.flags, q.case_insensitive, q.max_determinized_states), boost);
    }
    case 'fuzzy': { const i = field(q.field); return i ? compileFuzzy(c, q, i, boost, scoring) : new NoneExec(); }
    case 'ids': return compileIds(q, boost);
    case 'bool': return compileBool(c, q, boost, scoring);
    case 'constant_score': return new ConstWrapExec(build(c, q.filter, 1, false), boost);
    case 'dis_max': return new DisMaxExec(q.queries.map((x) => build(c, x, boost, scoring)), Math.fround(q.tie_breaker ?? 0));
    case 'boosting':
      return new BoostingExec(build(c, q.positive, boost, scoring), build(c, q.negative, 1, false), q.negative_boost);
    case 'match': {
      const i = field(q.field);
      if (!i) return new NoneExec();
      return compileMatchField(c, i, q.query, {
        analyzer: q.analyzer, operator: q.operator, minimumShouldMatch: q.minimum_should_match, fuzziness: q.fuzziness,
        prefixLength: q.prefix_length, maxExpansions: q.max_expansions, transpositions: q.fuzzy_transpositions,
        lenient: q.lenient, zeroTermsQuery: q.zero_terms_query,
      }, boost, scoring);
    }
    case 'match_phrase': {
      const i = field(q.field);
      return i ? compilePhraseField(c, i, q.query, { analyzer: q.analyzer, slop: q.slop, zeroTermsQuery: q.zero_terms_query }, boost, scoring) : new NoneExec();
    }
    case 'match_phrase_prefix': {
      const i = field(q.field);
      return i ? compilePhrasePrefixField(c, i, q.query, { analyzer: q.analyzer, slop: q.slop, maxExpansions: q.max_expansions, zeroTermsQuery: q.zero_terms_query }, boost, scoring) : new NoneExec();
    }
    case 'match_bool_prefix': {
      const i = field(q.field);
      return i ? compileBoolPrefixField(c, i, q.query, {
        analyzer: q.analyzer, operator: q.operator, minimumShouldMatch: q.minimum_should_match, fuzziness: q.fuzziness,
        prefixLength: q.prefix_length, maxExpansions: q.max_expansions, transpositions: q.fuzzy_transpositions,
      }, boost, scoring) : new NoneExec();
    }
    case 'multi_match': return compileMultiMatch(c, q, boost, scoring);
    case 'query_string': return compileQueryString(c, q, boost, scoring);
    case 'simple_query_string': return compileSimpleQueryString(c, q, boost, scoring);
    case 'intervals': return compileIntervals(c, q, boost, scoring);
    case 'distance_feature': return compileDistanceFeature(c, q, boost, scoring);
    case 'span_term': case 'span_near': case 'span_or': case 'span_first': case 'span_multi': case 'span_not':
    case 'span_containing': case 'span_within': case 'field_masking_span':
      return compileSpan(c, q, boost, scoring);
    default: return assertNever(q);
  }
}

/** Query types that metadata-compile.ts answers for metadata fields. */
const METADATA_QUERY_TYPES = new Set<Query['type']>(['term', 'terms', 'range', 'exists', 'prefix', 'wildcard', 'regexp', 'match']);

function escapeWildcard(s: string): string {
  return s.replace(/[*?\\]/g, '\\$&');
}

/** bool: OpenSearch's rewrite (empty → match_all; a mandatory match_none → match_none) then Lucene semantics. */
function compileBool(c: CompileContext, q: BoolQuery, boost: number, scoring: boolean): Exec {
  if (q.must.length + q.filter.length + q.should.length + q.must_not.length === 0) return new AllExec(boost);
  const must = q.must.map((x) => c.build(x, boost, scoring));
  const filter = q.filter.map((x) => c.build(x, 1, false));
  const should = q.should.map((x) => c.build(x, boost, scoring));
  const mustNot = q.must_not.map((x) => c.build(x, 1, false));
  if ([...must, ...filter].some((e) => e instanceof NoneExec)) return new NoneExec();
  const required = must.length + filter.length;
  let msm = calculateMinShouldMatch(should.length, q.minimum_should_match);
  // Without required clauses at least one should clause must match (Lucene's pure disjunction).
  if (required === 0 && should.length > 0) msm = Math.max(1, msm);
  if (msm > should.length) return new NoneExec();
  return new BoolExec(must, filter, should, mustNot, msm);
}
