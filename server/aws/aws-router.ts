// Dispatches the AWS APIs that share `POST /` (specs/aws.md §2, §4.1, §8.5): awsJson by the
// `X-Amz-Target` prefix (`Logs_20140328.` → CloudWatch Logs, JSON 1.1; `GraniteServiceVersion20100801.`
// → CloudWatch metrics and alarms, JSON 1.0 with query-compatible errors) and awsQuery by the form's
// `Action=`. Handlers live in ingest/ and alarms/; this file only speaks the wire.

import { randomUUID } from 'node:crypto';
import { gunzipSync } from 'node:zlib';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { AwsError } from '../../ingest/aws/aws-error.ts';
import type { AwsInput } from '../../ingest/aws/aws-input.ts';
import { parseQueryForm, renderJson, renderQueryError, renderQueryResponse } from './aws-query-codec.ts';
import { noteAwsInput } from '../observability/lookout-metrics.ts';
import { verifySigV4, type AwsCredential, type SigningService } from './sigv4.ts';

/** What a handler knows about the call besides its input. */
export interface AwsCallContext {
  requestId: string;
  /** Which wire protocol carried the call (handlers rarely care: inputs are read through aws-input.ts). */
  protocol: 'awsJson1_0' | 'awsJson1_1' | 'awsQuery';
  /** The access key id of the signature, when there is one. */
  accessKeyId?: string;
}

/** One operation: input object in, output object out (`Date` values are timestamps) or an AwsError thrown. */
export type AwsOperation = (input: AwsInput, ctx: AwsCallContext) => unknown;

interface AwsService {
  /** `X-Amz-Target` prefix, e.g. `Logs_20140328`. */
  target: string;
  /** The SigV4 signing name a call's credential scope must carry (`logs`, `monitoring`). */
  signingName: SigningService;
  protocol: 'awsJson1_0' | 'awsJson1_1';
  /** Whether errors also carry `x-amzn-query-error` (CloudWatch's awsQueryCompatible trait). */
  queryCompatible: boolean;
  /** The `__type` namespace prefix, e.g. `com.amazonaws.cloudwatch#`. */
  errorNamespace: string;
  /** For services that also speak awsQuery: the `Version=` value and the XML namespace of replies. */
  query?: { version: string; xmlns: string };
  operations: Map<string, AwsOperation>;
}

/** The CloudWatch Logs service (awsJson1_1). */
export const LOGS_TARGET = 'Logs_20140328';
/** The CloudWatch metrics and alarms service (awsJson1_0, query compatible, and awsQuery). */
export const CLOUDWATCH_TARGET = 'GraniteServiceVersion20100801';

/**
 * Request size limits of operations, in bytes of the body as sent (compressed or not): PutMetricData
 * takes at most 1 MB (API reference; AWS answers 413 RequestEntityTooLarge, "Request size N exceeded
 * 1048576 bytes", which batching clients such as the CloudWatch agent split on).
 */
const REQUEST_LIMITS = new Map<string, number>([['PutMetricData', 1_048_576]]);

function checkRequestSize(operation: string, raw: Buffer): void {
  const limit = REQUEST_LIMITS.get(operation);
  if (limit !== undefined && raw.length > limit) throw requestTooLarge(raw.length, limit);
}

/** AWS's 413 for a request over a size limit (`size` unknown when a chunked body was cut off). */
function requestTooLarge(size: number | undefined, limit: number): AwsError {
  const message = size === undefined ? `Request size exceeded ${limit} bytes` : `Request size ${size} exceeded ${limit} bytes`;
  return new AwsError('RequestEntityTooLarge', message, 413, { queryCode: 'RequestEntityTooLarge' });
}

/** The AWS services served on `POST /` and their operations (`node.aws`); decodes requests and renders replies and errors. */
export class AwsRouter {
  private readonly services = new Map<string, AwsService>([
    [LOGS_TARGET, { target: LOGS_TARGET, signingName: 'logs', protocol: 'awsJson1_1', queryCompatible: false, errorNamespace: '', operations: new Map() }],
    [
      CLOUDWATCH_TARGET,
      {
        target: CLOUDWATCH_TARGET,
        signingName: 'monitoring',
        protocol: 'awsJson1_0',
        queryCompatible: true,
        errorNamespace: 'com.amazonaws.cloudwatch#',
        query: { version: '2010-08-01', xmlns: 'http://monitoring.amazonaws.com/doc/2010-08-01/' },
        operations: new Map(),
      },
    ],
  ]);

  /** @param credentials configured AWS credentials; with none, any (or no) signature is accepted. */
  constructor(private readonly credentials: AwsCredential[] = []) {}

  /** Adds operations to a service (metrics and alarms both add to CloudWatch's). */
  addOperations(target: string, operations: Record<string, AwsOperation>): void {
    const service = this.services.get(target);
    if (!service) throw new Error(`unknown AWS service ${target}`);
    for (const [name, op] of Object.entries(operations)) service.operations.set(name, op);
  }

  /** Whether a `POST /` request is an AWS call (otherwise it falls through to OpenSearch's 405/400). */
  static isAwsRequest(req: FastifyRequest): boolean {
    return req.headers['x-amz-target'] !== undefined || String(req.headers['content-type'] ?? '').startsWith('application/x-www-form-urlencoded');
  }

  /**
   * Answers an AWS call whose body fastify refused for exceeding `http.max_content_length` (before
   * `handle` could run) with AWS's 413 in the call's own protocol: the SDKs cannot parse OpenSearch's
   * error body, and batching clients split on RequestEntityTooLarge.
   */
  sendBodyTooLarge(req: FastifyRequest, reply: FastifyReply, limit: number): void {
    const declared = Number(req.headers['content-length']);
    this.sendError(req, reply, randomUUID(), requestTooLarge(Number.isFinite(declared) ? declared : undefined, limit));
  }

  /** Handles one `POST /` AWS call and sends the reply. */
  async handle(req: FastifyRequest, reply: FastifyReply): Promise<void> {
    const requestId = randomUUID();
    const raw = (req.body as Buffer | undefined) ?? Buffer.alloc(0);
    const target = req.headers['x-amz-target'];
    if (typeof target === 'string') {
      const dot = target.lastIndexOf('.');
      const service = this.services.get(target.slice(0, dot));
      if (!service) {
        this.sendError(req, reply, requestId, new AwsError('UnknownOperationException', `Unknown service target ${target}`, 400));
        return;
      }
      const contentType = service.protocol === 'awsJson1_0' ? 'application/x-amz-json-1.0' : 'application/x-amz-json-1.1';
      try {
        const accessKeyId = this.authenticate(req, raw, service.signingName);
        const op = service.operations.get(target.slice(dot + 1));
        if (!op) throw new AwsError('UnknownOperationException', `Unknown operation ${target}`, 400);
        checkRequestSize(target.slice(dot + 1), raw);
        const text = decode(req, raw).toString('utf8');
        let input: unknown;
        try {
          input = text.trim() === '' ? {} : JSON.parse(text);
        } catch {
          throw new AwsError('SerializationException', 'Start of structure or map found where not expected, or the request body is not valid JSON.', 400);
        }
        if (input === null || typeof input !== 'object' || Array.isArray(input)) throw new AwsError('SerializationException', 'The request body must be a JSON object.', 400);
        noteAwsInput(req, input);
        const pending = op(input as AwsInput, { requestId, protocol: service.protocol, accessKeyId });
        // The operation has read its input; this frame must not keep it (a batch of 10,000 events or
        // 1,000 datapoints) alive while the write waits for its fsync.
        input = undefined;
        const output = await pending;
        return sendRaw(reply, contentType, 200, requestId, renderJson(output));
      } catch (err) {
        this.sendError(req, reply, requestId, this.asAwsError(req, err));
        return;
      }
    }
    // awsQuery: CloudWatch's legacy protocol.
    const service = this.services.get(CLOUDWATCH_TARGET)!;
    try {
      const accessKeyId = this.authenticate(req, raw, service.signingName);
      const { action, version, input } = parseQueryForm(decode(req, raw).toString('utf8'));
      if (!action) throw new AwsError('MissingAction', 'Missing Action', 400, { queryCode: 'MissingAction' });
      if (version !== undefined && version !== service.query!.version) throw new AwsError('InvalidAction', `Could not find operation ${action} for version ${version}`, 400, { queryCode: 'InvalidAction' });
      const op = service.operations.get(action);
      if (!op) throw new AwsError('InvalidAction', `Could not find operation ${action} for version ${service.query!.version}`, 400, { queryCode: 'InvalidAction' });
      checkRequestSize(action, raw);
      const output = await op(input, { requestId, protocol: 'awsQuery', accessKeyId });
      return sendRaw(reply, 'text/xml', 200, requestId, renderQueryResponse(action, output, service.query!.xmlns, requestId));
    } catch (err) {
      this.sendError(req, reply, requestId, this.asAwsError(req, err));
    }
  }

  /**
   * Renders an error in the shape of the call's protocol: awsJson by `X-Amz-Target` (`__type` with the
   * service's namespace, plus `x-amzn-query-error` for CloudWatch's query-compatible JSON; an unknown
   * target gets plain JSON 1.1), awsQuery's XML ErrorResponse otherwise.
   */
  private sendError(req: FastifyRequest, reply: FastifyReply, requestId: string, e: AwsError): void {
    const target = req.headers['x-amz-target'];
    if (typeof target === 'string') {
      const service = this.services.get(target.slice(0, target.lastIndexOf('.')));
      const contentType = service?.protocol === 'awsJson1_0' ? 'application/x-amz-json-1.0' : 'application/x-amz-json-1.1';
      if (service?.queryCompatible) reply.header('x-amzn-query-error', `${e.queryCode};${e.fault}`);
      sendJson(reply, contentType, e.status, requestId, { __type: `${service?.errorNamespace ?? ''}${e.code}`, message: e.message, ...e.opts.fields });
      return;
    }
    sendRaw(reply, 'text/xml', e.status, requestId, renderQueryError(e.queryCode, e.message, e.fault, requestId));
  }

  /** Verifies the signature (scoped to the called service) when credentials are configured; returns the caller's access key id. */
  private authenticate(req: FastifyRequest, raw: Buffer, signingName: SigningService): string | undefined {
    if (this.credentials.length > 0) verifySigV4({ method: req.method, url: req.url, headers: req.headers, body: raw }, this.credentials, signingName);
    return /Credential=([^/]+)\//.exec(String(req.headers.authorization ?? ''))?.[1];
  }

  private asAwsError(req: FastifyRequest, err: unknown): AwsError {
    if (err instanceof AwsError) {
      if (err.status >= 500) req.log.error({ err }, 'AWS operation failed');
      return err;
    }
    req.log.error({ err }, 'AWS operation failed');
    return new AwsError('InternalFailure', 'The request processing has failed because of an unknown error, exception or failure.', 500, { queryCode: 'InternalFailure' });
  }
}

/** The body, gunzipped when the client compressed it (PutMetricData ≥ 10 KiB). */
function decode(req: FastifyRequest, raw: Buffer): Buffer {
  const enc = String(req.headers['content-encoding'] ?? '').toLowerCase();
  if (enc !== 'gzip' && enc !== 'x-gzip') return raw;
  try {
    return gunzipSync(raw);
  } catch {
    throw new AwsError('SerializationException', 'The request body could not be decompressed (Content-Encoding: gzip).', 400, { queryCode: 'MalformedInput' });
  }
}

function sendJson(reply: FastifyReply, contentType: string, status: number, requestId: string, body: unknown): FastifyReply {
  return sendRaw(reply, contentType, status, requestId, JSON.stringify(body));
}

function sendRaw(reply: FastifyReply, contentType: string, status: number, requestId: string, body: string): FastifyReply {
  return reply.code(status).header('x-amzn-RequestId', requestId).type(contentType).send(body);
}
