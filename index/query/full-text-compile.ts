// Compiles the match family — match, match_phrase, match_phrase_prefix, match_bool_prefix — for
// one field: analysis with the search (or quote, or named) analyzer, then term / fuzzy / phrase
// nodes combined as OpenSearch's MatchQuery builds them. multi_match-compile.ts combines fields.

import type { Analyzer, Token } from '../analysis/analyzer.ts';
import type { FieldInfo } from '../mapping/field-types.ts';
import { bm25For, failedToCreate, queryShardError, type CompileContext } from './compile-context.ts';
import { BoolExec } from './exec/bool-exec.ts';
import { AllExec, ConstSetExec, NoneExec } from './exec/const-exec.ts';
import type { Exec } from './exec/exec.ts';
import { PhraseExec, type PhraseSlot } from './exec/phrase-exec.ts';
import { selectBitmap, selectOrds } from './exec/term-dict.ts';
import { TermExec } from './exec/term-exec.ts';
import { calculateMinShouldMatch } from './min-should-match.ts';
import type { Scalar } from './query.ts';
import { compileFuzzyTerm, compileTerm } from './term-level-compile.ts';

/** Options of one field's match, after multi_match/query_string resolved them. */
export interface MatchSpec {
  analyzer?: string;
  operator?: string;
  minimumShouldMatch?: Scalar;
  fuzziness?: Scalar;
  prefixLength?: number;
  maxExpansions?: number;
  transpositions?: boolean;
  lenient?: boolean;
  zeroTermsQuery?: string;
  slop?: number;
}

function analyzerFor(c: CompileContext, info: FieldInfo, spec: MatchSpec, quoted: boolean): Analyzer {
  if (spec.analyzer) return c.shard.analyzers.named(spec.analyzer);
  return quoted ? c.shard.analyzers.searchQuoteAnalyzer(info) : c.shard.analyzers.searchAnalyzer(info);
}

function zeroTerms(spec: MatchSpec, boost: number): Exec {
  return spec.zeroTermsQuery?.toLowerCase() === 'all' ? new AllExec(boost) : new NoneExec();
}

/** Non-text fields: a match is a term query on the field's type (lenient turns bad values into no match). */
function nonTextMatch(c: CompileContext, info: FieldInfo, text: Scalar, spec: MatchSpec, boost: number, scoring: boolean): Exec {
  if (info.storage === 'none') return new NoneExec();
  try {
    if (spec.fuzziness !== undefined && info.storage === 'keyword' && info.type !== 'ip') {
      return compileFuzzyTerm(c, info, String(text), { fuzziness: spec.fuzziness, prefixLength: spec.prefixLength, maxExpansions: spec.maxExpansions, transpositions: spec.transpositions }, boost, scoring);
    }
    return compileTerm(c, { type: 'term', field: info.path, value: text }, info, boost, scoring);
  } catch (err) {
    if (spec.lenient) return new NoneExec();
    throw err;
  }
}

/** Tokens grouped by position (several at one position are synonyms). */
export function byPosition(tokens: Token[]): Array<{ position: number; terms: string[] }> {
  const out: Array<{ position: number; terms: string[] }> = [];
  for (const t of tokens) {
    const last = out[out.length - 1];
    if (last && last.position === t.position) {
      if (!last.terms.includes(t.term)) last.terms.push(t.term);
    } else out.push({ position: t.position, terms: [t.term] });
  }
  return out;
}

/** One analyzed term (or synonym group) as a scoring clause. */
function termClause(c: CompileContext, info: FieldInfo, terms: string[], spec: MatchSpec, boost: number, scoring: boolean): Exec {
  const one = (t: string): Exec =>
    spec.fuzziness !== undefined
      ? compileFuzzyTerm(c, info, t, { fuzziness: spec.fuzziness, prefixLength: spec.prefixLength, maxExpansions: spec.maxExpansions, transpositions: spec.transpositions }, boost, scoring)
      : new TermExec(info.path, t, scoring ? bm25For(c.shard, info.path, [t], boost) : null);
  if (terms.length === 1) return one(terms[0]);
  return new BoolExec([], [], terms.map(one), [], 1);
}

/** Combines clauses with operator / minimum_should_match as MatchQuery's boolean builder does. */
export function combine(clauses: Exec[], operator: string | undefined, msm: Scalar | undefined): Exec {
  if (clauses.length === 1) return clauses[0];
  if (operator?.toLowerCase() === 'and') return new BoolExec(clauses, [], [], [], 0);
  const n = Math.max(1, calculateMinShouldMatch(clauses.length, msm));
  return new BoolExec([], [], clauses, [], n);
}

/** `match` on one field. */
export function compileMatchField(c: CompileContext, info: FieldInfo, text: Scalar, spec: MatchSpec, boost: number, scoring: boolean): Exec {
  if (info.storage !== 'text') return nonTextMatch(c, info, text, spec, boost, scoring);
  const groups = byPosition(analyzerFor(c, info, spec, false).analyze(String(text)));
  if (groups.length === 0) return zeroTerms(spec, boost);
  return combine(groups.map((g) => termClause(c, info, g.terms, spec, boost, scoring)), spec.operator, spec.minimumShouldMatch);
}

function requirePositions(c: CompileContext, info: FieldInfo, text: string): void {
  if (info.indexOptions === 'docs' || info.indexOptions === 'freqs') {
    throw queryShardError(c.shard, `failed to create query: field:[${info.path}] was indexed without position data; cannot run PhraseQuery (phrase=${info.path}:"${text}")`);
  }
}

/** `match_phrase` on one field. */
export function compilePhraseField(c: CompileContext, info: FieldInfo, text: Scalar, spec: MatchSpec, boost: number, scoring: boolean): Exec {
  if (info.storage !== 'text') return nonTextMatch(c, info, text, spec, boost, scoring);
  const groups = byPosition(analyzerFor(c, info, spec, true).analyze(String(text)));
  if (groups.length === 0) return zeroTerms(spec, boost);
  if (groups.length === 1) return termClause(c, info, groups[0].terms, {}, boost, scoring);
  requirePositions(c, info, String(text));
  const slots: PhraseSlot[] = groups.map((g) => ({ terms: g.terms, position: g.position }));
  const all = slots.flatMap((s) => s.terms);
  return new PhraseExec(info.path, slots, spec.slop ?? 0, scoring ? bm25For(c.shard, info.path, all, boost) : null);
}

/** The first `max` distinct terms of the shard starting with `prefix`, in term order. */
export function prefixExpansions(c: CompileContext, field: string, prefix: string, max: number): string[] {
  const seen = new Set<string>();
  for (const seg of c.shard.segments) {
    const terms = seg.inverted.get(field)?.terms;
    if (!terms) continue;
    for (const o of selectOrds(seg, field, { prefix })) seen.add(terms[o]);
  }
  return [...seen].sort().slice(0, max);
}

/** `match_phrase_prefix` on one field: the last position expands to up to max_expansions terms. */
export function compilePhrasePrefixField(c: CompileContext, info: FieldInfo, text: Scalar, spec: MatchSpec, boost: number, scoring: boolean): Exec {
  if (info.storage !== 'text') {
    if (info.storage === 'keyword') return new ConstSetExec(boost, (seg) => selectBitmap(seg, info.path, { prefix: c.shard.analyzers.normalize(info, String(text)) }));
    return nonTextMatch(c, info, text, spec, boost, scoring);
  }
  const groups = byPosition(analyzerFor(c, info, spec, true).analyze(String(text)));
  if (groups.length === 0) return zeroTerms(spec, boost);
  const last = groups[groups.length - 1];
  const expanded = prefixExpansions(c, info.path, last.terms[0], spec.maxExpansions ?? 50);
  if (expanded.length === 0) return new NoneExec();
  if (groups.length > 1) requirePositions(c, info, String(text));
  const slots: PhraseSlot[] = groups.slice(0, -1).map((g) => ({ terms: g.terms, position: g.position }));
  slots.push({ terms: expanded, position: last.position });
  const all = slots.flatMap((s) => s.terms);
  return new PhraseExec(info.path, slots, spec.slop ?? 0, scoring ? bm25For(c.shard, info.path, all, boost) : null);
}

/** `match_bool_prefix` on one field: terms as a bool, the last one a constant-score prefix. */
export function compileBoolPrefixField(c: CompileContext, info: FieldInfo, text: Scalar, spec: MatchSpec, boost: number, scoring: boolean): Exec {
  if (info.storage !== 'text') return compilePhrasePrefixField(c, info, text, spec, boost, scoring);
  const groups = byPosition(analyzerFor(c, info, spec, false).analyze(String(text)));
  if (groups.length === 0) return zeroTerms(spec, boost);
  const clauses = groups.slice(0, -1).map((g) => termClause(c, info, g.terms, spec, boost, scoring));
  const lastTerm = groups[groups.length - 1].terms[0];
  clauses.push(new ConstSetExec(boost, (seg) => selectBitmap(seg, info.path, { prefix: lastTerm })));
  return combine(clauses, spec.operator, spec.minimumShouldMatch);
}

export { failedToCreate };
