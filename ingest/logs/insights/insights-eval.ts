// Evaluates Logs Insights expressions against a row: loose comparisons (numbers when both sides are
// numeric, text otherwise), `like` as substring or regex, and the scalar functions of the language.
// Aggregate calls are computed by `stats` (insights-stats.ts) and read back here by their text.

import { AGGREGATES, type Expr } from './insights-ast.ts';
import type { Row } from './insights-row.ts';

/** The value of an expression for a row; undefined when a field is absent. */
export function evaluate(e: Expr, row: Row): unknown {
  switch (e.k) {
    case 'field':
      return row.get(e.name);
    case 'num':
      return e.v;
    case 'str':
      return e.v;
    case 'regex':
      return e.re;
    case 'duration':
      // A month has no length in ms; calendar periods only mean something to bin, datefloor and dateceil.
      return e.months > 0 ? undefined : e.ms;
    case 'neg': {
      const v = toNumber(evaluate(e.e, row));
      return v === undefined ? undefined : -v;
    }
    case 'not':
      return !truthy(evaluate(e.e, row));
    case 'and':
      return truthy(evaluate(e.l, row)) && truthy(evaluate(e.r, row));
    case 'or':
      return truthy(evaluate(e.l, row)) || truthy(evaluate(e.r, row));
    case 'like': {
      const v = evaluate(e.e, row);
      if (v === undefined || v === null) return false;
      const s = String(v);
      const hit = e.pattern.k === 'regex' ? e.pattern.re.test(s) : s.includes(String(evaluate(e.pattern, row)));
      return e.negated ? !hit : hit;
    }
    case 'in': {
      const v = evaluate(e.e, row);
      if (v === undefined || v === null) return false;
      const hit = e.list.some((x) => compare(v, evaluate(x, row)) === 0);
      return e.negated ? !hit : hit;
    }
    case 'bin':
      return binary(e.op, evaluate(e.l, row), evaluate(e.r, row));
    case 'call':
      if (AGGREGATES.has(e.fn)) return row.get(e.text);
      return call(e.fn, e.args, row);
    default: {
      const never: never = e;
      return never;
    }
  }
}

/** Whether a value passes `filter`. */
export function truthy(v: unknown): boolean {
  return v !== undefined && v !== null && v !== false && v !== 0 && v !== '';
}

/** A number for numbers and numeric strings, else undefined. */
export function toNumber(v: unknown): number | undefined {
  if (typeof v === 'number') return Number.isFinite(v) ? v : undefined;
  if (typeof v === 'string' && v.trim() !== '' && Number.isFinite(Number(v))) return Number(v);
  if (typeof v === 'boolean') return v ? 1 : 0;
  return undefined;
}

/** Orders two present values: numerically when both are numeric, else as text; undefined if either is absent. */
export function compare(a: unknown, b: unknown): number | undefined {
  if (a === undefined || a === null || b === undefined || b === null) return undefined;
  const x = toNumber(a);
  const y = toNumber(b);
  if (x !== undefined && y !== undefined && typeof a !== 'boolean' && typeof b !== 'boolean') return x < y ? -1 : x > y ? 1 : 0;
  const s = String(a);
  const t = String(b);
  return s < t ? -1 : s > t ? 1 : 0;
}

/** A whole-number-like value: `sort` puts these after every other value (CWL_QuerySyntax-Sort). */
const NUMBER_TEXT = /^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/;

/** Runs of digits, runs of letters, and every other character alone: the chunks `sort` compares. */
const CHUNK = /\d+|\p{L}+|[^\d\p{L}]/gu;

/**
 * `sort`'s order for two present values, ascending (CWL_QuerySyntax-Sort, "an updated version of natural
 * sorting"): every non-number value comes before every number value; numbers compare by value; other
 * values are cut into chunks of consecutive digits or letters, and chunk by chunk two digit runs compare
 * by length and then by value (`item9` < `item10`, `5A` < `111A`) while anything else compares by code
 * point, so capitals come before lower case (`Zed` < `abc`) and `2345_` < `@`. A value that is a prefix
 * of the other comes first. Number values the docs call equal (`01` and `1`) fall back to their text.
 * Filters keep `compare`: the docs give this order for `sort` only.
 */
export function sortCompare(a: unknown, b: unknown): number {
  const x = sortNumber(a);
  const y = sortNumber(b);
  if (x !== undefined || y !== undefined) {
    if (x === undefined) return -1;
    if (y === undefined) return 1;
    return x !== y ? (x < y ? -1 : 1) : codePointCompare(String(a), String(b));
  }
  return naturalText(String(a), String(b));
}

function sortNumber(v: unknown): number | undefined {
  if (typeof v === 'number') return Number.isFinite(v) ? v : undefined;
  return typeof v === 'string' && NUMBER_TEXT.test(v) ? Number(v) : undefined;
}

function naturalText(s: string, t: string): number {
  const a = s.match(CHUNK) ?? [];
  const b = t.match(CHUNK) ?? [];
  for (let i = 0; i < Math.min(a.length, b.length); i++) {
    const p = a[i];
    const q = b[i];
    if (p === q) continue;
    const digits = /^\d/.test(p) && /^\d/.test(q);
    // Equal-length digit runs order by value exactly as their text does, so no parse (no overflow).
    if (digits && p.length !== q.length) return p.length - q.length;
    return codePointCompare(p, q);
  }
  if (a.length !== b.length) return a.length - b.length;
  return codePointCompare(s, t);
}

/** Unicode order; JS `<` compares UTF-16 units, which misorders characters beyond the BMP. */
function codePointCompare(s: string, t: string): number {
  const a = [...s];
  const b = [...t];
  for (let i = 0; i < Math.min(a.length, b.length); i++) {
    const d = a[i].codePointAt(0)! - b[i].codePointAt(0)!;
    if (d !== 0) return d < 0 ? -1 : 1;
  }
  return a.length === b.length ? 0 : a.length < b.length ? -1 : 1;
}

function binary(op: string, a: unknown, b: unknown): unknown {
  switch (op) {
    case '=':
    case '!=':
    case '<':
    case '<=':
    case '>':
    case '>=': {
      const c = compare(a, b);
      if (c === undefined) return false;
      return op === '=' ? c === 0 : op === '!=' ? c !== 0 : op === '<' ? c < 0 : op === '<=' ? c <= 0 : op === '>' ? c > 0 : c >= 0;
    }
  }
  const x = toNumber(a);
  const y = toNumber(b);
  if (x === undefined || y === undefined) return undefined;
  switch (op) {
    case '+':
      return x + y;
    case '-':
      return x - y;
    case '*':
      return x * y;
    case '/':
      return y === 0 ? undefined : x / y;
    case '%':
      return y === 0 ? undefined : x % y;
    case '^':
      return x ** y;
  }
  return undefined;
}

function str(v: unknown): string | undefined {
  return v === undefined || v === null ? undefined : String(v);
}

function call(fn: string, args: Expr[], row: Row): unknown {
  const a = (i: number) => (args[i] === undefined ? undefined : evaluate(args[i], row));
  const num = (i: number) => toNumber(a(i));
  switch (fn) {
    case 'ispresent':
      return a(0) !== undefined && a(0) !== null;
    case 'isempty': {
      const v = a(0);
      return v === undefined || v === null || v === '';
    }
    case 'isblank': {
      const v = a(0);
      return v === undefined || v === null || String(v).trim() === '';
    }
    case 'strcontains': {
      const s = str(a(0));
      const sub = str(a(1));
      return s !== undefined && sub !== undefined && s.includes(sub);
    }
    case 'tolower':
      return str(a(0))?.toLowerCase();
    case 'toupper':
      return str(a(0))?.toUpperCase();
    case 'trim':
      return str(a(0))?.trim();
    case 'ltrim':
      return str(a(0))?.trimStart();
    case 'rtrim':
      return str(a(0))?.trimEnd();
    case 'strlen':
      return str(a(0))?.length;
    case 'concat':
      return args.map((_, i) => str(a(i)) ?? '').join('');
    case 'substr': {
      const s = str(a(0));
      const start = num(1) ?? 0;
      const len = num(2);
      return s === undefined ? undefined : len === undefined ? s.slice(start) : s.slice(start, start + len);
    }
    case 'replace': {
      const s = str(a(0));
      const from = str(a(1));
      return s === undefined || from === undefined ? s : s.split(from).join(str(a(2)) ?? '');
    }
    case 'abs':
      return num(0) === undefined ? undefined : Math.abs(num(0)!);
    case 'ceil':
      return num(0) === undefined ? undefined : Math.ceil(num(0)!);
    case 'floor':
      return num(0) === undefined ? undefined : Math.floor(num(0)!);
    case 'round':
      return num(0) === undefined ? undefined : Math.round(num(0)!);
    case 'sqrt':
      return num(0) === undefined ? undefined : Math.sqrt(num(0)!);
    case 'log':
      return num(0) === undefined ? undefined : Math.log(num(0)!);
    case 'tonumber':
      return num(0);
    case 'tostring':
      return str(a(0));
    case 'greatest':
    case 'least': {
      const vals = args.map((_, i) => num(i)).filter((v): v is number => v !== undefined);
      return vals.length === 0 ? undefined : fn === 'greatest' ? Math.max(...vals) : Math.min(...vals);
    }
    case 'coalesce':
      for (let i = 0; i < args.length; i++) {
        const v = a(i);
        if (v !== undefined && v !== null) return v;
      }
      return undefined;
    case 'bin': {
      const ts = toNumber(row.get('@timestamp'));
      return ts === undefined || args[0] === undefined ? undefined : dateFloor(ts, periodOf(args[0], row));
    }
    case 'datefloor':
    case 'dateceil': {
      const ts = num(0);
      if (ts === undefined || args[1] === undefined) return undefined;
      const period = periodOf(args[1], row);
      const floor = dateFloor(ts, period);
      if (fn === 'datefloor' || floor === undefined || floor === ts) return floor;
      return period!.months > 0 ? addMonths(floor, period!.months) : floor + period!.ms;
    }
    case 'frommillis':
    case 'tomillis':
      return num(0);
    case 'unmask':
      // Lookout masks nothing (see the unmask command), so the value is already in the clear.
      return a(0);
  }
  return undefined;
}

interface Period {
  ms: number;
  months: number;
}

/** A period argument: a duration literal (possibly calendar months) or a number of ms. */
function periodOf(e: Expr, row: Row): Period | undefined {
  if (e.k === 'duration') return e.months > 0 || e.ms > 0 ? { ms: e.ms, months: e.months } : undefined;
  const ms = toNumber(evaluate(e, row));
  return ms === undefined || ms <= 0 ? undefined : { ms, months: 0 };
}

/**
 * The start of the period holding `ts`. Fixed periods count from the epoch, so `1w` starts on the
 * Thursday 1970-01-01 was (the docs say nothing of weeks' alignment); calendar periods count months
 * from January 1970 in UTC, so `1mo` starts on the 1st, `1q` in January, April, July or October and
 * `1y` on January 1st, whatever the months' lengths.
 */
function dateFloor(ts: number, p: Period | undefined): number | undefined {
  if (p === undefined) return undefined;
  if (p.months === 0) return Math.floor(ts / p.ms) * p.ms;
  const d = new Date(ts);
  const month = (d.getUTCFullYear() - 1970) * 12 + d.getUTCMonth();
  return addMonths(Date.UTC(1970, 0, 1), Math.floor(month / p.months) * p.months);
}

/** A month boundary plus whole months (Date.UTC carries month overflow into years). */
function addMonths(boundary: number, months: number): number {
  const d = new Date(boundary);
  return Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + months, 1);
}

/** Whether an expression yields a point in time (rendered `yyyy-MM-dd HH:mm:ss.SSS`). */
export function isTimeExpr(e: Expr): boolean {
  if (e.k === 'field') return e.name === '@timestamp' || e.name === '@ingestionTime';
  if (e.k === 'call') {
    if (['bin', 'datefloor', 'dateceil', 'frommillis'].includes(e.fn)) return true;
    if (['min', 'max', 'earliest', 'latest'].includes(e.fn) && e.args.length === 1) return isTimeExpr(e.args[0]);
  }
  return false;
}

/** The text of a result value, as GetQueryResults returns every value. */
export function renderValue(v: unknown, time: boolean): string | undefined {
  if (v === undefined || v === null) return undefined;
  if (time && typeof v === 'number') return new Date(v).toISOString().replace('T', ' ').replace('Z', '');
  if (typeof v === 'object') return JSON.stringify(v);
  return String(v);
}
