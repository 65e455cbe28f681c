import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { testApp, type TestApp } from './admin-app.ts';

let t: TestApp;
beforeEach(async () => {
  t = await testApp();
});
afterEach(async () => t.close());

const shardsOf = (index: string) => t.node.indices.indices.get(index)!.shards;

/** Writes `n` one-doc segments to shard 0 of `index` (refresh_interval -1), then flushes so a merge worker can read them. */
async function segments(index: string, n: number): Promise<void> {
  for (let i = 0; i < n; i++) {
    await t.call('PUT', `/${index}/_doc/s${i}?routing=r`, { n: i, msg: `segment ${i}` });
    await t.call('POST', `/${index}/_refresh`);
  }
  await t.call('POST', `/${index}/_flush`);
  for (let i = 0; i < 400 && shardsOf(index)[0].segments.some((s) => s.sources.compressed === false); i++) await new Promise((r) => setTimeout(r, 5));
}

describe('GET _stats', () => {
  it('reports docs, indexing, segments, translog and store per index and for all, over every shard', async () => {
    await t.call('PUT', '/logs', { settings: { number_of_shards: 2, number_of_replicas: 0 } });
    await t.call('PUT', '/other', { settings: { number_of_replicas: 0 } });
    const lines = Array.from({ length: 10 }, (_, i) => `{"index":{"_index":"logs","_id":"d${i}"}}\n{"n":${i}}\n`).join('');
    await t.app.inject({ method: 'POST', url: '/_bulk?refresh=true', payload: lines, headers: { 'content-type': 'application/x-ndjson' } });
    await t.call('DELETE', '/logs/_doc/d3?refresh=true');
    await t.call('PUT', '/other/_doc/x?refresh=true', { n: 1 });

    const res = await t.call('GET', '/logs/_stats');
    expect(res.status).toBe(200);
    expect(res.body._shards).toEqual({ total: 2, successful: 2, failed: 0 });
    const logs = res.body.indices.logs;
    expect(logs.uuid).toBe(t.node.indices.metas.get('logs')!.uuid);
    expect(logs.primaries).toEqual(logs.total);
    expect(logs.total.docs).toEqual({ count: 9, deleted: shardsOf('logs').reduce((n, s) => n + s.deletedDocs, 0) });
    expect(logs.total.indexing).toEqual({ index_total: 10, delete_total: 1 });
    expect(logs.total.segments.count).toBe(shardsOf('logs').reduce((n, s) => n + s.segments.length, 0));
    expect(logs.total.segments.count).toBeGreaterThanOrEqual(2);
    expect(logs.total.translog.operations).toBe(11);
    expect(logs.total.store.size_in_bytes).toBeGreaterThan(0);
    expect(res.body._all.total.docs.count).toBe(9);
    expect(Object.keys(res.body.indices)).toEqual(['logs']);

    // An index with a replica counts both copies, of which one (the primary) is active on one node.
    await t.call('PUT', '/replicated');
    expect((await t.call('GET', '/replicated/_stats')).body._shards).toEqual({ total: 2, successful: 1, failed: 0 });
    await t.call('DELETE', '/replicated');

    const all = await t.call('GET', '/_stats');
    expect(Object.keys(all.body.indices).sort()).toEqual(['logs', 'other']);
    expect(all.body._all.total.docs.count).toBe(10);
    expect(all.body._all.total.indexing.index_total).toBe(11);
    expect(all.body._shards.total).toBe(3);
  });

  it('returns only the metrics asked for, refuses unknown ones, and renders the cluster and shards levels', async () => {
    await t.call('PUT', '/logs', { settings: { number_of_shards: 2, number_of_replicas: 0 } });
    await t.call('PUT', '/logs/_doc/1?refresh=true', { n: 1 });
    expect(Object.keys((await t.call('GET', '/logs/_stats/docs,merge')).body._all.total).sort()).toEqual(['docs', 'merges']);
    expect((await t.call('GET', '/_stats/_all')).body._all.total).toHaveProperty('translog');
    // Known to OpenSearch, not counted here: accepted, and left out rather than shown as zeros.
    expect((await t.call('GET', '/logs/_stats/fielddata')).body._all.total).toEqual({});
    const bad = await t.call('GET', '/logs/_stats/docs,bogus');
    expect(bad.status).toBe(400);
    expect(bad.body.error.type).toBe('illegal_argument_exception');
    expect(bad.body.error.reason).toBe('request [/logs/_stats/docs,bogus] contains unrecognized metric: [bogus]');
    expect((await t.call('GET', '/logs/_stats?level=bogus')).status).toBe(400);
    expect((await t.call('GET', '/missing/_stats')).status).toBe(404);
    const cluster = await t.call('GET', '/logs/_stats?level=cluster');
    expect(cluster.body).not.toHaveProperty('indices');
    expect(cluster.body._all.total.docs.count).toBe(1);
    const shards = (await t.call('GET', '/logs/_stats/docs?level=shards')).body.indices.logs.shards;
    expect(Object.keys(shards)).toEqual(['0', '1']);
    expect(shards['0'][0].routing).toMatchObject({ state: 'STARTED', primary: true });
    expect(shards['0'][0].docs.count + shards['1'][0].docs.count).toBe(1);
  });

  it('counts a background merge as current while it runs and in the totals once it lands, as _cat/indices does', async () => {
    await t.call('PUT', '/m', { settings: { number_of_shards: 1, number_of_replicas: 0, refresh_interval: '-1' } });
    await segments('m', 12);
    const shard = shardsOf('m')[0];
    expect(shard.maybeMerge()).toBe(true);
    const running = (await t.call('GET', '/m/_stats/merge')).body._all.total.merges;
    expect(running.current).toBe(1);
    expect(running.current_docs).toBeGreaterThanOrEqual(2);
    expect(running.total).toBe(0);
    for (let i = 0; i < 2000 && shard.currentMerge; i++) await new Promise((r) => setTimeout(r, 5));
    const done = (await t.call('GET', '/m/_stats/merge,segments')).body._all.total;
    expect(done.merges).toMatchObject({ current: 0, current_docs: 0, total: 1, total_docs: running.current_docs });
    expect(done.merges.total_time_in_millis).toBeGreaterThanOrEqual(0);
    expect(done.segments.count).toBe(12 - running.current_docs + 1);
    expect((await t.call('GET', '/_cat/indices/m?h=merges.current,merges.total,segments.count')).text).toBe(`0 1 ${done.segments.count}\n`);
    // _forcemerge merges here, on the event loop: counted too (every doc, the merged ones again).
    await t.call('POST', '/m/_forcemerge?max_num_segments=1');
    expect((await t.call('GET', '/m/_stats/merge')).body._all.total.merges).toMatchObject({ current: 0, total: 2, total_docs: running.current_docs + 12 });
  });
});
