// Cluster and node information for clients: `_cluster/pending_tasks`, a minimal `_cluster/state`
// (metadata of indices and templates, routing table), and `_nodes` / `_nodes/stats` for one node.

import type { FastifyInstance } from 'fastify';
import { NODE_NAME } from '../../index/indices/indices-service.ts';
import type { IndexMeta } from '../../index/indices/index.ts';
import { defaultRoutingShards } from '../../index/indices/routing.ts';
import type { LookoutNode } from '../node.ts';
import { NODE_ID } from '../tasks.ts';
import { boolParam, resolveOpts, send, type Req } from '../http.ts';
import { renderAliases, renderSettings } from './indices.ts';
import { CLUSTER_NAME, indexHealth } from './cluster-health.ts';
import { VERSION } from './root.ts';

const ROLES = ['cluster_manager', 'data', 'ingest', 'remote_cluster_client'];
const TRANSPORT = '127.0.0.1:9300';

function nodeInfo(node: LookoutNode): Record<string, unknown> {
  const http = `${node.config.host}:${node.config.port}`;
  return {
    name: NODE_NAME, transport_address: TRANSPORT, host: node.config.host, ip: node.config.host, version: VERSION,
    build_type: 'tar', build_hash: 'lookout', roles: ROLES, attributes: { testattr: 'test' },
    http: { bound_address: [http], publish_address: http, max_content_length_in_bytes: node.config.maxContentLength },
  };
}

/** `routing_num_shards`: the setting when given, else OpenSearch's default for the shard count. */
function routingShards(meta: IndexMeta): number {
  const set = meta.settings['index.number_of_routing_shards'];
  if (set !== undefined && set !== null) return Number(set);
  return defaultRoutingShards(Number(meta.settings['index.number_of_shards'] ?? 1));
}

function routingTable(meta: IndexMeta): Record<string, unknown> {
  const h = indexHealth(meta);
  const shards: Record<string, unknown[]> = {};
  for (let i = 0; i < h.shards; i++) {
    const copies: unknown[] = [{ state: 'STARTED', primary: true, node: NODE_ID, relocating_node: null, shard: i, index: meta.name }];
    for (let r = 0; r < h.replicas; r++) copies.push({ state: 'UNASSIGNED', primary: false, node: null, relocating_node: null, shard: i, index: meta.name });
    shards[String(i)] = copies;
  }
  return { shards };
}

export function registerClusterRoutes(app: FastifyInstance, node: LookoutNode): void {
  app.get('/_cluster/pending_tasks', async (req, reply) => send(req as Req, reply, 200, { tasks: [] }));

  const state = async (request: unknown, reply: never) => {
    const req = request as Req;
    const metrics = new Set((req.params.metric ?? '_all').split(','));
    const all = metrics.has('_all');
    const want = (m: string) => all || metrics.has(m);
    const metas = node.indices.resolveMetas(req.params.index ?? '_all', resolveOpts(req, 'open,closed'));
    const flat = boolParam(req, 'flat_settings');
    const body: Record<string, unknown> = { cluster_name: CLUSTER_NAME, cluster_uuid: node.indices.clusterUuid };
    if (want('version')) Object.assign(body, { version: 1, state_uuid: node.indices.clusterUuid });
    if (want('master_node')) body.master_node = NODE_ID;
    if (want('cluster_manager_node')) body.cluster_manager_node = NODE_ID;
    if (want('blocks')) body.blocks = {};
    if (want('nodes')) body.nodes = { [NODE_ID]: { name: NODE_NAME, ephemeral_id: NODE_ID, transport_address: TRANSPORT, attributes: { testattr: 'test' } } };
    if (want('metadata')) {
      const indices: Record<string, unknown> = {};
      for (const m of metas) {
        indices[m.name] = {
          version: 1, mapping_version: 1, settings_version: 1, aliases_version: 1, routing_num_shards: routingShards(m),
          state: m.state, settings: renderSettings(m.settings, flat), mappings: Object.keys(m.mapping).length ? { _doc: m.mapping } : {},
          aliases: Object.keys(renderAliases(m)), primary_terms: { 0: 1 }, in_sync_allocations: {},
        };
      }
      const templates: Record<string, unknown> = {};
      for (const [n, t] of Object.entries(node.indices.templates.legacyTemplates)) templates[n] = { order: t.order ?? 0, index_patterns: t.index_patterns };
      body.metadata = {
        cluster_uuid: node.indices.clusterUuid, cluster_uuid_committed: true, templates, indices,
        persistent_settings: renderSettings(node.indices.persistentSettings, flat),
        transient_settings: renderSettings(node.indices.transientSettings, flat),
      };
    }
    if (want('routing_table')) {
      body.routing_table = { indices: Object.fromEntries(metas.map((m) => [m.name, routingTable(m)])) };
    }
    return send(req, reply, 200, body);
  };
  app.get('/_cluster/state', state as never);
  app.get('/_cluster/state/:metric', state as never);
  app.get('/_cluster/state/:metric/:index', state as never);

  const nodesHeader = { _nodes: { total: 1, successful: 1, failed: 0 }, cluster_name: CLUSTER_NAME };
  const nodesInfo = async (request: unknown, reply: never) => send(request as Req, reply, 200, { ...nodesHeader, nodes: { [NODE_ID]: nodeInfo(node) } });
  app.get('/_nodes', nodesInfo as never);
  app.get('/_nodes/:node', nodesInfo as never);
  app.get('/_nodes/:node/:metric', nodesInfo as never);

  const nodesStats = async (request: unknown, reply: never) => {
    let docs = 0;
    let deleted = 0;
    for (const idx of node.indices.indices.values()) {
      for (const s of idx.shards) {
        docs += s.docCount;
        deleted += s.deletedDocs;
      }
    }
    const mem = process.memoryUsage();
    const stats = {
      timestamp: Date.now(), name: NODE_NAME, transport_address: TRANSPORT, host: node.config.host, ip: node.config.host, roles: ROLES,
      attributes: { testattr: 'test' },
      indices: { docs: { count: docs, deleted } },
      process: { timestamp: Date.now(), cpu: { total_in_millis: Math.round(process.cpuUsage().user / 1000) }, mem: { total_virtual_in_bytes: mem.rss } },
      jvm: { timestamp: Date.now(), uptime_in_millis: Date.now() - node.startedAt, mem: { heap_used_in_bytes: mem.heapUsed, heap_committed_in_bytes: mem.heapTotal, heap_max_in_bytes: mem.heapTotal } },
    };
    return send(request as Req, reply, 200, { ...nodesHeader, nodes: { [NODE_ID]: stats } });
  };
  app.get('/_nodes/stats', nodesStats as never);
  app.get('/_nodes/stats/:metric', nodesStats as never);
  app.get('/_nodes/:node/stats', nodesStats as never);
  app.get('/_nodes/:node/stats/:metric', nodesStats as never);
}
