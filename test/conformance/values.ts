// The value model shared by the YAML loader, the response parser and the assertions.
// Values are plain JSON-like data, except that integers beyond 2^53 are kept as `bigint` so
// long and unsigned_long results compare exactly, the way upstream's Long/BigInteger do.
import { stringify } from 'lossless-json';

/** A plain JSON object as parsed from YAML or from a response. */
export type JsonMap = Record<string, unknown>;

/** True for a plain object (a YAML/JSON map), false for arrays, null and scalars. */
export function isMap(value: unknown): value is JsonMap {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** True for the two numeric representations: `number` and `bigint`. */
export function isNumeric(value: unknown): value is number | bigint {
  return typeof value === 'number' || typeof value === 'bigint';
}

/**
 * Numeric equality with upstream's rules: two integers compare exactly (BigInt when either side
 * is big); as soon as a double is involved both sides are compared as doubles, like
 * `MatchAssertion` does for values of different Java classes (1 == 1.0).
 */
export function numbersEqual(a: number | bigint, b: number | bigint): boolean {
  if (typeof a === 'bigint' && typeof b === 'bigint') return a === b;
  if (typeof a === 'number' && typeof b === 'number') return a === b;
  // A bigint always holds an integer outside the safe range; the other side is either a safe
  // integer (which can then never be equal) or a double (compare as doubles, as upstream does).
  return Number(a) === Number(b);
}

/** Orders two numbers, exactly when both are integers and as doubles otherwise. */
export function compareNumbers(a: number | bigint, b: number | bigint): number {
  if (typeof a === 'bigint' || typeof b === 'bigint') {
    const aInt = typeof a === 'bigint' || Number.isInteger(a);
    const bInt = typeof b === 'bigint' || Number.isInteger(b);
    if (aInt && bInt) {
      const x = BigInt(a);
      const y = BigInt(b);
      return x < y ? -1 : x > y ? 1 : 0;
    }
  }
  const x = Number(a);
  const y = Number(b);
  return x < y ? -1 : x > y ? 1 : 0;
}

/**
 * Deep equality used by `match` and `contains`: numbers by `numbersEqual`, lists element by
 * element in order, maps with exactly the same keys (no extra keys on either side).
 */
export function valuesEqual(expected: unknown, actual: unknown): boolean {
  if (expected === null || expected === undefined) return actual === null || actual === undefined;
  if (isNumeric(expected)) return isNumeric(actual) && numbersEqual(expected, actual);
  if (Array.isArray(expected)) {
    return (
      Array.isArray(actual) &&
      actual.length === expected.length &&
      expected.every((item, i) => valuesEqual(item, actual[i]))
    );
  }
  if (isMap(expected)) {
    if (!isMap(actual)) return false;
    const keys = Object.keys(expected);
    if (keys.length !== Object.keys(actual).length) return false;
    return keys.every((key) => Object.hasOwn(actual, key) && valuesEqual(expected[key], actual[key]));
  }
  return expected === actual;
}

/**
 * Renders a value the way Java's `toString()` renders the parsed map: `{type=x, reason=y}`,
 * `[a, b]`. Upstream matches `catch: /regex/` against this text and decides `is_true` with it.
 */
export function javaToString(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  if (Array.isArray(value)) return `[${value.map(javaToString).join(', ')}]`;
  if (isMap(value)) {
    const entries = Object.entries(value).map(([k, v]) => `${k}=${javaToString(v)}`);
    return `{${entries.join(', ')}}`;
  }
  return String(value);
}

/**
 * Upstream's truthiness for `is_true`/`is_false`: null is false, and so is any value whose
 * string form is "", "false" (any case) or "0". Empty maps and lists ("{}", "[]") are true.
 */
export function isTruthy(value: unknown): boolean {
  if (value === null || value === undefined) return false;
  const text = javaToString(value);
  return !(text === '' || text.toLowerCase() === 'false' || text === '0');
}

/** A short, readable rendering of a value for failure messages (bigints printed exactly). */
export function describeValue(value: unknown, maxLength = 300): string {
  let text: string;
  if (value === undefined) text = 'undefined (absent)';
  else if (typeof value === 'string') text = JSON.stringify(value);
  else {
    try {
      text = stringify(value) ?? String(value); // lossless: bigints print as their exact digits
    } catch {
      text = String(value);
    }
  }
  return truncate(text, maxLength);
}

/** Cuts a string to `max` characters, marking the cut. */
export function truncate(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max)}… (${text.length - max} more chars)`;
}
