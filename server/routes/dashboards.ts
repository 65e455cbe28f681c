// The dashboards UI under /_dashboards/: the built single-page app (dashboards-ui/dist, SPA fallback to
// index.html for /_dashboards/app/*), the saved-objects API and the streaming result export.

import { existsSync, readFileSync, statSync } from 'node:fs';
import { extname, join, normalize, resolve } from 'node:path';
import { Readable } from 'node:stream';
import type { FastifyInstance, FastifyReply } from 'fastify';
import { OpenSearchError, illegalArgument } from '../../index/errors.ts';
import { exportResults, parseExportParams } from '../export/result-export.ts';
import { SavedObjectsService } from '../saved-objects/saved-objects-service.ts';
import type { LookoutNode } from '../node.ts';
import { boolParam, intParam, jsonBody, rawBody, send, type Req } from '../http.ts';

/** Where `npm run build:ui` writes the app. */
export const UI_DIST_DIR = resolve(import.meta.dirname, '../../dashboards-ui/dist');

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.json': 'application/json',
  '.woff2': 'font/woff2',
};

export function registerDashboardsRoutes(app: FastifyInstance, node: LookoutNode, distDir = UI_DIST_DIR): void {
  const objects = new SavedObjectsService(node.sink);
  // The default index patterns are made on the first Dashboards request, not at start: a fresh node has no
  // indices (as a fresh OpenSearch node before Dashboards first connects), so cluster health stays exact.
  let setup: Promise<void> | undefined;
  app.addHook('onRequest', async (req) => {
    if (!req.url.startsWith('/_dashboards')) return;
    setup ??= objects.setup().catch((err: unknown) => {
      setup = undefined; // try again on the next request
      throw err;
    });
    await setup;
  });

  // ---- saved objects (OpenSearch Dashboards' API shape) ----
  const SO = '/_dashboards/api/saved_objects';
  app.get(`${SO}/_find`, async (request, reply) => {
    const req = request as Req;
    const types = (req.query.type ?? '').split(',').filter(Boolean);
    if (types.length === 0) throw illegalArgument('[type] is required');
    const found = await objects.find({ types, search: req.query.search, page: intParam(req, 'page'), perPage: intParam(req, 'per_page') });
    return send(req, reply, 200, found);
  });
  app.post(`${SO}/_export`, async (request, reply) => {
    const req = request as Req;
    const body = jsonBody(req) ?? {};
    const types = body.type === undefined ? [] : ([] as string[]).concat(body.type as string);
    const sel = Array.isArray(body.objects) ? (body.objects as Array<{ type: string; id: string }>) : [];
    if (types.length === 0 && sel.length === 0) throw illegalArgument('give [type] or [objects] to export');
    const { objects: out, missing } = await objects.export({ types, objects: sel });
    const lines = out.map((o) => JSON.stringify(o));
    lines.push(JSON.stringify({ exportedCount: out.length, missingRefCount: missing.length, missingReferences: missing }));
    return reply
      .code(200)
      .type('application/x-ndjson; charset=utf-8')
      .header('content-disposition', 'attachment; filename="export.ndjson"')
      .send(lines.join('\n') + '\n');
  });
  app.post(`${SO}/_import`, async (request, reply) => {
    const req = request as Req;
    const raw = rawBody(req);
    if (!raw) throw illegalArgument('an NDJSON body (or a multipart file) is required');
    const text = ndjsonPayload(raw, String(req.headers['content-type'] ?? ''));
    const items: unknown[] = [];
    text.split('\n').forEach((line, i) => {
      if (!line.trim()) return;
      let v: unknown;
      try {
        v = JSON.parse(line);
      } catch (err) {
        throw new OpenSearchError('parsing_exception', `line ${i + 1} is not JSON: ${(err as Error).message}`, 400);
      }
      // The export's trailing summary line is not an object to import.
      if (v && typeof v === 'object' && 'exportedCount' in v) return;
      items.push(v);
    });
    return send(req, reply, 200, await objects.import(items, boolParam(req, 'overwrite')));
  });
  app.post(`${SO}/:type`, async (request, reply) => {
    const req = request as Req;
    const b = jsonBody(req) ?? {};
    return send(req, reply, 200, await objects.create(req.params.type, b.attributes, { overwrite: false, references: b.references }));
  });
  app.post(`${SO}/:type/:id`, async (request, reply) => {
    const req = request as Req;
    const b = jsonBody(req) ?? {};
    return send(req, reply, 200, await objects.create(req.params.type, b.attributes, { id: req.params.id, overwrite: boolParam(req, 'overwrite'), references: b.references }));
  });
  app.get(`${SO}/:type/:id`, async (request, reply) => {
    const req = request as Req;
    return send(req, reply, 200, await objects.get(req.params.type, req.params.id));
  });
  app.put(`${SO}/:type/:id`, async (request, reply) => {
    const req = request as Req;
    const b = jsonBody(req) ?? {};
    return send(req, reply, 200, await objects.update(req.params.type, req.params.id, b.attributes, b.references));
  });
  app.delete(`${SO}/:type/:id`, async (request, reply) => {
    const req = request as Req;
    await objects.delete(req.params.type, req.params.id);
    return send(req, reply, 200, {});
  });

  // ---- result export (Discover's "download CSV / NDJSON") ----
  app.get('/_dashboards/api/export', async (request, reply) => {
    const req = request as Req;
    const opts = parseExportParams(req.query);
    const ext = opts.format === 'csv' ? 'csv' : 'ndjson';
    reply
      .code(200)
      .type(opts.format === 'csv' ? 'text/csv; charset=utf-8' : 'application/x-ndjson; charset=utf-8')
      .header('content-disposition', `attachment; filename="export.${ext}"`);
    return reply.send(Readable.from(exportResults(node.sink, opts)));
  });

  // ---- the single-page app ----
  const serveIndex = (reply: FastifyReply) => {
    const file = join(distDir, 'index.html');
    if (!existsSync(file)) {
      throw new OpenSearchError('dashboards_not_built_exception', 'the dashboards UI is not built: run `npm run build:ui` (npm start does it for you)', 503);
    }
    return reply.code(200).type(TYPES['.html']).header('cache-control', 'no-cache').send(readFileSync(file));
  };
  app.get('/_dashboards', async (_req, reply) => reply.redirect('/_dashboards/app/discover'));
  app.get('/_dashboards/app', async (_req, reply) => serveIndex(reply));
  app.get('/_dashboards/app/*', async (_req, reply) => serveIndex(reply));
  app.get('/_dashboards/*', async (request, reply) => {
    const rel = (request.params as { '*': string })['*'];
    if (rel === '') return reply.redirect('/_dashboards/app/discover');
    const file = normalize(join(distDir, rel));
    if (!file.startsWith(distDir + '/') || !existsSync(file) || !statSync(file).isFile()) {
      throw new OpenSearchError('resource_not_found_exception', `no such file [/_dashboards/${rel}]`, 404);
    }
    // Vite fingerprints everything under assets/, so those never change under the same name.
    const immutable = rel.startsWith('assets/');
    return reply
      .code(200)
      .type(TYPES[extname(file)] ?? 'application/octet-stream')
      .header('cache-control', immutable ? 'public, max-age=31536000, immutable' : 'no-cache')
      .send(readFileSync(file));
  });
}

/** The NDJSON of an import: the raw body, or the first file part of a multipart/form-data body (curl -F). */
function ndjsonPayload(raw: Buffer, contentType: string): string {
  const m = /multipart\/form-data;.*boundary="?([^";]+)"?/i.exec(contentType);
  if (!m) return raw.toString('utf8');
  const text = raw.toString('utf8');
  const parts = text.split(`--${m[1]}`);
  for (const part of parts) {
    const sep = part.indexOf('\r\n\r\n');
    if (sep < 0) continue;
    return part.slice(sep + 4).replace(/\r\n$/, '');
  }
  throw illegalArgument('the multipart body has no file part');
}
