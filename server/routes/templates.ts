// Template APIs: composable `_index_template`, `_component_template` and legacy `_template` (PUT with
// `create`/`order`, GET with wildcards and 404s, HEAD, DELETE), plus the two simulate APIs. Templates
// are applied at index creation by IndicesService.createIndex.

import type { FastifyInstance } from 'fastify';
import { illegalArgument, OpenSearchError } from '../../index/errors.ts';
import { renderAliasMeta } from '../../index/indices/aliases.ts';
import { aliasFromRequest } from '../../index/indices/indices-service.ts';
import { flattenSettings, normalizeIndexSettings } from '../../index/indices/settings.ts';
import {
  componentTemplatesInUse, deleteTemplates, matchingIndexTemplates, matchNames, parseComposableTemplate, putComponentTemplate,
  putIndexTemplate, putLegacyTemplate, resolveTemplates, stripType, type ComposableTemplate, type TemplateBody, type TemplateStore,
} from '../../index/indices/templates.ts';
import { wildcardRegExp } from '../../index/mapping/mapping.ts';
import type { LookoutNode } from '../node.ts';
import { boolParam, intParam, jsonBody, send, sendStatus, type Req } from '../http.ts';
import { renderSettings } from './indices.ts';

const notFound = (reason: string) => new OpenSearchError('resource_not_found_exception', reason, 404);
const templateMissing = (name: string) => new OpenSearchError('index_template_missing_exception', `index_template [${name}] missing`, 404);

function renderTemplateAliases(aliases: Record<string, Record<string, unknown>> | undefined): Record<string, unknown> {
  return Object.fromEntries(Object.entries(aliases ?? {}).map(([n, a]) => [n, renderAliasMeta(aliasFromRequest(a ?? {}))]));
}

/** Template.toXContent: settings (normalised under `index.`), non-empty mappings, aliases. */
function renderTemplateBody(t: TemplateBody, flat: boolean): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if (t.settings !== undefined) out.settings = renderSettings(normalizeIndexSettings(flattenSettings(t.settings)), flat);
  if (t.mappings && Object.keys(stripType(t.mappings)).length > 0) out.mappings = stripType(t.mappings);
  if (t.aliases !== undefined) out.aliases = renderTemplateAliases(t.aliases);
  return out;
}

function renderComposable(t: ComposableTemplate, flat: boolean): Record<string, unknown> {
  const out: Record<string, unknown> = { index_patterns: t.index_patterns };
  if (t.template !== undefined) out.template = renderTemplateBody(t.template, flat);
  out.composed_of = t.composed_of ?? [];
  if (t.priority !== undefined) out.priority = t.priority;
  if (t.version !== undefined) out.version = t.version;
  if (t._meta !== undefined) out._meta = t._meta;
  if (t.data_stream !== undefined) out.data_stream = t.data_stream;
  return out;
}

/** Entries of `all` named by a single name or wildcard; a missing plain name is a 404. */
function selectOne<T>(all: Record<string, T>, name: string | undefined, what: string): Array<[string, T]> {
  if (name === undefined) return Object.entries(all);
  if (name.includes('*')) return Object.entries(all).filter(([k]) => wildcardRegExp(name).test(k));
  if (!(name in all)) throw notFound(`${what} matching [${name}] not found`);
  return [[name, all[name]]];
}

export function registerTemplateRoutes(app: FastifyInstance, node: LookoutNode): void {
  const store = (): TemplateStore => node.indices.templates;
  const ack = (req: Req, reply: never) => {
    node.indices.persist();
    return send(req, reply, 200, { acknowledged: true });
  };
  const body = (req: Req) => {
    const b = jsonBody(req);
    if (!b) throw new OpenSearchError('parsing_exception', 'request body is required', 400);
    return b;
  };

  // Composable index templates.
  const putComposable = async (request: unknown, reply: never) => {
    const req = request as Req;
    putIndexTemplate(store(), req.params.name, parseComposableTemplate(body(req)), boolParam(req, 'create'));
    return ack(req, reply);
  };
  app.route({ method: ['PUT', 'POST'], url: '/_index_template/:name', handler: putComposable as never });
  const getComposable = (req: Req) => selectOne(store().indexTemplates, req.params.name, 'index template');
  app.head('/_index_template/:name', async (request, reply) => {
    try {
      return sendStatus(reply, getComposable(request as Req).length > 0 ? 200 : 404);
    } catch {
      return sendStatus(reply, 404);
    }
  });
  const getComposableRoute = async (request: unknown, reply: never) => {
    const req = request as Req;
    const flat = boolParam(req, 'flat_settings');
    const list = getComposable(req).map(([name, t]) => ({ name, index_template: renderComposable(t, flat) }));
    return send(req, reply, 200, { index_templates: list });
  };
  app.get('/_index_template', getComposableRoute as never);
  app.get('/_index_template/:name', getComposableRoute as never);
  app.delete('/_index_template/:name', async (request, reply) => {
    const req = request as Req;
    deleteTemplates(store().indexTemplates, req.params.name, () => templateMissing(req.params.name));
    return ack(req, reply as never);
  });

  // Component templates.
  const putComponent = async (request: unknown, reply: never) => {
    const req = request as Req;
    putComponentTemplate(store(), req.params.name, body(req), boolParam(req, 'create'));
    return ack(req, reply);
  };
  app.route({ method: ['PUT', 'POST'], url: '/_component_template/:name', handler: putComponent as never });
  const getComponent = (req: Req) => selectOne(store().componentTemplates, req.params.name, 'component template');
  app.head('/_component_template/:name', async (request, reply) => {
    try {
      return sendStatus(reply, getComponent(request as Req).length > 0 ? 200 : 404);
    } catch {
      return sendStatus(reply, 404);
    }
  });
  const getComponentRoute = async (request: unknown, reply: never) => {
    const req = request as Req;
    const flat = boolParam(req, 'flat_settings');
    const list = getComponent(req).map(([name, t]) => {
      const out: Record<string, unknown> = { template: renderTemplateBody(t.template, flat) };
      if (t.version !== undefined) out.version = t.version;
      if (t._meta !== undefined) out._meta = t._meta;
      return { name, component_template: out };
    });
    return send(req, reply, 200, { component_templates: list });
  };
  app.get('/_component_template', getComponentRoute as never);
  app.get('/_component_template/:name', getComponentRoute as never);
  app.delete('/_component_template/:name', async (request, reply) => {
    const req = request as Req;
    const name = req.params.name;
    deleteTemplates(store().componentTemplates, name, () => notFound(name), (names) => componentTemplatesInUse(store(), names));
    return ack(req, reply as never);
  });

  // Legacy templates.
  const putLegacy = async (request: unknown, reply: never) => {
    const req = request as Req;
    putLegacyTemplate(store(), req.params.name, body(req), boolParam(req, 'create'), intParam(req, 'order'));
    return ack(req, reply);
  };
  app.route({ method: ['PUT', 'POST'], url: '/_template/:name', handler: putLegacy as never });
  const getLegacy = (req: Req) => matchNames(store().legacyTemplates, req.params.name);
  app.head('/_template/:name', async (request, reply) => sendStatus(reply, Object.keys(getLegacy(request as Req)).length > 0 ? 200 : 404));
  const getLegacyRoute = async (request: unknown, reply: never) => {
    const req = request as Req;
    const flat = boolParam(req, 'flat_settings');
    const out: Record<string, unknown> = {};
    for (const [name, t] of Object.entries(getLegacy(req))) {
      const r: Record<string, unknown> = { order: t.order ?? 0 };
      if (t.version !== undefined) r.version = t.version;
      r.index_patterns = t.index_patterns;
      r.settings = renderSettings(normalizeIndexSettings(flattenSettings(t.settings ?? {})), flat);
      r.mappings = stripType(t.mappings ?? {});
      r.aliases = renderTemplateAliases(t.aliases);
      out[name] = r;
    }
    // An explicit name that matches nothing is a 404 with an empty body (RestGetIndexTemplateAction).
    return send(req, reply, Object.keys(out).length > 0 || req.params.name === undefined ? 200 : 404, out);
  };
  app.get('/_template', getLegacyRoute as never);
  app.get('/_template/:name', getLegacyRoute as never);
  app.delete('/_template/:name', async (request, reply) => {
    const req = request as Req;
    deleteTemplates(store().legacyTemplates, req.params.name, () => templateMissing(req.params.name));
    return ack(req, reply as never);
  });

  // Simulation: what a new index of this name would get, and which other templates also match.
  const simulated = (indexName: string, s: TemplateStore, flat: boolean) => {
    const r = resolveTemplates(s, indexName);
    const winner = matchingIndexTemplates(s, indexName)[0]?.[0];
    const overlapping = [
      ...matchingIndexTemplates(s, indexName).filter(([n]) => n !== winner).map(([name, t]) => ({ name, index_patterns: t.index_patterns })),
      ...(winner ? Object.entries(s.legacyTemplates).filter(([, t]) => t.index_patterns.some((p) => wildcardRegExp(p).test(indexName))).map(([name, t]) => ({ name, index_patterns: t.index_patterns })) : []),
    ];
    const template: Record<string, unknown> = { settings: renderSettings(r.settings, flat) };
    if (Object.keys(r.mappings).length > 0) template.mappings = r.mappings;
    template.aliases = renderTemplateAliases(r.aliases);
    return { template, overlapping };
  };
  app.post('/_index_template/_simulate_index/:name', async (request, reply) => {
    const req = request as Req;
    return send(req, reply, 200, simulated(req.params.name, store(), boolParam(req, 'flat_settings')));
  });
  const simulateTemplate = async (request: unknown, reply: never) => {
    const req = request as Req;
    const given = jsonBody(req);
    const s: TemplateStore = { ...store(), indexTemplates: { ...store().indexTemplates } };
    let name = req.params.name;
    if (given) {
      name = name ?? '__simulated__';
      putIndexTemplate(s, name, parseComposableTemplate(given), false);
    } else if (!name || !s.indexTemplates[name]) {
      throw name ? notFound(`unable to simulate template [${name}] that does not exist`) : illegalArgument('a template body or a template name is required');
    }
    const t = s.indexTemplates[name];
    // Simulate for a name only this template matches: use its first pattern with the wildcard filled.
    const probe = t.index_patterns[0].replace(/\*/g, 'simulated');
    const only: TemplateStore = { ...s, indexTemplates: { [name]: t } };
    const { template } = simulated(probe, only, boolParam(req, 'flat_settings'));
    const overlapping = Object.entries(s.indexTemplates)
      .filter(([n, o]) => n !== name && o.index_patterns.some((p) => t.index_patterns.some((q) => wildcardRegExp(p).test(q) || wildcardRegExp(q).test(p))))
      .map(([n, o]) => ({ name: n, index_patterns: o.index_patterns }));
    return send(req, reply, 200, { template, overlapping });
  };
  app.post('/_index_template/_simulate', simulateTemplate as never);
  app.post('/_index_template/_simulate/:name', simulateTemplate as never);
}
