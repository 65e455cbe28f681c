import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { testApp, type TestApp } from './admin-app.ts';

let t: TestApp;
beforeEach(async () => {
  t = await testApp();
  await t.call('PUT', '/test_index', { aliases: { test_alias: {}, test_blias: {} } });
  await t.call('PUT', '/test_index_2', { aliases: { test_alias: {}, test_blias: {} } });
});
afterEach(async () => t.close());

describe('GET _alias', () => {
  it('lists indices without aliases only when no name is given', async () => {
    await t.call('PUT', '/bare');
    expect((await t.call('GET', '/_alias')).body.bare).toEqual({ aliases: {} });
    expect((await t.call('GET', '/_alias/_all')).body.bare).toBeUndefined();
    expect((await t.call('GET', '/_aliases')).body.bare).toEqual({ aliases: {} });
  });

  it('returns 404 naming missing aliases, with the found ones', async () => {
    const res = await t.call('GET', '/test_index/_alias/test_alias,non-existent,another-non-existent');
    expect(res.status).toBe(404);
    expect(res.body).toEqual({ error: 'aliases [another-non-existent,non-existent] missing', status: 404, test_index: { aliases: { test_alias: {} } } });
  });

  it('HEAD answers 200 or 404', async () => {
    expect((await t.call('HEAD', '/_alias/test_alias')).status).toBe(200);
    expect((await t.call('HEAD', '/_alias/nope')).status).toBe(404);
    expect((await t.call('HEAD', '/missing/_alias/test_alias')).status).toBe(404);
  });
});

describe('POST _aliases', () => {
  it('adds with routing and filter, removes, and reports missing removals', async () => {
    let res = await t.call('POST', '/_aliases', { actions: [{ add: { index: 'test_index', alias: 'r', routing: 5, filter: { ids: { values: ['1'] } } } }] });
    expect(res.status).toBe(200);
    res = await t.call('GET', '/test_index/_alias/r');
    expect(res.body.test_index.aliases.r).toEqual({ filter: { ids: { values: ['1'] } }, index_routing: '5', search_routing: '5' });
    res = await t.call('POST', '/_aliases', { actions: [{ remove: { index: 'test_index', alias: 'nope' } }] });
    expect(res.status).toBe(404);
    expect(res.body.error.type).toBe('aliases_not_found_exception');
  });

  it('replaces an index by an alias in one request', async () => {
    await t.call('PUT', '/test');
    const res = await t.call('POST', '/_aliases', { actions: [{ add: { index: 'test_index', aliases: ['test'] } }, { remove_index: { index: 'test' } }] });
    expect(res.status).toBe(200);
    expect((await t.call('HEAD', '/_alias/test')).status).toBe(200);
  });

  it('refuses an alias named like an index, invalid names, and two write indices', async () => {
    let res = await t.call('PUT', '/test_index/_alias/test_index_2');
    expect(res.body.error.type).toBe('invalid_alias_name_exception');
    res = await t.call('PUT', '/test_index/_alias/test_*');
    expect(res.status).toBe(400);
    await t.call('PUT', '/test_index/_alias/w', { is_write_index: true });
    res = await t.call('PUT', '/test_index_2/_alias/w', { is_write_index: true });
    expect(res.body.error.reason).toBe('alias [w] has more than one write index [test_index,test_index_2]');
  });

  it('rejects unknown put-alias fields and bad filters', async () => {
    expect((await t.call('PUT', '/test_index/_alias/x', { abc: 1 })).body.error.reason).toBe('unknown field [abc]');
    const res = await t.call('PUT', '/test_index/_alias/x', { filter: { nope: {} } });
    expect(res.body.error.reason).toBe('failed to parse filter for alias [x]');
  });
});

describe('DELETE alias', () => {
  it('deletes and 404s when missing', async () => {
    expect((await t.call('DELETE', '/test_index/_alias/test_alias')).status).toBe(200);
    const res = await t.call('DELETE', '/test_index/_alias/test_alias');
    expect(res.status).toBe(404);
    expect(res.body.error.reason).toBe('aliases [test_alias] missing');
  });
});
