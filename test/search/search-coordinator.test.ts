import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { testApp, type TestApp } from '../server/admin-app.ts';

let t: TestApp;
beforeEach(async () => {
  t = await testApp();
});
afterEach(async () => t.close());

async function seed(index: string, shards: number, docs: Array<Record<string, unknown>>): Promise<void> {
  await t.call('PUT', `/${index}`, {
    settings: { number_of_shards: shards },
    mappings: { properties: { group: { type: 'integer' }, tag: { type: 'keyword' }, rank: { type: 'integer' } } },
  });
  for (const [i, doc] of docs.entries()) await t.call('PUT', `/${index}/_doc/${i + 1}`, doc);
  await t.call('POST', `/${index}/_refresh`);
}

const DOCS = Array.from({ length: 40 }, (_, i) => ({ group: i % 7, tag: `t${i % 3}`, rank: (i * 37) % 101 }));

describe('collapse', () => {
  it('returns one hit per group, the same on 1 shard and on 5', async () => {
    await seed('one', 1, DOCS);
    await seed('five', 5, DOCS);
    const body = { collapse: { field: 'group', inner_hits: { name: 'top', size: 2, sort: [{ rank: 'asc' }] } }, sort: [{ rank: 'desc' }], size: 4, from: 1 };
    const a = (await t.call('POST', '/one/_search', body)).body;
    const b = (await t.call('POST', '/five/_search', body)).body;
    const view = (r: any) => r.hits.hits.map((h: any) => [h._id, h.fields.group, h.inner_hits.top.hits.total.value, h.inner_hits.top.hits.hits.map((x: any) => x._id)]);
    expect(view(a)).toEqual(view(b));
    expect(a.hits.total.value).toBe(40);
    expect(new Set(a.hits.hits.map((h: any) => h.fields.group[0])).size).toBe(4);
  });

  it('refuses collapse with scroll and rescore, and on text fields', async () => {
    await seed('one', 1, DOCS);
    const scroll = await t.call('POST', '/one/_search?scroll=1m', { collapse: { field: 'group' } });
    expect(scroll.body.error.reason).toContain('cannot use `collapse` in a scroll context');
    const rescore = await t.call('POST', '/one/_search', { collapse: { field: 'group' }, rescore: { query: { rescore_query: { match_all: {} } } } });
    expect(rescore.body.error.reason).toContain('cannot use `collapse` in conjunction with `rescore`');
    const unmapped = await t.call('POST', '/one/_search', { collapse: { field: 'nope' } });
    expect(unmapped.status).toBe(400);
    expect(unmapped.body.error.root_cause[0].reason).toBe('no mapping found for `nope` in order to collapse on');
  });
});

describe('indices_boost', () => {
  it('multiplies scores per index; the first matching entry wins', async () => {
    await seed('a_1', 1, [{ tag: 'x' }]);
    await seed('b_1', 1, [{ tag: 'x' }]);
    let r = (await t.call('POST', '/_search', { indices_boost: [{ 'b_*': 3 }, { b_1: 0.5 }] })).body;
    expect(r.hits.hits.map((h: any) => [h._index, h._score])).toEqual([['b_1', 3], ['a_1', 1]]);
    r = (await t.call('POST', '/_search', { indices_boost: { a_1: 2 } })).body;
    expect(r.hits.hits[0]._index).toBe('a_1');
    const missing = await t.call('POST', '/_search', { indices_boost: [{ nope: 2 }] });
    expect(missing.status).toBe(404);
  });
});

describe('coordinator bookkeeping', () => {
  it('skips shards whose range cannot match when pre-filtering, keeping one', async () => {
    for (const [name, year] of [['i1', 2016], ['i2', 2017], ['i3', 2018]] as const) {
      await t.call('PUT', `/${name}`, { mappings: { properties: { at: { type: 'date' } } } });
      await t.call('PUT', `/${name}/_doc/1?refresh=true`, { at: `${year}-01-01` });
    }
    const q = { size: 0, query: { range: { at: { gte: '2016-02-01', lt: '2018-02-01' } } } };
    expect((await t.call('POST', '/i*/_search?pre_filter_shard_size=1', q)).body._shards.skipped).toBe(1);
    expect((await t.call('POST', '/i*/_search', q)).body._shards.skipped).toBe(0);
    const none = { size: 0, query: { range: { at: { gte: '2030-01-01' } } } };
    expect((await t.call('POST', '/i*/_search?pre_filter_shard_size=1', none)).body._shards.skipped).toBe(2);
  });

  it('reports num_reduce_phases for small batched_reduce_size', async () => {
    await seed('five', 5, DOCS);
    const r = (await t.call('POST', '/five/_search?batched_reduce_size=2', { size: 0, aggs: { t: { terms: { field: 'tag' } } } })).body;
    expect(r.num_reduce_phases).toBe(4);
    expect((await t.call('POST', '/five/_search?batched_reduce_size=1', {})).body.error.reason).toBe('batchedReduceSize must be >= 2');
  });

  it('keeps big integers exact when filtering _source', async () => {
    await t.call('PUT', '/big/_doc/1?refresh=true', { n: 1, nested: { keep: 1 } });
    await t.app.inject({ method: 'PUT', url: '/big/_doc/2?refresh=true', headers: { 'content-type': 'application/json' }, payload: '{"n": 2, "big": 72057594037927936}' });
    const r = await t.call('POST', '/big/_search', { query: { term: { n: 2 } }, _source: ['big'] });
    expect(r.text).toContain('"_source":{"big":72057594037927936}');
  });
});

describe('_msearch', () => {
  it('pairs headers and bodies, with blank headers and per-item errors', async () => {
    await seed('one', 1, DOCS);
    const payload = '{"index":"one"}\n{"size":1}\n\n{"query":{"term":{"tag":"t1"}},"size":0}\n{"index":"missing"}\n{}\n';
    const res = await t.app.inject({ method: 'POST', url: '/one/_msearch', headers: { 'content-type': 'application/x-ndjson' }, payload });
    const body = JSON.parse(res.body);
    expect(body.responses.map((r: any) => r.status)).toEqual([200, 200, 404]);
    expect(body.responses[0].hits.hits).toHaveLength(1);
    expect(body.responses[1].hits.total.value).toBe(13);
    const bad = await t.app.inject({ method: 'POST', url: '/_msearch', headers: { 'content-type': 'application/x-ndjson' }, payload: '{"nope":1}\n{}\n' });
    expect(JSON.parse(bad.body).error.reason).toBe('key [nope] is not supported in the metadata section');
  });
});
