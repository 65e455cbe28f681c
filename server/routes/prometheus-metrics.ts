// `GET /_metrics`: Lookout's own metrics in the Prometheus text format, and the onResponse hook that
// feeds them (server/observability/lookout-metrics.ts).

import type { FastifyInstance } from 'fastify';
import type { LookoutNode } from '../node.ts';

export const PROMETHEUS_CONTENT_TYPE = 'text/plain; version=0.0.4; charset=utf-8';

/** `GET /_metrics`: Lookout's own metrics in the Prometheus text format. */
export function registerMetricsRoutes(app: FastifyInstance, node: LookoutNode): void {
  app.addHook('onResponse', async (req, reply) => node.selfMetrics.observe(req, reply));
  app.get('/_metrics', async (_req, reply) => reply.code(200).header('content-type', PROMETHEUS_CONTENT_TYPE).send(node.selfMetrics.registry.render()));
}
