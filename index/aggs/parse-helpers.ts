// Small helpers the aggregation parsers share: unknown-key rejection with OpenSearch's "did you mean"
// suggestions, typed parameter reads, and the OpenSearch errors aggregations raise.

import { OpenSearchError, illegalArgument, parsingError } from '../errors.ts';

export type Json = Record<string, unknown>;

/** x_content_parse_exception as ObjectParser raises it for an unknown field. */
export function unknownField(aggType: string, field: string, candidates: string[]): OpenSearchError {
  return new OpenSearchError(
    'x_content_parse_exception',
    `[1:1] [${aggType}] unknown field [${field}]${suggest(field, candidates)}`,
    400,
    { line: 1, col: 1 },
  );
}

/** Rejects keys of `body` outside `allowed` (as OpenSearch's ObjectParser does). */
export function checkKeys(aggType: string, body: Json, allowed: readonly string[]): void {
  for (const k of Object.keys(body)) {
    if (!allowed.includes(k)) throw unknownField(aggType, k, [...allowed]);
  }
}

/** OpenSearch's " did you mean [x]?" / " did you mean any of [x, y]?" suffix (Levenshtein > 0.5). */
export function suggest(name: string, candidates: string[]): string {
  const scored = candidates
    .map((c) => ({ c, s: similarity(name, c) }))
    .filter((x) => x.s > 0.5)
    .sort((a, b) => b.s - a.s || (a.c < b.c ? -1 : 1))
    .map((x) => x.c);
  if (scored.length === 0) return '';
  if (scored.length === 1) return ` did you mean [${scored[0]}]?`;
  return ` did you mean any of [${scored.join(', ')}]?`;
}

/** Lucene's LevenshteinDistance: 1 - edits / max length. */
function similarity(a: string, b: string): number {
  const m = a.length, n = b.length;
  if (m === 0 || n === 0) return m === n ? 1 : 0;
  let prev = Array.from({ length: n + 1 }, (_, j) => j);
  for (let i = 1; i <= m; i++) {
    const cur = [i];
    for (let j = 1; j <= n; j++) {
      cur[j] = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    prev = cur;
  }
  return 1 - prev[n] / Math.max(m, n);
}

/** A plain JSON object or a parsing_exception. */
export function asObject(value: unknown, what: string): Json {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw parsingError(`Expected [START_OBJECT] under [${what}], but got a [${tokenName(value)}]`);
  }
  return value as Json;
}

/** The Jackson token name of a JSON value (for error messages). */
export function tokenName(value: unknown): string {
  if (value === null) return 'VALUE_NULL';
  if (Array.isArray(value)) return 'START_ARRAY';
  switch (typeof value) {
    case 'object': return 'START_OBJECT';
    case 'string': return 'VALUE_STRING';
    case 'boolean': return 'VALUE_BOOLEAN';
    case 'number': return Number.isInteger(value) ? 'VALUE_NUMBER_INT' : 'VALUE_NUMBER_FLOAT';
    default: return 'VALUE_EMBEDDED_OBJECT';
  }
}

/** A number parameter (numeric strings accepted, as Jackson coerces them). */
export function num(aggType: string, key: string, value: unknown): number {
  const n = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
  if (typeof n !== 'number' || Number.isNaN(n)) {
    throw new OpenSearchError('x_content_parse_exception', `[1:1] [${aggType}] failed to parse field [${key}]`, 400, { line: 1, col: 1 });
  }
  return n;
}

/** An integer parameter. */
export function int(aggType: string, key: string, value: unknown): number {
  return Math.trunc(num(aggType, key, value));
}

/** A boolean parameter ("true"/"false" strings accepted). */
export function bool(aggType: string, key: string, value: unknown): boolean {
  if (value === true || value === 'true') return true;
  if (value === false || value === 'false') return false;
  throw new OpenSearchError('x_content_parse_exception', `[1:1] [${aggType}] failed to parse field [${key}]`, 400, { line: 1, col: 1 });
}

/** A string parameter (numbers and booleans as their text). */
export function str(aggType: string, key: string, value: unknown): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  throw new OpenSearchError('x_content_parse_exception', `[1:1] [${aggType}] ${key} doesn't support values of type: ${tokenName(value)}`, 400, { line: 1, col: 1 });
}

/** aggregation_execution_exception (400 when it is the caller's fault). */
export function aggExecution(reason: string, status = 400): OpenSearchError {
  return new OpenSearchError('aggregation_execution_exception', reason, status);
}

/** OpenSearch's TooManyBucketsException (status 503 in 2.x, with `max_buckets`). */
export function tooManyBuckets(limit: number, count: number): OpenSearchError {
  return new OpenSearchError(
    'too_many_buckets_exception',
    `Trying to create too many buckets. Must be less than or equal to: [${limit}] but was [${count}]. This limit can be set by changing the [search.max_buckets] cluster level setting.`,
    503,
    { max_buckets: limit },
  );
}

/** The request would use more memory than its budget (a circuit-breaker style 429). */
export function memoryBudgetExceeded(bytes: number, budget: number): OpenSearchError {
  return new OpenSearchError(
    'circuit_breaking_exception',
    `[request] Data too large, data for [<agg>] would be [${bytes}/${formatBytes(bytes)}], which is larger than the limit of [${budget}/${formatBytes(budget)}]`,
    429,
    { bytes_wanted: bytes, bytes_limit: budget, durability: 'TRANSIENT' },
  );
}

function formatBytes(n: number): string {
  const units = ['b', 'kb', 'mb', 'gb', 'tb'];
  let i = 0;
  let v = n;
  while (v >= 1024 && i < units.length - 1) { v /= 1024; i++; }
  return i === 0 ? `${n}b` : `${v.toFixed(1)}${units[i]}`;
}

export { illegalArgument, parsingError, OpenSearchError };
