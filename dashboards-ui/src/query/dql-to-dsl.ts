// DQL tree → OpenSearch query DSL, as OpenSearch Dashboards translates it in the browser: phrases are
// match_phrase, plain values match, wildcards query_string, ranges range, `field:*` exists; `and` is a
// bool filter (no scoring: Discover sorts by time), `or` a bool should, `not` a bool must_not. Field
// types matter in two places: a value on a date field becomes a range of that instant, and a field name
// with `*` expands to every known field it matches.

import type { DqlNode, DqlValue } from './dql-parser.ts';

export type Dsl = Record<string, unknown>;

/** Just the field facts the translation needs (a FieldSpec fits). */
export interface FieldInfo {
  name: string;
  type: string;
}

export interface TranslateOptions {
  /** Known fields: wildcard field names expand over them, date fields get range semantics. */
  fields?: FieldInfo[];
}

const LUCENE_SPECIAL = /[+\-=&|><!(){}[\]^"~*?:\\/\s]/g;

/** Escapes a string for query_string, keeping nothing special. */
export function escapeLucene(s: string): string {
  return s.replace(LUCENE_SPECIAL, (c) => '\\' + c);
}

/** A wildcard literal as a query_string pattern: segments escaped, joined by `*`. */
function wildcardPattern(segments: string[]): string {
  return segments.map(escapeLucene).join('*');
}

/** Translates a DQL tree; the result is one query clause. */
export function dqlToDsl(node: DqlNode, opts: TranslateOptions = {}): Dsl {
  const types = new Map((opts.fields ?? []).map((f) => [f.name, f.type]));
  const go = (n: DqlNode): Dsl => {
    switch (n.kind) {
      case 'all':
        return { match_all: {} };
      case 'and':
        return { bool: { filter: n.children.map(go) } };
      case 'or':
        return { bool: { should: n.children.map(go), minimum_should_match: 1 } };
      case 'not':
        return { bool: { must_not: [go(n.child)] } };
      case 'exists':
        return perField(n.field, types, (f) => ({ exists: { field: f } }));
      case 'range':
        return perField(n.field, types, (f) => ({ range: { [f]: { [n.op]: n.value } } }));
      case 'match':
        if (n.field === null) return freeText(n.value);
        return perField(n.field, types, (f) => fieldMatch(f, types.get(f), n.value));
      default: {
        const never: never = n;
        return never;
      }
    }
  };
  return go(node);
}

/** A clause on one field, or an OR of the clause over every known field a `*` field name matches. */
function perField(field: string, types: Map<string, string>, clause: (f: string) => Dsl): Dsl {
  if (!field.includes('*') || types.size === 0) return clause(field);
  const re = new RegExp('^' + field.split('*').map((s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('.*') + '$');
  const matching = [...types.keys()].filter((f) => re.test(f));
  if (matching.length === 0) return { bool: { must_not: [{ match_all: {} }] } };
  if (matching.length === 1) return clause(matching[0]);
  return { bool: { should: matching.map(clause), minimum_should_match: 1 } };
}

function fieldMatch(field: string, type: string | undefined, v: DqlValue): Dsl {
  if (v.kind === 'phrase') {
    return type === 'date' ? { range: { [field]: { gte: v.text, lte: v.text } } } : { match_phrase: { [field]: v.text } };
  }
  if (v.segments.length > 1) return { query_string: { fields: [field], query: wildcardPattern(v.segments), analyze_wildcard: true } };
  const text = v.segments[0];
  if (type === 'date') return { range: { [field]: { gte: text, lte: text } } };
  return { match: { [field]: { query: text, lenient: true } } };
}

function freeText(v: DqlValue): Dsl {
  if (v.kind === 'phrase') return { multi_match: { type: 'phrase', query: v.text, lenient: true } };
  if (v.segments.length > 1) {
    if (v.segments.every((s) => s === '')) return { match_all: {} };
    return { query_string: { query: wildcardPattern(v.segments), analyze_wildcard: true } };
  }
  return { multi_match: { type: 'best_fields', query: v.segments[0], lenient: true } };
}
