import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { testApp, type TestApp } from './admin-app.ts';

let t: TestApp;
beforeEach(async () => {
  t = await testApp();
});
afterEach(async () => t.close());

describe('_cat/indices', () => {
  it('prints nothing for an empty cluster', async () => {
    expect((await t.call('GET', '/_cat/indices')).text).toBe('');
  });

  it('shows green for replicas 0, yellow otherwise, close for closed indices', async () => {
    await t.call('PUT', '/foo', { settings: { number_of_shards: 1, number_of_replicas: 0 } });
    await t.call('PUT', '/bar', { settings: { number_of_shards: 2 } });
    await t.call('POST', '/bar/_close');
    const res = await t.call('GET', '/_cat/indices?h=health,status,index,pri,rep&s=index');
    expect(res.text).toMatch(/^yellow close bar 2 1\ngreen {2}open {2}foo 1 0\n$/);
    expect((await t.call('GET', '/_cat/indices?health=green&h=i')).text).toBe('foo\n');
    expect((await t.call('GET', '/_cat/indices?health=bogus')).status).toBe(400);
  });

  it('renders JSON with display names and string values', async () => {
    await t.call('PUT', '/foo', { settings: { number_of_replicas: 0 } });
    const res = await t.call('GET', '/_cat/indices?format=json&h=i,dc');
    expect(res.body).toEqual([{ i: 'foo', dc: '0' }]);
  });

  it('sorts descending with :desc', async () => {
    for (const n of ['a', 'b', 'c']) await t.call('PUT', `/${n}`);
    expect((await t.call('GET', '/_cat/indices?h=index&s=index:desc')).text).toBe('c\nb\na\n');
  });
});

describe('_cat/aliases', () => {
  it('prints the help table', async () => {
    const res = await t.call('GET', '/_cat/aliases?help');
    expect(res.text.split('\n')[0]).toMatch(/^alias +\| a +\| alias name +$/);
  });

  it('lists aliases with filter and routing markers', async () => {
    await t.call('PUT', '/test');
    await t.call('PUT', '/test/_alias/test_alias', { index_routing: 'ir', search_routing: 'sr1,sr2', is_write_index: true, filter: { term: { foo: 'bar' } } });
    await t.call('PUT', '/test/_alias/plain');
    const res = await t.call('GET', '/_cat/aliases?v&s=alias');
    expect(res.text).toBe(
      'alias      index filter routing.index routing.search is_write_index\n' +
      'plain      test  -      -             -              -\n' +
      'test_alias test  *      ir            sr1,sr2        true\n',
    );
  });
});

describe('_cat/count and _cat/health', () => {
  it('counts documents with epoch and timestamp', async () => {
    const res = await t.call('GET', '/_cat/count');
    expect(res.text).toMatch(/^\d+ \d\d:\d\d:\d\d 0\n$/);
  });

  it('prints one health row', async () => {
    const res = await t.call('GET', '/_cat/health?ts=false');
    expect(res.text).toMatch(/^lookout green 1 1 true 0 0 0 0 0 0 - 100\.0%\n$/);
  });
});
