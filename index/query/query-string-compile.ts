// Compiles query_string and simple_query_string: parse the text (lucene-syntax.ts /
// simple-syntax.ts), then turn each leaf into match / phrase / wildcard / regexp / range / exists
// nodes over the target fields, combined per field with dis_max (tie_breaker) as OpenSearch does.

import { OpenSearchError } from '../errors.ts';
import type { FieldInfo } from '../mapping/field-types.ts';
import { mulBoost, queryShardError, type CompileContext } from './compile-context.ts';
import { allDocs, andNot, orAll } from './exec/bitmaps.ts';
import { BoolExec, DisMaxExec } from './exec/bool-exec.ts';
import { AllExec, ConstSetExec, NoneExec } from './exec/const-exec.ts';
import type { Exec } from './exec/exec.ts';
import { compileMatchField, compilePhraseField, compilePhrasePrefixField, type MatchSpec } from './full-text-compile.ts';
import { parseLuceneQuery, QuerySyntaxError, type QsNode } from './lucene-syntax.ts';
import { compileMetadataQuery, isMetadataField } from './metadata-compile.ts';
import { calculateMinShouldMatch } from './min-should-match.ts';
import { resolveFields, type WeightedField } from './multi-match-compile.ts';
import type { QueryStringQuery, SimpleQueryStringQuery } from './query.ts';
import { parseSimpleQuery } from './simple-syntax.ts';
import { checkRegexLength, compileExists, compilePattern, compileRange, regexpPattern, wildcardPattern } from './term-level-compile.ts';

interface QsOptions {
  defaultFields: string[];
  spec: MatchSpec;
  tie: number;
  allowLeadingWildcard: boolean;
  analyzeWildcard: boolean;
  timeZone?: string;
  phraseSlop: number;
  fuzzyPrefixLength?: number;
  fuzzyMaxExpansions?: number;
  fuzzyTranspositions?: boolean;
}

/** Compiles a query_string query. */
export function compileQueryString(c: CompileContext, q: QueryStringQuery, boost: number, scoring: boolean): Exec {
  const defaultAnd = q.default_operator?.toLowerCase() === 'and';
  let ast: QsNode;
  try {
    ast = parseLuceneQuery(q.query, defaultAnd);
  } catch (err) {
    if (!(err instanceof QuerySyntaxError)) throw err;
    throw queryShardError(c.shard, `Failed to parse query [${q.query}]`, new OpenSearchError('parse_exception', err.message, 400));
  }
  const opts: QsOptions = {
    defaultFields: q.fields ?? (q.default_field ? [q.default_field] : []),
    spec: { analyzer: q.analyzer, operator: q.default_operator, lenient: q.lenient, fuzziness: undefined },
    tie: Math.fround(q.tie_breaker ?? 0),
    allowLeadingWildcard: q.allow_leading_wildcard ?? true,
    analyzeWildcard: q.analyze_wildcard ?? false,
    timeZone: q.time_zone,
    phraseSlop: q.phrase_slop ?? 0,
    fuzzyPrefixLength: q.fuzzy_prefix_length,
    fuzzyMaxExpansions: q.fuzzy_max_expansions,
    fuzzyTranspositions: q.fuzzy_transpositions,
  };
  const root = compileNode(c, ast, opts, boost, scoring, q);
  return root;
}

function compileNode(c: CompileContext, n: QsNode, o: QsOptions, boost: number, scoring: boolean, q: QueryStringQuery | null): Exec {
  const b = mulBoost(boost, n.boost);
  switch (n.k) {
    case 'bool': {
      const must = n.clauses.filter((x) => x.occur === 'must').map((x) => compileNode(c, x.node, o, b, scoring, null));
      const should = n.clauses.filter((x) => x.occur === 'should').map((x) => compileNode(c, x.node, o, b, scoring, null));
      const mustNot = n.clauses.filter((x) => x.occur === 'must_not').map((x) => compileNode(c, x.node, o, 1, false, null));
      let msm = q ? calculateMinShouldMatch(should.length, q.minimum_should_match) : 0;
      if (must.length === 0 && should.length > 0) msm = Math.max(1, msm);
      if (must.length === 0 && should.length === 0) return new BoolExec([], [], [], mustNot, 0);
      return new BoolExec(must, [], should, mustNot, msm);
    }
    case 'all': return new AllExec(b);
    case 'exists': return compileExists(c, { type: 'exists', field: n.field }, b);
    default: {
      // The regex length guard applies before field expansion and is never lenient.
      if (n.k === 'regexp') checkRegexLength(c, n.text);
      if (n.field !== undefined && isMetadataField(n.field)) return compileMetadataQuery(c, metadataLeaf(n, n.field), b);
      const fields = fieldsFor(c, n.field, o);
      const parts = fields.map((f) => leaf(c, n, f, o, mulBoost(b, f.boost), scoring)).filter((e) => !(e instanceof NoneExec));
      if (parts.length === 0) return new NoneExec();
      return parts.length === 1 ? parts[0] : new DisMaxExec(parts, o.tie);
    }
  }
}

/** A query-string leaf on a metadata field (`_id:1`, `_index:logs*`) as the equivalent term-level query. */
function metadataLeaf(n: Exclude<QsNode, { k: 'bool' | 'all' | 'exists' }>, field: string): Parameters<typeof compileMetadataQuery>[1] {
  switch (n.k) {
    case 'term':
    case 'phrase': return { type: 'term', field, value: n.text };
    case 'wildcard': return { type: 'wildcard', field, value: n.text };
    case 'regexp': return { type: 'regexp', field, value: n.text };
    case 'range': return { type: 'range', field, from: n.lower, to: n.upper, include_lower: n.incLo, include_upper: n.incHi };
  }
}

function fieldsFor(c: CompileContext, field: string | undefined, o: QsOptions): WeightedField[] {
  return resolveFields(c, field !== undefined ? [field] : o.defaultFields).fields;
}

function leaf(c: CompileContext, n: Exclude<QsNode, { k: 'bool' | 'all' | 'exists' }>, f: WeightedField, o: QsOptions, boost: number, scoring: boolean): Exec {
  const info = f.info;
  const lenient = o.spec.lenient ?? (o.defaultFields.length === 0 || o.defaultFields.some((x) => x.includes('*')));
  try {
    switch (n.k) {
      case 'term':
        return compileMatchField(c, info, n.text, {
          ...o.spec, lenient, fuzziness: n.fuzzy, prefixLength: o.fuzzyPrefixLength, maxExpansions: o.fuzzyMaxExpansions, transpositions: o.fuzzyTranspositions,
        }, boost, scoring);
      case 'phrase':
        return compilePhraseField(c, info, n.text, { ...o.spec, lenient, slop: n.slop ?? o.phraseSlop }, boost, scoring);
      case 'wildcard': {
        if (!o.allowLeadingWildcard && /^[*?]/.test(n.text)) {
          throw queryShardError(c.shard, `Failed to parse query [${n.text}]`, new OpenSearchError('parse_exception', `Cannot parse '${n.text}': '*' or '?' not allowed as first character in WildcardQuery`, 400));
        }
        if (info.storage !== 'text' && info.storage !== 'keyword') return lenient ? new NoneExec() : compilePattern(c, 'wildcard', info, '', boost);
        if (o.analyzeWildcard && info.storage === 'text' && /^[^*?\\]+\*$/.test(n.text)) {
          return compilePhrasePrefixField(c, info, n.text.slice(0, -1), { ...o.spec, maxExpansions: o.fuzzyMaxExpansions }, boost, scoring);
        }
        return compilePattern(c, 'wildcard', info, wildcardPattern(normalizeTerm(c, info, n.text)), boost);
      }
      case 'regexp':
        if (info.storage !== 'text' && info.storage !== 'keyword') return lenient ? new NoneExec() : compilePattern(c, 'regexp', info, '', boost);
        return compilePattern(c, 'regexp', info, regexpPattern(normalizeTerm(c, info, n.text)), boost);
      case 'range':
        return compileRange(c, { type: 'range', field: info.path, from: n.lower, to: n.upper, include_lower: n.incLo, include_upper: n.incHi, time_zone: o.timeZone }, info, boost);
    }
  } catch (err) {
    if (lenient) return new NoneExec();
    throw err;
  }
}

/** Wildcard and regexp terms are normalized (lower-cased for text), never tokenized. */
function normalizeTerm(c: CompileContext, info: FieldInfo, text: string): string {
  if (info.storage === 'keyword') return info.normalizer ? c.shard.analyzers.normalize(info, text) : text;
  const a = c.shard.analyzers.searchAnalyzer(info);
  return a.normalize ? a.normalize(text) : text.toLowerCase();
}

/** Compiles a simple_query_string query (never fails on syntax). */
export function compileSimpleQueryString(c: CompileContext, q: SimpleQueryStringQuery, boost: number, scoring: boolean): Exec {
  const ast = parseSimpleQuery(q.query, q.default_operator?.toLowerCase() === 'and', q.flags);
  const lenient = q.lenient ?? (q.fields === undefined || q.fields.some((x) => x.includes('*')));
  const opts: QsOptions = {
    defaultFields: q.fields ?? [],
    spec: { analyzer: q.analyzer, lenient },
    tie: 1,
    allowLeadingWildcard: true,
    analyzeWildcard: q.analyze_wildcard ?? false,
    phraseSlop: 0,
    fuzzyPrefixLength: q.fuzzy_prefix_length,
    fuzzyMaxExpansions: q.fuzzy_max_expansions,
    fuzzyTranspositions: q.fuzzy_transpositions,
  };
  const fakeQs = { minimum_should_match: q.minimum_should_match } as QueryStringQuery;
  return compileNode(c, ast, opts, boost, scoring, fakeQs);
}

export { allDocs, andNot, orAll, ConstSetExec };
