import { describe, it, expect } from 'vitest';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { IndicesService } from '../indices/indices-service.ts';
import { DocumentService } from '../docs/document-service.ts';
import { SearchService } from '../search/search-service.ts';
import { mergeOrder } from './shard.ts';
import { RoaringBitmap32, type Segment } from '../segment/segment.ts';
import { WRITE_CODEC } from '../segment/block-codec.ts';

function open(dir: string) {
  const indices = new IndicesService(dir);
  indices.start();
  return { indices, docs: new DocumentService(indices), search: new SearchService(indices) };
}

async function until(what: () => boolean): Promise<void> {
  for (let i = 0; i < 2000 && !what(); i++) await new Promise((r) => setTimeout(r, 5));
  expect(what()).toBe(true);
}

const ids = (r: Record<string, unknown>) => ((r.hits as { hits: Array<{ _id: string }> }).hits.map((h) => h._id)).sort();

describe('shard lifecycle', () => {
  it('keeps searches, gets and versions right across refreshes, merges, flushes and a restart', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'lookout-shard-'));
    let { indices, docs, search } = open(dir);
    indices.createIndex('t', { settings: { number_of_replicas: 0, refresh_interval: '-1' } });
    const shard = () => indices.indices.get('t')!.shards[0];
    const put = (id: string, body: object) => docs.indexDoc('t', id, Buffer.from(JSON.stringify(body)), null, {});
    for (let batch = 0; batch < 14; batch++) {
      for (let i = 0; i < 10; i++) put(`d${batch * 10 + i}`, { n: batch * 10 + i, word: i % 2 ? 'odd' : 'even' });
      shard().refresh();
    }
    expect(shard().segments.length).toBe(14);
    // Updates and deletes not yet refreshed must survive the merge as pending deletes.
    put('d3', { n: 1003, word: 'updated' });
    docs.deleteDoc('t', 'd4', {});
    // Segments whose _source is still being compressed in the background are not merged yet.
    for (let i = 0; i < 400 && shard().segments.some((s) => s.sources.compressed === false); i++) await new Promise((r) => setTimeout(r, 5));
    expect(shard().maybeMerge(false)).toBe(true);
    expect(shard().segments.length).toBeLessThanOrEqual(5);
    const before = search.search('t', { query: { match: { word: 'even' } }, size: 200 }, {}, {});
    expect(ids(before)).toContain('d4'); // not refreshed yet: still visible, as in OpenSearch
    shard().refresh();
    const after = search.search('t', { query: { match: { word: 'even' } }, size: 200 }, {}, {});
    expect(ids(after)).not.toContain('d4');
    expect(search.search('t', { query: { match: { word: 'updated' } } }, {}, {}).hits).toMatchObject({ total: { value: 1 } });
    expect(docs.get('t', 'd3', undefined).doc!.version).toBe(2);
    expect(docs.get('t', 'd5', undefined).doc!.source.toString()).toBe('{"n":5,"word":"odd"}');
    // _forcemerge down to one segment keeps every live doc and drops the deleted ones.
    docs.deleteDoc('t', 'd6', {});
    shard().forceMerge(1);
    expect(shard().segments).toHaveLength(1);
    expect(shard().segments[0].maxDoc).toBe(140 - 2 + 1 - 1);
    expect(ids(search.search('t', { query: { match: { word: 'even' } }, size: 200 }, {}, {}))).not.toContain('d6');
    expect(docs.get('t', 'd3', undefined).doc!.version).toBe(2);
    // Flush persists what is searchable; an unrefreshed write is in the translog and comes back.
    indices.indices.get('t')!.flush();
    put('late', { n: 9999, word: 'late' });
    await docs.complete([], 'false');
    await shard().sync();
    indices.stop();
    ({ indices, docs, search } = open(dir));
    const total = search.count('t', null, {}, {});
    expect(total.count).toBe(140 - 2 + 1);
    expect(docs.get('t', 'late', undefined).doc).not.toBeNull();
    expect(docs.get('t', 'd4', undefined).doc).toBeNull();
    expect(docs.get('t', 'd6', undefined).doc).toBeNull();
    expect(docs.get('t', 'd3', undefined).doc!.version).toBe(2);
    indices.stop();
  });
});

describe('segments built and merged on worker threads', () => {
  it('publishes worker-built segments with the writes and deletes of their refresh, and merges without losing concurrent ones', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'lookout-shard-bg-'));
    let { indices, docs, search } = open(dir);
    indices.createIndex('t', { settings: { number_of_replicas: 0, refresh_interval: '-1' }, mappings: { properties: { word: { type: 'text' }, tag: { type: 'keyword' }, n: { type: 'long' } } } });
    const shard = () => indices.indices.get('t')!.shards[0];
    const put = (id: string, body: object) => docs.indexDoc('t', id, Buffer.from(JSON.stringify(body)), null, {});
    const count = (q: object) => search.count('t', { query: q }, {}, {}).count;
    // Twelve background refreshes of 30 docs each; each batch also updates one doc of the previous batch.
    for (let batch = 0; batch < 12; batch++) {
      for (let i = 0; i < 30; i++) put(`d${batch * 30 + i}`, { n: batch * 30 + i, word: i % 2 ? 'odd words' : 'even words', tag: `b${batch}` });
      if (batch > 0) put(`d${(batch - 1) * 30}`, { n: -batch, word: 'updated', tag: 'upd' });
      const waiter = shard().waitForRefresh();
      shard().refreshInBackground(1);
      // An update while the build runs is not visible until the next refresh; the old copy stays visible.
      put('d1', { n: 1, word: `rewritten${batch}`, tag: 'rw' });
      await waiter;
      expect(count({ match: { word: `rewritten${batch}` } })).toBe(0);
      shard().refresh();
      expect(count({ match: { word: `rewritten${batch}` } })).toBe(1);
    }
    expect(count({ match_all: {} })).toBe(360);
    expect(count({ term: { tag: 'upd' } })).toBe(11);
    // The batches were built (and written) by the worker; refresh() built the one-doc rewrites here.
    expect(shard().segments.filter((s) => s.persisted && s.maxDoc >= 30)).toHaveLength(12);
    // Flush so every segment is written, then a background merge with deletes and updates during it.
    indices.indices.get('t')!.flush();
    const segsBefore = shard().segments.length;
    expect(segsBefore).toBeGreaterThan(10);
    expect(shard().maybeMerge()).toBe(true);
    docs.deleteDoc('t', 'd40', {});
    put('d41', { n: 41, word: 'moved', tag: 'mv' });
    shard().refresh(); // the delete is visible before the merge lands
    expect(docs.get('t', 'd40', undefined).doc).toBeNull();
    const merging = shard().segments.slice();
    await until(() => shard().segments.length < segsBefore);
    expect(merging).not.toEqual(shard().segments);
    docs.deleteDoc('t', 'd42', {}); // pending on the merged segment
    expect(count({ match_all: {} })).toBe(359);
    shard().refresh();
    expect(count({ match_all: {} })).toBe(358);
    expect(count({ term: { tag: 'mv' } })).toBe(1);
    expect(count({ term: { tag: 'b1' } })).toBe(30 - 1 - 3); // d30 updated, d40 and d42 deleted, d41 moved
    expect(docs.get('t', 'd41', undefined).doc!.version).toBe(2);
    expect(docs.get('t', 'd43', undefined).doc!.source.toString()).toBe('{"n":43,"word":"odd words","tag":"b1"}');
    // A restart keeps exactly the same documents.
    await docs.complete([], 'false');
    indices.stop();
    ({ indices, docs, search } = open(dir));
    expect(count({ match_all: {} })).toBe(358);
    expect(count({ term: { tag: 'upd' } })).toBe(11);
    expect(count({ match: { word: 'rewritten11' } })).toBe(1);
    expect(docs.get('t', 'd42', undefined).doc).toBeNull();
    indices.stop();
  });

  it('merges segments without deletes (an append-only load) into one with every id in order', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'lookout-shard-bgm-'));
    const { indices, docs, search } = open(dir);
    indices.createIndex('t', { settings: { number_of_replicas: 0, refresh_interval: '-1' }, mappings: { properties: { n: { type: 'long' } } } });
    const shard = () => indices.indices.get('t')!.shards[0];
    for (let batch = 0; batch < 12; batch++) {
      for (let i = 0; i < 30; i++) docs.indexDoc('t', `d${batch * 30 + i}`, Buffer.from(JSON.stringify({ n: batch * 30 + i })), null, batch % 3 === 0 ? { routing: `r${i % 2}` } : {});
      const waiter = shard().waitForRefresh();
      shard().refreshInBackground(1);
      await waiter;
    }
    indices.indices.get('t')!.flush();
    const before = shard().segments.length;
    expect(shard().maybeMerge()).toBe(true);
    await until(() => shard().segments.length < before);
    const merged = shard().segments.find((s) => s.maxDoc > 30)!;
    const mergedIds = merged.meta.ids.toArray();
    const first = Number(mergedIds[0].slice(1));
    expect(mergedIds).toEqual(Array.from({ length: merged.maxDoc }, (_, k) => `d${first + k}`));
    expect(merged.meta.routings).toEqual(mergedIds.map((id) => (Math.floor(Number(id.slice(1)) / 30) % 3 === 0 ? `r${Number(id.slice(1)) % 30 % 2}` : null)));
    expect(search.count('t', { query: { match_all: {} } }, {}, {}).count).toBe(360);
    expect(docs.get('t', `d${first + 5}`, (Math.floor((first + 5) / 30) % 3 === 0 ? `r${(first + 5) % 30 % 2}` : undefined)).doc!.source.toString()).toBe(`{"n":${first + 5}}`);
    docs.deleteDoc('t', `d${first + 6}`, {});
    shard().refresh();
    expect(search.count('t', { query: { match_all: {} } }, {}, {}).count).toBe(359);
    indices.stop();
  });
});

describe('merge order', () => {
  const seg = (maxDoc: number, deleted = 0, codec: string = WRITE_CODEC) =>
    ({ maxDoc, deletes: deleted > 0 ? RoaringBitmap32.from(Array.from({ length: deleted }, (_, i) => i)) : null, sources: { codec } }) as unknown as Segment;

  it('puts inputs of whole _source blocks first in shard order, then the others largest first, those with deletes last', () => {
    const a = seg(64), b = seg(7), c = seg(32, 1), d = seg(96), e = seg(45), f = seg(32, 0, 'deflate'), g = seg(1000);
    expect(mergeOrder([a, b, c, d, e, f, g])).toEqual([a, d, g, e, f, b, c]);
  });

  it('merges in the background with a refresh-sized segment among whole-block ones, every doc keeping its _source', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'lookout-shard-order-'));
    const { indices, docs, search } = open(dir);
    indices.createIndex('t', { settings: { number_of_replicas: 0, refresh_interval: '-1' }, mappings: { properties: { n: { type: 'long' } } } });
    const shard = () => indices.indices.get('t')!.shards[0];
    let written = 0;
    for (const size of [64, 7, 32, 45, 96, 32, 32, 32, 32, 32, 32]) {
      for (const end = written + size; written < end; written++) docs.indexDoc('t', `d${written}`, Buffer.from(JSON.stringify({ n: written, pad: 'x'.repeat(written % 50) })), null, {});
      shard().refresh();
    }
    indices.indices.get('t')!.flush();
    for (let i = 0; i < 400 && shard().segments.some((s) => s.sources.compressed === false); i++) await new Promise((r) => setTimeout(r, 5));
    const before = shard().segments.length;
    expect(shard().maybeMerge()).toBe(true);
    await until(() => shard().segments.length < before);
    const merged = shard().segments.find((s) => s.maxDoc > 96)!;
    const mergedIds = merged.meta.ids.toArray();
    // The whole-block inputs come first, the 7- and 45-doc ones last.
    expect(mergedIds.slice(-52).map((id) => Number(id.slice(1))).sort((x, y) => x - y)).toEqual([...Array.from({ length: 7 }, (_, i) => 64 + i), ...Array.from({ length: 45 }, (_, i) => 103 + i)]);
    mergedIds.forEach((id, doc) => {
      const n = Number(id.slice(1));
      expect(merged.sources.get(doc).toString()).toBe(JSON.stringify({ n, pad: 'x'.repeat(n % 50) }));
    });
    expect(search.count('t', { query: { match_all: {} } }, {}, {}).count).toBe(written);
    expect(docs.get('t', 'd100', undefined).doc!.source.toString()).toBe(JSON.stringify({ n: 100, pad: 'x'.repeat(50 % 50) }));
    indices.stop();
  });
});

describe('two full buffers built at once', () => {
  it('lands them in order with the updates, deletes and real-time gets made while both ran', async () => {
    const { BUILD_MAX_DOCS } = await import('./shard.ts');
    const dir = mkdtempSync(join(tmpdir(), 'lookout-shard-2b-'));
    let { indices, docs, search } = open(dir);
    indices.createIndex('t', { settings: { number_of_replicas: 0, refresh_interval: '-1' }, mappings: { properties: { tag: { type: 'keyword' }, n: { type: 'long' } } } });
    const shard = () => indices.indices.get('t')!.shards[0];
    const put = (id: string, body: object) => docs.indexDoc('t', id, Buffer.from(JSON.stringify(body)), null, {});
    const count = (q: object) => search.count('t', { query: q }, {}, {}).count;
    const total = 2 * BUILD_MAX_DOCS + 500;
    let maxInFlight = 0;
    for (let i = 0; i < total; i++) {
      put(`d${i}`, { n: i, tag: 'orig' });
      maxInFlight = Math.max(maxInFlight, shard().buildsInFlight);
    }
    expect(maxInFlight).toBe(2);
    expect(shard().buildsInFlight).toBeGreaterThan(0);
    // While the builds run: overwrite and delete docs of both, read them back in real time.
    put('d10', { n: -10, tag: 'upd' });
    put(`d${BUILD_MAX_DOCS + 10}`, { n: -11, tag: 'upd' });
    docs.deleteDoc('t', 'd11', {});
    docs.deleteDoc('t', `d${BUILD_MAX_DOCS + 11}`, {});
    expect(docs.get('t', 'd10', undefined).doc!.source.toString()).toBe('{"n":-10,"tag":"upd"}');
    expect(docs.get('t', `d${BUILD_MAX_DOCS + 12}`, undefined).doc!.source.toString()).toBe(`{"n":${BUILD_MAX_DOCS + 12},"tag":"orig"}`);
    expect(docs.get('t', 'd11', undefined).doc).toBeNull();
    expect(count({ match_all: {} })).toBe(0); // nothing refreshed yet
    shard().refresh();
    expect(shard().buildsInFlight).toBe(0);
    expect(count({ match_all: {} })).toBe(total - 2);
    expect(count({ term: { tag: 'upd' } })).toBe(2);
    expect(count({ term: { tag: 'orig' } })).toBe(total - 4);
    // Segments in the order the docs came: the first holds d0.
    const first = shard().segments[0];
    expect(first.meta.ids.get(0)).toBe('d0');
    indices.indices.get('t')!.flush();
    indices.stop();
    ({ indices, docs, search } = open(dir));
    expect(count({ match_all: {} })).toBe(total - 2);
    expect(count({ term: { tag: 'upd' } })).toBe(2);
    indices.stop();
  }, 60_000);
});

describe('waiting for worker builds of several shards', () => {
  it('hands each shard its own build even when another shard waited for the worker first', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'lookout-shard-2bg-'));
    const { indices, docs, search } = open(dir);
    indices.createIndex('t', { settings: { number_of_shards: 2, number_of_replicas: 0, refresh_interval: '-1' } });
    const idx = indices.indices.get('t')!;
    for (let i = 0; i < 40; i++) docs.indexDoc('t', `d${i}`, Buffer.from(JSON.stringify({ n: i })), null, {});
    const warnings: string[] = [];
    const onWarning = (w: Error) => warnings.push(w.message);
    process.on('warning', onWarning);
    try {
      // Both builds go to the one build worker; the second shard's refresh takes the first's reply off the port.
      idx.shards[0].refreshInBackground(1);
      idx.shards[1].refreshInBackground(1);
      idx.shards[1].refresh();
      idx.shards[0].refresh();
      await new Promise((r) => setImmediate(r));
    } finally {
      process.off('warning', onWarning);
    }
    expect(warnings.filter((w) => w.includes('built on the event loop'))).toEqual([]);
    // Both segments came from the worker (which writes their files).
    for (const s of idx.shards) expect(s.segments.map((seg) => seg.persisted)).toEqual([true]);
    expect(search.count('t', null, {}, {}).count).toBe(40);
    indices.stop();
  });
});

describe('auto-id appends and the version map', () => {
  it('finds auto-id docs by id before and after a worker build, without keeping an entry per appended doc', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'lookout-shard-autoid-'));
    const { indices, docs } = open(dir);
    indices.createIndex('t', { settings: { number_of_replicas: 0, refresh_interval: '-1' } });
    const shard = indices.indices.get('t')!.shards[0];
    const ids: string[] = [];
    const versionMap = () => (shard as unknown as { versionMap: Map<string, unknown> }).versionMap;
    for (let i = 0; i < 1500; i++) ids.push(docs.indexDoc('t', undefined, Buffer.from(JSON.stringify({ n: i })), null, {}).id);
    expect(versionMap().size).toBe(0); // appended docs get no entry while nobody asks for one
    const refreshed = shard.waitForRefresh();
    shard.refreshInBackground(1);
    await refreshed;
    expect(versionMap().size).toBe(0);
    // In a segment now: found through the segment's id table, still without entries.
    expect(docs.get('t', ids[1234], undefined).doc!.source.toString()).toBe('{"n":1234}');
    expect(docs.get('t', ids[0], undefined).doc!.version).toBe(1);
    expect(versionMap().size).toBe(0);
    // Once ids were looked up, buffered auto-id docs get entries (real-time get by their id).
    const late = docs.indexDoc('t', undefined, Buffer.from('{"n":-1}'), null, {}).id;
    expect(versionMap().size).toBe(1);
    expect(docs.get('t', late, undefined).doc!.source.toString()).toBe('{"n":-1}');
    indices.stop();
  });
});

describe('buffered auto-id documents', () => {
  it('are found, updated and deleted by id while buffered and while their build runs, and survive a restart', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'lookout-shard-autoid-buffered-'));
    let { indices, docs, search } = open(dir);
    indices.createIndex('t', { settings: { number_of_replicas: 0, refresh_interval: '-1' } });
    const shard = indices.indices.get('t')!.shards[0];
    const ids: string[] = [];
    for (let i = 0; i < 3000; i++) ids.push(docs.indexDoc('t', undefined, Buffer.from(JSON.stringify({ n: i })), null, {}).id);
    // A build of the first 3,000 runs on the worker; more appended docs stay in the buffer.
    const refreshed = shard.waitForRefresh();
    shard.refreshInBackground(1);
    for (let i = 3000; i < 3100; i++) ids.push(docs.indexDoc('t', undefined, Buffer.from(JSON.stringify({ n: i })), null, {}).id);
    // Real-time get of a doc in the running build and of one in the buffer (the map is completed from both).
    expect(docs.get('t', ids[10], undefined).doc!.source.toString()).toBe('{"n":10}');
    expect(docs.get('t', ids[3050], undefined).doc!.source.toString()).toBe('{"n":3050}');
    // Overwrite one in the build, delete one in the buffer, while the build runs.
    const w = docs.indexDoc('t', ids[20], Buffer.from('{"n":-20}'), null, {});
    expect(w.result.result).toBe('updated');
    expect(w.result.version).toBe(2);
    expect(docs.deleteDoc('t', ids[3060], {}).result.result).toBe('deleted');
    await Promise.all([shard.sync(), refreshed]);
    shard.refresh();
    const count = (q: Record<string, unknown>) => search.count('t', { query: q }, {}, {}).count as number;
    expect(count({ match_all: {} })).toBe(3099);
    expect(count({ term: { n: 20 } })).toBe(0);
    expect(count({ term: { n: -20 } })).toBe(1);
    expect(count({ term: { n: 3060 } })).toBe(0);
    expect(docs.get('t', ids[20], undefined).doc!.version).toBe(2);
    expect(docs.get('t', ids[3060], undefined).doc).toBeNull();
    indices.stop();
    ({ indices, docs, search } = open(dir));
    expect(search.count('t', { query: { match_all: {} } }, {}, {}).count).toBe(3099);
    expect(docs.get('t', ids[3099], undefined).doc!.source.toString()).toBe('{"n":3099}');
    indices.stop();
  });
});

describe('idle segment workers', () => {
  it('stop when idle and start again for the next build', async () => {
    const { buildWorker, setWorkerIdleStopMs } = await import('../segment/segment-jobs.ts');
    setWorkerIdleStopMs(50);
    try {
      const dir = mkdtempSync(join(tmpdir(), 'lookout-shard-idle-'));
      const { indices, docs, search } = open(dir);
      indices.createIndex('t', { settings: { number_of_replicas: 0, refresh_interval: '-1' } });
      const shard = indices.indices.get('t')!.shards[0];
      for (let round = 0; round < 2; round++) {
        for (let i = 0; i < 20; i++) docs.indexDoc('t', `r${round}-${i}`, Buffer.from(JSON.stringify({ n: i })), null, {});
        const refreshed = shard.waitForRefresh();
        shard.refreshInBackground(1);
        await refreshed;
        expect(shard.segments.at(-1)!.persisted).toBe(true); // built by the worker
        for (let i = 0; i < 100 && buildWorker.running; i++) await new Promise((r) => setTimeout(r, 20));
        expect(buildWorker.running).toBe(false);
      }
      expect(search.count('t', null, {}, {}).count).toBe(40);
      indices.stop();
    } finally {
      setWorkerIdleStopMs(5_000);
    }
  });
});

describe('explicit ids of documents in segments', () => {
  it('find the newest copy when an older one has a delete not yet visible, and after merges', () => {
    const dir = mkdtempSync(join(tmpdir(), 'lookout-shard-'));
    const { indices, docs, search } = open(dir);
    indices.createIndex('v', { settings: { number_of_replicas: 0, refresh_interval: '-1' } });
    const shard = () => indices.indices.get('v')!.shards[0];
    const put = (id: string, n: number) => docs.indexDoc('v', id, Buffer.from(JSON.stringify({ n })), null, {}).result;
    const source = (id: string) => JSON.parse(shard().get(id)!.source.toString('utf8')) as { n: number };
    // The versions of the copies of x that searches see.
    const hits = () => (search.search('v', { query: { term: { _id: 'x' } }, version: true }, {}, {}).hits as { hits: Array<{ _version: number }> }).hits.map((h) => h._version);
    for (let i = 0; i < 20; i++) put(`o${i}`, i);
    expect(put('x', 1)).toMatchObject({ result: 'created', version: 1 });
    shard().refresh();
    // x 1 is in a published segment; x 2 replaces it (its delete pending) and a flush puts x 2 in a
    // segment that is not published yet: both copies are live as far as segments tell.
    expect(put('x', 2)).toMatchObject({ result: 'updated', version: 2 });
    shard().flush();
    expect(hits()).toEqual([1]);
    expect(source('x').n).toBe(2);
    expect(put('x', 3)).toMatchObject({ result: 'updated', version: 3 });
    shard().refresh();
    expect(hits()).toEqual([3]);
    expect(docs.deleteDoc('v', 'x', {}).result).toMatchObject({ result: 'deleted', version: 4 });
    expect(shard().get('x')).toBeNull();
    expect(put('x', 5)).toMatchObject({ result: 'created', version: 5 });
    shard().refresh();
    shard().forceMerge(1);
    expect(shard().segments.length).toBe(1);
    expect(put('x', 6)).toMatchObject({ result: 'updated', version: 6 });
    expect(put('o7', 70)).toMatchObject({ result: 'updated', version: 2 });
    expect(put('o70', 70)).toMatchObject({ result: 'created', version: 1 });
    shard().refresh();
    expect(hits()).toEqual([6]);
    expect(shard().getRefreshed('o7')?.version).toBe(2);
  });
});

describe('scheduled refresh under a sustained load', () => {
  it('publishes landed builds while another runs when no delete is pending, and waits when one is', async () => {
    const { BUILD_MAX_DOCS } = await import('./shard.ts');
    const dir = mkdtempSync(join(tmpdir(), 'lookout-shard-sus-'));
    const { indices, docs, search } = open(dir);
    indices.createIndex('t', { settings: { number_of_replicas: 0, refresh_interval: '-1' }, mappings: { properties: { n: { type: 'long' } } } });
    const shard = () => indices.indices.get('t')!.shards[0];
    const put = (id: string, n: number) => docs.indexDoc('t', id, Buffer.from(JSON.stringify({ n })), null, {});
    const count = (): number => search.count('t', { query: { match_all: {} } }, {}, {}).count as number;
    let written = 0;
    let seen = false;
    // Two full buffers build side by side; the moment the first has landed and the second still
    // runs, a scheduled refresh must make the first searchable. (If both land in one turn, again.)
    for (let attempt = 0; attempt < 4 && !seen; attempt++) {
      for (const end = written + 2 * BUILD_MAX_DOCS + 100; written < end; written++) put(`d${written}`, written);
      const before = count();
      while (shard().buildsInFlight === 2) await new Promise((r) => setTimeout(r, 1));
      if (shard().buildsInFlight !== 1) continue;
      shard().refreshInBackground();
      expect(shard().buildsInFlight).toBe(1);
      expect(count()).toBeGreaterThan(before);
      seen = true;
    }
    expect(seen).toBe(true);
    shard().refresh();
    expect(count()).toBe(written);
    // An overwrite pending: a landed build holding the new copy is not published beside the old one.
    seen = false;
    for (let attempt = 0; attempt < 4 && !seen; attempt++) {
      for (const end = written + 2 * BUILD_MAX_DOCS + 100; written < end; written++) put(`d${written}`, written);
      put('d0', -1);
      const before = count();
      while (shard().buildsInFlight === 2) await new Promise((r) => setTimeout(r, 1));
      if (shard().buildsInFlight !== 1) continue;
      shard().refreshInBackground();
      expect(count()).toBe(before);
      seen = true;
    }
    expect(seen).toBe(true);
    shard().refresh();
    expect(count()).toBe(written);
    expect(search.count('t', { query: { term: { n: -1 } } }, {}, {}).count).toBe(1);
    indices.stop();
  }, 120_000);
});

describe('merges under indexing pressure', () => {
  it('wait while writers are paced, unless segments reached twice the merge factor', async () => {
    const { MERGE_FACTOR, PACED_BACKLOG_DOCS } = await import('./shard.ts');
    const dir = mkdtempSync(join(tmpdir(), 'lookout-shard-mp-'));
    const { indices, docs } = open(dir);
    indices.createIndex('t', { settings: { number_of_replicas: 0, refresh_interval: '-1' }, mappings: { properties: { n: { type: 'long' } } } });
    const shard = () => indices.indices.get('t')!.shards[0];
    let written = 0;
    const put = (n: number) => {
      for (const end = written + n; written < end; written++) docs.indexDoc('t', `d${written}`, Buffer.from(`{"n":${written}}`), null, {});
    };
    const segments = (k: number) => {
      while (shard().segments.length < k) {
        put(5);
        shard().refresh();
      }
    };
    segments(MERGE_FACTOR + 2);
    for (let i = 0; i < 400 && shard().segments.some((s) => s.sources.compressed === false); i++) await new Promise((r) => setTimeout(r, 5));
    // Written in one turn, so no build lands: the backlog is past the paced mark.
    put(PACED_BACKLOG_DOCS + 1000);
    expect(shard().backlog).toBeGreaterThanOrEqual(PACED_BACKLOG_DOCS);
    expect(shard().maybeMerge(false)).toBe(false);
    shard().refresh();
    expect(shard().backlog).toBe(0);
    expect(shard().maybeMerge(false)).toBe(true);
    segments(2 * MERGE_FACTOR + 1);
    // Segments whose _source is still being compressed in the background are not merged yet.
    for (let i = 0; i < 400 && shard().segments.some((s) => s.sources.compressed === false); i++) await new Promise((r) => setTimeout(r, 5));
    put(PACED_BACKLOG_DOCS + 1000);
    expect(shard().maybeMerge(false)).toBe(true);
    shard().refresh();
    indices.stop();
  }, 120_000);
});
