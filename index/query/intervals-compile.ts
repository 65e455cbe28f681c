// Compiles an `intervals` query for one shard: analyzes `match` texts, normalizes prefix / wildcard /
// fuzzy terms, and turns modes, max_gaps and filters into the interval-source tree that
// exec/intervals-exec.ts evaluates — the way OpenSearch's IntervalBuilder composes Lucene's Intervals.

import type { Analyzer } from '../analysis/analyzer.ts';
import { illegalArgument } from '../errors.ts';
import type { FieldInfo } from '../mapping/field-types.ts';
import { failedToCreate, isText, type CompileContext } from './compile-context.ts';
import { NoneExec } from './exec/const-exec.ts';
import type { Exec } from './exec/exec.ts';
import { IntervalsExec, type IntervalSource } from './exec/intervals-exec.ts';
import { boundedDistance, maxEdits, regexpPattern, wildcardPattern } from './exec/patterns.ts';
import { byPosition } from './full-text-compile.ts';
import { modeOf } from './intervals-query.ts';
import type { IntervalFilter, IntervalMode, IntervalsQuery, IntervalsRule } from './query.ts';

/** Lucene's default limit on the terms a multi-term interval source may expand to. */
const DEFAULT_MAX_EXPANSIONS = 128;
/** BooleanQuery's max clause count, the ceiling for an explicit `max_expansions`. */
const MAX_CLAUSE_COUNT = 1024;
const NONE: IntervalSource = { kind: 'none' };

/** `intervals` on a text field (unmapped fields match nothing). */
export function compileIntervals(c: CompileContext, q: IntervalsQuery, boost: number, scoring: boolean): Exec {
  const info = c.shard.mapping.field(q.field);
  if (!info) return new NoneExec();
  try {
    checkPositions(info);
    return new IntervalsExec(ruleSource(c, info, q.source), scoring ? { kind: 'saturation', boost } : null);
  } catch (err) {
    throw failedToCreate(c.shard, err);
  }
}

function checkPositions(info: FieldInfo): void {
  if (!isText(info)) {
    throw illegalArgument(`Can only use interval queries on text fields - not on [${info.path}] which is of type [${info.type}]`);
  }
  if (info.indexOptions === 'docs' || info.indexOptions === 'freqs') {
    throw illegalArgument(`Cannot create intervals over field [${info.path}] with no positions indexed`);
  }
}

/** The field a rule reads: `use_field` when given (Lucene's fixField), else the query's field. */
function fieldFor(c: CompileContext, info: FieldInfo, useField: string | undefined): FieldInfo | undefined {
  if (useField === undefined) return info;
  const other = c.shard.mapping.field(useField);
  if (other) checkPositions(other);
  return other;
}

function analyzerFor(c: CompileContext, info: FieldInfo, name: string | undefined): Analyzer {
  return name ? c.shard.analyzers.named(name) : c.shard.analyzers.searchAnalyzer(info);
}

function normalize(a: Analyzer, text: string): string {
  return a.normalize ? a.normalize(text) : text;
}

function maxExpansions(n: number | undefined): number {
  if (n === undefined || n <= 0) return DEFAULT_MAX_EXPANSIONS;
  if (n > MAX_CLAUSE_COUNT) throw illegalArgument(`maxExpansions [${n}] must be less than or equal to [${MAX_CLAUSE_COUNT}]`);
  return n;
}

function ruleSource(c: CompileContext, info: FieldInfo, r: IntervalsRule): IntervalSource {
  switch (r.rule) {
    case 'match': {
      const f = fieldFor(c, info, r.use_field);
      if (!f) return NONE;
      const tokens = byPosition(analyzerFor(c, f, r.analyzer).analyze(r.query));
      let prev = -1;
      const parts: IntervalSource[] = tokens.map((t) => {
        // A hole left by removed tokens widens the next term leftwards, so phrases keep their shape.
        const holes = t.position - prev - 1;
        prev = t.position;
        const term: IntervalSource = { kind: 'terms', field: f.path, terms: t.terms };
        return holes > 0 ? { kind: 'extend', before: holes, after: 0, sub: term } : term;
      });
      return withFilter(c, info, combine(parts, r.max_gaps ?? -1, modeOf(r)), r.filter);
    }
    case 'all_of':
      return withFilter(c, info, combine(r.intervals.map((x) => ruleSource(c, info, x)), r.max_gaps ?? -1, modeOf(r)), r.filter);
    case 'any_of': {
      const subs = r.intervals.map((x) => ruleSource(c, info, x));
      return withFilter(c, info, subs.length === 1 ? subs[0] : { kind: 'or', subs }, r.filter);
    }
    case 'prefix': {
      const f = fieldFor(c, info, r.use_field);
      if (!f) return NONE;
      const p = normalize(analyzerFor(c, f, r.analyzer), r.prefix);
      return { kind: 'multi', field: f.path, select: { prefix: p }, label: `${p}*`, maxExpansions: DEFAULT_MAX_EXPANSIONS };
    }
    case 'wildcard': {
      const f = fieldFor(c, info, r.use_field);
      if (!f) return NONE;
      const p = normalize(analyzerFor(c, f, r.analyzer), r.pattern);
      const pat = wildcardPattern(p);
      return { kind: 'multi', field: f.path, select: { prefix: pat.prefix, accept: pat.test }, label: p, maxExpansions: maxExpansions(r.max_expansions) };
    }
    case 'regexp': {
      const f = fieldFor(c, info, r.use_field);
      if (!f) return NONE;
      const pat = regexpPattern(r.pattern, r.flags, r.case_insensitive);
      return { kind: 'multi', field: f.path, select: { prefix: pat.prefix, accept: pat.test }, label: r.pattern, maxExpansions: maxExpansions(r.max_expansions) };
    }
    case 'fuzzy': {
      const f = fieldFor(c, info, r.use_field);
      if (!f) return NONE;
      const term = normalize(analyzerFor(c, f, r.analyzer), r.term);
      const edits = maxEdits(r.fuzziness ?? 'AUTO', term);
      const prefix = [...term].slice(0, r.prefix_length ?? 0).join('');
      const transpositions = r.transpositions ?? true;
      return {
        kind: 'multi', field: f.path, label: r.term, maxExpansions: DEFAULT_MAX_EXPANSIONS,
        select: { prefix, accept: (t) => boundedDistance(term, t, edits, transpositions) <= edits },
      };
    }
  }
}

function withFilter(c: CompileContext, info: FieldInfo, src: IntervalSource, filter: IntervalFilter | undefined): IntervalSource {
  if (!filter) return src;
  return { kind: 'filter', op: filter.kind, sub: src, filter: ruleSource(c, info, filter.rule) };
}

/**
 * IntervalBuilder.combineSources: one part stands alone; ordered with max_gaps 0 is a phrase;
 * unordered_no_overlap pairs parts left to right, applying max_gaps at every level.
 */
function combine(parts: IntervalSource[], maxGaps: number, mode: IntervalMode): IntervalSource {
  if (parts.length === 0) return NONE;
  if (parts.length === 1) return parts[0];
  if (mode === 'ordered' && maxGaps === 0) return { kind: 'phrase', subs: parts };
  const gapped = (s: IntervalSource): IntervalSource => (maxGaps === -1 ? s : { kind: 'maxgaps', maxGaps, sub: s });
  if (mode === 'ordered') return gapped({ kind: 'ordered', subs: parts });
  if (mode === 'unordered') return gapped(unordered(parts));
  let acc = parts[0];
  for (let i = 1; i < parts.length; i++) acc = gapped(noOverlap(acc, parts[i]));
  return acc;
}

/**
 * Lucene's unordered(…): identical parts must match distinct positions, so a part repeated n times
 * becomes n successive intervals of it (RepeatingIntervalsSource); different parts may overlap.
 */
function unordered(parts: IntervalSource[]): IntervalSource {
  const groups = new Map<string, { source: IntervalSource; n: number }>();
  for (const p of parts) {
    const key = JSON.stringify(p);
    const g = groups.get(key);
    if (g) g.n++;
    else groups.set(key, { source: p, n: 1 });
  }
  const subs = [...groups.values()].map(({ source, n }): IntervalSource => (n === 1 ? source : { kind: 'repeat', n, sub: source }));
  return subs.length === 1 ? subs[0] : { kind: 'unordered', subs };
}

/** Lucene's unorderedNoOverlaps(a, b): a then b, or b then a. */
function noOverlap(a: IntervalSource, b: IntervalSource): IntervalSource {
  return { kind: 'or', subs: [{ kind: 'ordered', subs: [a, b] }, { kind: 'ordered', subs: [b, a] }] };
}
