// A Firehose delivery simulator for tests: builds requests exactly as Amazon Data Firehose's HTTP
// endpoint destination sends them (specs/aws.md §1.1, aws-captures/firehose-synthetic-request.txt) and
// sends them over real HTTP to 127.0.0.1, returning the raw response for byte-level checks.

import { randomUUID } from 'node:crypto';
import { request } from 'node:http';
import { gzipSync } from 'node:zlib';
import { call } from '../helpers/server-process.ts';

export interface Delivery {
  requestId: string;
  timestamp: number;
  /** Raw record bytes (base64-encoded on the wire). */
  records: (Buffer | string)[];
}

export interface SendOptions {
  stream?: string;
  accessKey?: string;
  commonAttributes?: Record<string, string>;
  gzip?: boolean;
  sourceArn?: string;
  /** Replace the JSON body entirely (malformed-request tests). */
  rawBody?: Buffer | string;
  /** Extra or overriding headers. */
  headers?: Record<string, string>;
  /** Leave out the request-id header. */
  noRequestIdHeader?: boolean;
}

export interface RawResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** A delivery with a fresh request id and the given records. */
export function delivery(records: (Buffer | string)[], timestamp = Date.parse('2024-01-01T00:01:00Z')): Delivery {
  return { requestId: randomUUID(), timestamp, records };
}

/** The JSON body Firehose sends. */
export function deliveryBody(d: Delivery): string {
  return JSON.stringify({ requestId: d.requestId, timestamp: d.timestamp, records: d.records.map((r) => ({ data: Buffer.from(r).toString('base64') })) });
}

/** A CloudWatch Logs subscription record: gzip level 6 of the envelope, as CloudWatch Logs sends it. */
export function cwlRecord(logGroup: string, logStream: string, events: { id: string; timestamp: number; message: string }[]): Buffer {
  const env = { messageType: 'DATA_MESSAGE', owner: '123456789012', logGroup, logStream, subscriptionFilters: ['to-firehose'], logEvents: events };
  return gzipSync(JSON.stringify(env), { level: 6 });
}

/** The health-check record CloudWatch Logs sends when a subscription is created. */
export function cwlControlRecord(): Buffer {
  const env = {
    messageType: 'CONTROL_MESSAGE', owner: 'CloudwatchLogs', logGroup: '', logStream: '', subscriptionFilters: [],
    logEvents: [{ id: '', timestamp: Date.parse('2024-01-01T00:00:00Z'), message: 'CWL CONTROL MESSAGE: Checking health of destination Firehose.' }],
  };
  return gzipSync(JSON.stringify(env), { level: 6 });
}

/** A Metric Streams (JSON output format) record: one JSON object per line. */
export function metricStreamsRecord(lines: Record<string, unknown>[]): string {
  return lines.map((l) => JSON.stringify(l)).join('\n') + '\n';
}

/** Sends a delivery to `POST /_firehose/<stream>` of a server and returns the raw response. */
export function sendDelivery(baseUrl: string, d: Delivery, opts: SendOptions = {}): Promise<RawResponse> {
  const json = opts.rawBody ?? deliveryBody(d);
  const body = opts.gzip ? gzipSync(json) : Buffer.from(json);
  const headers: Record<string, string | number> = {
    'Content-Type': 'application/json',
    'Content-Length': body.length,
    'X-Amz-Firehose-Protocol-Version': '1.0',
    'X-Amz-Firehose-Source-Arn': opts.sourceArn ?? `arn:aws:firehose:us-east-1:123456789012:deliverystream/${opts.stream ?? 'test'}`,
    // Invites compression, so a compressing plugin added to the app later would break these tests (the
    // spec forbids Content-Encoding on the response).
    'Accept-Encoding': 'gzip, deflate, br',
  };
  if (!opts.noRequestIdHeader) headers['X-Amz-Firehose-Request-Id'] = d.requestId;
  if (opts.gzip) headers['Content-Encoding'] = 'gzip';
  if (opts.accessKey !== undefined) headers['X-Amz-Firehose-Access-Key'] = opts.accessKey;
  if (opts.commonAttributes) headers['X-Amz-Firehose-Common-Attributes'] = JSON.stringify({ commonAttributes: opts.commonAttributes });
  Object.assign(headers, opts.headers ?? {});
  const url = new URL(baseUrl);
  const path = opts.stream === undefined ? '/_firehose' : `/_firehose/${encodeURIComponent(opts.stream)}`;
  return new Promise((resolve, reject) => {
    const req = request({ host: url.hostname, port: url.port, method: 'POST', path, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(body);
  });
}

/**
 * Checks a response against specs/aws.md §1.2 byte for byte: the status, exactly
 * `Content-Type: application/json`, no Content-Encoding, a Content-Length equal to the body's length,
 * and a body that is exactly `{"requestId":"<id>","timestamp":<integer>}` (plus `errorMessage` when
 * one is expected). Returns the timestamp. Throws a descriptive error otherwise.
 */
export function expectFirehoseResponse(res: RawResponse, status: number, requestId: string, errorMessage?: RegExp): number {
  const problems: string[] = [];
  if (res.status !== status) problems.push(`status ${res.status}, expected ${status}`);
  if (res.headers['content-type'] !== 'application/json') problems.push(`content-type [${String(res.headers['content-type'])}]`);
  if (res.headers['content-encoding'] !== undefined) problems.push('content-encoding present');
  if (Number(res.headers['content-length']) !== Buffer.byteLength(res.body)) problems.push(`content-length ${String(res.headers['content-length'])} for ${Buffer.byteLength(res.body)} bytes`);
  const idJson = JSON.stringify(requestId);
  const re = errorMessage
    ? new RegExp(`^\\{"requestId":${escapeRe(idJson)},"timestamp":(\\d+),"errorMessage":(".*")\\}$`)
    : new RegExp(`^\\{"requestId":${escapeRe(idJson)},"timestamp":(\\d+)\\}$`);
  const m = re.exec(res.body);
  if (!m) problems.push(`body ${res.body}`);
  else if (errorMessage && !errorMessage.test(JSON.parse(m[2]) as string)) problems.push(`errorMessage ${m[2]} does not match ${errorMessage}`);
  if (problems.length > 0) throw new Error(`not a spec-exact Firehose response: ${problems.join('; ')}`);
  return Number(m![1]);
}

function escapeRe(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** `_count` of an index after a `_refresh` (0 when the index does not exist). */
export async function storedCount(url: string, index: string): Promise<number> {
  await call(url, 'POST', `/${index}/_refresh`);
  const r = await call(url, 'GET', `/${index}/_count`);
  return r.status === 200 ? r.body.count : 0;
}
