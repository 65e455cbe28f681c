// Evaluates a parsed filter pattern against one event's message (the definition of a match), and
// derives a superset query in the engine's DSL so FilterLogEvents reads only candidate events.
//
// Matching rules (case-sensitive, as CloudWatch): a term or quoted phrase matches when it occurs in
// the message as a substring; every term before the first `?` must occur, all the terms of at least
// one `?` term group must occur when there are groups (filter-pattern.ts parseTerms), and no `-` term
// may occur. JSON patterns only match messages that are JSON objects; a selector that reaches an
// object or array never matches. Space-delimited patterns split the message at spaces, keeping
// "quoted" and [bracketed] runs as one field; `...` absorbs any number of fields.

import type { DelimitedField, FieldCondition, FilterPattern, JsonExpr, PathStep, PatternValue, CompareOp } from './filter-pattern.ts';

/** Whether `message` matches the pattern. */
export function matchesPattern(pattern: FilterPattern, message: string): boolean {
  switch (pattern.kind) {
    case 'all':
      return true;
    case 'terms':
      for (const t of pattern.required) if (!message.includes(t)) return false;
      for (const t of pattern.excluded) if (message.includes(t)) return false;
      return pattern.groups.length === 0 || pattern.groups.some((group) => group.every((t) => message.includes(t)));
    case 'json': {
      if (!message.trimStart().startsWith('{')) return false;
      let doc: unknown;
      try {
        doc = JSON.parse(message);
      } catch {
        return false;
      }
      return doc !== null && typeof doc === 'object' && !Array.isArray(doc) && evalJson(pattern.expr, doc);
    }
    case 'delimited':
      return matchFields(pattern.fields, 0, splitFields(message), 0);
    default: {
      const never: never = pattern;
      return never;
    }
  }
}

function evalJson(e: JsonExpr, doc: unknown): boolean {
  switch (e.op) {
    case 'and':
      return evalJson(e.left, doc) && evalJson(e.right, doc);
    case 'or':
      return evalJson(e.left, doc) || evalJson(e.right, doc);
    case 'notExists':
      return select(doc, e.path) === undefined;
    case 'isNull':
      return select(doc, e.path) === null;
    case 'isTrue':
      return select(doc, e.path) === true;
    case 'isFalse':
      return select(doc, e.path) === false;
    case 'cmp': {
      const v = select(doc, e.path);
      if (v === undefined || v === null || typeof v === 'object') return false;
      return compare(v as string | number | boolean, e.cmp, e.value);
    }
    default: {
      const never: never = e;
      return never;
    }
  }
}

function select(doc: unknown, path: PathStep[]): unknown {
  let cur = doc;
  for (const step of path) {
    if (cur === null || typeof cur !== 'object') return undefined;
    if (typeof step === 'number') {
      if (!Array.isArray(cur)) return undefined;
      cur = cur[step];
    } else {
      if (Array.isArray(cur) || !Object.prototype.hasOwnProperty.call(cur, step)) return undefined;
      cur = (cur as Record<string, unknown>)[step];
    }
  }
  return cur;
}

/**
 * One comparison. Numeric operators need a numeric actual value; `=`/`!=` compare numbers numerically
 * when both sides are numbers, and otherwise compare text (with `*` wildcards).
 */
function compare(actual: string | number | boolean, cmp: CompareOp, value: PatternValue): boolean {
  if (cmp === '=' || cmp === '!=') {
    let eq: boolean;
    if (typeof actual === 'number' && value.number !== undefined) eq = actual === value.number;
    else if (value.wildcard) eq = value.wildcard.test(String(actual));
    else eq = String(actual) === value.text;
    return cmp === '=' ? eq : !eq;
  }
  const n = typeof actual === 'number' ? actual : typeof actual === 'string' && NUMERIC.test(actual) ? Number(actual) : NaN;
  if (Number.isNaN(n) || value.number === undefined) return false;
  switch (cmp) {
    case '<':
      return n < value.number;
    case '<=':
      return n <= value.number;
    case '>':
      return n > value.number;
    case '>=':
      return n >= value.number;
  }
}

const NUMERIC = /^\s*[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?\s*$/;

/** Splits a message into space-delimited fields; "…" and […] are one field each (delimiters dropped). */
export function splitFields(message: string): string[] {
  const out: string[] = [];
  let i = 0;
  const n = message.length;
  while (i < n) {
    const c = message[i];
    if (c === ' ' || c === '\t') {
      i++;
      continue;
    }
    const close = c === '"' ? '"' : c === '[' ? ']' : '';
    if (close) {
      const end = message.indexOf(close, i + 1);
      if (end >= 0) {
        out.push(message.slice(i + 1, end));
        i = end + 1;
        continue;
      }
    }
    let j = i;
    while (j < n && message[j] !== ' ' && message[j] !== '\t') j++;
    out.push(message.slice(i, j));
    i = j;
  }
  return out;
}

function matchFields(fields: DelimitedField[], fi: number, values: string[], vi: number): boolean {
  if (fi === fields.length) return vi === values.length;
  const f = fields[fi];
  if (f.kind === 'ellipsis') {
    for (let k = vi; k <= values.length; k++) if (matchFields(fields, fi + 1, values, k)) return true;
    return false;
  }
  if (vi >= values.length) return false;
  if (f.cond && !evalField(f.cond, values[vi])) return false;
  return matchFields(fields, fi + 1, values, vi + 1);
}

function evalField(c: FieldCondition, value: string): boolean {
  switch (c.op) {
    case 'and':
      return evalField(c.left, value) && evalField(c.right, value);
    case 'or':
      return evalField(c.left, value) || evalField(c.right, value);
    case 'cmp':
      return compare(NUMERIC.test(value) && c.value.number !== undefined ? Number(value) : value, c.cmp, c.value);
  }
}

/**
 * Engine query clauses every matching event satisfies (a superset: results are still checked with
 * matchesPattern). A substring of ASCII letters and digits always lies inside one token of the
 * `message` field (the standard tokenizer never splits such a run, and the cwl-* analyzer keeps tokens
 * up to 1 MiB), so `*run*` on the lower-cased tokens cannot miss a match.
 */
export function prefilterClauses(pattern: FilterPattern): Record<string, unknown>[] {
  if (pattern.kind === 'terms') {
    const clauses = pattern.required.flatMap((t) => alnumRuns(t).map(wildcardClause));
    if (pattern.groups.length > 0) {
      const alternatives = pattern.groups.map((group) => group.flatMap(alnumRuns));
      // A group with no usable run could match anything: then no clause for the groups.
      if (alternatives.every((runs) => runs.length > 0)) {
        clauses.push({ bool: { should: alternatives.map((runs) => ({ bool: { filter: runs.map(wildcardClause) } })), minimum_should_match: 1 } });
      }
    }
    return clauses;
  }
  return [];
}

/** Maximal runs of ASCII letters/digits of at least 2 characters (shorter runs select nothing useful). */
function alnumRuns(term: string): string[] {
  return (term.match(/[A-Za-z0-9]{2,}/g) ?? []).map((r) => r.toLowerCase());
}

function wildcardClause(run: string): Record<string, unknown> {
  return { wildcard: { message: { value: `*${run}*` } } };
}
