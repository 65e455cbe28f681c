// Small helpers every route uses: reading query parameters and JSON bodies with OpenSearch's errors,
// and sending responses (raw `_source` splicing, `pretty`, `filter_path`).

import type { FastifyReply, FastifyRequest } from 'fastify';
import { OpenSearchError, illegalArgument } from '../index/errors.ts';
import { stringifyWithRaw } from '../index/docs/raw-json.ts';
import type { RefreshPolicy } from '../index/docs/write-params.ts';
import { filterPath } from './filter-path.ts';

export type Req = FastifyRequest<{ Params: Record<string, string>; Querystring: Record<string, string> }>;

/** The raw request body (every content type is read as bytes), or the `source` query parameter. */
export function rawBody(req: Req): Buffer | null {
  const b = req.body as Buffer | undefined;
  if (b && b.length > 0) return b;
  const src = req.query.source;
  if (src !== undefined) return Buffer.from(src);
  return null;
}

/** Parses the body as a JSON object (null when there is none). */
export function jsonBody(req: Req): Record<string, unknown> | null {
  const raw = rawBody(req);
  if (!raw || raw.toString().trim() === '') return null;
  let value: unknown;
  try {
    value = JSON.parse(raw.toString('utf8'));
  } catch (err) {
    throw new OpenSearchError('parsing_exception', `Failed to parse content to map: ${(err as Error).message}`, 400, {}, new OpenSearchError('json_parse_exception', (err as Error).message, 400));
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new OpenSearchError('parsing_exception', 'request body or source parameter is required', 400);
  }
  return value as Record<string, unknown>;
}

/** A boolean query parameter (`?pretty`, `?v` with no value count as true). */
export function boolParam(req: Req, name: string, dflt = false): boolean {
  const v = req.query[name];
  if (v === undefined) return dflt;
  if (v === '' || v === 'true') return true;
  if (v === 'false') return false;
  throw illegalArgument(`Failed to parse value [${v}] as only [true] or [false] are allowed.`);
}

/** An optional integer query parameter. */
export function intParam(req: Req, name: string): number | undefined {
  const v = req.query[name];
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!Number.isFinite(n) || v.trim() === '') throw illegalArgument(`Failed to parse int parameter [${name}] with value [${v}]`);
  return n;
}

/** `refresh`: '' and 'true' mean true. */
export function refreshParam(req: Req): RefreshPolicy {
  const v = req.query.refresh;
  if (v === undefined || v === 'false') return 'false';
  if (v === '' || v === 'true') return 'true';
  if (v === 'wait_for') return 'wait_for';
  throw illegalArgument(`Unknown value for refresh: [${v}].`);
}

/** Sends a JSON body, honouring `pretty` and `filter_path`. */
export function send(req: Req, reply: FastifyReply, status: number, body: unknown): FastifyReply {
  let out = body;
  const fp = req.query.filter_path;
  if (fp) out = filterPath(body, fp.split(','));
  const pretty = req.query.pretty !== undefined && req.query.pretty !== 'false';
  return reply.code(status).type('application/json; charset=UTF-8').send(stringifyWithRaw(out, pretty));
}

/** Sends a HEAD-style answer: status only. */
export function sendStatus(reply: FastifyReply, status: number): FastifyReply {
  return reply.code(status).header('content-length', '0').send();
}

/** Resource-style expand options from query params. */
export function resolveOpts(req: Req, dfltExpand = 'open') {
  return {
    expandWildcards: req.query.expand_wildcards ?? dfltExpand,
    ignoreUnavailable: req.query.ignore_unavailable === 'true',
    allowNoIndices: req.query.allow_no_indices === undefined ? true : req.query.allow_no_indices !== 'false',
  };
}
