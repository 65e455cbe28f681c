// Cluster health on a single node: every primary is active, every replica is unassigned (so an index
// with replicas is yellow), closed indices count too (they are replicated upstream). Serves
// `GET _cluster/health[/{index}]` with its wait_for_* conditions and the 408 on timeout.

import type { FastifyInstance } from 'fastify';
import { illegalArgument } from '../../index/errors.ts';
import type { IndexMeta } from '../../index/indices/index.ts';
import { parseTimeValue } from '../../index/indices/settings.ts';
import type { LookoutNode } from '../node.ts';
import { boolParam, send, type Req } from '../http.ts';

export type HealthStatus = 'green' | 'yellow' | 'red';

/** The cluster name every API reports. */
export const CLUSTER_NAME = 'lookout';

/** Health of one index on this single node. */
export interface IndexHealth {
  status: HealthStatus;
  shards: number;
  replicas: number;
  activePrimary: number;
  active: number;
  unassigned: number;
}

const STATUS_RANK: Record<HealthStatus, number> = { green: 0, yellow: 1, red: 2 };

/** Parses a health status (ClusterHealthStatus.fromString). */
export function parseHealthStatus(value: string): HealthStatus {
  const v = value.toLowerCase();
  if (v === 'green' || v === 'yellow' || v === 'red') return v;
  throw illegalArgument(`unknown cluster health status [${value}]`);
}

/** Effective replicas: `auto_expand_replicas` (`0-1`, `0-all`) is clamped to the one node. */
export function effectiveReplicas(meta: IndexMeta): number {
  const auto = meta.settings['index.auto_expand_replicas'];
  if (typeof auto === 'string' && auto !== 'false' && auto.includes('-')) {
    const min = Number(auto.split('-')[0]);
    return Number.isFinite(min) ? min : 0;
  }
  const n = Number(meta.settings['index.number_of_replicas'] ?? 1);
  return Number.isFinite(n) ? n : 1;
}

/** Health of an index: primaries active, replicas unassigned. */
export function indexHealth(meta: IndexMeta): IndexHealth {
  const shards = Number(meta.settings['index.number_of_shards'] ?? 1);
  const replicas = effectiveReplicas(meta);
  return { status: replicas > 0 ? 'yellow' : 'green', shards, replicas, activePrimary: shards, active: shards, unassigned: shards * replicas };
}

/** Cluster-level totals over a set of indices. */
export function clusterTotals(metas: IndexMeta[]) {
  let status: HealthStatus = 'green';
  let activePrimary = 0;
  let active = 0;
  let unassigned = 0;
  for (const m of metas) {
    const h = indexHealth(m);
    if (STATUS_RANK[h.status] > STATUS_RANK[status]) status = h.status;
    activePrimary += h.activePrimary;
    active += h.active;
    unassigned += h.unassigned;
  }
  const percent = active + unassigned === 0 ? 100 : (100 * active) / (active + unassigned);
  return { status, activePrimary, active, unassigned, percent };
}

function healthBody(metas: IndexMeta[], level: string, timedOut: boolean, forceRed: boolean): Record<string, unknown> {
  const t = clusterTotals(metas);
  const body: Record<string, unknown> = {
    cluster_name: CLUSTER_NAME,
    status: forceRed ? 'red' : t.status,
    timed_out: timedOut,
    number_of_nodes: 1,
    number_of_data_nodes: 1,
    discovered_master: true,
    discovered_cluster_manager: true,
    active_primary_shards: t.activePrimary,
    active_shards: t.active,
    relocating_shards: 0,
    initializing_shards: 0,
    unassigned_shards: t.unassigned,
    delayed_unassigned_shards: 0,
    number_of_pending_tasks: 0,
    number_of_in_flight_fetch: 0,
    task_max_waiting_in_queue_millis: 0,
    active_shards_percent_as_number: t.percent,
  };
  if (level === 'indices' || level === 'shards') {
    const indices: Record<string, unknown> = {};
    for (const m of metas) {
      const h = indexHealth(m);
      const entry: Record<string, unknown> = {
        status: h.status, number_of_shards: h.shards, number_of_replicas: h.replicas, active_primary_shards: h.activePrimary,
        active_shards: h.active, relocating_shards: 0, initializing_shards: 0, unassigned_shards: h.unassigned,
      };
      if (level === 'shards') {
        const shards: Record<string, unknown> = {};
        for (let i = 0; i < h.shards; i++) {
          shards[String(i)] = { status: h.status, primary_active: true, active_shards: 1, relocating_shards: 0, initializing_shards: 0, unassigned_shards: h.replicas };
        }
        entry.shards = shards;
      }
      indices[m.name] = entry;
    }
    body.indices = indices;
  }
  return body;
}

/** `wait_for_nodes`: `N`, `>=N`, `<=N`, `>N`, `<N`, `ge(N)`, `le(N)`, `gt(N)`, `lt(N)` against one node. */
function nodesConditionMet(expr: string): boolean {
  const m = /^(>=|<=|>|<|ge\(|le\(|gt\(|lt\()?\s*(\d+)\)?$/.exec(expr.trim());
  if (!m) throw illegalArgument(`failed to parse wait_for_nodes [${expr}]`);
  const n = Number(m[2]);
  switch (m[1]) {
    case '>=': case 'ge(': return 1 >= n;
    case '<=': case 'le(': return 1 <= n;
    case '>': case 'gt(': return 1 > n;
    case '<': case 'lt(': return 1 < n;
    default: return n === 1;
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export function registerClusterHealthRoutes(app: FastifyInstance, node: LookoutNode): void {
  const health = async (request: unknown, reply: never) => {
    const req = request as Req;
    const q = req.query;
    const level = q.level ?? 'cluster';
    if (!['cluster', 'indices', 'shards', 'awareness_attributes'].includes(level)) throw illegalArgument(`No enum constant org.opensearch.action.admin.cluster.health.ClusterHealthRequest.Level.${level.toUpperCase()}`);
    const waitStatus = q.wait_for_status ? parseHealthStatus(q.wait_for_status) : undefined;
    const waitActive = q.wait_for_active_shards;
    if (waitActive !== undefined && waitActive !== 'all' && !/^\d+$/.test(waitActive)) throw illegalArgument(`failed to parse wait_for_active_shards [${waitActive}]`);
    if (q.wait_for_events !== undefined && !['immediate', 'urgent', 'high', 'normal', 'low', 'languid'].includes(q.wait_for_events.toLowerCase())) {
      throw illegalArgument(`No enum constant org.opensearch.common.Priority.${q.wait_for_events.toUpperCase()}`);
    }
    boolParam(req, 'local');
    // Nothing ever relocates or initializes here: these conditions hold at once (but must parse).
    boolParam(req, 'wait_for_no_relocating_shards');
    boolParam(req, 'wait_for_no_initializing_shards');
    const timeout = parseTimeValue(q.timeout, 30000, 'timeout');
    const indexExpr = req.params.index;
    const deadline = Date.now() + Math.max(0, timeout);
    for (;;) {
      // Lenient resolution for the report; strict existence of named indices is itself a condition.
      const metas = node.indices.resolveMetas(indexExpr ?? '_all', { expandWildcards: q.expand_wildcards ?? 'all', ignoreUnavailable: true, allowNoIndices: true });
      let missing = false;
      if (indexExpr) {
        try {
          node.indices.resolveMetas(indexExpr, { expandWildcards: 'open,closed', allowNoIndices: true });
        } catch {
          missing = true;
        }
      }
      const t = clusterTotals(metas);
      const status: HealthStatus = missing ? 'red' : t.status;
      const met =
        (!waitStatus || STATUS_RANK[status] <= STATUS_RANK[waitStatus]) &&
        !missing &&
        (waitActive === undefined || (waitActive === 'all' ? t.unassigned === 0 : t.active >= Number(waitActive))) &&
        (q.wait_for_nodes === undefined || q.wait_for_nodes === '' || nodesConditionMet(q.wait_for_nodes));
      const waiting = waitStatus || missing || waitActive !== undefined || q.wait_for_nodes;
      if (met || !waiting || Date.now() >= deadline) {
        const timedOut = !met && Boolean(waiting);
        return send(req, reply, timedOut ? 408 : 200, healthBody(metas, level, timedOut, missing));
      }
      await sleep(Math.min(50, Math.max(1, deadline - Date.now())));
    }
  };
  app.get('/_cluster/health', health as never);
  app.get('/_cluster/health/:index', health as never);
}
