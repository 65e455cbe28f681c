// Turns the records of one Firehose delivery into documents (specs/aws.md §1.1, §1.5): base64 → gunzip
// when the bytes start with 1f 8b → JSON object, NDJSON lines or plain text; CloudWatch Logs
// subscription envelopes become one log event document each (as PutLogEvents stores them), Metric
// Streams JSON lines become datapoints. Anything that cannot be decoded is returned as a failure with its
// raw bytes and the reason, never dropped. Pure: no I/O, so replays decode to the same documents and ids.

import { isUtf8 } from 'node:buffer';
import { createHash } from 'node:crypto';
import { gunzipSync } from 'node:zlib';
import type { SinkDocument } from '../document-sink.ts';
import { logIndexName, type LogEventDocument } from '../logs/log-event-document.ts';
import { metricIndexName, metricKey, type DatapointDocument } from '../metrics/datapoint-document.ts';
import { parseStat } from '../metrics/metric-params.ts';
import type { RecordFormat } from './firehose-config.ts';
import { isoMillis } from '../utc-time.ts';
import { isStrictBase64 } from './base64.ts';
import type { ByteArena } from './byte-arena.ts';

/** What every record of one delivery shares. */
export interface DecodeContext {
  /** Prefix of every generated `_id`: the request id (hashed when long or unusual), so a replay of the
   * same request overwrites the same documents instead of adding new ones. */
  idBase: string;
  /** The delivery's `timestamp` (ms), the default `@timestamp` and the ingestion time of log events. */
  deliveryMs: number;
  /** The rotated index of plain records. */
  recordIndex: string;
  /** True when the stream's config names an index: log events and datapoints then go there too. */
  explicitIndex: boolean;
  format: RecordFormat;
  /** `X-Amz-Firehose-Common-Attributes`, added to plain records as fields (the record's own fields win). */
  commonAttributes: Record<string, string>;
  /** Largest decompressed record accepted (gzip bombs). */
  maxRecordBytes: number;
  /** Where records' rewritten bytes go (the delivery's arena); separate buffers when absent. */
  arena?: ByteArena;
}

/** A record (or one line or event of it) that could not be stored as a document. */
export interface DecodeFailure {
  recordIndex: number;
  /** The line (NDJSON) or log event number inside the record. */
  part?: number;
  id: string;
  reason: string;
  /** The bytes as received (base64-decoded when that worked), stored base64 in `.firehose-errors`. */
  raw: Buffer;
}

/** The decoded delivery. */
export interface DecodeResult {
  docs: SinkDocument[];
  failures: DecodeFailure[];
  /** CloudWatch Logs `CONTROL_MESSAGE`s: acknowledged, not stored. */
  controlMessages: number;
  /** Empty records (allowed by Firehose; nothing to store). */
  emptyRecords: number;
  /** Decoded (after base64 and gunzip) bytes of all records. */
  bytes: number;
  /** The log streams whose events went to their `cwl-*` indices, with each stream's event time span. */
  logStreams: LogStreamActivity[];
}

/** Events of one CloudWatch Logs stream in a delivery: their group, stream, first and last timestamps (ms). */
export interface LogStreamActivity {
  logGroup: string;
  logStream: string;
  first: number;
  last: number;
}

/** The `_id` prefix for a request id: itself when short and printable, else its SHA-1. */
export function idBaseFor(requestId: string): string {
  return requestId.length <= 128 && /^[\x21-\x7e]+$/.test(requestId) ? requestId : createHash('sha1').update(requestId).digest('hex');
}

/**
 * Decodes every record of a delivery. `records` is the request's `records` array as parsed, where a
 * record may also be its bytes already base64-decoded (and checked) by the envelope scan.
 */
export function decodeRecords(records: unknown[], ctx: DecodeContext): DecodeResult {
  const out: DecodeResult = { docs: [], failures: [], controlMessages: 0, emptyRecords: 0, bytes: 0, logStreams: [] };
  const deliveryIso = new Date(ctx.deliveryMs).toISOString();
  for (let i = 0; i < records.length; i++) decodeRecord(records[i], i, ctx, deliveryIso, out);
  if (out.logStreams.length > 1) out.logStreams = mergeActivity(out.logStreams);
  return out;
}

function decodeRecord(record: unknown, i: number, ctx: DecodeContext, deliveryIso: string, out: DecodeResult): void {
  let bytes: Buffer;
  if (record instanceof Buffer) bytes = record;
  else {
    const data = record !== null && typeof record === 'object' ? (record as { data?: unknown }).data : undefined;
    if (typeof data !== 'string') {
      out.failures.push({ recordIndex: i, id: `${ctx.idBase}-${i}`, reason: 'record has no base64 "data" string', raw: Buffer.from(JSON.stringify(record ?? null)) });
      return;
    }
    bytes = Buffer.from(data, 'base64');
    if (!isStrictBase64(data, bytes.length)) {
      out.failures.push({ recordIndex: i, id: `${ctx.idBase}-${i}`, reason: 'record data is not valid base64', raw: Buffer.from(data) });
      return;
    }
  }
  if (bytes.length === 0) {
    out.emptyRecords++;
    return;
  }
  if (bytes[0] === 0x1f && bytes[1] === 0x8b) {
    try {
      bytes = gunzipSync(bytes, { maxOutputLength: ctx.maxRecordBytes });
    } catch (err) {
      out.failures.push({ recordIndex: i, id: `${ctx.idBase}-${i}`, reason: `gzip record could not be decompressed: ${(err as Error).message}`, raw: bytes });
      return;
    }
  }
  out.bytes += bytes.length;
  if (!isUtf8(bytes)) {
    out.failures.push({ recordIndex: i, id: `${ctx.idBase}-${i}`, reason: 'record is neither JSON nor UTF-8 text (binary data)', raw: bytes });
    return;
  }
  const text = bytes.toString('utf8');
  const body = text.trimEnd();
  if (body === '') {
    out.emptyRecords++;
    return;
  }
  if (body.indexOf('\n') < 0) {
    const obj = body.charCodeAt(0) === 0x7b ? parseObject(body) : undefined;
    if (obj) handleObject(obj, i, undefined, body.length === text.length ? bytes : Buffer.from(body), ctx, deliveryIso, out);
    else if (ctx.format === 'metric-streams') out.failures.push({ recordIndex: i, id: `${ctx.idBase}-${i}`, reason: 'not a Metric Streams JSON object', raw: bytes });
    else out.docs.push(textDoc(body, `${ctx.idBase}-${i}`, ctx, deliveryIso));
    return;
  }
  decodeLines(body, bytes, i, ctx, deliveryIso, out);
}

/** A multi-line record: NDJSON when its first line is a JSON object, else one JSON value or plain text. */
function decodeLines(body: string, bytes: Buffer, i: number, ctx: DecodeContext, deliveryIso: string, out: DecodeResult): void {
  const lines = body.split('\n');
  let first = 0;
  while (lines[first].trim() === '') first++;
  const firstObj = parseObject(lines[first].trim());
  if (!firstObj) {
    const whole = body.trimStart().charCodeAt(0) === 0x7b ? parseObject(body) : undefined; // pretty-printed JSON
    if (whole) handleObject(whole, i, undefined, bytes, ctx, deliveryIso, out);
    else if (ctx.format === 'metric-streams') out.failures.push({ recordIndex: i, id: `${ctx.idBase}-${i}`, reason: 'not Metric Streams JSON lines', raw: bytes });
    else out.docs.push(textDoc(body, `${ctx.idBase}-${i}`, ctx, deliveryIso));
    return;
  }
  for (let j = first; j < lines.length; j++) {
    const line = lines[j].trim();
    if (line === '') continue;
    const obj = j === first ? firstObj : parseObject(line);
    if (obj) handleObject(obj, i, j, Buffer.from(line), ctx, deliveryIso, out);
    else out.failures.push({ recordIndex: i, part: j, id: `${ctx.idBase}-${i}-${j}`, reason: `line ${j + 1} of an NDJSON record is not a JSON object`, raw: Buffer.from(line) });
  }
}

/** One JSON object: a CloudWatch Logs envelope, a Metric Streams datapoint, or a plain record. */
function handleObject(obj: Record<string, unknown>, i: number, j: number | undefined, raw: Buffer, ctx: DecodeContext, deliveryIso: string, out: DecodeResult): void {
  const id = j === undefined ? `${ctx.idBase}-${i}` : `${ctx.idBase}-${i}-${j}`;
  if (ctx.format === 'metric-streams' || isMetricStreamsShape(obj)) {
    const dp = datapoint(obj, ctx);
    if (typeof dp === 'string') out.failures.push({ recordIndex: i, part: j, id, reason: dp, raw });
    else out.docs.push(dp);
    return;
  }
  if (typeof obj.messageType === 'string' && Array.isArray(obj.logEvents)) {
    logEnvelope(obj, i, raw, ctx, deliveryIso, out);
    return;
  }
  // A record that already has its `@timestamp` and every common attribute is stored as sent; one that
  // lacks some gets them written in front of its own bytes (re-serializing a 1 KB record cost ~2.5 µs).
  const added = addRecordFields(obj, ctx, deliveryIso);
  out.docs.push({ index: ctx.recordIndex, id, source: obj, bytes: added.length === 0 ? raw : withFieldsInFront(raw, obj, added, ctx.arena) });
}

/**
 * The record's JSON bytes with `keys` of `obj` (fields it did not have) written first inside its
 * object: `{"@timestamp":"…",` + the record's own members. `raw` is a JSON object (it parsed as one),
 * possibly with leading whitespace.
 */
function withFieldsInFront(raw: Buffer, obj: Record<string, unknown>, keys: string[], arena: ByteArena | undefined): Buffer {
  let open = 0;
  while (open < raw.length && raw[open] !== 0x7b) open++;
  // (Always found: the bytes parsed as a JSON object. Bounded all the same.)
  if (open === raw.length) return Buffer.from(JSON.stringify(obj));
  // The record's own members, if any, follow after a comma.
  let next = open + 1;
  while (raw[next] === 0x20 || raw[next] === 0x0a || raw[next] === 0x0d || raw[next] === 0x09) next++;
  let head = '{';
  for (let i = 0; i < keys.length; i++) head += `${i === 0 ? '' : ','}${JSON.stringify(keys[i])}:${JSON.stringify(obj[keys[i]])}`;
  if (raw[next] !== 0x7d) head += ',';
  const size = Buffer.byteLength(head) + raw.length - open - 1;
  const out = arena ? arena.take(size) : Buffer.allocUnsafe(size);
  const n = out.write(head);
  raw.copy(out, n, open + 1);
  return out;
}

/** A CloudWatch Logs subscription envelope: one document per log event, `CONTROL_MESSAGE`s skipped. */
function logEnvelope(env: Record<string, unknown>, i: number, raw: Buffer, ctx: DecodeContext, deliveryIso: string, out: DecodeResult): void {
  if (env.messageType === 'CONTROL_MESSAGE') {
    out.controlMessages++;
    return;
  }
  if (env.messageType !== 'DATA_MESSAGE' || typeof env.logGroup !== 'string' || typeof env.logStream !== 'string') {
    out.failures.push({ recordIndex: i, id: `${ctx.idBase}-${i}`, reason: `CloudWatch Logs envelope with messageType [${String(env.messageType)}] needs DATA_MESSAGE, logGroup and logStream`, raw });
    return;
  }
  const events = env.logEvents as unknown[];
  let first = Infinity;
  let last = -Infinity;
  for (let k = 0; k < events.length; k++) {
    const e = events[k] as Record<string, unknown> | null;
    if (!e || typeof e.id !== 'string' || e.id === '' || !isEpochMillis(e.timestamp) || typeof e.message !== 'string') {
      out.failures.push({ recordIndex: i, part: k, id: `${ctx.idBase}-${i}-${k}`, reason: `log event ${k} needs a string id, a timestamp in epoch ms and a string message`, raw: Buffer.from(JSON.stringify(e)) });
      continue;
    }
    const doc: LogEventDocument = {
      '@timestamp': isoMillis(e.timestamp),
      message: e.message,
      logGroup: env.logGroup,
      logStream: env.logStream,
      eventId: e.id,
      ingestionTime: deliveryIso,
    };
    const index = ctx.explicitIndex ? ctx.recordIndex : logIndexName(env.logGroup, e.timestamp);
    out.docs.push({ index, id: e.id, source: doc as unknown as Record<string, unknown> });
    if (e.timestamp < first) first = e.timestamp;
    if (e.timestamp > last) last = e.timestamp;
  }
  // Events in their group's `cwl-*` indices are the group's, for the Logs API to list and read.
  if (!ctx.explicitIndex && first <= last) out.logStreams.push({ logGroup: env.logGroup, logStream: env.logStream, first, last });
}

/** One entry per (group, stream), spanning its envelopes' event timestamps. */
function mergeActivity(list: LogStreamActivity[]): LogStreamActivity[] {
  const byStream = new Map<string, LogStreamActivity>();
  for (const a of list) {
    const key = `${a.logGroup}\u0000${a.logStream}`;
    const m = byStream.get(key);
    if (!m) byStream.set(key, { ...a });
    else {
      m.first = Math.min(m.first, a.first);
      m.last = Math.max(m.last, a.last);
    }
  }
  return [...byStream.values()];
}

/** Metric Streams' JSON output format, recognised by its field names. */
export function isMetricStreamsShape(obj: Record<string, unknown>): boolean {
  return typeof obj.metric_stream_name === 'string' && typeof obj.metric_name === 'string' && typeof obj.namespace === 'string' && obj.value !== null && typeof obj.value === 'object';
}

/** A Metric Streams line as a datapoint document (or the reason it is not one). */
function datapoint(m: Record<string, unknown>, ctx: DecodeContext): SinkDocument | string {
  if (typeof m.namespace !== 'string' || typeof m.metric_name !== 'string') return 'Metric Streams record needs namespace and metric_name strings';
  if (!isEpochMillis(m.timestamp)) return 'Metric Streams record needs a timestamp in epoch ms';
  const v = m.value as Record<string, unknown> | null;
  if (!v || typeof v !== 'object') return 'Metric Streams record needs value {max, min, sum, count}';
  for (const k of ['sum', 'count', 'min', 'max']) if (typeof v[k] !== 'number' || !Number.isFinite(v[k])) return `Metric Streams record value.${k} must be a number`;
  const dims: Record<string, string> = {};
  if (m.dimensions !== undefined && m.dimensions !== null) {
    if (typeof m.dimensions !== 'object' || Array.isArray(m.dimensions)) return 'Metric Streams record dimensions must be an object';
    for (const [k, d] of Object.entries(m.dimensions as Record<string, unknown>)) dims[k] = String(d);
  }
  const key = metricKey(m.namespace, m.metric_name, dims);
  const doc: DatapointDocument = {
    '@timestamp': isoMillis(m.timestamp),
    namespace: m.namespace,
    metricName: m.metric_name,
    dimensions: dims,
    metricKey: key,
    sum: v.sum as number,
    count: v.count as number,
    min: v.min as number,
    max: v.max as number,
    storageResolution: 60,
  };
  if (typeof m.unit === 'string' && m.unit !== '') doc.unit = m.unit;
  // The stream's additional statistics (percentiles, trimmed means, …) come as more members of `value`.
  const extended: Record<string, number> = {};
  let extendedCount = 0;
  for (const [k, x] of Object.entries(v)) {
    if (k === 'sum' || k === 'count' || k === 'min' || k === 'max' || typeof x !== 'number' || !Number.isFinite(x) || parseStat(k) === undefined) continue;
    extended[k] = x;
    extendedCount++;
  }
  if (extendedCount > 0) {
    doc.extendedStatistics = JSON.stringify(extended);
    doc.extendedStatisticsCount = extendedCount;
  }
  // One datapoint per metric, account, region and minute: re-sent datapoints overwrite, whatever request carried them.
  const id = createHash('sha1').update(`${key}\u001f${m.timestamp}\u001f${String(m.account_id ?? '')}\u001f${String(m.region ?? '')}`).digest('base64url');
  return { index: ctx.explicitIndex ? ctx.recordIndex : metricIndexName(m.timestamp), id, source: doc as unknown as Record<string, unknown> };
}

/** Gives a plain JSON record the common attributes it lacks and `@timestamp`; returns the keys it added. */
function addRecordFields(obj: Record<string, unknown>, ctx: DecodeContext, deliveryIso: string): string[] {
  const added: string[] = [];
  for (const k in ctx.commonAttributes) {
    if (!(k in obj)) {
      obj[k] = ctx.commonAttributes[k];
      added.push(k);
    }
  }
  if (obj['@timestamp'] === undefined) {
    added.push('@timestamp');
    obj['@timestamp'] = timestampOf(obj.timestamp) ?? deliveryIso;
  }
  return added;
}

/** A plain-text record: `{message, @timestamp, …common attributes}`. */
function textDoc(text: string, id: string, ctx: DecodeContext, deliveryIso: string): SinkDocument {
  const source: Record<string, unknown> = { '@timestamp': deliveryIso, message: text };
  for (const k in ctx.commonAttributes) if (!(k in source)) source[k] = ctx.commonAttributes[k];
  return { index: ctx.recordIndex, id, source };
}

/** A record's own `timestamp` as ISO-8601: epoch ms, epoch seconds (< 1e11) or a parseable date string. */
function timestampOf(t: unknown): string | undefined {
  if (typeof t === 'number' && Number.isFinite(t) && t > 0) {
    const ms = Math.floor(t < 1e11 ? t * 1000 : t);
    return ms < 253402300800000 ? isoMillis(ms) : undefined; // up to year 9999, as toISOString writes it
  }
  if (typeof t === 'string' && t.length >= 10) {
    const ms = Date.parse(t);
    return Number.isNaN(ms) ? undefined : new Date(ms).toISOString();
  }
  return undefined;
}

/** An integer epoch-ms timestamp that ISO-8601 can write (1970 to 9999). */
function isEpochMillis(t: unknown): t is number {
  return typeof t === 'number' && Number.isInteger(t) && t >= 0 && t < 253402300800000;
}

function parseObject(text: string): Record<string, unknown> | undefined {
  try {
    const v: unknown = JSON.parse(text);
    return v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}
