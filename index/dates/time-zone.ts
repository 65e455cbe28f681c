// Time zones as java.time's ZoneId: fixed offsets (`Z`, `+01:00`, `UTC+1`) and IANA regions whose
// offsets come from one cached `Intl.DateTimeFormat` per zone (memoised per quarter hour);
// `localToUtc` resolves DST gaps and overlaps as `ZonedDateTime.ofLocal` does.

import { daysFromCivil, MS_PER_DAY, MS_PER_HOUR, MS_PER_MINUTE, MS_PER_SECOND } from './civil.ts';

/** A resolved time zone. */
export interface TimeZone {
  /** The id java.time would print (`Z`, `+01:00`, `UTC`, `Europe/Paris`). */
  readonly id: string;
  /** Set when the zone never changes offset (milliseconds east of UTC). */
  readonly fixedOffset: number | undefined;
  /** Milliseconds to add to an instant to get its wall-clock time. */
  offsetAt(utcMs: number): number;
}

/** An unknown or malformed zone id, with java.time's message. */
export class InvalidTimeZoneError extends Error {
  constructor(readonly reason: string) {
    super(reason);
    this.name = 'InvalidTimeZoneError';
  }
}

function fixed(id: string, offsetMs: number): TimeZone {
  return { id, fixedOffset: offsetMs, offsetAt: () => offsetMs };
}

/** UTC as java.time's `ZoneOffset.UTC`. */
export const UTC: TimeZone = fixed('Z', 0);

/** Formats an offset as java.time's ZoneOffset id: `Z`, `+01:00`, `-05:30`, `+05:45:30`. */
export function formatOffsetId(offsetMs: number): string {
  if (offsetMs === 0) return 'Z';
  const total = Math.round(Math.abs(offsetMs) / MS_PER_SECOND);
  const h = Math.floor(total / 3600), m = Math.floor((total % 3600) / 60), s = total % 60;
  const two = (n: number): string => String(n).padStart(2, '0');
  return `${offsetMs < 0 ? '-' : '+'}${two(h)}:${two(m)}${s ? ':' + two(s) : ''}`;
}

/** Parses a ZoneOffset id (`+h`, `+hh`, `+hh:mm`, `+hhmm`, `+hh:mm:ss`, `+hhmmss`) to ms, or undefined. */
export function parseOffsetId(s: string): number | undefined {
  const m = /^([+-])(\d{1,2})(?::?(\d{2})(?::?(\d{2}))?)?$/.exec(s);
  if (!m) return undefined;
  // java.time: a colon must be used consistently, single-digit hours take no minutes.
  if (m[2].length === 1 && m[3] !== undefined) return undefined;
  const h = Number(m[2]), mi = Number(m[3] ?? 0), se = Number(m[4] ?? 0);
  if (h > 18 || mi > 59 || se > 59 || (h === 18 && (mi > 0 || se > 0))) return undefined;
  const ms = (h * 3600 + mi * 60 + se) * MS_PER_SECOND;
  return m[1] === '-' ? -ms : ms;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function regionFormatter(id: string): Intl.DateTimeFormat | undefined {
  let f = formatters.get(id);
  if (f) return f;
  try {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone: id, hourCycle: 'h23', era: 'short',
      year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', second: 'numeric',
    });
  } catch {
    return undefined;
  }
  formatters.set(id, f);
  return f;
}

/** Offset of a region at an instant, straight from Intl (whole seconds). */
function intlOffset(f: Intl.DateTimeFormat, utcMs: number): number {
  const seconds = Math.floor(utcMs / MS_PER_SECOND) * MS_PER_SECOND;
  const p: Record<string, string> = {};
  for (const part of f.formatToParts(seconds)) p[part.type] = part.value;
  let year = Number(p.year);
  if (p.era === 'BC' || p.era === 'B') year = 1 - year;
  const local = daysFromCivil(year, Number(p.month), Number(p.day)) * MS_PER_DAY +
    Number(p.hour) * MS_PER_HOUR + Number(p.minute) * MS_PER_MINUTE + Number(p.second) * MS_PER_SECOND;
  return local - seconds;
}

const BUCKET = 15 * MS_PER_MINUTE;

function region(id: string, f: Intl.DateTimeFormat): TimeZone {
  const cache = new Map<number, number>();
  return {
    id,
    fixedOffset: undefined,
    offsetAt(utcMs) {
      const key = Math.floor(utcMs / BUCKET);
      const hit = cache.get(key);
      if (hit !== undefined) return hit;
      // Cache a quarter hour only when its offset is constant (no transition inside it).
      const a = intlOffset(f, key * BUCKET), b = intlOffset(f, key * BUCKET + BUCKET - 1);
      if (a !== b) return intlOffset(f, utcMs);
      if (cache.size > 100_000) cache.clear();
      cache.set(key, a);
      return a;
    },
  };
}

const zones = new Map<string, TimeZone>([['Z', UTC]]);

/**
 * Resolves a zone id as `ZoneId.of` does. `undefined` is UTC. Throws {@link InvalidTimeZoneError}.
 */
export function resolveTimeZone(id: string | undefined): TimeZone {
  if (id === undefined) return UTC;
  let zone = zones.get(id);
  if (zone) return zone;
  if (id.startsWith('+') || id.startsWith('-')) {
    const off = parseOffsetId(id);
    if (off === undefined) throw new InvalidTimeZoneError(`Invalid ID for ZoneOffset, invalid format: ${id}`);
    zone = off === 0 ? UTC : fixed(formatOffsetId(off), off);
  } else {
    const prefixed = /^(UTC|GMT|UT)(?:([+-].*))?$/.exec(id);
    if (prefixed) {
      const off = prefixed[2] === undefined ? 0 : parseOffsetId(prefixed[2]);
      if (off === undefined) throw new InvalidTimeZoneError(`Invalid ID for offset-based ZoneId: ${id}`);
      zone = fixed(prefixed[2] === undefined ? id : `${prefixed[1]}${formatOffsetId(off)}`, off);
    } else {
      const f = /^[A-Za-z][A-Za-z0-9~/._+-]+$/.test(id) ? regionFormatter(id) : undefined;
      if (!f) throw new InvalidTimeZoneError(`Unknown time-zone ID: ${id}`);
      zone = region(id, f);
    }
  }
  if (zones.size > 1000) zones.clear();
  zones.set(id, zone);
  return zone;
}

/** True when `id` names a zone `resolveTimeZone` accepts. */
export function isValidTimeZone(id: string): boolean {
  try {
    resolveTimeZone(id);
    return true;
  } catch {
    return false;
  }
}

/**
 * The instant of a wall-clock time in a zone, as `ZonedDateTime.ofLocal`: in an overlap the
 * `preferredOffset` if valid, else the earlier instant; in a gap the time moves forward by the gap.
 */
export function localToUtc(localMs: number, zone: TimeZone, preferredOffset?: number): number {
  if (zone.fixedOffset !== undefined) return localMs - zone.fixedOffset;
  // Offsets on either side; real transitions are never closer together than a couple of days.
  const before = zone.offsetAt(localMs - MS_PER_DAY);
  const after = zone.offsetAt(localMs + MS_PER_DAY);
  const validBefore = zone.offsetAt(localMs - before) === before;
  const validAfter = before !== after && zone.offsetAt(localMs - after) === after;
  if (validBefore && validAfter) {
    if (preferredOffset === before || preferredOffset === after) return localMs - preferredOffset;
    return localMs - Math.max(before, after);
  }
  if (validBefore) return localMs - before;
  if (validAfter) return localMs - after;
  return localMs - before; // gap: shifted later by the gap length
}
