// GetLogEvents and FilterLogEvents over the `cwl-*` documents (specs/aws.md §3.1, §3.3). Events are read
// in (timestamp, event id) order with `search_after`, so a token is the position a page ended on. The
// timestamp comes from `@timestamp`, never from the id: ids of events that arrived from CloudWatch over
// Firehose are CloudWatch's own, not Lookout's timestamp-prefixed ones (put-log-events.ts). FilterLogEvents narrows the engine query with
// the pattern's pre-filter and checks every candidate with the exact matcher.

import type { DocumentSink } from '../document-sink.ts';
import { logGroupIndexPrefix } from './log-event-document.ts';
import { logsErrors } from './logs-errors.ts';
import type { FilterPattern } from './filter-pattern.ts';
import { matchesPattern, prefilterClauses } from './filter-pattern-match.ts';

/** Most events (and about the most bytes) one page returns. */
export const MAX_PAGE_EVENTS = 10_000;
const MAX_PAGE_BYTES = 1_048_576;

/** An event's share of a page, counted as PutLogEvents counts it: UTF-8 bytes of the message + 26. */
function eventBytes(message: string): number {
  return Buffer.byteLength(message, 'utf8') + 26;
}
/** Events FilterLogEvents examines per call before it returns a (possibly short) page and a token. */
const FILTER_SCAN_BUDGET = 200_000;
const ID_DIGITS = 56;
const MIN_ID = '0'.repeat(ID_DIGITS);
const MAX_ID = '9'.repeat(ID_DIGITS);
/** A read position: an event's timestamp and id (the sort key), rendered `<ms>-<id>` in tokens. */
interface Cursor {
  ts: number;
  /** FilterLogEvents' second key: the ingestion time (ms). */
  ing?: number;
  id: string;
}
const START: Cursor = { ts: -8.64e15, ing: -8.64e15, id: MIN_ID };
const END: Cursor = { ts: 8.64e15, ing: 8.64e15, id: MAX_ID };

/** An event as the read operations return it. */
export interface ReadEvent {
  logStreamName: string;
  timestamp: number;
  message: string;
  ingestionTime: number;
  eventId: string;
}

interface Hit {
  _source: { message: string; logStream: string; eventId: string; ingestionTime: string; '@timestamp': string };
}

export interface GetLogEventsRequest {
  startTime?: number;
  endTime?: number;
  nextToken?: string;
  limit: number;
  startFromHead: boolean;
}

export interface FilterLogEventsRequest {
  streams?: string[];
  streamPrefix?: string;
  startTime?: number;
  endTime?: number;
  pattern: FilterPattern;
  nextToken?: string;
  limit: number;
  startFromHead: boolean;
}

/** Reads log events of a group or stream back, in pages, through the DocumentSink. */
export class LogEventReader {
  constructor(private readonly sink: DocumentSink) {}

  /**
   * One page of a stream. Tokens are `f/<id>/s` (events after id, oldest first) and `b/<id>/s` (events
   * before id, newest first, returned oldest first). At either end the token sent comes back unchanged.
   */
  async getLogEvents(group: string, stream: string, req: GetLogEventsRequest): Promise<{ events: Omit<ReadEvent, 'logStreamName' | 'eventId'>[]; nextForwardToken: string; nextBackwardToken: string }> {
    let dir: 'f' | 'b';
    let from: Cursor;
    if (req.nextToken !== undefined) {
      const m = /^([fb])\/(-?\d+)-(\d+)\/s$/.exec(req.nextToken);
      if (!m) throw logsErrors.invalidParameter('The specified nextToken is invalid.');
      dir = m[1] as 'f' | 'b';
      from = { ts: Number(m[2]), id: m[3] };
    } else {
      dir = req.startFromHead ? 'f' : 'b';
      from = dir === 'f' ? START : END;
    }
    const filter: Record<string, unknown>[] = [{ term: { logGroup: group } }, { term: { logStream: stream } }];
    // GetLogEvents: startTime inclusive, endTime exclusive.
    const range = timeRange(req.startTime, req.endTime, false);
    if (range) filter.push(range);
    let hits = await this.page(group, filter, dir === 'f' ? 'asc' : 'desc', from, req.limit);
    // Trim to the page byte budget in scan order, so the events nearest the token are kept.
    let bytes = 0;
    let n = 0;
    for (; n < hits.length; n++) {
      bytes += eventBytes(hits[n]._source.message);
      if (bytes > MAX_PAGE_BYTES && n > 0) break;
    }
    hits = hits.slice(0, n);
    if (dir === 'b') hits.reverse();
    if (hits.length === 0) {
      const token = `${dir}/${cursorText(from)}/s`;
      return dir === 'f'
        ? { events: [], nextForwardToken: token, nextBackwardToken: `b/${cursorText({ ts: from.ts, id: increment(from.id) })}/s` }
        : { events: [], nextForwardToken: `f/${cursorText({ ts: from.ts, id: decrement(from.id) })}/s`, nextBackwardToken: token };
    }
    return {
      events: hits.map((h) => ({ timestamp: Date.parse(h._source['@timestamp']), message: h._source.message, ingestionTime: Date.parse(h._source.ingestionTime) })),
      nextForwardToken: `f/${cursorText(cursorOf(hits[hits.length - 1]))}/s`,
      nextBackwardToken: `b/${cursorText(cursorOf(hits[0]))}/s`,
    };
  }

  /** One page of matching events across streams; no `nextToken` in the reply means the end. */
  async filterLogEvents(group: string, req: FilterLogEventsRequest): Promise<{ events: ReadEvent[]; nextToken?: string }> {
    const order = req.startFromHead ? 'asc' : 'desc';
    let last = order === 'asc' ? START : END;
    if (req.nextToken !== undefined) last = decodeFilterToken(req.nextToken, order);
    const filter: Record<string, unknown>[] = [{ term: { logGroup: group } }];
    if (req.streams) filter.push({ terms: { logStream: req.streams } });
    if (req.streamPrefix !== undefined) filter.push({ prefix: { logStream: req.streamPrefix } });
    // FilterLogEvents: both ends inclusive.
    const range = timeRange(req.startTime, req.endTime, true);
    if (range) filter.push(range);
    filter.push(...prefilterClauses(req.pattern));
    const exact = req.pattern.kind === 'all';
    const events: ReadEvent[] = [];
    let scanned = 0;
    let bytes = 0;
    for (;;) {
      const want = req.limit - events.length;
      // One more than needed, so a page that ends exactly at the last event says so (no token).
      const size = exact ? want + 1 : Math.min(MAX_PAGE_EVENTS, Math.max(want * 2, 1000));
      const hits = await this.page(group, filter, order, last, size, true);
      let full = false;
      for (const h of hits) {
        const src = h._source;
        scanned++;
        const at = cursorOf(h, true);
        if (!exact && !matchesPattern(req.pattern, src.message)) {
          last = at;
          continue;
        }
        // An event that would take the page past 1 MB starts the next page (the token points before it).
        const eventSize = eventBytes(src.message);
        if (events.length > 0 && bytes + eventSize > MAX_PAGE_BYTES) {
          full = true;
          break;
        }
        last = at;
        events.push({ logStreamName: src.logStream, timestamp: at.ts, message: src.message, ingestionTime: Date.parse(src.ingestionTime), eventId: src.eventId });
        bytes += eventSize;
        if (events.length >= req.limit) {
          full = true;
          break;
        }
      }
      // A short read means nothing lies beyond it; a page that filled on the very last event read ends too.
      const drained = hits.length < size;
      if (drained && (!full || last.id === hits[hits.length - 1]._source.eventId)) return { events };
      if (full || scanned >= FILTER_SCAN_BUDGET) return { events, nextToken: encodeFilterToken(last, order) };
    }
  }

  /**
   * Events after a cursor in (timestamp, event id) order, or with `byIngestion` in FilterLogEvents' order:
   * timestamp, then ingestion time, then event id (events of one timestamp come in the order they were
   * ingested; the id orders a batch's events by their position).
   */
  private async page(group: string, filter: Record<string, unknown>[], order: 'asc' | 'desc', after: Cursor, size: number, byIngestion = false): Promise<Hit[]> {
    const body: Record<string, unknown> = {
      size,
      query: { bool: { filter } },
      sort: byIngestion ? [{ '@timestamp': order }, { ingestionTime: order }, { eventId: order }] : [{ '@timestamp': order }, { eventId: order }],
      search_after: byIngestion ? [after.ts, after.ing ?? 0, after.id] : [after.ts, after.id],
      track_total_hits: false,
      _source: ['message', 'logStream', 'eventId', 'ingestionTime', '@timestamp'],
    };
    const res = await this.sink.search(`${logGroupIndexPrefix(group)}*`, body);
    return ((res.hits as { hits?: Hit[] } | undefined)?.hits ?? []) as Hit[];
  }
}

function cursorOf(h: Hit, withIngestion = false): Cursor {
  const c: Cursor = { ts: Date.parse(h._source['@timestamp']), id: h._source.eventId };
  if (withIngestion) c.ing = Date.parse(h._source.ingestionTime);
  return c;
}

function cursorText(c: Cursor): string {
  return `${c.ts}-${c.id}`;
}

function timeRange(start: number | undefined, end: number | undefined, endInclusive: boolean): Record<string, unknown> | undefined {
  if (start === undefined && end === undefined) return undefined;
  const r: Record<string, unknown> = { format: 'epoch_millis' };
  if (start !== undefined) r.gte = start;
  if (end !== undefined) r[endInclusive ? 'lte' : 'lt'] = end;
  return { range: { '@timestamp': r } };
}

function encodeFilterToken(last: Cursor, order: 'asc' | 'desc'): string {
  return Buffer.from(`${order === 'asc' ? 'a' : 'd'}:${last.ts}_${last.ing ?? 0}_${last.id}`).toString('base64url');
}

function decodeFilterToken(token: string, order: 'asc' | 'desc'): Cursor {
  const m = /^([ad]):(-?\d+)_(-?\d+)_(\d+)$/.exec(Buffer.from(token, 'base64url').toString('utf8'));
  if (!m || (m[1] === 'a') !== (order === 'asc')) throw logsErrors.invalidParameter('The specified nextToken is invalid.');
  return { ts: Number(m[2]), ing: Number(m[3]), id: m[4] };
}

/** A fixed-width decimal string plus one (saturating at all nines). */
function increment(id: string): string {
  if (id === MAX_ID) return id;
  return (BigInt(id) + 1n).toString().padStart(id.length, '0');
}

/** A fixed-width decimal string minus one (saturating at zero). */
function decrement(id: string): string {
  if (id === MIN_ID) return id;
  return (BigInt(id) - 1n).toString().padStart(id.length, '0');
}
