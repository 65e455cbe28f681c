// Lossless JSON for the runner: responses are parsed so that integers beyond 2^53 become
// `bigint` (exact) instead of rounded doubles, and request bodies holding such bigints are
// written back as exact integer literals.
import { parse, stringify } from 'lossless-json';

const INTEGER_LITERAL = /^-?\d+$/;

/**
 * Turns one JSON number literal into a value: a `bigint` for an integer outside the safe range,
 * a `number` otherwise (all fractions and exponents stay doubles, like Java's Double).
 */
export function parseNumberLiteral(literal: string): number | bigint {
  if (INTEGER_LITERAL.test(literal)) {
    const asNumber = Number(literal);
    return Number.isSafeInteger(asNumber) ? asNumber : BigInt(literal);
  }
  return Number(literal);
}

/** Parses JSON text keeping big integers exact. Throws SyntaxError on invalid JSON. */
export function parseJson(text: string): unknown {
  return parse(text, null, parseNumberLiteral);
}

/** Serialises a value to compact JSON, writing `bigint` values as exact integer literals. */
export function toJson(value: unknown): string {
  const text = stringify(value);
  if (text === undefined) throw new TypeError('value cannot be serialised to JSON');
  return text;
}
