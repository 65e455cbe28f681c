// Compiles span queries for one shard onto the interval engine: span_near is an ordered (or
// unordered) combination with at most `slop` gaps, span_first an end limit, span_not / containing /
// within interval filters, span_multi a term-dictionary expansion. Scores are BM25 over the sloppy
// frequency with the summed idf of every term involved, as Lucene's SpanWeight computes them.

import { illegalArgument } from '../errors.ts';
import type { FieldInfo } from '../mapping/field-types.ts';
import { bm25For, failedToCreate, type CompileContext } from './compile-context.ts';
import { NoneExec } from './exec/const-exec.ts';
import type { Exec } from './exec/exec.ts';
import { IntervalsExec, type IntervalSource } from './exec/intervals-exec.ts';
import { boundedDistance, maxEdits, regexpPattern, wildcardPattern } from './exec/patterns.ts';
import { selectOrds, type TermSelection } from './exec/term-dict.ts';
import type { SpanMultiQuery, SpanQuery } from './query.ts';

/** BooleanQuery's max clause count: the most terms a span_multi may expand to. */
const MAX_CLAUSES = 1024;

/** A span compiled to an interval source: the field it reports (masked or real) and its terms (for idf). */
interface SpanPlan {
  field: string;
  source: IntervalSource;
  terms: Set<string>;
}

/** Any span query (unmapped fields match nothing). */
export function compileSpan(c: CompileContext, q: SpanQuery, boost: number, scoring: boolean): Exec {
  let plan: SpanPlan;
  try {
    plan = spanPlan(c, q);
  } catch (err) {
    throw failedToCreate(c.shard, err);
  }
  if (plan.source.kind === 'none') return new NoneExec();
  const bm25 = scoring ? bm25For(c.shard, plan.field, [...plan.terms], boost) : null;
  return new IntervalsExec(plan.source, bm25 ? { kind: 'bm25', bm25, field: plan.field } : null);
}

const NONE: IntervalSource = { kind: 'none' };

function spanPlan(c: CompileContext, q: SpanQuery): SpanPlan {
  switch (q.type) {
    case 'span_term': {
      const info = c.shard.mapping.field(q.field);
      if (!info) return { field: q.field, source: NONE, terms: new Set() };
      const term = info.storage === 'keyword' && info.normalizer ? c.shard.analyzers.normalize(info, String(q.value)) : String(q.value);
      return { field: info.path, source: { kind: 'terms', field: info.path, terms: [term] }, terms: new Set([term]) };
    }
    case 'span_multi': return multiPlan(c, q);
    case 'span_near': {
      const parts = sameField(q.clauses.map((x) => spanPlan(c, x)));
      const slop = q.slop ?? 0;
      const subs = parts.map((p) => p.source);
      const inner: IntervalSource = subs.length === 1 ? subs[0] : { kind: q.in_order === false ? 'unordered' : 'ordered', subs };
      return { field: parts[0].field, source: subs.length === 1 ? inner : { kind: 'maxgaps', maxGaps: slop, sub: inner }, terms: union(parts) };
    }
    case 'span_or': {
      const parts = sameField(q.clauses.map((x) => spanPlan(c, x)));
      return { field: parts[0].field, source: { kind: 'or', subs: parts.map((p) => p.source) }, terms: union(parts) };
    }
    case 'span_first': {
      const inner = spanPlan(c, q.match);
      return { ...inner, source: { kind: 'first', end: q.end, sub: inner.source } };
    }
    case 'span_not': {
      const [include, exclude] = sameField([spanPlan(c, q.include), spanPlan(c, q.exclude)]);
      const pre = Math.max(0, q.dist ?? q.pre ?? 0);
      const post = Math.max(0, q.dist ?? q.post ?? 0);
      // An exclude span within `pre` positions before or `post` after an include span removes it.
      const widened: IntervalSource = pre === 0 && post === 0 ? exclude.source : { kind: 'extend', before: post, after: pre, sub: exclude.source };
      return { ...include, source: { kind: 'filter', op: 'not_overlapping', sub: include.source, filter: widened } };
    }
    case 'span_containing': {
      const [big, little] = sameField([spanPlan(c, q.big), spanPlan(c, q.little)]);
      return { field: big.field, source: { kind: 'filter', op: 'containing', sub: big.source, filter: little.source }, terms: union([big, little]) };
    }
    case 'span_within': {
      const [big, little] = sameField([spanPlan(c, q.big), spanPlan(c, q.little)]);
      return { field: little.field, source: { kind: 'filter', op: 'contained_by', sub: little.source, filter: big.source }, terms: union([big, little]) };
    }
    case 'field_masking_span': {
      const inner = spanPlan(c, q.query);
      return { ...inner, field: q.field };
    }
  }
}

/** Lucene requires every clause of a span combination to report the same field. */
function sameField(parts: SpanPlan[]): SpanPlan[] {
  if (parts.some((p) => p.field !== parts[0].field)) throw illegalArgument('Clauses must have same field.');
  return parts;
}

function union(parts: SpanPlan[]): Set<string> {
  return new Set(parts.flatMap((p) => [...p.terms]));
}

/** span_multi: the wrapped multi-term query's terms across the shard, as one span source. */
function multiPlan(c: CompileContext, q: SpanMultiQuery): SpanPlan {
  const m = q.match;
  const info = c.shard.mapping.field(m.field);
  if (!info) return { field: m.field, source: NONE, terms: new Set() };
  if (info.storage !== 'text' && info.storage !== 'keyword') {
    throw illegalArgument(`Can only use span_multi queries on keyword and text fields - not on [${m.field}] which is of type [${info.type}]`);
  }
  const select = selection(c, info, m);
  const terms = new Set<string>();
  for (const seg of c.shard.segments) {
    const inv = seg.inverted.get(info.path);
    if (inv) for (const o of selectOrds(seg, info.path, select)) terms.add(inv.terms[o]);
  }
  if (terms.size > MAX_CLAUSES) throw illegalArgument(`maxClauseCount is set to ${MAX_CLAUSES}`);
  return { field: info.path, source: { kind: 'terms', field: info.path, terms: [...terms] }, terms };
}

function selection(c: CompileContext, info: FieldInfo, m: SpanMultiQuery['match']): TermSelection {
  const norm = (v: string) => (info.storage === 'keyword' && info.normalizer ? c.shard.analyzers.normalize(info, v) : v);
  switch (m.type) {
    case 'prefix': {
      if (!m.case_insensitive) return { prefix: norm(m.value) };
      const p = norm(m.value).toLowerCase();
      return { accept: (t) => t.toLowerCase().startsWith(p) };
    }
    case 'wildcard': {
      const p = wildcardPattern(norm(m.value), m.case_insensitive);
      return { prefix: p.prefix, accept: p.test };
    }
    case 'regexp': {
      const p = regexpPattern(m.value, m.flags, m.case_insensitive, m.max_determinized_states);
      return { prefix: p.prefix, accept: p.test };
    }
    case 'fuzzy': {
      const term = norm(String(m.value));
      const edits = maxEdits(m.fuzziness ?? 'AUTO', term);
      const transpositions = m.transpositions ?? true;
      return { prefix: [...term].slice(0, m.prefix_length ?? 0).join(''), accept: (t) => boundedDistance(term, t, edits, transpositions) <= edits };
    }
    case 'range': {
      const has = (v: unknown) => v !== undefined && v !== null;
      return {
        lower: has(m.from) ? norm(String(m.from)) : undefined, lowerInclusive: m.include_lower !== false,
        upper: has(m.to) ? norm(String(m.to)) : undefined, upperInclusive: m.include_upper !== false,
      };
    }
  }
}
