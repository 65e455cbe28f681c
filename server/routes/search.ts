// Search APIs: _search, _count, _msearch, _delete_by_query and _update_by_query, on one index,
// patterns, comma lists, aliases or all indices.

import type { FastifyInstance } from 'fastify';
import { OpenSearchError, illegalArgument } from '../../index/errors.ts';
import { byQuery, validateByQuery } from '../../index/docs/by-query.ts';
import { parseTimeValue } from '../../index/indices/settings.ts';
import type { SearchOptions } from '../../index/search/search-service.ts';
import type { LookoutNode } from '../node.ts';
import { jsonBody, rawBody, refreshParam, resolveOpts, send, type Req } from '../http.ts';

function searchOptions(req: Req): SearchOptions {
  const st = req.query.search_type;
  if (st !== undefined && st !== 'query_then_fetch' && st !== 'dfs_query_then_fetch') {
    throw illegalArgument(`No search type for [${st}]`);
  }
  return {
    ...resolveOpts(req),
    restTotalHitsAsInt: req.query.rest_total_hits_as_int === 'true',
    typedKeys: req.query.typed_keys === 'true' || req.query.typed_keys === '',
    searchType: st,
    routing: req.query.routing,
    preference: req.query.preference,
  };
}

export function registerSearchRoutes(app: FastifyInstance, node: LookoutNode): void {
  const search = async (request: unknown, reply: never) => {
    const req = request as Req;
    const body = node.search.search(req.params.index, jsonBody(req), req.query, searchOptions(req));
    return send(req, reply, 200, body);
  };
  app.route({ method: ['GET', 'POST'], url: '/_search', handler: search as never });
  app.route({ method: ['GET', 'POST'], url: '/:index/_search', handler: search as never });

  const count = async (request: unknown, reply: never) => {
    const req = request as Req;
    return send(req, reply, 200, node.search.count(req.params.index, jsonBody(req), req.query, searchOptions(req)));
  };
  app.route({ method: ['GET', 'POST'], url: '/_count', handler: count as never });
  app.route({ method: ['GET', 'POST'], url: '/:index/_count', handler: count as never });

  const msearch = async (request: unknown, reply: never) => {
    const req = request as Req;
    const raw = rawBody(req);
    if (!raw) throw new OpenSearchError('action_request_validation_exception', 'Validation Failed: 1: no requests added;', 400);
    const items = parseMsearchBody(raw.toString('utf8'));
    const started = Date.now();
    const responses: unknown[] = [];
    for (const { header, body } of items) {
      const params: Record<string, string> = { ...req.query };
      for (const k of ['search_type', 'routing', 'preference', 'expand_wildcards', 'ignore_unavailable', 'allow_no_indices']) {
        if (header[k] !== undefined) params[k] = String(header[k]);
      }
      const index = header.index === undefined ? req.params.index : ([] as string[]).concat(header.index as string).join(',');
      try {
        const fake = { ...req, query: params } as Req;
        const r = node.search.search(index, body, params, searchOptions(fake));
        responses.push({ ...r, status: 200 });
      } catch (err) {
        if (!(err instanceof OpenSearchError)) throw err;
        responses.push({ ...err.toBody(), status: err.status });
      }
    }
    return send(req, reply, 200, { took: Date.now() - started, responses });
  };
  app.route({ method: ['GET', 'POST'], url: '/_msearch', handler: msearch as never });
  app.route({ method: ['GET', 'POST'], url: '/:index/_msearch', handler: msearch as never });

  for (const kind of ['delete', 'update'] as const) {
    app.post(`/:index/_${kind}_by_query`, async (request, reply) => {
      const req = request as Req;
      const body = jsonBody(req);
      const { maxDocs, scrollSize } = validateByQuery(req.query, body);
      if (kind === 'delete' && !body?.query) {
        throw new OpenSearchError('action_request_validation_exception', 'Validation Failed: 1: query is missing;', 400);
      }
      const opts = {
        ...searchOptions(req),
        conflicts: req.query.conflicts as 'abort' | 'proceed' | undefined,
        maxDocs,
        scrollSize,
        refresh: refreshParam(req),
        waitForActiveShards: req.query.wait_for_active_shards === undefined || req.query.wait_for_active_shards === 'all' ? undefined : Number(req.query.wait_for_active_shards),
        timeoutMs: req.query.timeout === undefined ? undefined : parseTimeValue(req.query.timeout, 60_000, 'timeout'),
      };
      const run = () => byQuery(kind, node.search, node.docs, req.params.index, body, opts);
      if (req.query.wait_for_completion === 'false') {
        const task = node.tasks.start(`indices:data/write/${kind}/byquery`, `${kind}-by-query [${req.params.index}]`, run);
        return send(req, reply, 200, { task });
      }
      const out = await run();
      const failures = out.failures as Array<{ status: number }>;
      return send(req, reply, failures.length > 0 ? failures[0].status : 200, out);
    });
  }
}

const MSEARCH_HEADER_KEYS = new Set([
  'index', 'indices', 'search_type', 'routing', 'preference', 'request_cache', 'expand_wildcards', 'ignore_unavailable',
  'allow_no_indices', 'ignore_throttled', 'allow_partial_search_results', 'ccs_minimize_roundtrips', 'cancel_after_time_interval',
  'phase_took', 'type', 'types',
]);

/**
 * Splits an `_msearch` body into header/body pairs (MultiSearchRequest.readMultiLineFormat): a blank
 * first line is skipped, a blank header line means an empty header, unknown header keys are refused.
 */
function parseMsearchBody(text: string): Array<{ header: Record<string, unknown>; body: Record<string, unknown> | null }> {
  const lines = text.split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  let i = lines.length > 0 && lines[0].trim() === '' ? 1 : 0;
  const parse = (line: string, n: number): Record<string, unknown> => {
    let v: unknown;
    try {
      v = JSON.parse(line);
    } catch (err) {
      throw new OpenSearchError('parsing_exception', `Failed to parse msearch line [${n}]: ${(err as Error).message}`, 400);
    }
    if (v === null || typeof v !== 'object' || Array.isArray(v)) throw illegalArgument(`Malformed action/metadata line [${n + 1}], expected START_OBJECT`);
    return v as Record<string, unknown>;
  };
  const out: Array<{ header: Record<string, unknown>; body: Record<string, unknown> | null }> = [];
  for (; i < lines.length; i += 2) {
    const header = lines[i].trim() === '' ? {} : parse(lines[i], i);
    for (const k of Object.keys(header)) {
      if (!MSEARCH_HEADER_KEYS.has(k)) throw illegalArgument(`key [${k}] is not supported in the metadata section`);
    }
    const bodyLine = lines[i + 1];
    if (bodyLine === undefined) throw illegalArgument('The msearch request must be terminated by a newline [\\n]');
    out.push({ header, body: bodyLine.trim() === '' ? null : parse(bodyLine, i + 1) });
  }
  if (out.length === 0) throw new OpenSearchError('action_request_validation_exception', 'Validation Failed: 1: no requests added;', 400);
  return out;
}
