import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { testApp, type TestApp } from './admin-app.ts';

let t: TestApp;
beforeEach(async () => {
  t = await testApp();
});
afterEach(async () => t.close());

describe('_cluster/health', () => {
  it('counts primaries active and replicas unassigned', async () => {
    await t.call('PUT', '/a', { settings: { number_of_shards: 2 } });
    const res = await t.call('GET', '/_cluster/health?level=shards');
    expect(res.body).toMatchObject({ status: 'yellow', active_primary_shards: 2, active_shards: 2, unassigned_shards: 2, active_shards_percent_as_number: 50 });
    expect(res.body.indices.a.shards['0']).toMatchObject({ primary_active: true, unassigned_shards: 1 });
  });

  it('times out with 408 and the body', async () => {
    const res = await t.call('GET', '/_cluster/health?wait_for_nodes=10&timeout=1ms');
    expect(res.status).toBe(408);
    expect(res.body.timed_out).toBe(true);
  });
});

describe('_cluster/settings', () => {
  it('sets, shows and removes persistent settings', async () => {
    let res = await t.call('PUT', '/_cluster/settings', { persistent: { search: { max_buckets: 10 } } });
    expect(res.body).toEqual({ acknowledged: true, persistent: { search: { max_buckets: '10' } }, transient: {} });
    res = await t.call('GET', '/_cluster/settings?flat_settings=true');
    expect(res.body.persistent).toEqual({ 'search.max_buckets': '10' });
    await t.call('PUT', '/_cluster/settings', { persistent: { 'search.max_buckets': null } });
    expect((await t.call('GET', '/_cluster/settings')).body.persistent).toEqual({});
  });

  it('rejects unknown settings', async () => {
    const res = await t.call('PUT', '/_cluster/settings', { persistent: { 'foo.bar': 1 } });
    expect(res.status).toBe(400);
    expect(res.body.error.reason).toBe('persistent setting [foo.bar], not recognized');
  });
});

describe('_tasks', () => {
  it('lists no running tasks and rejects malformed ids', async () => {
    expect((await t.call('GET', '/_tasks')).body).toEqual({ nodes: {} });
    expect((await t.call('GET', '/_tasks/abc')).body.error.reason).toBe('malformed task id abc');
  });
});

describe('action.destructive_requires_name', () => {
  it('refuses wildcard deletes once set', async () => {
    const { checkDestructiveRequiresName } = await import('../../server/routes/cluster-settings.ts');
    expect(() => checkDestructiveRequiresName(t.node.indices, 'logs-*')).not.toThrow();
    await t.call('PUT', '/_cluster/settings', { transient: { 'action.destructive_requires_name': true } });
    expect(() => checkDestructiveRequiresName(t.node.indices, 'logs-*')).toThrow('Wildcard expressions or all indices are not allowed');
    expect(() => checkDestructiveRequiresName(t.node.indices, 'logs-1')).not.toThrow();
  });
});
