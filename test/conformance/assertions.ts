// The assertion steps: match, length, is_true, is_false, gt, gte, lt, lte, contains.
// Each reads the actual value from the last response (or the stash, for `$key` paths), applies
// upstream's comparison rules, and throws a StepFailure saying what differed.
import { evaluateResponse, type ApiResponse } from './api-response.ts';
import { compileJavaRegex, isRegexLiteral, regexBody } from './java-regex.ts';
import { PathError } from './object-path.ts';
import { StashError, type Stash } from './stash.ts';
import { StepFailure } from './step-failure.ts';
import { compareNumbers, describeValue, isMap, isNumeric, isTruthy, valuesEqual } from './values.ts';

/** What an assertion can see: the stash and the last response. */
export interface AssertionContext {
  stash: Stash;
  response: ApiResponse | undefined;
}

const ASSERTIONS = new Set(['match', 'length', 'is_true', 'is_false', 'gt', 'gte', 'lt', 'lte', 'contains']);

/** True for the step kinds handled by `runAssertion`. */
export function isAssertion(kind: string): boolean {
  return ASSERTIONS.has(kind);
}

/** Runs one assertion step; throws StepFailure when it does not hold. */
export function runAssertion(kind: string, args: unknown, context: AssertionContext): void {
  if (kind === 'is_true' || kind === 'is_false') {
    const field = args === null || args === undefined ? '' : String(args);
    const actual = actualValue(field, context);
    if (isTruthy(actual) !== (kind === 'is_true')) {
      throw new StepFailure(`${kind} ${fieldName(field)}: got ${describeValue(actual)}`, { actual: describeValue(actual, 2000) });
    }
    return;
  }
  if (!isMap(args)) throw new StepFailure(`${kind} expects a map of {path: value}, got ${describeValue(args)}`);
  for (const [field, rawExpected] of Object.entries(args)) {
    const expected = resolveExpected(rawExpected, context.stash);
    const actual = actualValue(field, context);
    const problem = check(kind, expected, actual);
    if (problem !== null) {
      throw new StepFailure(`${kind} ${fieldName(field)}: ${problem}`, {
        expected: describeValue(expected, 2000),
        actual: describeValue(actual, 2000),
      });
    }
  }
}

/** Checks one field; returns a description of the mismatch, or null. */
function check(kind: string, expected: unknown, actual: unknown): string | null {
  switch (kind) {
    case 'match':
      return checkMatch(expected, actual);
    case 'length':
      return checkLength(expected, actual);
    case 'gt':
    case 'gte':
    case 'lt':
    case 'lte':
      return checkOrdering(kind, expected, actual);
    case 'contains':
      return checkContains(expected, actual);
    default:
      return `unknown assertion [${kind}]`;
  }
}

function checkMatch(expected: unknown, actual: unknown): string | null {
  if (isRegexLiteral(expected)) {
    if (typeof actual !== 'string') return `expected a string matching ${expected.trim()}, got ${describeValue(actual)}`;
    const regex = compileJavaRegex(regexBody(expected), { comments: true });
    return regex.test(actual) ? null : `${describeValue(actual)} does not match ${expected.trim()}`;
  }
  if (expected === null || expected === undefined) {
    return actual === null || actual === undefined ? null : `expected null, got ${describeValue(actual)}`;
  }
  if (actual === null || actual === undefined) return `expected ${describeValue(expected)}, got nothing (null or absent)`;
  return valuesEqual(expected, actual) ? null : `expected ${describeValue(expected)}, got ${describeValue(actual)}`;
}

function checkLength(expected: unknown, actual: unknown): string | null {
  const want = Number(expected);
  if (!Number.isInteger(want)) return `expected length must be an integer, got ${describeValue(expected)}`;
  let size: number;
  if (typeof actual === 'string' || Array.isArray(actual)) size = actual.length;
  else if (isMap(actual)) size = Object.keys(actual).length;
  else return `expected something with length ${want}, got ${describeValue(actual)}`;
  return size === want ? null : `expected length ${want}, got ${size}: ${describeValue(actual)}`;
}

function checkOrdering(kind: string, expected: unknown, actual: unknown): string | null {
  if (actual === null || actual === undefined) return `expected a value ${kind} ${describeValue(expected)}, got nothing`;
  let order: number;
  if (isNumeric(expected) && isNumeric(actual)) order = compareNumbers(actual, expected);
  else if (typeof expected === 'string' && typeof actual === 'string') order = actual < expected ? -1 : actual > expected ? 1 : 0;
  else return `cannot compare ${describeValue(actual)} with ${describeValue(expected)}`;
  const holds = { gt: order > 0, gte: order >= 0, lt: order < 0, lte: order <= 0 }[kind as 'gt' | 'gte' | 'lt' | 'lte'];
  return holds ? null : `expected ${kind} ${describeValue(expected)}, got ${describeValue(actual)}`;
}

function checkContains(expected: unknown, actual: unknown): string | null {
  if (!Array.isArray(actual)) return `expected a list, got ${describeValue(actual)}`;
  // A map is looked for as a subset of some element (upstream matches objects inside lists).
  const found = isMap(expected)
    ? actual.some((item) => isMap(item) && Object.entries(expected).every(([k, v]) => Object.hasOwn(item, k) && valuesEqual(v, item[k])))
    : actual.some((item) => valuesEqual(expected, item));
  return found ? null : `${describeValue(actual)} does not contain ${describeValue(expected)}`;
}

/** The actual value: a `$key` field is read from the stash, anything else from the response. */
function actualValue(field: string, context: AssertionContext): unknown {
  try {
    if (context.stash.isReference(field)) return context.stash.lookup(field);
    return evaluateResponse(context.response, field, context.stash);
  } catch (error) {
    if (error instanceof PathError || error instanceof StashError) throw new StepFailure(`path ${fieldName(field)}: ${error.message}`);
    throw error;
  }
}

function resolveExpected(expected: unknown, stash: Stash): unknown {
  try {
    return stash.replace(expected);
  } catch (error) {
    if (error instanceof StashError) throw new StepFailure(error.message);
    throw error;
  }
}

function fieldName(field: string): string {
  return field === '' ? "'' (whole body)" : field;
}
