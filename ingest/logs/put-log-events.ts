// PutLogEvents' rules (specs/aws.md §3.2) as pure functions: validate a batch against the clock and the
// group's retention, say which events are accepted and which are rejected (rejectedLogEventsInfo), and
// turn the accepted ones into `cwl-*` documents with deterministic event ids.
//
// Event ids: 56 decimal digits, like CloudWatch's = the timestamp (15 digits, ms) + a 35-digit key of
// (group, stream, SHA-256 of the whole batch's timestamps and messages) + the event's position in the
// batch (6 digits). The SDK retries a PutLogEvents whose reply was lost; the retry carries the same
// batch, gets the same ids and overwrites the documents instead of duplicating them. (The price: two
// byte-identical batches to the same stream are stored once.) Ids sort as (timestamp, batch, position),
// which is the order GetLogEvents and FilterLogEvents page in.

import { createHash } from 'node:crypto';
import { constraintError, logsErrors } from './logs-errors.ts';
import { LogEventJson, logIndexName, type LogEventDocument } from './log-event-document.ts';
import type { SinkDocument } from '../document-sink.ts';
import { isoMillis } from '../utc-time.ts';

/** Limits of one PutLogEvents call. */
export const MAX_BATCH_EVENTS = 10_000;
export const MAX_BATCH_BYTES = 1_048_576;
/** Bytes CloudWatch adds to each message when sizing a batch. */
export const EVENT_OVERHEAD_BYTES = 26;
const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/** One input event after type checks. */
export interface InputLogEvent {
  timestamp: number;
  message: string;
}

/** The modelled `rejectedLogEventsInfo` (only the members that apply are present). */
export interface RejectedLogEventsInfo {
  tooNewLogEventStartIndex?: number;
  tooOldLogEventEndIndex?: number;
  expiredLogEventEndIndex?: number;
}

/** Which part of a batch is stored: events [start, end); the rest is reported as rejected. */
export interface BatchPlan {
  events: InputLogEvent[];
  start: number;
  end: number;
  rejected?: RejectedLogEventsInfo;
  /** Σ(UTF-8 bytes + 26) of the whole batch. */
  bytes: number;
}

/**
 * Checks a `logEvents` member and decides what is accepted. Whole-call failures (size, count, order,
 * 24 h span) throw InvalidParameterException; too old, too new and expired events are partial rejects.
 */
export function planBatch(logEvents: unknown, now: number, retentionInDays?: number): BatchPlan {
  if (!Array.isArray(logEvents)) throw constraintError('logEvents', 'null', 'Member must not be null');
  const n = logEvents.length;
  if (n < 1) throw constraintError('logEvents', '[]', 'Member must have length greater than or equal to 1');
  if (n > MAX_BATCH_EVENTS) throw constraintError('logEvents', `[${n} events]`, `Member must have length less than or equal to ${MAX_BATCH_EVENTS}`);
  let bytes = 0;
  let previous = -Infinity;
  for (let i = 0; i < n; i++) {
    const e = logEvents[i] as InputLogEvent | null;
    if (e === null || typeof e !== 'object') throw constraintError(`logEvents.${i + 1}.member`, 'null', 'Member must not be null');
    const ts = e.timestamp;
    if (typeof ts !== 'number' || !Number.isSafeInteger(ts) || ts < 0) {
      throw constraintError(`logEvents.${i + 1}.member.timestamp`, ts ?? 'null', 'Member must not be null and must be greater than or equal to 0');
    }
    if (typeof e.message !== 'string' || e.message.length === 0) {
      throw constraintError(`logEvents.${i + 1}.member.message`, e.message ?? 'null', 'Member must have length greater than or equal to 1');
    }
    if (ts < previous) throw logsErrors.invalidParameter('Log events in a single PutLogEvents request must be in chronological order.');
    previous = ts;
    bytes += Buffer.byteLength(e.message, 'utf8') + EVENT_OVERHEAD_BYTES;
  }
  if (bytes > MAX_BATCH_BYTES) throw logsErrors.invalidParameter(`Upload too large: ${bytes} bytes exceeds limit of ${MAX_BATCH_BYTES}`);
  const events = logEvents as InputLogEvent[];

  // Sorted, so each rejected group is a prefix or a suffix.
  const tooOldBefore = now - 14 * DAY;
  const expiredBefore = retentionInDays !== undefined ? now - retentionInDays * DAY : -Infinity;
  const tooNewAfter = now + 2 * HOUR;
  let tooOldEnd = 0;
  while (tooOldEnd < n && events[tooOldEnd].timestamp < tooOldBefore) tooOldEnd++;
  let expiredEnd = 0;
  while (expiredEnd < n && events[expiredEnd].timestamp < expiredBefore) expiredEnd++;
  let tooNewStart = n;
  while (tooNewStart > 0 && events[tooNewStart - 1].timestamp > tooNewAfter) tooNewStart--;
  const start = Math.min(Math.max(tooOldEnd, expiredEnd), tooNewStart);
  const end = tooNewStart;
  if (end > start && events[end - 1].timestamp - events[start].timestamp > DAY) {
    throw logsErrors.invalidParameter('The batch of log events in a single PutLogEvents request cannot span more than 24 hours.');
  }
  let rejected: RejectedLogEventsInfo | undefined;
  if (tooOldEnd > 0 || expiredEnd > 0 || tooNewStart < n) {
    rejected = {};
    if (tooNewStart < n) rejected.tooNewLogEventStartIndex = tooNewStart;
    if (tooOldEnd > 0) rejected.tooOldLogEventEndIndex = tooOldEnd;
    if (expiredEnd > 0) rejected.expiredLogEventEndIndex = expiredEnd;
  }
  return { events, start, end, rejected, bytes };
}

/** The 35-digit key shared by every event id of one batch (see the module comment). */
export function batchKey(group: string, stream: string, events: InputLogEvent[]): string {
  const h = createHash('sha256');
  h.update(group).update('\0').update(stream).update('\0');
  // Messages go in one by one; their timestamps and lengths go in once at the end (one hash update
  // per event, no per-event string), which still fixes where each message starts and ends.
  const meta = new Float64Array(events.length * 2);
  for (let i = 0; i < events.length; i++) {
    const e = events[i];
    h.update(e.message);
    meta[2 * i] = e.timestamp;
    meta[2 * i + 1] = e.message.length;
  }
  h.update(new Uint8Array(meta.buffer));
  // 14 bytes < 10^35, so the decimal form fits in 35 digits.
  return BigInt('0x' + h.digest('hex').slice(0, 28)).toString().padStart(35, '0');
}

/** The event id of the event at `position` of a batch. */
export function eventId(timestamp: number, key: string, position: number): string {
  return String(timestamp).padStart(15, '0') + key + String(position).padStart(6, '0');
}

/** The documents of a plan's accepted events, each with its event id as `_id` (retries overwrite). */
export function buildDocuments(group: string, stream: string, plan: BatchPlan, ingestionTime: number): SinkDocument[] {
  const key = batchKey(group, stream, plan.events);
  const ingested = new Date(ingestionTime).toISOString();
  const json = new LogEventJson(group, stream, ingested);
  const docs: SinkDocument[] = new Array(plan.end - plan.start);
  // Index names change only at UTC midnight, and a batch's events mostly share their timestamp: the
  // index name, the timestamp's id prefix and its ISO text are recomputed only when they change.
  let dayEnd = -Infinity;
  let dayStart = Infinity;
  let index = '';
  let lastTs = NaN;
  let idPrefix = '';
  let iso = '';
  for (let i = plan.start; i < plan.end; i++) {
    const e = plan.events[i];
    const ts = e.timestamp;
    if (ts !== lastTs) {
      lastTs = ts;
      if (ts >= dayEnd || ts < dayStart) {
        dayStart = ts - (ts % DAY);
        dayEnd = dayStart + DAY;
        index = logIndexName(group, ts);
      }
      idPrefix = String(ts).padStart(15, '0') + key;
      iso = isoMillis(ts);
    }
    const id = idPrefix + String(i).padStart(6, '0');
    const source: LogEventDocument = {
      '@timestamp': iso,
      message: e.message,
      logGroup: group,
      logStream: stream,
      eventId: id,
      ingestionTime: ingested,
    };
    docs[i - plan.start] = { index, id, source: source as unknown as Record<string, unknown>, json: json.text(iso, e.message, id) };
  }
  return docs;
}
