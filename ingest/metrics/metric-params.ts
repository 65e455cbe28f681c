// Input members shared by the CloudWatch metric operations (specs/aws.md §4.2): namespaces, metric
// names, dimension lists, units, periods and statistic names, validated with AWS's error codes and
// `Member.member.N` parameter names, whichever wire protocol carried them.

import { cloudWatchErrors } from '../aws/aws-error.ts';
import { optList, optNumber, optString, type AwsInput } from '../aws/aws-input.ts';

const invalid = cloudWatchErrors.invalidParameterValue;

/** StandardUnit. */
export const STANDARD_UNITS = new Set([
  'Seconds', 'Microseconds', 'Milliseconds', 'Bytes', 'Kilobytes', 'Megabytes', 'Gigabytes', 'Terabytes', 'Bits', 'Kilobits',
  'Megabits', 'Gigabits', 'Terabits', 'Percent', 'Count', 'Bytes/Second', 'Kilobytes/Second', 'Megabytes/Second',
  'Gigabytes/Second', 'Terabytes/Second', 'Bits/Second', 'Kilobits/Second', 'Megabits/Second', 'Gigabits/Second',
  'Terabits/Second', 'Count/Second', 'None',
]);

/** The basic statistics of GetMetricStatistics / MetricStat. */
export const BASIC_STATS = ['SampleCount', 'Average', 'Sum', 'Minimum', 'Maximum'] as const;
export type BasicStat = (typeof BASIC_STATS)[number];

/**
 * A bound of a range statistic: a percentage of the period's data points (`10%`, by rank) or an
 * absolute value (`150`).
 */
export interface StatBound {
  value: number;
  percent: boolean;
}

/**
 * The range statistics of CloudWatch (its "statistics definitions"): over the data points between two
 * bounds (either may be open; lower exclusive, upper inclusive), their trimmed mean (TM), winsorized mean
 * (WM: points beyond a bound count as the bound's value), trimmed count (TC), trimmed sum (TS), or the
 * percentage of all points within them (PR, percentile rank: absolute bounds only).
 */
export type RangeFn = 'TM' | 'WM' | 'TC' | 'TS' | 'PR';

/** A parsed statistic: one of the basic five, a percentile (0–100), or a range statistic. */
export type Stat =
  | { kind: 'basic'; name: BasicStat }
  | { kind: 'percentile'; p: number }
  | { kind: 'range'; fn: RangeFn; lo: StatBound | null; hi: StatBound | null };

/** A number as statistic strings write it: up to 10 decimal places. */
const NUM = String.raw`\d+(?:\.\d{1,10})?`;
const SHORT_RANGE = new RegExp(`^(tm|wm|tc|ts)(${NUM})$`);
const LONG_RANGE = new RegExp(`^(TM|WM|TC|TS|PR)\\((-?${NUM}%?)?:(-?${NUM}%?)?\\)$`);

/**
 * Parses `Average`…, `pNN(.NN)`, `IQM`, the shorthands `tmNN` `wmNN` `tcNN` `tsNN` (the lowest NN% of
 * the points: `tm90` drops the highest 10%) and `TM(a:b)` `WM(a:b)` `TC(a:b)` `TS(a:b)` `PR(a:b)` with
 * percentage or absolute bounds, either left out (`TM(:99%)`, `PR(100:)`); undefined for anything else.
 */
export function parseStat(s: string): Stat | undefined {
  if ((BASIC_STATS as readonly string[]).includes(s)) return { kind: 'basic', name: s as BasicStat };
  const m = /^p(\d{1,3}(?:\.\d{1,10})?)$/.exec(s);
  if (m) {
    const p = Number(m[1]);
    if (p >= 0 && p <= 100) return { kind: 'percentile', p };
    return undefined;
  }
  if (s === 'IQM') return { kind: 'range', fn: 'TM', lo: { value: 25, percent: true }, hi: { value: 75, percent: true } };
  const short = SHORT_RANGE.exec(s);
  if (short) {
    const hi = Number(short[2]);
    return hi > 0 && hi <= 100 ? { kind: 'range', fn: short[1].toUpperCase() as RangeFn, lo: null, hi: { value: hi, percent: true } } : undefined;
  }
  const long = LONG_RANGE.exec(s);
  if (!long || (long[2] === undefined && long[3] === undefined)) return undefined;
  const bound = (t: string | undefined): StatBound | null => (t === undefined ? null : { value: Number(t.replace('%', '')), percent: t.endsWith('%') });
  const lo = bound(long[2]);
  const hi = bound(long[3]);
  for (const b of [lo, hi]) if (b?.percent && (b.value < 0 || b.value > 100)) return undefined;
  // Percentile rank is the share of points up to a value: its bounds are values.
  if (long[1] === 'PR' && (lo?.percent || hi?.percent)) return undefined;
  if (lo && hi && lo.percent === hi.percent && lo.value >= hi.value) return undefined;
  return { kind: 'range', fn: long[1] as RangeFn, lo, hi };
}

/** A required member: MissingParameter when absent or empty. */
export function requireString(input: AwsInput, name: string, param = name): string {
  const v = optString(input, name, invalid);
  if (v === undefined || v === '') throw cloudWatchErrors.missingParameter(`The parameter ${param} is required.`);
  return v;
}

/** Checks a string's length and characters (printable ASCII for namespaces and names). */
export function checkName(value: string, param: string, max: number): void {
  if (value.length < 1 || value.length > max) {
    throw invalid(`The parameter ${param} must be between 1 and ${max} characters long.`);
  }
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f]/.test(value)) throw invalid(`The parameter ${param} must not contain control characters.`);
}

/** A namespace as custom metrics may use it: 1–255 ASCII, not `AWS/…`, not starting with `:`. */
export function checkNamespace(ns: string, param = 'Namespace', forWrite = false): void {
  checkName(ns, param, 255);
  // eslint-disable-next-line no-control-regex
  if (/[^\u0020-\u007e]/.test(ns)) throw invalid(`The value ${ns} for parameter ${param} contains non-ASCII characters.`);
  if (ns.startsWith(':')) throw invalid(`The value ${ns} for parameter ${param} must not start with ':'.`);
  if (forWrite && ns.startsWith('AWS/')) throw invalid(`The value ${ns} for parameter ${param} is invalid: namespaces starting with AWS/ are reserved for AWS services.`);
}

/**
 * A dimension list → name/value map. `requireValues` false (ListMetrics filters) allows a missing
 * value, returned as undefined.
 */
export function parseDimensions(input: AwsInput, name: string, param: string, requireValues = true): Record<string, string | undefined> {
  const list = optList(input, name, invalid) ?? [];
  if (list.length > 30) throw invalid(`The collection ${param} must not have a size greater than 30.`);
  const out: Record<string, string | undefined> = {};
  list.forEach((d, i) => {
    const p = `${param}.member.${i + 1}`;
    if (d === null || typeof d !== 'object' || Array.isArray(d)) throw invalid(`The parameter ${p} must be a structure.`);
    const dim = d as AwsInput;
    const dName = requireString(dim, 'Name', `${p}.Name`);
    checkName(dName, `${p}.Name`, 255);
    if (dName.startsWith(':')) throw invalid(`The value ${dName} for parameter ${p}.Name must not start with ':'.`);
    const value = optString(dim, 'Value', invalid);
    if (value === undefined || value === '') {
      if (requireValues) throw cloudWatchErrors.missingParameter(`The parameter ${p}.Value is required.`);
    } else checkName(value, `${p}.Value`, 1024);
    if (Object.prototype.hasOwnProperty.call(out, dName)) throw invalid(`No two dimensions may share the name ${dName} (${param}).`);
    out[dName] = value === '' ? undefined : value;
  });
  return out;
}

/** A unit member, checked against StandardUnit. */
export function optUnit(input: AwsInput, name: string, param: string): string | undefined {
  const u = optString(input, name, invalid);
  if (u === undefined) return undefined;
  if (!STANDARD_UNITS.has(u)) throw invalid(`The value ${u} for parameter ${param} is not a valid unit.`);
  return u;
}

/** A period: 1, 5, 10, 20, 30 or a positive multiple of 60 seconds. */
export function requirePeriod(input: AwsInput, name: string, param: string): number {
  const p = optNumber(input, name, invalid);
  if (p === undefined) throw cloudWatchErrors.missingParameter(`The parameter ${param} is required.`);
  checkPeriod(p, param);
  return p;
}

export function checkPeriod(p: number, param: string): void {
  if (!Number.isInteger(p) || p < 1 || !(p % 60 === 0 || [1, 5, 10, 20, 30].includes(p))) {
    throw invalid(`The parameter ${param} must be 1, 5, 10, 20, 30, or a multiple of 60.`);
  }
}
