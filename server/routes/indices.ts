// Index management: create, delete, exists, get, _mapping, _settings, _open/_close, _refresh, _flush.

import type { FastifyInstance } from 'fastify';
import { OpenSearchError, illegalArgument, indexNotFound } from '../../index/errors.ts';
import type { IndexMeta } from '../../index/indices/index.ts';
import { flattenSettings, nestSettings, normalizeIndexSettings, type FlatSettings } from '../../index/indices/settings.ts';
import { Mapping } from '../../index/mapping/mapping.ts';
import type { LookoutNode } from '../node.ts';
import { boolParam, jsonBody, resolveOpts, send, sendStatus, type Req } from '../http.ts';
import { checkDestructiveRequiresName } from './cluster-settings.ts';
import { renderAliasMeta } from '../../index/indices/aliases.ts';
import { indexNameProblem } from '../../index/indices/expressions.ts';
import { invalidIndexName } from '../../index/errors.ts';

const CREATE_KEYS = new Set(['settings', 'mappings', 'aliases']);

/** Renders settings nested (default) or flat (`flat_settings=true`). */
export function renderSettings(flat: FlatSettings, flatOut: boolean): Record<string, unknown> {
  const visible = Object.fromEntries(Object.entries(flat).filter(([, v]) => v !== null && v !== undefined));
  return flatOut ? visible : nestSettings(visible);
}

/** Alias definitions as GET returns them. */
export function renderAliases(meta: IndexMeta): Record<string, unknown> {
  return Object.fromEntries(Object.entries(meta.aliases).map(([name, a]) => [name, renderAliasMeta(a)]));
}

export function registerIndexRoutes(app: FastifyInstance, node: LookoutNode): void {
  const indices = node.indices;

  app.put('/:index', async (request, reply) => {
    const req = request as Req;
    const body = jsonBody(req) ?? {};
    for (const [k, v] of Object.entries(body)) {
      if (!CREATE_KEYS.has(k)) {
        // OpenSearch treats unknown top-level keys as settings only for legacy bodies; reject like 2.x does.
        throw new OpenSearchError('parsing_exception', `unknown key [${k}] for create index`, 400);
      }
      if (v !== null && typeof v !== 'object') throw new OpenSearchError('parsing_exception', `Failed to parse value for [${k}]`, 400);
    }
    const idx = indices.createIndex(req.params.index, body as never);
    return send(req, reply, 200, { acknowledged: true, shards_acknowledged: true, index: idx.name });
  });

  app.delete('/:index', async (request, reply) => {
    const req = request as Req;
    checkDestructiveRequiresName(indices, req.params.index);
    indices.deleteIndices(req.params.index, { ...resolveOpts(req, 'open,closed'), allowNoIndices: req.query.allow_no_indices !== 'false' });
    return send(req, reply, 200, { acknowledged: true });
  });

  app.head('/:index', async (request, reply) => {
    const req = request as Req;
    try {
      const metas = indices.resolveMetas(req.params.index, { ...resolveOpts(req, 'open,closed'), allowNoIndices: false });
      return sendStatus(reply, metas.length > 0 ? 200 : 404);
    } catch (err) {
      if (err instanceof OpenSearchError) return sendStatus(reply, err.status === 404 ? 404 : err.status);
      throw err;
    }
  });

  app.get('/:index', async (request, reply) => {
    const req = request as Req;
    for (const part of req.params.index.split(',')) {
      if (part.startsWith('_') && part !== '_all') throw invalidIndexName(part, indexNameProblem(part) ?? "must not start with '_', '-', or '+'");
    }
    const metas = indices.resolveMetas(req.params.index, resolveOpts(req, 'open,closed'));
    const flat = boolParam(req, 'flat_settings');
    const human = boolParam(req, 'human');
    const out: Record<string, unknown> = {};
    for (const m of metas) {
      const settings = { ...m.settings };
      if (human) {
        settings['index.creation_date_string'] = new Date(Number(m.settings['index.creation_date'])).toISOString();
        settings['index.version.created_string'] = '2.19.1';
      }
      out[m.name] = { aliases: renderAliases(m), mappings: m.mapping, settings: renderSettings(settings, flat) };
    }
    return send(req, reply, 200, out);
  });

  const getMapping = async (request: unknown, reply: never) => {
    const req = request as Req;
    const metas = indices.resolveMetas(req.params.index, resolveOpts(req, 'open'));
    const out: Record<string, unknown> = {};
    for (const m of metas) out[m.name] = { mappings: m.mapping };
    return send(req, reply, 200, out);
  };
  app.get('/_mapping', getMapping as never);
  app.get('/:index/_mapping', getMapping as never);

  const putMapping = async (request: unknown, reply: never) => {
    const req = request as Req;
    const body = jsonBody(req);
    if (!body) throw new OpenSearchError('action_request_validation_exception', 'Validation Failed: 1: mapping source is missing;', 400);
    const update = Mapping.parse(body, { allowTypeName: false });
    const targets = indices.resolveOpen(req.params.index, resolveOpts(req));
    if (targets.length === 0) throw indexNotFound(req.params.index);
    const merged = targets.map(({ index }) => index.mapping.merge(update.json));
    targets.forEach(({ index }, i) => {
      index.mapping = merged[i];
      index.meta.mapping = merged[i].json;
    });
    indices.persist();
    return send(req, reply, 200, { acknowledged: true });
  };
  app.route({ method: ['PUT', 'POST'], url: '/:index/_mapping', handler: putMapping as never });

  const getSettings = async (request: unknown, reply: never) => {
    const req = request as Req;
    const metas = indices.resolveMetas(req.params.index, resolveOpts(req, 'open,closed'));
    const flat = boolParam(req, 'flat_settings');
    const names = req.params.name?.split(',');
    const out: Record<string, unknown> = {};
    for (const m of metas) {
      let s = m.settings;
      if (names) {
        const res = names.map((n) => new RegExp('^' + n.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\\\*|\*/g, '.*') + '$'));
        s = Object.fromEntries(Object.entries(s).filter(([k]) => res.some((r) => r.test(k))));
      }
      out[m.name] = { settings: renderSettings(s, flat) };
    }
    return send(req, reply, 200, out);
  };
  app.get('/_settings', getSettings as never);
  app.get('/:index/_settings', getSettings as never);
  app.get('/:index/_settings/:name', getSettings as never);

  app.put('/:index/_settings', async (request, reply) => {
    const req = request as Req;
    const body = jsonBody(req) ?? {};
    const update = normalizeIndexSettings(flattenSettings((body as Record<string, unknown>).settings ?? body));
    const targets = indices.resolveMetas(req.params.index, resolveOpts(req, 'open'));
    for (const key of Object.keys(update)) {
      if (['index.number_of_shards', 'index.number_of_routing_shards', 'index.uuid', 'index.creation_date', 'index.version.created', 'index.provided_name'].includes(key)) {
        throw illegalArgument(`Can't update non dynamic settings [[${key}]] for open indices [${targets.map((t) => `[${t.name}/${t.uuid}]`).join(', ')}]`);
      }
    }
    for (const meta of targets) {
      for (const [k, v] of Object.entries(update)) {
        if (v === null) delete meta.settings[k];
        else meta.settings[k] = v;
      }
      node.indices.indices.get(meta.name)?.scheduleRefresh();
    }
    indices.persist();
    return send(req, reply, 200, { acknowledged: true });
  });

  app.post('/:index/_close', async (request, reply) => {
    const req = request as Req;
    const metas = indices.closeIndices(req.params.index, resolveOpts(req));
    const out: Record<string, unknown> = {};
    for (const m of metas) out[m.name] = { closed: true };
    return send(req, reply, 200, { acknowledged: true, shards_acknowledged: true, indices: out });
  });
  app.post('/:index/_open', async (request, reply) => {
    const req = request as Req;
    indices.openIndices(req.params.index, resolveOpts(req, 'closed'));
    return send(req, reply, 200, { acknowledged: true, shards_acknowledged: true });
  });

  const shardsSummary = (count: number) => ({ total: count, successful: count, failed: 0 });
  const refresh = async (request: unknown, reply: never) => {
    const req = request as Req;
    const targets = indices.resolveOpen(req.params.index, resolveOpts(req));
    let shards = 0;
    for (const { index } of targets) {
      index.refresh();
      shards += index.numShards;
    }
    return send(req, reply, 200, { _shards: shardsSummary(shards) });
  };
  app.route({ method: ['GET', 'POST'], url: '/_refresh', handler: refresh as never });
  app.route({ method: ['GET', 'POST'], url: '/:index/_refresh', handler: refresh as never });
  const flush = async (request: unknown, reply: never) => {
    const req = request as Req;
    const targets = indices.resolveOpen(req.params.index, resolveOpts(req));
    let shards = 0;
    for (const { index } of targets) {
      index.flush();
      shards += index.numShards;
    }
    return send(req, reply, 200, { _shards: shardsSummary(shards) });
  };
  app.route({ method: ['GET', 'POST'], url: '/_flush', handler: flush as never });
  const forcemerge = async (request: unknown, reply: never) => {
    const req = request as Req;
    const max = req.query.max_num_segments === undefined ? 1 : Number(req.query.max_num_segments);
    if (!Number.isInteger(max) || max < 1) throw illegalArgument(`[max_num_segments] must be a positive integer, got [${req.query.max_num_segments}]`);
    const targets = indices.resolveOpen(req.params.index, resolveOpts(req));
    let shards = 0;
    for (const { index } of targets) {
      for (const shard of index.shards) shard.forceMerge(max);
      if (req.query.flush !== 'false') index.flush();
      shards += index.numShards;
    }
    return send(req, reply, 200, { _shards: shardsSummary(shards) });
  };
  app.post('/_forcemerge', forcemerge as never);
  app.post('/:index/_forcemerge', forcemerge as never);
  app.route({ method: ['GET', 'POST'], url: '/:index/_flush', handler: flush as never });
}
