// Alias APIs: `POST _aliases` (actions), `PUT|POST [{index}]/_alias[es][/{name}]`, `DELETE
// {index}/_alias[es]/{name}`, and `GET|HEAD [{index}]/_alias[es][/{name}]` with its 404 body that
// still lists the aliases found (RestGetAliasesAction).

import type { FastifyInstance } from 'fastify';
import { illegalArgument, OpenSearchError } from '../../index/errors.ts';
import { applyAliasActions, findAliases, parseAliasActions, renderAliasMeta, type AliasAction } from '../../index/indices/aliases.ts';
import type { LookoutNode } from '../node.ts';
import { boolParam, jsonBody, resolveOpts, send, sendStatus, type Req } from '../http.ts';

const splitList = (s: string | undefined): string[] => (s ?? '').split(',').map((x) => x.trim()).filter(Boolean);

/** The add action of `PUT {index}/_alias/{name}`; body fields override the path (RestIndexPutAliasAction). */
function putAliasAction(req: Req): AliasAction {
  let indices = splitList(req.params.index);
  let alias: string | undefined = req.params.name;
  const action: AliasAction = { type: 'add', indices, aliases: [] };
  const body = jsonBody(req);
  for (const [k, v] of Object.entries(body ?? {})) {
    const text = v === null || v === undefined ? undefined : String(v);
    switch (k) {
      case 'index': indices = splitList(text); break;
      case 'alias': alias = text; break;
      case 'routing': action.routing = text; break;
      case 'indexRouting': case 'index-routing': case 'index_routing': action.indexRouting = text; break;
      case 'searchRouting': case 'search-routing': case 'search_routing': action.searchRouting = text; break;
      case 'is_write_index': action.isWriteIndex = v === true || v === 'true'; break;
      case 'is_hidden': action.isHidden = v === true || v === 'true'; break;
      case 'filter':
        if (v === null || typeof v !== 'object' || Array.isArray(v)) throw illegalArgument(`unknown field [${k}]`);
        action.filter = v as Record<string, unknown>;
        break;
      default: throw illegalArgument(`unknown field [${k}]`);
    }
  }
  // AliasActions.indices() then .alias() validate in this order.
  if (indices.length === 0) throw illegalArgument("[indices] can't be empty");
  if (alias === undefined || alias.trim() === '') throw illegalArgument("[alias] can't be empty string");
  action.indices = indices;
  action.aliases = alias === undefined ? [] : [alias];
  return action;
}

/** The GET alias body and status: 404 with `error` naming explicitly requested aliases that were not found. */
function getAliases(node: LookoutNode, req: Req): { status: number; body: Record<string, unknown> } {
  const names = req.params.name === undefined ? undefined : splitList(req.params.name);
  boolParam(req, 'local');
  const found = findAliases(node.indices, req.params.index, names, resolveOpts(req, 'open,closed,hidden'));
  const body: Record<string, unknown> = {};
  let status = 200;
  if (found.missing.length > 0) {
    status = 404;
    body.error = found.missing.length === 1 ? `alias [${found.missing[0]}] missing` : `aliases [${found.missing.join(',')}] missing`;
    body.status = 404;
  }
  for (const { index, aliases } of found.indices) {
    body[index] = { aliases: Object.fromEntries(aliases.map(([n, a]) => [n, renderAliasMeta(a)])) };
  }
  return { status, body };
}

export function registerAliasRoutes(app: FastifyInstance, node: LookoutNode): void {
  app.post('/_aliases', async (request, reply) => {
    const req = request as Req;
    const body = jsonBody(req);
    if (!body) throw new OpenSearchError('parsing_exception', 'request body is required', 400);
    applyAliasActions(node.indices, parseAliasActions(body));
    return send(req, reply, 200, { acknowledged: true });
  });

  const putAlias = async (request: unknown, reply: never) => {
    const req = request as Req;
    applyAliasActions(node.indices, [putAliasAction(req)]);
    return send(req, reply, 200, { acknowledged: true });
  };
  for (const url of ['/:index/_alias/:name', '/:index/_aliases/:name', '/_alias/:name', '/_aliases/:name']) {
    app.route({ method: ['PUT', 'POST'], url, handler: putAlias as never });
  }
  for (const url of ['/:index/_alias', '/:index/_aliases', '/_alias']) app.put(url, putAlias as never);

  const deleteAlias = async (request: unknown, reply: never) => {
    const req = request as Req;
    applyAliasActions(node.indices, [{ type: 'remove', indices: splitList(req.params.index), aliases: splitList(req.params.name) }]);
    return send(req, reply, 200, { acknowledged: true });
  };
  app.delete('/:index/_alias/:name', deleteAlias as never);
  app.delete('/:index/_aliases/:name', deleteAlias as never);

  const headAlias = async (request: unknown, reply: never) => {
    try {
      return sendStatus(reply, getAliases(node, request as Req).status);
    } catch (err) {
      if (err instanceof OpenSearchError) return sendStatus(reply, err.status);
      throw err;
    }
  };
  const getAlias = async (request: unknown, reply: never) => {
    const req = request as Req;
    const { status, body } = getAliases(node, req);
    return send(req, reply, status, body);
  };
  const getUrls = ['/_alias', '/_aliases', '/_alias/:name', '/:index/_alias', '/:index/_aliases', '/:index/_alias/:name', '/:index/_aliases/:name'];
  // HEAD routes first: fastify would otherwise derive them from the GET routes.
  for (const url of getUrls) app.head(url, headAlias as never);
  for (const url of getUrls) app.get(url, getAlias as never);
}
