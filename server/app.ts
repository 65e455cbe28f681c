// Builds the HTTP application: fastify with every body read as bytes (handlers parse JSON and NDJSON
// themselves, so errors read like OpenSearch's), one error renderer, and the route groups in order.

import Fastify, { type FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import { OpenSearchError } from '../index/errors.ts';
import type { LookoutConfig } from './config.ts';
import { LookoutNode } from './node.ts';
import { registerRootRoutes } from './routes/root.ts';
import { registerDocumentRoutes } from './routes/documents.ts';
import { registerSearchRoutes } from './routes/search.ts';
import { registerIndexRoutes } from './routes/indices.ts';
import { registerIndexStatsRoutes } from './routes/index-stats.ts';
import { registerAdminRoutes } from './routes/admin.ts';
import { registerAwsRoutes } from './routes/aws.ts';
import { registerFirehoseRoutes } from './routes/firehose.ts';
import { registerMetricsRoutes } from './routes/prometheus-metrics.ts';
import { registerNotificationRoutes } from './routes/notifications.ts';
import { registerAlertingRoutes } from './routes/alerting.ts';
import { registerDashboardsRoutes } from './routes/dashboards.ts';

export interface BuildOptions {
  config: LookoutConfig;
  logger?: Logger;
}

/** Builds (and starts the engine of) a Lookout app; call app.listen() or app.inject(). */
export async function buildApp(opts: BuildOptions): Promise<{ app: FastifyInstance; node: LookoutNode }> {
  const node = new LookoutNode(opts.config);
  node.start();
  // Per-request logs are info-level in fastify: keep them for debug/trace only (they cost throughput).
  const verbose = opts.logger && ['debug', 'trace'].includes(opts.logger.level);
  const app = Fastify({
    loggerInstance: opts.logger ? (verbose ? opts.logger : opts.logger.child({}, { level: 'warn' })) : undefined,
    bodyLimit: opts.config.maxContentLength,
    exposeHeadRoutes: false,
    routerOptions: { ignoreTrailingSlash: true, ignoreDuplicateSlashes: true, maxParamLength: 4096 },
  } as never) as unknown as FastifyInstance;
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit: opts.config.maxContentLength }, (_req, body, done) => done(null, body));
  app.setErrorHandler((err, req, reply) => {
    if (err instanceof OpenSearchError) {
      if (err.status >= 500) req.log.error({ err }, 'request failed');
      return reply.code(err.status).type('application/json; charset=UTF-8').send(JSON.stringify(err.toBody()));
    }
    const e = err as { statusCode?: number; code?: string; message: string };
    if (e.code === 'FST_ERR_CTP_BODY_TOO_LARGE') {
      const body = new OpenSearchError('content_too_long_exception', `request body is too large: the limit (http.max_content_length) is [${opts.config.maxContentLength}] bytes`, 413);
      return reply.code(413).type('application/json; charset=UTF-8').send(JSON.stringify(body.toBody()));
    }
    if (e.statusCode && e.statusCode < 500) {
      const body = new OpenSearchError('illegal_argument_exception', e.message, e.statusCode);
      return reply.code(e.statusCode).type('application/json; charset=UTF-8').send(JSON.stringify(body.toBody()));
    }
    req.log.error({ err }, 'internal error');
    const body = new OpenSearchError('exception', 'internal error (details are in the server log)', 500);
    return reply.code(500).type('application/json; charset=UTF-8').send(JSON.stringify(body.toBody()));
  });
  app.setNotFoundHandler((req, reply) => {
    const body = new OpenSearchError('illegal_argument_exception', `no handler found for uri [${req.url}] and method [${req.method}]`, 400);
    return reply.code(400).type('application/json; charset=UTF-8').send(JSON.stringify(body.toBody()));
  });
  registerMetricsRoutes(app, node);
  registerRootRoutes(app, node);
  registerAdminRoutes(app, node);
  registerIndexRoutes(app, node);
  registerIndexStatsRoutes(app, node);
  registerSearchRoutes(app, node);
  registerDocumentRoutes(app, node);
  registerAwsRoutes(app, node);
  registerFirehoseRoutes(app, node);
  registerNotificationRoutes(app, node);
  registerAlertingRoutes(app, node);
  registerDashboardsRoutes(app, node);
  return { app, node };
}
