// `_cat/indices`, `_cat/health`, `_cat/count` and `_cat/aliases`: each builds a table (columns as
// OpenSearch declares them, rows from the engine) and hands it to the cat-table renderer.

import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { findAliases } from '../../index/indices/aliases.ts';
import type { IndexMeta } from '../../index/indices/index.ts';
import type { LookoutNode } from '../node.ts';
import { resolveOpts, type Req } from '../http.ts';
import { ByteSize, Duration, sendCatTable, type CatColumn, type CatRow } from './cat-table.ts';
import { CLUSTER_NAME, clusterTotals, indexHealth, parseHealthStatus } from './cluster-health.ts';

const R = true;
const col = (name: string, aliases: string, desc: string, opts: Partial<CatColumn> = {}): CatColumn => ({
  name, aliases: aliases ? aliases.split(',') : [], desc, ...opts,
});

const TIME_COLUMNS = [col('epoch', 't,time', 'seconds since 1970-01-01 00:00:00'), col('timestamp', 'ts,hms,hhmmss', 'time in HH:MM:SS')];

/** epoch and HH:MM:SS (UTC) cells of the time-stamped cat APIs. */
function timeCells(now = Date.now()): CatRow {
  return { epoch: Math.floor(now / 1000), timestamp: new Date(now).toISOString().slice(11, 19) };
}

/** Index statistics columns (upstream's default:false ones): zero where the engine does not count them (see indexRow). */
const STATS_COLUMNS: Array<[string, string, string, 'n' | 'b' | 't']> = [
  ['completion.size', 'cs,completionSize', 'size of completion', 'b'],
  ['fielddata.memory_size', 'fm,fielddataMemory', 'used fielddata cache', 'b'],
  ['fielddata.evictions', 'fe,fielddataEvictions', 'fielddata evictions', 'n'],
  ['query_cache.memory_size', 'qcm,queryCacheMemory', 'used query cache', 'b'],
  ['query_cache.evictions', 'qce,queryCacheEvictions', 'query cache evictions', 'n'],
  ['request_cache.memory_size', 'rcm,requestCacheMemory', 'used request cache', 'b'],
  ['request_cache.evictions', 'rce,requestCacheEvictions', 'request cache evictions', 'n'],
  ['request_cache.hit_count', 'rchc,requestCacheHitCount', 'request cache hit count', 'n'],
  ['request_cache.miss_count', 'rcmc,requestCacheMissCount', 'request cache miss count', 'n'],
  ['flush.total', 'ft,flushTotal', 'number of flushes', 'n'],
  ['flush.total_time', 'ftt,flushTotalTime', 'time spent in flush', 't'],
  ['get.current', 'gc,getCurrent', 'number of current get ops', 'n'],
  ['get.time', 'gti,getTime', 'time spent in get', 't'],
  ['get.total', 'gto,getTotal', 'number of get ops', 'n'],
  ['indexing.delete_current', 'idc,indexingDeleteCurrent', 'number of current deletions', 'n'],
  ['indexing.index_current', 'iic,indexingIndexCurrent', 'number of current indexing ops', 'n'],
  ['indexing.index_failed', 'iif,indexingIndexFailed', 'number of failed indexing ops', 'n'],
  ['merges.current', 'mc,mergesCurrent', 'number of current merges', 'n'],
  ['merges.total', 'mt,mergesTotal', 'number of completed merge ops', 'n'],
  ['refresh.total', 'rto,refreshTotal', 'total refreshes', 'n'],
  ['search.fetch_current', 'sfc,searchFetchCurrent', 'current fetch phase ops', 'n'],
  ['search.open_contexts', 'so,searchOpenContexts', 'open search contexts', 'n'],
  ['search.query_current', 'sqc,searchQueryCurrent', 'current query phase ops', 'n'],
  ['search.scroll_current', 'scc,searchScrollCurrent', 'open scroll contexts', 'n'],
  ['segments.memory', 'sm,segmentsMemory', 'memory used by segments', 'b'],
  ['warmer.current', 'wc,warmerCurrent', 'current warmer ops', 'n'],
  ['suggest.current', 'suc,suggestCurrent', 'number of current suggest ops', 'n'],
  ['memory.total', 'tm,memoryTotal', 'total used memory', 'b'],
];

const INDICES_COLUMNS: CatColumn[] = [
  col('health', 'h', 'current health status'),
  col('status', 's', 'open/close status'),
  col('index', 'i,idx', 'index name'),
  col('uuid', 'id,uuid', 'index uuid'),
  col('pri', 'p,shards.primary,shardsPrimary', 'number of primary shards', { right: R }),
  col('rep', 'r,shards.replica,shardsReplica', 'number of replica shards', { right: R }),
  col('docs.count', 'dc,docsCount', 'available docs', { right: R }),
  col('docs.deleted', 'dd,docsDeleted', 'deleted docs', { right: R }),
  col('creation.date', 'cd', 'index creation date (millisecond value)', { dflt: false, right: R }),
  col('creation.date.string', 'cds', 'index creation date (as string)', { dflt: false, right: R }),
  col('store.size', 'ss,storeSize', 'store size of primaries & replicas', { right: R, sibling: true }),
  col('pri.store.size', '', 'store size of primaries', { right: R }),
  col('segments.count', 'sc,segmentsCount', 'number of segments', { dflt: false, right: R }),
  ...STATS_COLUMNS.map(([name, aliases, desc]) => col(name, aliases, desc, { dflt: false, right: R })),
  col('search.throttled', 'sth', 'indicates if the index is search throttled', { dflt: false }),
];

/** Bytes under a directory (best effort: files may vanish while we walk). */
export function diskBytes(dir: string): number {
  let total = 0;
  try {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      const p = join(dir, e.name);
      if (e.isDirectory()) total += diskBytes(p);
      else {
        try {
          total += statSync(p).size;
        } catch {
          /* deleted meanwhile */
        }
      }
    }
  } catch {
    /* no directory yet */
  }
  return total;
}

function indexRow(node: LookoutNode, meta: IndexMeta): CatRow {
  const h = indexHealth(meta);
  const row: CatRow = {
    health: h.status, status: meta.state, index: meta.name, uuid: meta.uuid, pri: h.shards, rep: h.replicas,
    'creation.date': meta.creationDate, 'creation.date.string': new Date(meta.creationDate).toISOString(),
  };
  const idx = node.indices.indices.get(meta.name);
  if (!idx) return row; // closed: no statistics
  const size = new ByteSize(diskBytes(idx.dir));
  Object.assign(row, {
    'docs.count': idx.shards.reduce((n, s) => n + s.docCount, 0),
    'docs.deleted': idx.shards.reduce((n, s) => n + s.deletedDocs, 0),
    'store.size': size,
    'pri.store.size': size,
    'segments.count': idx.shards.reduce((n, s) => n + s.segments.length, 0),
    'search.throttled': false,
  });
  for (const [name, , , kind] of STATS_COLUMNS) row[name] = kind === 'b' ? new ByteSize(0) : kind === 't' ? new Duration(0) : 0;
  row['merges.current'] = idx.shards.reduce((n, s) => n + (s.currentMerge ? 1 : 0), 0);
  row['merges.total'] = idx.shards.reduce((n, s) => n + s.mergeTotals.count, 0);
  return row;
}

const HEALTH_COLUMNS: CatColumn[] = [
  ...TIME_COLUMNS,
  col('cluster', 'cl', 'cluster name'),
  col('status', 'st', 'health status'),
  col('node.total', 'nt,nodeTotal', 'total number of nodes', { right: R }),
  col('node.data', 'nd,nodeData', 'number of nodes that can store data', { right: R }),
  col('discovered_cluster_manager', 'dcm', 'cluster manager is discovered', { right: R }),
  col('shards', 't,sh,shards.total,shardsTotal', 'total number of shards', { right: R }),
  col('pri', 'p,shards.primary,shardsPrimary', 'number of primary shards', { right: R }),
  col('relo', 'r,shards.relocating,shardsRelocating', 'number of relocating nodes', { right: R }),
  col('init', 'i,shards.initializing,shardsInitializing', 'number of initializing nodes', { right: R }),
  col('unassign', 'u,shards.unassigned,shardsUnassigned', 'number of unassigned shards', { right: R }),
  col('pending_tasks', 'pt,pendingTasks', 'number of pending tasks', { right: R }),
  col('max_task_wait_time', 'mtwt,maxTaskWaitTime', 'wait time of longest task pending', { right: R }),
  col('active_shards_percent', 'asp,activeShardsPercent', 'active number of shards in percent', { right: R }),
];

const COUNT_COLUMNS: CatColumn[] = [...TIME_COLUMNS, col('count', 'dc,docs.count,docsCount', 'the document count')];

const ALIAS_COLUMNS: CatColumn[] = [
  col('alias', 'a', 'alias name'),
  col('index', 'i,idx', 'index alias points to'),
  col('filter', 'f,fi', 'filter'),
  col('routing.index', 'ri,routingIndex', 'index routing'),
  col('routing.search', 'rs,routingSearch', 'search routing'),
  col('is_write_index', 'w,isWriteIndex', 'write index'),
];

const CAT_ENDPOINTS = ['/_cat/aliases', '/_cat/aliases/{alias}', '/_cat/count', '/_cat/count/{index}', '/_cat/health', '/_cat/indices', '/_cat/indices/{index}'];

export function registerCatRoutes(app: FastifyInstance, node: LookoutNode): void {
  app.get('/_cat', async (_req, reply) => reply.code(200).type('text/plain; charset=UTF-8').send(`=^.^=\n${CAT_ENDPOINTS.join('\n')}\n`));

  const catIndices = async (request: unknown, reply: never) => {
    const req = request as Req;
    const wanted = req.query.health === undefined ? undefined : parseHealthStatus(req.query.health);
    const metas = node.indices.resolveMetas(req.params.index ?? '_all', resolveOpts(req, 'open,closed'));
    const rows = metas.filter((m) => !wanted || indexHealth(m).status === wanted).map((m) => indexRow(node, m));
    return sendCatTable(req, reply, { columns: INDICES_COLUMNS, rows });
  };
  app.get('/_cat/indices', catIndices as never);
  app.get('/_cat/indices/:index', catIndices as never);

  app.get('/_cat/health', async (request, reply) => {
    const t = clusterTotals([...node.indices.metas.values()]);
    const row: CatRow = {
      ...timeCells(), cluster: CLUSTER_NAME, status: t.status, 'node.total': 1, 'node.data': 1, discovered_cluster_manager: true,
      shards: t.active, pri: t.activePrimary, relo: 0, init: 0, unassign: t.unassigned, pending_tasks: 0,
      max_task_wait_time: '-', active_shards_percent: `${t.percent.toFixed(1)}%`,
    };
    return sendCatTable(request as Req, reply, { columns: HEALTH_COLUMNS, rows: [row] });
  });

  const catCount = async (request: unknown, reply: never) => {
    const req = request as Req;
    const params: Record<string, string> = req.query.q === undefined ? {} : { q: req.query.q };
    const res = node.search.search(req.params.index, { size: 0, track_total_hits: true }, params, {}) as { hits: { total: { value: number } | number } };
    const total = res.hits.total;
    const count = typeof total === 'number' ? total : total.value;
    return sendCatTable(req, reply, { columns: COUNT_COLUMNS, rows: [{ ...timeCells(), count }] });
  };
  app.get('/_cat/count', catCount as never);
  app.get('/_cat/count/:index', catCount as never);

  const catAliases = async (request: unknown, reply: never) => {
    const req = request as Req;
    const names = req.params.name === undefined ? undefined : req.params.name.split(',');
    const found = findAliases(node.indices, undefined, names, resolveOpts(req, 'open,closed,hidden'));
    const rows: CatRow[] = [];
    for (const { index, aliases } of found.indices) {
      for (const [alias, a] of aliases) {
        rows.push({
          alias, index, filter: a.filter ? '*' : '-', 'routing.index': a.index_routing ?? '-', 'routing.search': a.search_routing ?? '-',
          is_write_index: a.is_write_index === undefined ? '-' : String(a.is_write_index),
        });
      }
    }
    return sendCatTable(req, reply, { columns: ALIAS_COLUMNS, rows });
  };
  app.get('/_cat/aliases', catAliases as never);
  app.get('/_cat/aliases/:name', catAliases as never);
}
