// One Firehose HTTP-endpoint delivery, from request to durable documents (specs/aws.md §1): access key,
// gzip, the JSON envelope, request-id dedupe, record decoding (record-decoder.ts), the durable write
// through the DocumentSink, undecodable records into `.firehose-errors`, then the acknowledgement.

import { timingSafeEqual } from 'node:crypto';
import { gunzipSync } from 'node:zlib';
import type { DocumentSink, SinkDocument, StagedWrite } from '../document-sink.ts';
import { LOG_INDEX_TEMPLATE, LOG_INDEX_TEMPLATE_NAME } from '../logs/log-event-document.ts';
import { METRIC_INDEX_TEMPLATE, METRIC_TEMPLATE_NAME } from '../metrics/datapoint-document.ts';
import type { FirehoseConfig, StreamConfig } from './firehose-config.ts';
import { ByteArena } from './byte-arena.ts';
import { scanEnvelope } from './envelope.ts';
import { FirehoseError } from './firehose-error.ts';
import { rotatedIndexName } from './index-rotation.ts';
import { decodeRecords, idBaseFor, type DecodeFailure, type LogStreamActivity } from './record-decoder.ts';
import { RequestLog } from './request-log.ts';

/** Where undecodable records are kept, with their raw bytes and the reason. */
export const ERROR_INDEX = '.firehose-errors';

/** Hidden, so `*` (Discover, `_search` on everything) skips it; `.firehose-errors` and `.*` still see it. */
const ERROR_INDEX_TEMPLATE = {
  index_patterns: [ERROR_INDEX],
  priority: 100,
  template: {
    settings: { number_of_shards: 1, number_of_replicas: 0, 'index.hidden': true },
    mappings: {
      dynamic: false,
      properties: {
        '@timestamp': { type: 'date' },
        requestId: { type: 'keyword' },
        deliveryStream: { type: 'keyword' },
        sourceArn: { type: 'keyword' },
        index: { type: 'keyword' },
        recordIndex: { type: 'integer' },
        part: { type: 'integer' },
        reason: { type: 'text' },
        rawData: { type: 'binary' },
      },
    },
  },
};

/** A delivery as received over HTTP (headers by their lower-case names). */
export interface DeliveryRequest {
  /** From the URL (`/_firehose/<name>`), else from the source ARN. */
  streamName?: string;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
}

/** The outcome: the §1.2 response plus what happened, for logs and metrics. */
export interface DeliveryOutcome {
  requestId: string;
  timestamp: number;
  stream: string;
  records: number;
  docs: number;
  failures: number;
  /** Decoded record bytes. */
  bytes: number;
  /** True when this was a retry of an acknowledged request (nothing written). */
  replay: boolean;
}

/** Something that logs (pino or fastify's logger). */
export interface FirehoseLogger {
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
}

/** An engine fault while storing records, as the retryable answer Firehose gets. */
function storeError(err: unknown): FirehoseError {
  const code = (err as { code?: string }).code;
  const status = code === 'ENOSPC' || code === 'EDQUOT' || code === 'EIO' ? 503 : 500;
  return new FirehoseError(status, `Unable to store the records durably (${code ?? (err as Error).message}); retry.`);
}

/** Accepts Firehose deliveries: authenticates, dedupes by request id, decodes records and writes them durably. */
export class FirehoseService {
  private readonly requestLog: RequestLog;
  private readonly inFlight = new Map<string, Promise<DeliveryOutcome>>();
  private inFlightRecords = 0;
  private templates: Promise<void> | null = null;
  private warnedOpen = false;
  /**
   * Told of the CloudWatch Logs streams a delivery's events went to (once they are durable), so the
   * Logs API lists and reads them as it does PutLogEvents' (server/routes/firehose.ts wires it).
   */
  onLogStreams: ((streams: LogStreamActivity[], ingestionMs: number) => Promise<void>) | null = null;

  constructor(
    private readonly sink: DocumentSink,
    private readonly config: FirehoseConfig,
    dataDir: string,
    private readonly log: FirehoseLogger,
    private readonly maxBodyBytes: number,
    private readonly now: () => number = Date.now,
  ) {
    // Built once the engine has recovered, before any write: entries are checked against what it recovered.
    this.requestLog = new RequestLog(RequestLog.pathIn(dataDir), config.dedupeTtlMs, config.dedupeMaxEntries, now, (marks) => sink.survived(marks));
  }

  close(): void {
    this.requestLog.close();
  }

  /** The request id as the header gives it (for error bodies before the envelope is parsed). */
  static headerRequestId(headers: DeliveryRequest['headers']): string {
    const h = headers['x-amz-firehose-request-id'];
    return typeof h === 'string' ? h : '';
  }

  /**
   * Handles one delivery; throws FirehoseError for anything but success. Reads `req.body` only before
   * its first await (the envelope is parsed and the records decoded into buffers of their own), so the
   * caller may reuse the body as soon as this returns its promise.
   */
  async deliver(req: DeliveryRequest): Promise<DeliveryOutcome> {
    // The records' bytes: reused by later deliveries once this one is answered (the engine copies
    // what it keeps before its write returns).
    const arena = new ByteArena();
    try {
      return await this.deliverWith(req, arena);
    } finally {
      arena.release();
    }
  }

  private async deliverWith(req: DeliveryRequest, arena: ByteArena): Promise<DeliveryOutcome> {
    const streamName = req.streamName ?? streamFromArn(header(req, 'x-amz-firehose-source-arn'));
    if (!streamName) throw new FirehoseError(400, 'No delivery stream: POST to /_firehose/<stream-or-index> (or send X-Amz-Firehose-Source-Arn).');
    const stream = this.config.streams.get(streamName);
    this.checkAccessKey(header(req, 'x-amz-firehose-access-key'), stream);
    const envelope = this.parseEnvelope(req, arena);
    const common = commonAttributes(header(req, 'x-amz-firehose-common-attributes'));
    const { requestId } = envelope;
    const acked = this.requestLog.get(requestId);
    if (acked) return { requestId, timestamp: acked.timestamp, stream: streamName, records: envelope.records.length, docs: 0, failures: 0, bytes: 0, replay: true };
    const running = this.inFlight.get(requestId);
    // A retry racing the first attempt (Firehose timed out on it): one answer for both, stored once.
    if (running) return { ...(await running), docs: 0, failures: 0, bytes: 0, replay: true };
    const n = envelope.records.length;
    if (this.inFlightRecords > 0 && this.inFlightRecords + n > this.config.maxInFlightRecords) {
      throw new FirehoseError(429, `Lookout is busy (${this.inFlightRecords} records in flight); retry later.`);
    }
    this.inFlightRecords += n;
    const work = this.store(streamName, stream, envelope, header(req, 'x-amz-firehose-source-arn'), common, arena);
    this.inFlight.set(requestId, work);
    try {
      return await work;
    } finally {
      this.inFlight.delete(requestId);
      this.inFlightRecords -= n;
    }
  }

  private async store(streamName: string, stream: StreamConfig | undefined, env: Envelope, sourceArn: string | undefined, common: Record<string, string>, arena: ByteArena): Promise<DeliveryOutcome> {
    const index = rotatedIndexName(stream?.index ?? streamName.toLowerCase(), stream?.rotation ?? 'NoRotation', env.timestamp, this.config.weekScheme);
    const idBase = idBaseFor(env.requestId);
    const recordCount = env.records.length;
    const decoded = decodeRecords(env.records, {
      idBase, deliveryMs: env.timestamp, recordIndex: index, explicitIndex: stream?.index !== undefined,
      format: stream?.format ?? 'auto', commonAttributes: common, maxRecordBytes: this.maxBodyBytes, arena,
    });
    // What waits for the fsync survives young-generation collections, which copy it each time: the
    // records (their base64 text or bytes, ~1-1.4 KB each) are not needed once decoded.
    env.records = [];
    await this.ensureTemplates();
    const meta = { requestId: env.requestId, deliveryStream: streamName, sourceArn, index, deliveryMs: env.timestamp };
    const docCount = decoded.docs.length;
    const batch = decoded.docs;
    for (const f of decoded.failures) batch.push(errorDoc(f, meta));
    const written = this.stage(batch);
    // The engine has taken the documents; only a refusal below reads one again, from its bytes.
    for (const d of batch) if (d.bytes) d.source = RELEASED;
    // Documents the engine refused (mapping conflicts, bad index names): kept in the error index too.
    const refused: SinkDocument[] = [];
    for (let k = 0; k < written.items.length; k++) {
      const r = written.items[k];
      if (!r.error) continue;
      if (r.status === 429 || r.status >= 500) throw new FirehoseError(503, `The engine could not store a record (${r.error.type}: ${r.error.reason}); retry.`);
      if (k >= docCount) throw new FirehoseError(500, `The error index refused a record (${r.error.type}: ${r.error.reason}).`);
      const d = batch[k];
      refused.push(errorDoc({ recordIndex: -1, id: `${d.id ?? k}-refused`, reason: `${r.error.type}: ${r.error.reason}`, raw: d.bytes ?? Buffer.from(JSON.stringify(d.source)) }, { ...meta, index: d.index }));
    }
    const kept = refused.length > 0 ? this.stage(refused) : null;
    const stored = kept ? Promise.all([written.durable, kept.durable]) : written.durable;
    // The request id is made durable at the same time as the records, not after them (two fsyncs one
    // after the other were most of a delivery's time under load); the entry carries where the records
    // went, so after a crash one whose records did not survive is not trusted (see RequestLog).
    const timestamp = this.now();
    // Settles without rejecting: a failure to record is answered only after the records' own outcome.
    const recorded = this.requestLog
      .record(env.requestId, timestamp, [...written.marks, ...(kept?.marks ?? [])], stored)
      .then(() => null, (err: Error) => new FirehoseError(503, `The records are stored but the delivery could not be recorded (${err.message}); retry.`));
    await stored;
    const notRecorded = await recorded;
    if (notRecorded) throw notRecorded;
    if (decoded.logStreams.length > 0 && this.onLogStreams) {
      await this.onLogStreams(decoded.logStreams, env.timestamp).catch((err: Error) => {
        throw new FirehoseError(503, `The records are stored but their log groups could not be recorded (${err.message}); retry.`);
      });
    }
    const failures = decoded.failures.length + refused.length;
    if (failures > 0) this.log.warn({ requestId: env.requestId, stream: streamName, failures }, 'firehose: records kept in .firehose-errors');
    return { requestId: env.requestId, timestamp, stream: streamName, records: recordCount, docs: docCount - refused.length, failures, bytes: decoded.bytes, replay: false };
  }

  /**
   * The engine takes the documents (their items now, durability as a promise); an engine fault (disk
   * full, I/O error), now or at the fsync, becomes a retryable 5xx. Not `async`, so no suspended frame
   * holds `docs` until the fsync.
   */
  private stage(docs: SinkDocument[]): StagedWrite {
    if (docs.length === 0) return { items: [], marks: [], durable: Promise.resolve() };
    let staged: StagedWrite;
    try {
      staged = this.sink.stage(docs);
    } catch (err) {
      throw storeError(err);
    }
    const durable = staged.durable.catch((err: unknown) => {
      throw storeError(err);
    });
    // Awaited only after the request id's record started: not an unhandled rejection meanwhile.
    durable.catch(() => undefined);
    return { ...staged, durable };
  }

  private ensureTemplates(): Promise<void> {
    this.templates ??= (async () => {
      const put = async (name: string, body: Record<string, unknown>) => {
        try {
          await this.sink.putIndexTemplate(name, body);
        } catch (err) {
          // Another subsystem installed an equivalent template under its own name first: keep theirs.
          this.log.warn({ template: name, err: (err as Error).message }, 'firehose: index template not installed');
        }
      };
      // The same names the Logs and metrics APIs install under, so the templates never clash.
      await put(LOG_INDEX_TEMPLATE_NAME, LOG_INDEX_TEMPLATE);
      await put(METRIC_TEMPLATE_NAME, METRIC_INDEX_TEMPLATE);
      await put('firehose-errors', ERROR_INDEX_TEMPLATE);
      for (const [name, s] of this.config.streams) {
        if (s.template && s.index) {
          await put(`firehose-${name}`, { index_patterns: [s.index, `${s.index}-*`], priority: 50, template: s.template });
        }
      }
    })();
    return this.templates;
  }

  private checkAccessKey(key: string | undefined, stream: StreamConfig | undefined): void {
    const accepted = stream?.accessKeys ?? this.config.accessKeys;
    if (accepted.length === 0) {
      if (!this.warnedOpen) this.log.warn({}, 'firehose: no firehose.access_keys configured, every delivery is accepted');
      this.warnedOpen = true;
      return;
    }
    if (!key) throw new FirehoseError(401, 'Missing X-Amz-Firehose-Access-Key.');
    if (accepted.some((k) => safeEqual(k, key))) return;
    const knownElsewhere = [...this.config.accessKeys, ...[...this.config.streams.values()].flatMap((s) => s.accessKeys ?? [])].some((k) => safeEqual(k, key));
    if (knownElsewhere) throw new FirehoseError(403, 'This access key may not deliver to this stream.');
    throw new FirehoseError(401, 'Invalid X-Amz-Firehose-Access-Key.');
  }

  private parseEnvelope(req: DeliveryRequest, arena: ByteArena): Envelope {
    let body = req.body;
    const enc = header(req, 'content-encoding')?.toLowerCase();
    if (enc === 'gzip' || enc === 'x-gzip') {
      try {
        body = gunzipSync(body, { maxOutputLength: this.maxBodyBytes });
      } catch (err) {
        if ((err as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE') throw new FirehoseError(413, `The decompressed body exceeds ${this.maxBodyBytes} bytes; lower the stream's buffer size.`);
        throw new FirehoseError(400, 'The body could not be decompressed (Content-Encoding: gzip).');
      }
    } else if (enc !== undefined && enc !== '' && enc !== 'identity') {
      throw new FirehoseError(400, `Unsupported Content-Encoding [${enc}].`);
    }
    // Read from the bytes (records decoded from slices of them); JSON.parse for bodies the scan does
    // not take, so malformed ones get JSON.parse's own message.
    let parsed: unknown = scanEnvelope(body, arena) ?? undefined;
    if (parsed === undefined) {
      try {
        parsed = JSON.parse(body.toString('utf8'));
      } catch (err) {
        throw new FirehoseError(400, `The body is not a JSON document: ${(err as Error).message}`);
      }
    }
    if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) throw new FirehoseError(400, 'The body must be a JSON object with requestId, timestamp and records.');
    const p = parsed as Record<string, unknown>;
    if (typeof p.requestId !== 'string' || p.requestId === '') throw new FirehoseError(400, 'Missing requestId.');
    const headerId = header(req, 'x-amz-firehose-request-id');
    if (headerId && headerId !== p.requestId) throw new FirehoseError(400, 'The X-Amz-Firehose-Request-Id header and the body requestId differ.');
    const id = p.requestId;
    if (!Array.isArray(p.records)) throw new FirehoseError(400, 'Missing records (an array of {"data": "<base64>"}).', id);
    if (p.records.length > 10_000) throw new FirehoseError(400, `At most 10000 records per request, got ${p.records.length}.`, id);
    if (p.timestamp !== undefined && (typeof p.timestamp !== 'number' || !Number.isFinite(p.timestamp))) throw new FirehoseError(400, 'timestamp must be a number (ms since epoch).', id);
    return { requestId: p.requestId, timestamp: (p.timestamp as number | undefined) ?? this.now(), records: p.records };
  }
}

/** The parsed `source` of a document the engine has already taken (see `store`). */
const RELEASED: Record<string, unknown> = Object.freeze({}) as Record<string, unknown>;

interface Envelope {
  requestId: string;
  timestamp: number;
  records: unknown[];
}

function header(req: DeliveryRequest, name: string): string | undefined {
  const v = req.headers[name];
  return Array.isArray(v) ? v[0] : v;
}

/** `arn:aws:firehose:<region>:<account>:deliverystream/<name>` → `<name>`. */
export function streamFromArn(arn: string | undefined): string | undefined {
  const m = arn ? /:deliverystream\/([^/]+)$/.exec(arn) : null;
  return m ? m[1] : undefined;
}

/** `X-Amz-Firehose-Common-Attributes: {"commonAttributes": {...}}` → the attributes. */
function commonAttributes(value: string | undefined): Record<string, string> {
  if (!value) return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(value);
  } catch {
    throw new FirehoseError(400, 'X-Amz-Firehose-Common-Attributes is not JSON.');
  }
  const attrs = (parsed as { commonAttributes?: unknown } | null)?.commonAttributes;
  if (attrs === null || typeof attrs !== 'object' || Array.isArray(attrs)) throw new FirehoseError(400, 'X-Amz-Firehose-Common-Attributes must be {"commonAttributes": {...}}.');
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(attrs as Record<string, unknown>)) out[k] = String(v);
  return out;
}

function safeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/** The `.firehose-errors` document of a record that could not be stored. */
function errorDoc(f: DecodeFailure, meta: { requestId: string; deliveryStream: string; sourceArn?: string; index: string; deliveryMs: number }): SinkDocument {
  const source: Record<string, unknown> = {
    '@timestamp': new Date(meta.deliveryMs).toISOString(),
    requestId: meta.requestId,
    deliveryStream: meta.deliveryStream,
    index: meta.index,
    reason: f.reason,
    rawData: f.raw.toString('base64'),
  };
  if (f.recordIndex >= 0) source.recordIndex = f.recordIndex;
  if (f.part !== undefined) source.part = f.part;
  if (meta.sourceArn) source.sourceArn = meta.sourceArn;
  return { index: ERROR_INDEX, id: f.id, source };
}

