// Cluster-level APIs (cat, cluster health and settings, aliases, templates, tasks). Each group lives
// in its own module; this file registers them in order.

import type { FastifyInstance } from 'fastify';
import type { LookoutNode } from '../node.ts';
import { registerCatRoutes } from './cat.ts';
import { registerClusterHealthRoutes } from './cluster-health.ts';
import { registerClusterSettingsRoutes } from './cluster-settings.ts';
import { registerClusterRoutes } from './cluster.ts';
import { registerAliasRoutes } from './aliases.ts';
import { registerTemplateRoutes } from './templates.ts';
import { registerTaskRoutes } from './tasks.ts';

/** Registers the admin route groups (before the `/{index}` routes, whose paths they would shadow). */
export function registerAdminRoutes(app: FastifyInstance, node: LookoutNode): void {
  registerCatRoutes(app, node);
  registerClusterHealthRoutes(app, node);
  registerClusterSettingsRoutes(app, node);
  registerClusterRoutes(app, node);
  registerAliasRoutes(app, node);
  registerTemplateRoutes(app, node);
  registerTaskRoutes(app, node);
}
