import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { testApp, type TestApp } from './admin-app.ts';

let t: TestApp;
beforeEach(async () => {
  t = await testApp();
});
afterEach(async () => t.close());

describe('legacy _template', () => {
  it('stores and renders settings, mappings and aliases', async () => {
    await t.call('PUT', '/_template/test', { index_patterns: 'test-*', settings: { number_of_shards: 1 }, mappings: { properties: { f: { type: 'keyword' } } }, aliases: { a: { routing: 'b' } } });
    const res = await t.call('GET', '/_template/test?flat_settings=true');
    expect(res.body).toEqual({ test: { order: 0, index_patterns: ['test-*'], settings: { 'index.number_of_shards': '1' }, mappings: { properties: { f: { type: 'keyword' } } }, aliases: { a: { index_routing: 'b', search_routing: 'b' } } } });
    expect((await t.call('PUT', '/_template/test?create=true', { index_patterns: 'x' })).status).toBe(400);
    expect((await t.call('GET', '/_template/nope')).status).toBe(404);
    expect((await t.call('DELETE', '/_template/nope')).body.error.type).toBe('index_template_missing_exception');
  });

  it('applies to new indices by order', async () => {
    await t.call('PUT', '/_template/low', { index_patterns: 'logs-*', order: 0, settings: { number_of_replicas: 2 } });
    await t.call('PUT', '/_template/high', { index_patterns: 'logs-*', order: 1, settings: { number_of_replicas: 0 } });
    await t.call('PUT', '/logs-1');
    const res = await t.call('GET', '/logs-1/_settings?flat_settings=true');
    expect(res.body['logs-1'].settings['index.number_of_replicas']).toBe('0');
  });
});

describe('_index_template and _component_template', () => {
  it('composes components, and beats legacy templates', async () => {
    await t.call('PUT', '/_component_template/ct', { template: { mappings: { properties: { a: { type: 'keyword' } } } } });
    await t.call('PUT', '/_index_template/it', { index_patterns: ['app-*'], composed_of: ['ct'], template: { settings: { number_of_replicas: 0 } } });
    await t.call('PUT', '/_template/legacy', { index_patterns: ['app-*'], settings: { number_of_shards: 3 } });
    await t.call('PUT', '/app-1');
    const res = await t.call('GET', '/app-1');
    expect(res.body['app-1'].mappings).toEqual({ properties: { a: { type: 'keyword' } } });
    expect(res.body['app-1'].settings.index.number_of_shards).toBe('1');
    const got = await t.call('GET', '/_index_template/it');
    expect(got.body.index_templates[0]).toEqual({ name: 'it', index_template: { index_patterns: ['app-*'], template: { settings: { index: { number_of_replicas: '0' } } }, composed_of: ['ct'] } });
    expect((await t.call('DELETE', '/_component_template/ct')).status).toBe(400);
    expect((await t.call('GET', '/_index_template/nope')).status).toBe(404);
    expect((await t.call('HEAD', '/_index_template/it')).status).toBe(200);
  });
});
