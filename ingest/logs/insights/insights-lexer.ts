// Splits a Logs Insights (CWLI) query string into tokens for insights-parser.ts: identifiers (and
// backquoted names), numbers, durations in bin()'s time units, strings, regular expressions and
// operators, each with its character offsets for MalformedQueryException; `#` comments are dropped.

import { InsightsSyntaxError } from './insights-ast.ts';

export type TokKind = 'ident' | 'num' | 'str' | 'regex' | 'op' | 'duration';
export interface Tok {
  kind: TokKind;
  v: string;
  start: number;
  end: number;
  /** regex flags */
  extra?: string;
  /** a duration's length */
  period?: { ms: number; months: number };
}

const OPS = ['|', ',', ':', '(', ')', '[', ']', '=~', '!=', '<=', '>=', '=', '<', '>', '+', '-', '*', '/', '%', '^'];

/**
 * The time units of `bin` (CWL_QuerySyntax-Stats): fixed lengths in ms, or months for the calendar units,
 * which bin on UTC month boundaries since a month, quarter or year has no fixed length. "For all units
 * and abbreviations that include more than one character, adding s to pluralize is supported."
 */
const TIME_UNITS: ReadonlyMap<string, { ms: number; months: number }> = (() => {
  const units = new Map<string, { ms: number; months: number }>();
  const add = (names: string[], ms: number, months = 0) => {
    for (const n of names) {
      units.set(n, { ms, months });
      if (n.length > 1) units.set(`${n}s`, { ms, months });
    }
  };
  add(['millisecond', 'ms', 'msec'], 1);
  add(['second', 's', 'sec'], 1_000);
  add(['minute', 'm', 'min'], 60_000);
  add(['hour', 'h', 'hr'], 3_600_000);
  add(['day', 'd'], 86_400_000);
  add(['week', 'w'], 604_800_000);
  add(['month', 'mo', 'mon'], 0, 1);
  add(['quarter', 'q', 'qtr'], 0, 3);
  add(['year', 'y', 'yr'], 0, 12);
  return units;
})();

const KEYWORDS = new Set(['like', 'and', 'or', 'not', 'in', 'as', 'by', 'filter', 'parse', 'fields', 'stats', 'sort', 'display']);

/** The tokens of a query; throws InsightsSyntaxError at a character no token starts with. */
export function tokenize(q: string): Tok[] {
  const out: Tok[] = [];
  let i = 0;
  // A `/` after a value divides; anywhere else (after an operator, a keyword, or `parse <field>`) it
  // opens a regular expression.
  const valueEnds = () => {
    const t = out[out.length - 1];
    if (t === undefined) return false;
    if (t.kind === 'ident') {
      if (KEYWORDS.has(t.v.toLowerCase())) return false;
      const before = out[out.length - 2];
      return !(before?.kind === 'ident' && before.v.toLowerCase() === 'parse');
    }
    return t.kind === 'num' || t.kind === 'str' || t.kind === 'duration' || (t.kind === 'op' && (t.v === ')' || t.v === ']'));
  };
  while (i < q.length) {
    const c = q[i];
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    // "Set off comments with the hash character": the rest of the line. Strings, regexes and
    // backquoted names are whole tokens, so a # inside them never gets here.
    if (c === '#') {
      while (i < q.length && q[i] !== '\n') i++;
      continue;
    }
    const start = i;
    if (c === '"' || c === "'") {
      let v = '';
      i++;
      while (i < q.length && q[i] !== c) {
        if (q[i] === '\\' && i + 1 < q.length) i++;
        v += q[i++];
      }
      if (i >= q.length) throw new InsightsSyntaxError('Unterminated string literal', start, q.length);
      out.push({ kind: 'str', v, start, end: ++i });
      continue;
    }
    if (c === '`') {
      const close = q.indexOf('`', i + 1);
      if (close < 0) throw new InsightsSyntaxError('Unterminated backquoted field name', start, q.length);
      out.push({ kind: 'ident', v: q.slice(i + 1, close), start, end: close + 1 });
      i = close + 1;
      continue;
    }
    if (c === '/' && !valueEnds()) {
      let j = i + 1;
      let src = '';
      while (j < q.length && q[j] !== '/') {
        if (q[j] === '\\' && j + 1 < q.length) src += q[j++];
        src += q[j++];
      }
      if (j >= q.length) throw new InsightsSyntaxError('Unterminated regular expression', start, q.length);
      j++;
      let flags = '';
      while (j < q.length && /[a-z]/.test(q[j])) flags += q[j++];
      out.push({ kind: 'regex', v: src, start, end: j, extra: flags });
      i = j;
      continue;
    }
    const num = /^(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?([a-z]+)?/y;
    num.lastIndex = 0;
    const m = num.exec(q.slice(i));
    if (m && /[\d.]/.test(c)) {
      const unit = m[3];
      if (unit !== undefined) {
        const u = TIME_UNITS.get(unit);
        if (u === undefined) throw new InsightsSyntaxError(`Unknown time unit '${unit}'`, start, start + m[0].length);
        const n = Number(m[1]);
        if (u.months > 0 && !Number.isInteger(n)) throw new InsightsSyntaxError(`A calendar period needs a whole number, found '${m[0]}'`, start, start + m[0].length);
        out.push({ kind: 'duration', v: m[0], start, end: start + m[0].length, period: { ms: n * u.ms, months: n * u.months } });
      } else {
        out.push({ kind: 'num', v: m[0], start, end: start + m[0].length });
      }
      i += m[0].length;
      continue;
    }
    if (/[A-Za-z_@$]/.test(c)) {
      let j = i;
      while (j < q.length && /[A-Za-z0-9_@$.]/.test(q[j])) j++;
      out.push({ kind: 'ident', v: q.slice(i, j), start, end: j });
      i = j;
      continue;
    }
    const op = OPS.find((o) => q.startsWith(o, i));
    if (!op) throw new InsightsSyntaxError(`Unexpected character '${c}'`, start, start + 1);
    out.push({ kind: 'op', v: op, start, end: start + op.length });
    i += op.length;
  }
  return out;
}
