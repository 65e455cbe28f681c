// Reading AWS operation inputs the same way whichever wire protocol carried them: awsJson sends typed
// JSON (numbers, booleans, epoch-second timestamps), awsQuery sends every value as a string (ISO-8601
// timestamps). Operation handlers read members through these helpers and get AWS's validation errors.

import { AwsError } from './aws-error.ts';

/** An operation's input object (PascalCase members for CloudWatch, camelCase for Logs). */
export type AwsInput = Record<string, unknown>;

/** The error to throw for a bad value; CloudWatch and Logs name it differently. */
export type InvalidValue = (message: string) => AwsError;

const defaultInvalid: InvalidValue = (m) => new AwsError('InvalidParameterValueException', m, 400, { queryCode: 'InvalidParameterValue' });

/** A string member, or undefined. */
export function optString(input: AwsInput, name: string, invalid: InvalidValue = defaultInvalid): string | undefined {
  const v = input[name];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'string') throw invalid(`The parameter ${name} must be a string.`);
  return v;
}

/** A number member (a JSON number, or a numeric string from awsQuery), or undefined. */
export function optNumber(input: AwsInput, name: string, invalid: InvalidValue = defaultInvalid): number | undefined {
  const v = input[name];
  if (v === undefined || v === null) return undefined;
  const n = typeof v === 'number' ? v : typeof v === 'string' && v.trim() !== '' ? Number(v) : NaN;
  if (!Number.isFinite(n)) throw invalid(`The value ${String(v)} for parameter ${name} is not a valid number.`);
  return n;
}

/** A boolean member (`true`/`false` as JSON or as awsQuery strings), or undefined. */
export function optBoolean(input: AwsInput, name: string, invalid: InvalidValue = defaultInvalid): boolean | undefined {
  const v = input[name];
  if (v === undefined || v === null) return undefined;
  if (v === true || v === 'true') return true;
  if (v === false || v === 'false') return false;
  throw invalid(`The value ${String(v)} for parameter ${name} is not a valid boolean.`);
}

/** A list member (a JSON array, or awsQuery's `Name.member.N`, already folded into an array), or undefined. */
export function optList(input: AwsInput, name: string, invalid: InvalidValue = defaultInvalid): unknown[] | undefined {
  const v = input[name];
  if (v === undefined || v === null) return undefined;
  // The awsQuery protocol sends an empty list as `Name=` (no members), which its schema-less form
  // parser leaves as an empty string; awsJson never has a string where a list goes.
  if (v === '') return [];
  if (!Array.isArray(v)) throw invalid(`The parameter ${name} must be a list.`);
  return v;
}

/**
 * A CloudWatch timestamp member as epoch milliseconds: awsJson sends epoch seconds (fractions allowed),
 * awsQuery sends ISO-8601. Undefined when absent.
 */
export function optTimestamp(input: AwsInput, name: string, invalid: InvalidValue = defaultInvalid): number | undefined {
  const v = input[name];
  if (v === undefined || v === null) return undefined;
  if (typeof v === 'number' && Number.isFinite(v)) return Math.round(v * 1000);
  if (typeof v === 'string') {
    if (/^-?\d+(\.\d+)?$/.test(v.trim())) return Math.round(Number(v) * 1000);
    const ms = Date.parse(v);
    if (Number.isFinite(ms)) return ms;
  }
  throw invalid(`The value ${String(v)} for parameter ${name} is not a valid timestamp.`);
}
