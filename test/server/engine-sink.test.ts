import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { testApp, type TestApp } from './admin-app.ts';

let t: TestApp;
beforeEach(async () => {
  t = await testApp();
});
afterEach(async () => t.close());

describe('EngineSink.putIndexTemplate', () => {
  it('persists the cluster state when a template is new or changed, not when it is reinstalled as it is', async () => {
    let persists = 0;
    const persist = t.node.indices.persist.bind(t.node.indices);
    t.node.indices.persist = () => {
      persists++;
      persist();
    };
    const body = { index_patterns: ['tpl-*'], priority: 7, template: { mappings: { properties: { n: { type: 'long' } } } } };
    await t.node.sink.putIndexTemplate('tpl', body);
    await t.node.sink.putIndexTemplate('tpl', JSON.parse(JSON.stringify(body)));
    expect(persists).toBe(1);
    await t.node.sink.putIndexTemplate('tpl', { ...body, priority: 8 });
    expect(persists).toBe(2);
    expect((await t.call('GET', '/_index_template/tpl')).body).toMatchObject({ index_templates: [{ name: 'tpl', index_template: { priority: 8 } }] });
  });
});

describe('EngineSink.stage', () => {
  it('returns the items at once, a mark per shard written (index uuid, shard, highest seq no), and durability as a promise', async () => {
    await t.call('PUT', '/two', { settings: { number_of_shards: 2, number_of_replicas: 0 }, mappings: { properties: { n: { type: 'long' } } } });
    const docs = Array.from({ length: 20 }, (_, i) => ({ index: 'two', id: `d${i}`, source: { n: i } }));
    const staged = t.node.sink.stage([...docs, { index: 'two', id: 'bad', source: { n: 'not a number' } }]);
    expect(staged.items).toHaveLength(21);
    expect(staged.items.filter((i) => i.status === 201)).toHaveLength(20);
    expect(staged.items[20].error?.type).toBe('mapper_parsing_exception');
    const uuid = t.node.indices.metas.get('two')!.uuid;
    const shards = t.node.indices.indices.get('two')!.shards;
    expect(staged.marks.sort((a, b) => a[1] - b[1])).toEqual(shards.filter((s) => s.maxSeqNo >= 0).map((s) => [uuid, s.shardId, s.maxSeqNo]));
    await staged.durable;
    expect(await t.node.sink.count('two')).toBe(0); // durable, not yet refreshed
  });

  it('tells whether marked writes survived: a shard that recovered less far says no; a deleted index says nothing against', async () => {
    await t.call('PUT', '/one', { settings: { number_of_shards: 1, number_of_replicas: 0 }, mappings: { properties: { n: { type: 'long' } } } });
    const staged = t.node.sink.stage([{ index: 'one', id: 'a', source: { n: 1 } }]);
    await staged.durable;
    const [[uuid, shard, seqNo]] = staged.marks;
    expect(t.node.sink.survived(staged.marks)).toBe(true);
    expect(t.node.sink.survived([[uuid, shard, seqNo + 1]])).toBe(false);
    expect(t.node.sink.survived([['no-such-uuid', 0, 99]])).toBe(true);
  });
});
