// Shared helpers for the per-type query parsers: JSON token names as OpenSearch's XContent parser
// reports them, value coercions that behave like `parser.floatValue()` / `booleanValue()` / `text()`,
// and the generic "single field" parser that term, match, prefix, … are all built on.

import { OpenSearchError, illegalArgument, parsingError, xContentParseError } from '../errors.ts';
import type { Query, Scalar } from './query.ts';

/** What a query parser receives besides its body: the parser for nested queries. */
export interface ParseContext {
  parseInner(json: unknown): Query;
}

/** The XContent token name OpenSearch prints for a JSON value. */
export function tokenName(v: unknown): string {
  if (v === null) return 'VALUE_NULL';
  if (Array.isArray(v)) return 'START_ARRAY';
  switch (typeof v) {
    case 'object': return 'START_OBJECT';
    case 'string': return 'VALUE_STRING';
    case 'number': return 'VALUE_NUMBER';
    case 'boolean': return 'VALUE_BOOLEAN';
    default: return 'VALUE_EMBEDDED_OBJECT';
  }
}

export function isObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

/** A scalar token (XContent `token.isValue()`, null included). */
export function isValueToken(v: unknown): boolean {
  return v === null || typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean';
}

/** `parser.floatValue()`: numbers and numeric strings. */
export function toFloat(v: unknown, key: string): number {
  if (typeof v === 'number') return Math.fround(v);
  if (typeof v === 'string' && v.trim() !== '' && !Number.isNaN(Number(v))) return Math.fround(Number(v));
  if (typeof v === 'string') throw new OpenSearchError('number_format_exception', `For input string: "${v}"`, 400);
  throw parsingError(`[${key}] failed to parse value [${String(v)}] of token [${tokenName(v)}] as a number`);
}

/** `parser.intValue()`: numbers (truncated) and integer strings. */
export function toInt(v: unknown, key: string): number {
  if (typeof v === 'number') return Math.trunc(v);
  if (typeof v === 'string' && /^\s*[-+]?\d+(\.\d*)?\s*$/.test(v)) return Math.trunc(Number(v));
  if (typeof v === 'string') throw new OpenSearchError('number_format_exception', `For input string: "${v}"`, 400);
  throw parsingError(`[${key}] failed to parse value [${String(v)}] of token [${tokenName(v)}] as an integer`);
}

/** `parser.booleanValue()`: true/false and their strings. */
export function toBool(v: unknown): boolean {
  if (v === true || v === 'true') return true;
  if (v === false || v === 'false') return false;
  throw illegalArgument(`Failed to parse value [${String(v)}] as only [true] or [false] are allowed.`);
}

/** `parser.text()`: any scalar as a string. */
export function toText(v: unknown, key: string): string {
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  throw parsingError(`[${key}] expected a string but found [${tokenName(v)}]`);
}

/** How an option's value is read. */
export type ParamKind = 'text' | 'scalar' | 'float' | 'int' | 'bool' | 'msm' | 'fuzziness' | 'text_or_null';

/** Reads one option value according to its kind (errors as OpenSearch's token readers raise them). */
export function readParam(kind: ParamKind, v: unknown, key: string): unknown {
  switch (kind) {
    case 'text': return toText(v, key);
    case 'text_or_null': return v === null ? undefined : toText(v, key);
    case 'scalar': return v;
    case 'float': return toFloat(v, key);
    case 'int': return toInt(v, key);
    case 'bool': return toBool(v);
    case 'msm': return v === null ? undefined : typeof v === 'number' ? v : toText(v, key);
    case 'fuzziness': {
      if (typeof v === 'number' || typeof v === 'string') return v;
      throw parsingError(`[fuzziness] failed to parse value of token [${tokenName(v)}]`);
    }
  }
}

/** The options a single-field query accepts besides boost and _name. */
export type ParamSpec = Record<string, ParamKind>;

/** The result of parsing `{name: {field: value}}` or `{name: {field: {opt: …}}}`. */
export interface FieldQueryParts {
  field: string | undefined;
  params: Record<string, unknown>;
  boost?: number;
  _name?: string;
}

/**
 * Parses the body of a single-field query (term, match, prefix, …) as OpenSearch's hand-written
 * parsers do: the shorthand `{field: value}` sets `shortKey`; an object holds options; two fields,
 * unknown options and non-scalar option values are parsing_exceptions with OpenSearch's messages.
 */
export function parseFieldQuery(name: string, body: Record<string, unknown>, shortKey: string, spec: ParamSpec): FieldQueryParts {
  const out: FieldQueryParts = { field: undefined, params: {} };
  for (const [key, value] of Object.entries(body)) {
    if (isObject(value)) {
      if (out.field !== undefined) throw multipleFields(name, out.field, key);
      out.field = key;
      for (const [opt, v] of Object.entries(value)) {
        if (!isValueToken(v)) {
          throw parsingError(`[${name}] unknown token [${tokenName(v)}] after [${opt}]`);
        }
        if (opt === 'boost') out.boost = toFloat(v, opt);
        else if (opt === '_name') out._name = toText(v, opt);
        else if (opt in spec) {
          const read = readParam(spec[opt], v, opt);
          if (read !== undefined && read !== null) out.params[opt] = read;
        } else throw parsingError(`[${name}] query does not support [${opt}]`);
      }
    } else if (Array.isArray(value)) {
      throw parsingError(`[${name}] query does not support array of values`);
    } else {
      if (out.field !== undefined) throw multipleFields(name, out.field, key);
      out.field = key;
      if (value !== null) out.params[shortKey] = value;
    }
  }
  return out;
}

export function multipleFields(name: string, first: string, second: string): OpenSearchError {
  return parsingError(`[${name}] query doesn't support multiple fields, found [${first}] and [${second}]`);
}

/** OpenSearch's check on the field of term-level queries. */
export function requireField(field: string | undefined): string {
  if (field === undefined || field === '') throw illegalArgument('field name is null or empty');
  return field;
}

/** An ObjectParser-style unknown field (`[ids] unknown field [foo]`). */
export function unknownField(name: string, key: string, candidates: string[] = []): OpenSearchError {
  return xContentParseError(`[${name}] unknown field [${key}]${suggest(key, candidates)}`);
}

/** Copies `boost` and `_name` onto a rendered query body. */
export function renderCommon(q: { boost?: number; _name?: string }, body: Record<string, unknown>): Record<string, unknown> {
  if (q.boost !== undefined) body.boost = q.boost;
  if (q._name !== undefined) body._name = q._name;
  return body;
}

/** Copies defined options (in spec order) onto a rendered body. */
export function renderParams(q: object, keys: Iterable<string>, body: Record<string, unknown>): Record<string, unknown> {
  const rec = q as Record<string, unknown>;
  for (const k of keys) if (rec[k] !== undefined) body[k] = rec[k];
  return body;
}

/** Reads boost/_name (and nothing else) at the top level of an object-style query body. */
export function readCommon(key: string, value: unknown, into: { boost?: number; _name?: string }): boolean {
  if (key === 'boost') {
    into.boost = toFloat(value, key);
    return true;
  }
  if (key === '_name') {
    into._name = toText(value, key);
    return true;
  }
  return false;
}

/**
 * OpenSearch's "did you mean" suffix (SuggestingErrorOnUnknown): candidates whose Levenshtein
 * similarity (1 − distance / longer length) is above 0.5, best first, ties by name.
 */
export function suggest(unknown: string, candidates: string[]): string {
  const scored: Array<[number, string]> = [];
  for (const c of candidates) {
    const sim = 1 - levenshtein(unknown, c) / Math.max(unknown.length, c.length);
    if (sim > 0.5) scored.push([sim, c]);
  }
  if (scored.length === 0) return '';
  scored.sort((a, b) => (b[0] - a[0]) || (a[1] < b[1] ? -1 : a[1] > b[1] ? 1 : 0));
  const keys = scored.map((s) => s[1]);
  return keys.length === 1 ? ` did you mean [${keys[0]}]?` : ` did you mean any of [${keys.join(', ')}]?`;
}

function levenshtein(a: string, b: string): number {
  const prev = new Array<number>(b.length + 1);
  for (let j = 0; j <= b.length; j++) prev[j] = j;
  for (let i = 1; i <= a.length; i++) {
    let diag = prev[0];
    prev[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const tmp = prev[j];
      prev[j] = Math.min(prev[j] + 1, prev[j - 1] + 1, diag + (a[i - 1] === b[j - 1] ? 0 : 1));
      diag = tmp;
    }
  }
  return prev[b.length];
}

/** A value that must be an array of scalars (terms values, ids values). */
export function scalarArray(name: string, key: string, v: unknown): Scalar[] {
  if (!Array.isArray(v)) throw parsingError(`[${name}] ${key} must be an array`);
  return v.map((x) => {
    if (x === null || typeof x === 'object') throw parsingError(`[${name}] ${key} must be an array of scalars`);
    return x as Scalar;
  });
}

/**
 * Parses an options-object query body (multi_match, query_string, …): scalar options by `spec`,
 * `arrayKeys` accepting a string or an array of strings; `unknown(key)` builds the rejection.
 */
export function parseOptionsObject(
  name: string,
  body: Record<string, unknown>,
  spec: ParamSpec,
  arrayKeys: string[],
  unknown: (key: string) => Error,
): Record<string, unknown> & { boost?: number; _name?: string } {
  const out: Record<string, unknown> & { boost?: number; _name?: string } = {};
  for (const [key, value] of Object.entries(body)) {
    if (arrayKeys.includes(key)) {
      const list = Array.isArray(value) ? value : [value];
      out[key] = list.map((v) => {
        if (typeof v !== 'string') throw parsingError(`[${name}] query does not support [${key}]`);
        return v;
      });
    } else if (!isValueToken(value)) {
      if (key in spec || key === 'boost' || key === '_name') {
        throw parsingError(`[${name}] unknown token [${tokenName(value)}] after [${key}]`);
      }
      throw unknown(key);
    } else if (readCommon(key, value, out)) {
      continue;
    } else if (key in spec) {
      const v = readParam(spec[key], value, key);
      if (v !== undefined && v !== null) out[key] = v;
    } else {
      throw unknown(key);
    }
  }
  return out;
}
