// The pieces of a java.time DateTimeFormatter (numbers, fractions, literals, texts, offsets, zones,
// optional sections) and the engine that parses and prints them with java.time's semantics: greedy,
// no backtracking except out of optional sections, fixed-width neighbours of a number reserved.

import { formatOffsetId, isValidTimeZone } from './time-zone.ts';

/** Temporal fields a formatter can parse or print. */
export type Field =
  | 'year' | 'yearOfEra' | 'era' | 'weekBasedYear' | 'week' | 'month' | 'day' | 'dayOfYear' | 'dayOfWeek' | 'quarter'
  | 'hour' | 'clockHourOfDay' | 'hourOfAmPm' | 'clockHourOfAmPm' | 'ampm' | 'minute' | 'second' | 'nano'
  | 'milliOfDay' | 'nanoOfDay';

/** How a number's sign is parsed and printed (java.time SignStyle). */
export type Sign = 'normal' | 'exceeds' | 'not_negative' | 'never';

/** One formatter element. */
export type El =
  | { k: 'num'; f: Field; min: number; max: number; sign: Sign; reserve?: number }
  | { k: 'reduced'; f: Field; base: number }
  | { k: 'frac'; min: number; max: number; point: boolean }
  | { k: 'lit'; s: string }
  | { k: 'text'; f: 'month' | 'dayOfWeek' | 'ampm' | 'era' | 'quarter'; style: 'short' | 'full' | 'narrow' }
  | { k: 'offset'; pattern: string; zero: string }
  | { k: 'zoneOrOffset' }
  | { k: 'zoneText'; full: boolean }
  | { k: 'localizedOffset'; full: boolean }
  | { k: 'opt'; els: El[] };

/** Fields collected while parsing; `offset` is in ms, `zone` a zone id. */
export type Parsed = Partial<Record<Field, number>> & { offset?: number; zone?: string };

/** Everything a printer may need about one zoned date-time. */
export interface Printable {
  year: number; month: number; day: number; dayOfYear: number; dayOfWeek: number; weekBasedYear: number; week: number;
  hour: number; minute: number; second: number; nano: number; offset: number; zoneId: string;
}

const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];
const DAYS = ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'];
const TEXTS: Record<string, Record<string, string[]>> = {
  month: { full: MONTHS, short: MONTHS.map((m) => m.slice(0, 3)), narrow: MONTHS.map((m) => m[0]) },
  dayOfWeek: { full: DAYS, short: DAYS.map((d) => d.slice(0, 3)), narrow: DAYS.map((d) => d[0]) },
  ampm: { full: ['AM', 'PM'], short: ['AM', 'PM'], narrow: ['a', 'p'] },
  era: { full: ['Before Christ', 'Anno Domini'], short: ['BC', 'AD'], narrow: ['B', 'A'] },
  quarter: { full: ['1st quarter', '2nd quarter', '3rd quarter', '4th quarter'], short: ['Q1', 'Q2', 'Q3', 'Q4'], narrow: ['1', '2', '3', '4'] },
};
// Text values are 1-based except am/pm and era (0-based as in ChronoField).
const TEXT_BASE: Record<string, number> = { month: 1, dayOfWeek: 1, ampm: 0, era: 0, quarter: 1 };

/** Common zone abbreviations java.time parses for `z`. */
const ZONE_ABBREVIATIONS: Record<string, string> = {
  UTC: 'UTC', GMT: 'GMT', UT: 'UT', Z: 'Z', PST: 'America/Los_Angeles', PDT: 'America/Los_Angeles', MST: 'America/Denver',
  MDT: 'America/Denver', CST: 'America/Chicago', CDT: 'America/Chicago', EST: 'America/New_York', EDT: 'America/New_York',
  CET: 'CET', CEST: 'CET', BST: 'Europe/London', JST: 'Asia/Tokyo', IST: 'Asia/Kolkata', AEST: 'Australia/Sydney',
};

const isDigit = (c: number): boolean => c >= 48 && c <= 57;

/** Fixed-width numbers right after a variable-width one reserve their digits (adjacent value parsing). */
export function linkAdjacent(els: El[]): El[] {
  for (let i = 0; i < els.length; i++) {
    const e = els[i];
    if (e.k === 'opt') linkAdjacent(e.els);
    if (e.k !== 'num' || e.min === e.max) continue;
    let reserve = 0;
    for (let j = i + 1; j < els.length; j++) {
      const n = els[j];
      if (n.k === 'num' && n.min === n.max) reserve += n.min;
      else if (n.k === 'reduced') reserve += 2;
      else if (n.k === 'frac' && !n.point && n.min === n.max) reserve += n.min;
      else break;
    }
    if (reserve > 0) e.reserve = reserve;
  }
  return els;
}

function parseNumber(e: Extract<El, { k: 'num' }>, text: string, pos: number, out: Parsed): number {
  let p = pos;
  let negative = false;
  const c = text.charCodeAt(p);
  if ((c === 45 || c === 43) && (e.sign === 'normal' || e.sign === 'exceeds')) {
    if (c === 43 && e.sign === 'normal') return -1;
    negative = c === 45;
    p++;
  }
  let available = 0;
  while (p + available < text.length && isDigit(text.charCodeAt(p + available))) available++;
  let take = Math.min(e.max, available - (e.reserve ?? 0));
  if (take < e.min) take = Math.min(e.min, available);
  if (take < e.min || take === 0) return -1;
  if (e.sign === 'exceeds') {
    // Strict EXCEEDS_PAD: '+' only, and always, when the pad width is exceeded.
    if (c === 43 ? take <= e.min : !negative && take > e.min) return -1;
  }
  const value = Number(text.slice(p, p + take));
  if (negative && value === 0) return -1; // java.time rejects minus zero when strict
  out[e.f] = negative ? -value : value;
  return p + take;
}

function parseFraction(e: Extract<El, { k: 'frac' }>, text: string, pos: number, out: Parsed): number {
  let p = pos;
  if (e.point) {
    if (text[p] !== '.') return e.min === 0 ? pos : -1;
    p++;
  }
  let n = 0;
  while (n < e.max && p + n < text.length && isDigit(text.charCodeAt(p + n))) n++;
  if (n < Math.max(e.min, 1)) return e.min === 0 && !e.point ? pos : -1;
  out.nano = Number(text.slice(p, p + n).padEnd(9, '0'));
  return p + n;
}

/** Parses an offset per an appendOffset pattern (`+HH`, `+HHmm`, `+HH:mm`, `+HHMM`, `+HH:MM`, …ss). */
function parseOffset(pattern: string, zero: string, text: string, pos: number): [number, number] | undefined {
  // java.time tries the no-offset text first (`Z`, `+0000`…).
  if (zero !== '' && text.startsWith(zero, pos)) return [pos + zero.length, 0];
  const sign = text[pos];
  if (sign !== '+' && sign !== '-') return undefined;
  const colon = pattern.includes(':');
  const two = (p: number): number => (isDigit(text.charCodeAt(p)) && isDigit(text.charCodeAt(p + 1)) ? Number(text.slice(p, p + 2)) : -1);
  let p = pos + 1;
  const h = two(p);
  if (h < 0 || h > 18) return undefined;
  p += 2;
  let total = h * 3600;
  // Each later part is required when written in upper case (MM, SS), optional in lower case (mm, ss).
  const parts: string[] = pattern.slice(3).replace(/:/g, '').match(/MM|mm|SS|ss/g) ?? [];
  for (const part of parts) {
    const start = p + (colon ? 1 : 0);
    const v = colon && text[p] !== ':' ? -1 : two(start);
    if (v < 0 || v > 59) {
      if (part === 'MM' || part === 'SS') return undefined;
      break;
    }
    total += part.toLowerCase() === 'mm' ? v * 60 : v;
    p = start + 2;
  }
  if (total > 18 * 3600) return undefined; // java.time's ZoneOffset range is ±18:00
  return [p, (sign === '-' ? -total : total) * 1000];
}

/** `appendZoneOrOffsetId`: `Z`, `±hh:mm[:ss]`, `UTC`/`GMT`/`UT` with optional offset, or a region id. */
function parseZoneOrOffset(text: string, pos: number, out: Parsed): number {
  const c = text[pos];
  if (c === '+' || c === '-') {
    const r = parseOffset('+HH:MM:ss', 'Z', text, pos);
    if (!r) return -1;
    out.offset = r[1];
    return r[0];
  }
  const m = /^(?:(?:UTC|GMT|UT)(?:[+-]\d{1,2}(?::?\d{2}(?::?\d{2})?)?)?(?![A-Za-z/])|Z(?![A-Za-z/])|[A-Za-z][A-Za-z0-9~._+-]*(?:\/[A-Za-z0-9~._+-]+)*)/.exec(text.slice(pos));
  if (!m) return -1;
  if (m[0] === 'Z') out.offset = 0;
  else if (isValidTimeZone(m[0])) out.zone = m[0];
  else return -1;
  return pos + m[0].length;
}

function parseText(e: Extract<El, { k: 'text' }>, text: string, pos: number, out: Parsed): number {
  const names = TEXTS[e.f][e.style];
  let best = -1;
  for (let i = 0; i < names.length; i++) {
    if (text.startsWith(names[i], pos) && (best < 0 || names[i].length > names[best].length)) best = i;
  }
  if (best < 0) return -1;
  out[e.f] = best + TEXT_BASE[e.f];
  return pos + names[best].length;
}

/** Parses `els` from `pos`; returns the end position or -1. `out` collects the fields. */
export function parseElements(els: readonly El[], text: string, pos: number, out: Parsed): number {
  let p = pos;
  for (const e of els) {
    switch (e.k) {
      case 'num': p = parseNumber(e, text, p, out); break;
      case 'reduced': {
        if (!isDigit(text.charCodeAt(p)) || !isDigit(text.charCodeAt(p + 1))) return -1;
        out[e.f] = e.base + Number(text.slice(p, p + 2));
        p += 2;
        break;
      }
      case 'frac': p = parseFraction(e, text, p, out); break;
      case 'lit': p = text.startsWith(e.s, p) ? p + e.s.length : -1; break;
      case 'text': p = parseText(e, text, p, out); break;
      case 'offset': {
        const r = parseOffset(e.pattern, e.zero, text, p);
        if (!r) return -1;
        out.offset = r[1];
        p = r[0];
        break;
      }
      case 'zoneOrOffset': p = parseZoneOrOffset(text, p, out); break;
      case 'zoneText': {
        const m = /^[A-Za-z][A-Za-z0-9_/+-]*/.exec(text.slice(p));
        const zone = m && (ZONE_ABBREVIATIONS[m[0]] ?? (isValidTimeZone(m[0]) ? m[0] : undefined));
        if (!m || !zone) return -1;
        if (zone === 'Z') out.offset = 0; else out.zone = zone;
        p += m[0].length;
        break;
      }
      case 'localizedOffset': {
        if (!text.startsWith('GMT', p)) return -1;
        p += 3;
        const m = /^([+-])(\d{1,2})(?::(\d{2})(?::(\d{2}))?)?/.exec(text.slice(p));
        if (m) {
          const ms = (Number(m[2]) * 3600 + Number(m[3] ?? 0) * 60 + Number(m[4] ?? 0)) * 1000;
          out.offset = m[1] === '-' ? -ms : ms;
          p += m[0].length;
        } else out.offset = 0;
        break;
      }
      case 'opt': {
        const attempt: Parsed = { ...out };
        const r = parseElements(e.els, text, p, attempt);
        if (r >= 0) { Object.assign(out, attempt); p = r; }
        break;
      }
    }
    if (p < 0) return -1;
  }
  return p;
}

function printNumber(value: number, min: number, sign: Sign): string {
  const digits = String(Math.abs(value)).padStart(min, '0');
  if (value < 0) return '-' + digits;
  return sign === 'exceeds' && String(value).length > min ? '+' + digits : digits;
}

function printOffset(pattern: string, zero: string, offsetMs: number): string {
  if (offsetMs === 0) return zero;
  const total = Math.round(Math.abs(offsetMs) / 1000);
  const h = Math.floor(total / 3600), m = Math.floor((total % 3600) / 60), s = total % 60;
  const colon = pattern.includes(':') ? ':' : '';
  const two = (n: number): string => String(n).padStart(2, '0');
  let out = (offsetMs < 0 ? '-' : '+') + two(h);
  const parts: string[] = pattern.slice(3).replace(/:/g, '').match(/MM|mm|SS|ss/g) ?? [];
  const hasM = parts.some((x) => x.toLowerCase() === 'mm');
  const hasS = parts.some((x) => x.toLowerCase() === 'ss');
  if (hasM && (parts.includes('MM') || m !== 0 || (hasS && s !== 0))) out += colon + two(m);
  if (hasS && (parts.includes('SS') || s !== 0)) out += colon + two(s);
  return out;
}

/** Prints `els` for one zoned date-time. */
export function printElements(els: readonly El[], v: Printable): string {
  let out = '';
  for (const e of els) {
    switch (e.k) {
      case 'num': {
        const value = fieldValue(e.f, v);
        out += printNumber(e.sign === 'not_negative' || e.sign === 'never' ? Math.abs(value) : value, e.min, e.sign);
        break;
      }
      case 'reduced': out += String(((fieldValue(e.f, v) % 100) + 100) % 100).padStart(2, '0'); break;
      case 'frac': {
        let digits = String(v.nano).padStart(9, '0').slice(0, e.max);
        while (digits.length > e.min && digits.endsWith('0')) digits = digits.slice(0, -1);
        if (digits.length > 0) out += (e.point ? '.' : '') + digits;
        break;
      }
      case 'lit': out += e.s; break;
      case 'text': out += TEXTS[e.f][e.style][fieldValue(e.f, v) - TEXT_BASE[e.f]]; break;
      case 'offset': out += printOffset(e.pattern, e.zero, v.offset); break;
      case 'zoneOrOffset': out += v.zoneId; break;
      case 'zoneText': out += v.zoneId === 'Z' ? 'Z' : v.zoneId.includes('/') ? shortZoneName(v) : v.zoneId; break;
      case 'localizedOffset': out += localizedOffset(v.offset, e.full); break;
      case 'opt': out += printElements(e.els, v); break;
    }
  }
  return out;
}

function localizedOffset(offsetMs: number, full: boolean): string {
  if (offsetMs === 0) return 'GMT';
  const id = formatOffsetId(offsetMs);
  if (full) return 'GMT' + id;
  const [h, m, s] = id.slice(1).split(':').map(Number);
  return `GMT${id[0]}${h}${m || s ? ':' + String(m).padStart(2, '0') : ''}${s ? ':' + String(s).padStart(2, '0') : ''}`;
}

function shortZoneName(v: Printable): string {
  const name = new Intl.DateTimeFormat('en-US', { timeZone: v.zoneId, timeZoneName: 'short' })
    .formatToParts(Date.UTC(2000, 0, 1) + 0).find((p) => p.type === 'timeZoneName')?.value;
  return name ?? v.zoneId;
}

function fieldValue(f: Field, v: Printable): number {
  switch (f) {
    case 'year': return v.year;
    case 'yearOfEra': return v.year > 0 ? v.year : 1 - v.year;
    case 'era': return v.year > 0 ? 1 : 0;
    case 'weekBasedYear': return v.weekBasedYear;
    case 'week': return v.week;
    case 'month': return v.month;
    case 'day': return v.day;
    case 'dayOfYear': return v.dayOfYear;
    case 'dayOfWeek': return v.dayOfWeek;
    case 'quarter': return Math.floor((v.month - 1) / 3) + 1;
    case 'hour': return v.hour;
    case 'clockHourOfDay': return v.hour === 0 ? 24 : v.hour;
    case 'hourOfAmPm': return v.hour % 12;
    case 'clockHourOfAmPm': return v.hour % 12 === 0 ? 12 : v.hour % 12;
    case 'ampm': return v.hour < 12 ? 0 : 1;
    case 'minute': return v.minute;
    case 'second': return v.second;
    case 'nano': return v.nano;
    case 'milliOfDay': return ((v.hour * 60 + v.minute) * 60 + v.second) * 1000 + Math.floor(v.nano / 1e6);
    case 'nanoOfDay': return ((v.hour * 60 + v.minute) * 60 + v.second) * 1e9 + v.nano;
  }
}

