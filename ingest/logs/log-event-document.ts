// Where and how a CloudWatch log event is stored: one document per event under the `cwl-*` index
// pattern, the same for PutLogEvents and for CloudWatch Logs subscription records arriving over Firehose.

import { createHash } from 'node:crypto';
import { utcDay } from '../utc-time.ts';

/** The index pattern every log event is under (Discover's default `cwl-*` pattern). */
export const LOG_INDEX_PATTERN = 'cwl-*';

/** A log event as stored. */
export interface LogEventDocument {
  /** The event's timestamp, ISO-8601 UTC with milliseconds. */
  '@timestamp': string;
  message: string;
  /** The log group and stream names exactly as given (keyword). */
  logGroup: string;
  logStream: string;
  /** CloudWatch's event id (a decimal string); also the document `_id`, so re-delivery overwrites. */
  eventId: string;
  /** When Lookout (or CloudWatch, for subscription data) ingested it, ISO-8601 UTC. */
  ingestionTime: string;
}

/**
 * Writes the JSON of one group and stream's log event documents: the text JSON.stringify gives, with
 * the members every event of a batch shares escaped once (the generic JSON.stringify of each event's
 * object was a fifth of PutLogEvents' time on the event loop).
 */
export class LogEventJson {
  private readonly middle: string;
  private readonly end: string;

  constructor(logGroup: string, logStream: string, ingestionTime: string) {
    this.middle = `,"logGroup":${JSON.stringify(logGroup)},"logStream":${JSON.stringify(logStream)},"eventId":`;
    this.end = `,"ingestionTime":${JSON.stringify(ingestionTime)}}`;
  }

  /** The JSON of an event (as `LogEventDocument`, in its key order). */
  text(timestamp: string, message: string, eventId: string): string {
    return `{"@timestamp":${JSON.stringify(timestamp)},"message":${JSON.stringify(message)}${this.middle}${JSON.stringify(eventId)}${this.end}`;
  }
}

/**
 * The index of a log group's events for one UTC day: `cwl-<slug>-<hash>-<yyyy.mm.dd>`.
 * Log group names may hold `/`, `#`, `.` and capitals, which index names cannot (or which would make
 * two groups collide once lower-cased), so the name is slugged for readability and an 8-hex-digit hash
 * of the exact name keeps groups apart. Queries select a group by the `logGroup` field, never by name.
 */
export function logIndexName(logGroup: string, timestampMs: number): string {
  return `${logGroupIndexPrefix(logGroup)}${utcDay(timestampMs)}`;
}

/** `cwl-<slug>-<hash>-`: every daily index of one log group starts with it (retention, deletion). */
export function logGroupIndexPrefix(logGroup: string): string {
  const slug = logGroup.toLowerCase().replace(/^[/_.\-+]+/, '').replace(/[^a-z0-9._]+/g, '_').slice(0, 120) || 'group';
  const hash = createHash('sha1').update(logGroup).digest('hex').slice(0, 8);
  return `cwl-${slug}-${hash}-`;
}

/**
 * The name LOG_INDEX_TEMPLATE is stored under. Every writer of `cwl-*` must put it under this name:
 * two templates with the same priority and overlapping patterns are refused at index creation.
 */
export const LOG_INDEX_TEMPLATE_NAME = 'cwl-logs';

/** The composable template that gives every `cwl-*` index its mapping. */
export const LOG_INDEX_TEMPLATE = {
  index_patterns: [LOG_INDEX_PATTERN],
  priority: 100,
  template: {
    // `cwl_message` is the standard analyzer with tokens kept whole up to 1 MiB (a message's maximum), so
    // any run of letters and digits in a message lies inside one token: filter patterns rely on it
    // (filter-pattern-match.ts, prefilterClauses).
    settings: {
      number_of_shards: 1,
      number_of_replicas: 0,
      analysis: { analyzer: { cwl_message: { type: 'standard', max_token_length: 1_048_576 } } },
    },
    mappings: {
      dynamic: true,
      properties: {
        '@timestamp': { type: 'date' },
        message: { type: 'text', analyzer: 'cwl_message' },
        logGroup: { type: 'keyword' },
        logStream: { type: 'keyword' },
        eventId: { type: 'keyword' },
        ingestionTime: { type: 'date' },
      },
    },
  },
};
