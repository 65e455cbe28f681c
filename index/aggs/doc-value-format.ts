// How keys and values print in aggregation responses (OpenSearch's DocValueFormat): raw, dates in
// the field's or the request's format and time zone, Java DecimalFormat patterns, booleans and IPs.
// A format travels inside shard partials as plain JSON (`FormatSpec`).

import { decodeIp } from '../mapping/ip.ts';
import { formatDate } from './date-support.ts';

/** A serialisable DocValueFormat. */
export type FormatSpec =
  | { t: 'raw' }
  | { t: 'date'; pattern: string; tz?: string }
  | { t: 'decimal'; pattern: string }
  | { t: 'bool' }
  | { t: 'ip' };

export const RAW: FormatSpec = { t: 'raw' };

/** Whether values in this format also print a `*_as_string` field. */
export function hasString(f: FormatSpec): boolean {
  return f.t !== 'raw' && f.t !== 'ip';
}

/** Prints a numeric value (date millis, number, boolean 0/1) in a format. */
export function formatNumber(f: FormatSpec, v: number): string {
  switch (f.t) {
    case 'raw':
      return javaDouble(v);
    case 'date':
      return formatDate(v, f.pattern, f.tz);
    case 'decimal':
      return decimalFormat(f.pattern, v);
    case 'bool':
      return v !== 0 ? 'true' : 'false';
    case 'ip':
      return javaDouble(v);
  }
}

/** Prints a term (keyword or encoded ip) for rendering. */
export function formatTerm(f: FormatSpec, term: string): string {
  return f.t === 'ip' ? decodeIp(term) : term;
}

/** Java's Double.toString for the common cases (1.0, 0.5, 1.0E10). */
export function javaDouble(v: number): string {
  if (!Number.isFinite(v)) return Number.isNaN(v) ? 'NaN' : v > 0 ? 'Infinity' : '-Infinity';
  if (Number.isInteger(v) && Math.abs(v) < 1e7) return v.toFixed(1);
  const abs = Math.abs(v);
  if (abs >= 1e-3 && abs < 1e7) return String(v);
  const [m, e] = v.toExponential().split('e');
  return `${m.includes('.') ? m : m + '.0'}E${Number(e)}`;
}

/** A subset of java.text.DecimalFormat: prefix/suffix, grouping, 0/# digits, percent, HALF_EVEN. */
export function decimalFormat(pattern: string, value: number): string {
  const positive = pattern.split(';')[0];
  const m = /^([^0#,.]*)([0#,.]+)(.*)$/.exec(positive);
  if (!m) return String(value);
  const [, prefix, body, suffixRaw] = m;
  let v = value;
  const suffix = suffixRaw.replace(/'/g, '');
  if (suffix.includes('%')) v *= 100;
  const [intPart, fracPart = ''] = body.split('.');
  const minInt = (intPart.replace(/[#,]/g, '').match(/0/g) ?? []).length;
  const minFrac = (fracPart.match(/0/g) ?? []).length;
  const maxFrac = fracPart.replace(/,/g, '').length;
  const comma = intPart.lastIndexOf(',');
  const groupSize = comma >= 0 ? intPart.length - comma - 1 : 0;
  const neg = v < 0 || Object.is(v, -0);
  const rounded = roundHalfEven(Math.abs(v), maxFrac);
  let [i, f = ''] = rounded.split('.');
  f = f.replace(/0+$/, '');
  while (f.length < minFrac) f += '0';
  i = i.replace(/^0+/, '');
  while (i.length < minInt) i = '0' + i;
  if (groupSize > 0) i = i.replace(new RegExp(`\\B(?=(\\d{${groupSize}})+(?!\\d))`, 'g'), ',');
  const digits = f.length > 0 ? `${i}.${f}` : i === '' ? '0' : i;
  return `${neg && /[1-9]/.test(digits) ? '-' : ''}${prefix.replace(/'/g, '')}${digits}${suffix}`;
}

function roundHalfEven(v: number, digits: number): string {
  const fixed = v.toFixed(Math.min(100, digits + 3));
  const scaled = v * 10 ** digits;
  const floor = Math.floor(scaled);
  const diff = scaled - floor;
  let r: number;
  if (Math.abs(diff - 0.5) < 1e-9 * Math.max(1, scaled)) r = floor % 2 === 0 ? floor : floor + 1;
  else r = Math.round(scaled);
  if (!Number.isFinite(r) || fixed.length > 40) return v.toFixed(digits);
  const s = (r / 10 ** digits).toFixed(digits);
  return s;
}
