// UTC time as ingest writes it into documents and index names: ISO-8601 `@timestamp` text on the hot
// path of every ingested event (Firehose records, PutLogEvents) and the `yyyy.mm.dd` day of daily indices.

const DAY_MS = 86_400_000;
let cachedDay = NaN;
let cachedDayPrefix = '';
let cachedSecond = NaN;
let cachedSecondPrefix = '';
const pad2 = (n: number): string => (n < 10 ? '0' : '') + n;

/**
 * `new Date(ms).toISOString()` for integer 0 ≤ ms < year 10000, without a Date per call. The events of
 * one delivery or batch share their UTC day and mostly their second, so `yyyy-mm-ddT` and
 * `yyyy-mm-ddThh:mm:ss.` are cached: about 25 ns for an event in the cached second, 100 ns in another,
 * against 500 ns for toISOString (which the profile showed at 8% of Firehose decoding).
 */
export function isoMillis(ms: number): string {
  const millis = ms % 1000;
  const second = ms - millis;
  if (second !== cachedSecond) {
    cachedSecond = second;
    const day = Math.floor(second / DAY_MS);
    if (day !== cachedDay) {
      cachedDay = day;
      cachedDayPrefix = new Date(day * DAY_MS).toISOString().slice(0, 11);
    }
    let rest = (second - day * DAY_MS) / 1000;
    const h = Math.floor(rest / 3600);
    rest -= h * 3600;
    const m = Math.floor(rest / 60);
    cachedSecondPrefix = `${cachedDayPrefix}${pad2(h)}:${pad2(m)}:${pad2(rest - m * 60)}.`;
  }
  return cachedSecondPrefix + (millis < 10 ? '00' : millis < 100 ? '0' : '') + millis + 'Z';
}

/** `yyyy.mm.dd` of a UTC instant. */
export function utcDay(timestampMs: number): string {
  const d = new Date(timestampMs);
  return `${d.getUTCFullYear()}.${String(d.getUTCMonth() + 1).padStart(2, '0')}.${String(d.getUTCDate()).padStart(2, '0')}`;
}
