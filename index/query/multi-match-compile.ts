// multi_match over resolved fields: best_fields = dis_max of per-field matches, most_fields = their
// sum, phrase/phrase_prefix/bool_prefix = dis_max of per-field variants, cross_fields = one
// blended term query per analyzed term across fields sharing an analyzer (max document frequency).

import type { FieldInfo } from '../mapping/field-types.ts';
import { bm25For, mulBoost, type CompileContext } from './compile-context.ts';
import { DisMaxExec } from './exec/bool-exec.ts';
import { NoneExec } from './exec/const-exec.ts';
import type { Exec } from './exec/exec.ts';
import { TermExec } from './exec/term-exec.ts';
import {
  byPosition, combine, compileBoolPrefixField, compileMatchField, compilePhraseField, compilePhrasePrefixField, type MatchSpec,
} from './full-text-compile.ts';
import type { MultiMatchQuery, Scalar } from './query.ts';

/** A resolved field with its `^boost`. */
export interface WeightedField {
  info: FieldInfo;
  boost: number;
}

/**
 * Resolves `name^boost` patterns (wildcards allowed) against the mapping; an empty list means
 * `index.query.default_field` (default `*`: every text and keyword field, searched leniently).
 */
export function resolveFields(c: CompileContext, patterns: string[]): { fields: WeightedField[]; all: boolean } {
  let list = patterns;
  if (list.length === 0) list = (c.shard.settings['index.query.default_field'] ?? '*').split(',');
  const out = new Map<string, WeightedField>();
  let all = false;
  for (const p of list) {
    const caret = p.lastIndexOf('^');
    const name = caret > 0 ? p.slice(0, caret) : p;
    const boost = caret > 0 ? Math.fround(Number(p.slice(caret + 1))) : 1;
    if (name === '*') all = true;
    for (const path of c.shard.mapping.matchFields(name)) {
      const info = c.shard.mapping.field(path);
      if (!info || info.storage === 'none') continue;
      if (name.includes('*') && info.storage !== 'text' && info.storage !== 'keyword') continue;
      const prev = out.get(info.path);
      out.set(info.path, { info, boost: prev ? Math.fround(prev.boost * boost) : boost });
    }
  }
  return { fields: [...out.values()], all };
}

/** Compiles a multi_match query. */
export function compileMultiMatch(c: CompileContext, q: MultiMatchQuery, boost: number, scoring: boolean): Exec {
  const { fields, all } = resolveFields(c, q.fields);
  if (fields.length === 0) return new NoneExec();
  const spec: MatchSpec = {
    analyzer: q.analyzer, operator: q.operator, minimumShouldMatch: q.minimum_should_match, fuzziness: q.fuzziness,
    prefixLength: q.prefix_length, maxExpansions: q.max_expansions, transpositions: q.fuzzy_transpositions,
    lenient: q.lenient ?? all, zeroTermsQuery: q.zero_terms_query, slop: q.slop,
  };
  const type = q.match_type ?? 'best_fields';
  const tie = q.tie_breaker ?? (type === 'most_fields' ? 1 : 0);
  if (type === 'cross_fields') return crossFields(c, fields, q.query, spec, boost, tie, scoring);
  const perField = fields.map((f) => {
    const b = mulBoost(boost, f.boost);
    switch (type) {
      case 'phrase': return compilePhraseField(c, f.info, q.query, spec, b, scoring);
      case 'phrase_prefix': return compilePhrasePrefixField(c, f.info, q.query, spec, b, scoring);
      case 'bool_prefix': return compileBoolPrefixField(c, f.info, q.query, spec, b, scoring);
      default: return compileMatchField(c, f.info, q.query, spec, b, scoring);
    }
  }).filter((e) => !(e instanceof NoneExec));
  if (perField.length === 0) return new NoneExec();
  return perField.length === 1 ? perField[0] : new DisMaxExec(perField, tie);
}

/** cross_fields: fields grouped by search analyzer; each term blended across its group's fields. */
function crossFields(c: CompileContext, fields: WeightedField[], text: Scalar, spec: MatchSpec, boost: number, tie: number, scoring: boolean): Exec {
  const groups = new Map<string, WeightedField[]>();
  const loose: Exec[] = [];
  for (const f of fields) {
    if (f.info.storage !== 'text') {
      loose.push(compileMatchField(c, f.info, text, spec, mulBoost(boost, f.boost), scoring));
      continue;
    }
    const key = spec.analyzer ?? c.shard.analyzers.searchAnalyzer(f.info).name;
    const list = groups.get(key) ?? [];
    list.push(f);
    groups.set(key, list);
  }
  const parts: Exec[] = [...loose.filter((e) => !(e instanceof NoneExec))];
  for (const group of groups.values()) {
    const analyzer = spec.analyzer ? c.shard.analyzers.named(spec.analyzer) : c.shard.analyzers.searchAnalyzer(group[0].info);
    const positions = byPosition(analyzer.analyze(String(text)));
    if (positions.length === 0) continue;
    const clauses = positions.map((p) => {
      const term = p.terms[0];
      const maxDf = Math.max(...group.map((f) => c.shard.stats.docFreq(f.info.path, term)));
      const perField = group.map((f) => new TermExec(f.info.path, term, scoring ? bm25For(c.shard, f.info.path, [term], mulBoost(boost, f.boost), maxDf) : null));
      return perField.length === 1 ? perField[0] : new DisMaxExec(perField, tie);
    });
    parts.push(combine(clauses, spec.operator, spec.minimumShouldMatch));
  }
  if (parts.length === 0) return new NoneExec();
  return parts.length === 1 ? parts[0] : new DisMaxExec(parts, tie);
}
