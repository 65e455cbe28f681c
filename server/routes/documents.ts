// Document APIs: index (with and without id), _create, get, exists, _source, delete, _update,
// _mget and _bulk. Each handler reads parameters and calls the document service.

import type { FastifyInstance, FastifyReply } from 'fastify';
import { OpenSearchError, illegalArgument } from '../../index/errors.ts';
import { executeBulk } from '../../index/docs/bulk.ts';
import { bulkResponseBytes } from '../../index/docs/bulk-response.ts';
import { filterSource, parseSourceFilter } from '../../index/docs/source-filter.ts';
import type { WriteParams } from '../../index/docs/write-params.ts';
import type { LookoutNode } from '../node.ts';
import { intParam, jsonBody, rawBody, refreshParam, send, sendStatus, type Req } from '../http.ts';

function writeParams(req: Req): WriteParams {
  const q = req.query;
  const opType = q.op_type;
  if (opType !== undefined && opType !== 'index' && opType !== 'create') {
    throw illegalArgument(`opType must be 'create' or 'index', found: [${opType}]`);
  }
  const vt = q.version_type;
  if (vt !== undefined && !['internal', 'external', 'external_gte', 'force'].includes(vt)) {
    throw illegalArgument(`No version type match [${vt}]`);
  }
  return {
    opType: opType as WriteParams['opType'],
    routing: q.routing,
    ifSeqNo: intParam(req, 'if_seq_no'),
    ifPrimaryTerm: intParam(req, 'if_primary_term'),
    version: intParam(req, 'version'),
    versionType: vt as WriteParams['versionType'],
    pipeline: q.pipeline,
    requireAlias: q.require_alias === 'true' || q.require_alias === '',
  };
}

function realtimeOpts(req: Req): { realtime?: boolean; refresh?: boolean } {
  return { realtime: req.query.realtime === 'false' ? false : undefined, refresh: req.query.refresh === 'true' || req.query.refresh === '' };
}

function requireBody(req: Req): Buffer {
  const body = rawBody(req);
  if (!body) throw new OpenSearchError('action_request_validation_exception', 'Validation Failed: 1: source is missing;2: content type is missing;', 400);
  return body;
}

export function registerDocumentRoutes(app: FastifyInstance, node: LookoutNode): void {
  const docs = node.docs;

  const indexHandler = (forceCreate: boolean) => async (req: Req, reply: never) => {
    const p = writeParams(req);
    if (forceCreate) p.opType = 'create';
    if (p.pipeline && p.pipeline !== '_none') throw illegalArgument(`pipeline with id [${p.pipeline}] does not exist`);
    const { status, body } = await docs.index(req.params.index, req.params.id, requireBody(req), p, refreshParam(req));
    return send(req, reply, status, body);
  };
  app.route({ method: ['PUT', 'POST'], url: '/:index/_doc/:id', handler: indexHandler(false) as never });
  app.post('/:index/_doc', indexHandler(false) as never);
  app.route({ method: ['PUT', 'POST'], url: '/:index/_create/:id', handler: indexHandler(true) as never });

  app.get('/:index/_doc/:id', async (request, reply) => {
    const req = request as Req;
    const { index, doc } = docs.get(req.params.index, req.params.id, req.query.routing, realtimeOpts(req));
    const filter = parseSourceFilter(req.query._source, req.query._source_includes, req.query._source_excludes);
    const stored = req.query.stored_fields?.split(',');
    const body = docs.renderGet(index, req.params.id, doc, filter, stored);
    if (doc && req.query.version !== undefined && Number(req.query.version) !== doc.version) {
      throw new OpenSearchError('version_conflict_engine_exception', `[${req.params.id}]: version conflict, current version [${doc.version}] is different than the one provided [${req.query.version}]`, 409, { index_uuid: index.uuid, shard: '0', index: index.name });
    }
    return send(req, reply, doc ? 200 : 404, body);
  });
  app.head('/:index/_doc/:id', async (request, reply) => {
    const req = request as Req;
    try {
      const { doc } = docs.get(req.params.index, req.params.id, req.query.routing, realtimeOpts(req));
      return sendStatus(reply, doc ? 200 : 404);
    } catch (err) {
      if (err instanceof OpenSearchError) return sendStatus(reply, err.status);
      throw err;
    }
  });
  app.get('/:index/_source/:id', async (request, reply) => {
    const req = request as Req;
    const { index, doc } = docs.get(req.params.index, req.params.id, req.query.routing, realtimeOpts(req));
    if (!doc || !index.mapping.sourceEnabled) {
      throw new OpenSearchError('resource_not_found_exception', `Document not found [${index.name}]/[${req.params.id}]`, 404);
    }
    const filter = parseSourceFilter(undefined, req.query._source_includes ?? (req.query._source && req.query._source !== 'true' ? req.query._source : undefined), req.query._source_excludes);
    return send(req, reply, 200, filterSource(doc.source, filter));
  });
  app.head('/:index/_source/:id', async (request, reply) => {
    const req = request as Req;
    try {
      const { doc } = docs.get(req.params.index, req.params.id, req.query.routing, realtimeOpts(req));
      return sendStatus(reply, doc ? 200 : 404);
    } catch (err) {
      if (err instanceof OpenSearchError) return sendStatus(reply, err.status);
      throw err;
    }
  });

  app.delete('/:index/_doc/:id', async (request, reply) => {
    const req = request as Req;
    const { status, body } = await docs.delete(req.params.index, req.params.id, writeParams(req), refreshParam(req));
    return send(req, reply, status, body);
  });

  app.post('/:index/_update/:id', async (request, reply) => {
    const req = request as Req;
    const body = jsonBody(req);
    if (!body) throw new OpenSearchError('action_request_validation_exception', 'Validation Failed: 1: script or doc is missing;', 400);
    const p = { ...writeParams(req), retryOnConflict: intParam(req, 'retry_on_conflict') };
    const filter = parseSourceFilter(req.query._source ?? body._source, req.query._source_includes, req.query._source_excludes);
    delete body._source;
    const r = await docs.update(req.params.index, req.params.id, body, p, refreshParam(req), filter);
    return send(req, reply, r.status, r.body);
  });

  const bulk = async (request: unknown, reply: never) => {
    const req = request as Req;
    const body = rawBody(req);
    if (!body) throw new OpenSearchError('action_request_validation_exception', 'Validation Failed: 1: no requests added;', 400);
    const out = await executeBulk(docs, body, { index: req.params.index, routing: req.query.routing, source: req.query._source, requireAlias: req.query.require_alias === 'true', pipeline: req.query.pipeline }, refreshParam(req));
    // The common response (no filter_path, not pretty, no update returning `_source`) is plain JSON,
    // written without the raw-splicing replacer (which would run once per key of every item).
    if (req.query.filter_path === undefined && req.query.pretty === undefined && !out.items.some((it) => (it as { update?: { get?: unknown } }).update?.get !== undefined)) {
      return (reply as FastifyReply).code(200).type('application/json; charset=UTF-8').send(bulkResponseBytes(out));
    }
    return send(req, reply, 200, out);
  };
  app.route({ method: ['POST', 'PUT'], url: '/_bulk', handler: bulk as never });
  app.route({ method: ['POST', 'PUT'], url: '/:index/_bulk', handler: bulk as never });

  const mget = async (request: unknown, reply: never) => {
    const req = request as Req;
    const body = jsonBody(req) ?? {};
    const defaultIndex = req.params.index;
    let specs: Array<Record<string, unknown>>;
    if (Array.isArray(body.docs)) specs = body.docs as Array<Record<string, unknown>>;
    else if (Array.isArray(body.ids)) specs = (body.ids as unknown[]).map((id) => ({ _id: id }));
    else throw new OpenSearchError('action_request_validation_exception', 'Validation Failed: 1: no documents to get;', 400);
    if (specs.length === 0) throw new OpenSearchError('action_request_validation_exception', 'Validation Failed: 1: no documents to get;', 400);
    const qFilter = parseSourceFilter(req.query._source, req.query._source_includes, req.query._source_excludes);
    const problems: string[] = [];
    specs.forEach((spec) => {
      if (!((spec._index as string | undefined) ?? defaultIndex)) problems.push('index is missing');
      if (spec._id === undefined) problems.push('id is missing');
      for (const k of Object.keys(spec)) {
        if (!['_index', '_id', 'routing', '_source', 'stored_fields', 'version', 'version_type'].includes(k)) {
          throw new OpenSearchError('parsing_exception', `Unknown key for a VALUE_STRING in [${k}].`, 400);
        }
      }
    });
    if (problems.length > 0) {
      throw new OpenSearchError('action_request_validation_exception', `Validation Failed: ${problems.map((p, i) => `${i + 1}: ${p};`).join('')}`, 400);
    }
    const out = specs.map((spec) => {
      const indexName = ((spec._index as string | undefined) ?? defaultIndex)!;
      const id = String(spec._id);
      try {
        const routing = (spec.routing ?? req.query.routing) as string | undefined;
        const { index, doc } = docs.get(indexName, id, routing === undefined ? undefined : String(routing), realtimeOpts(req));
        const filter = spec._source !== undefined ? parseSourceFilter(spec._source) : qFilter;
        return docs.renderGet(index, id, doc, filter);
      } catch (err) {
        if (!(err instanceof OpenSearchError)) throw err;
        return { _index: indexName, _id: id, error: err.toBody().error };
      }
    });
    return send(req, reply, 200, { docs: out });
  };
  app.route({ method: ['GET', 'POST'], url: '/_mget', handler: mget as never });
  app.route({ method: ['GET', 'POST'], url: '/:index/_mget', handler: mget as never });
}
