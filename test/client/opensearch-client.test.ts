// The official OpenSearch JavaScript client, unchanged, against a real Lookout server on loopback.

import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { Client } from '@opensearch-project/opensearch';
import { startServer, type ServerProcess } from '../helpers/server-process.ts';

describe('@opensearch-project/opensearch client', () => {
  let server: ServerProcess;
  let client: Client;
  beforeAll(async () => {
    server = await startServer();
    client = new Client({ node: server.url });
  });
  afterAll(async () => {
    await client?.close();
    await server?.stop();
  });

  it('reads the cluster info', async () => {
    const info = await client.info();
    expect(info.body.version.number).toMatch(/^2\.19\./);
    expect(info.body.version.distribution).toBe('opensearch');
  });

  it('creates an index, bulk-indexes with the helper, searches and gets', async () => {
    await client.indices.create({
      index: 'client-logs',
      body: { settings: { number_of_shards: 2, number_of_replicas: 0 }, mappings: { properties: { level: { type: 'keyword' }, message: { type: 'text' }, latency: { type: 'float' } } } },
    });
    const docs = Array.from({ length: 200 }, (_, i) => ({ level: i % 10 === 0 ? 'ERROR' : 'INFO', message: `request ${i} served ${i % 3 === 0 ? 'slowly' : 'quickly'}`, latency: i / 10 }));
    const result = await client.helpers.bulk({
      datasource: docs,
      onDocument: () => ({ index: { _index: 'client-logs' } }),
      refreshOnCompletion: 'client-logs',
    });
    expect(result.successful).toBe(200);
    expect(result.failed).toBe(0);

    const errors = await client.search({ index: 'client-logs', body: { query: { term: { level: 'ERROR' } }, size: 5 } });
    expect(errors.body.hits.total).toEqual({ value: 20, relation: 'eq' });
    expect(errors.body.hits.hits).toHaveLength(5);

    const slow = await client.search({ index: 'client-logs', body: { query: { bool: { must: { match: { message: 'slowly' } }, filter: { range: { latency: { gte: 10 } } } } } } });
    expect((slow.body.hits.total as { value: number }).value).toBe(docs.filter((d, i) => i % 3 === 0 && d.latency >= 10).length);

    await client.index({ index: 'client-logs', id: 'fixed', body: { level: 'WARN', message: 'hand made' }, refresh: true });
    const got = await client.get({ index: 'client-logs', id: 'fixed' });
    expect(got.body._source).toEqual({ level: 'WARN', message: 'hand made' });
    const count = await client.count({ index: 'client-logs' });
    expect(count.body.count).toBe(201);
  });

  it('runs aggregations (terms with sub-metrics, date_histogram, percentiles) through the client', async () => {
    await client.indices.create({
      index: 'client-aggs',
      body: { settings: { number_of_shards: 3, number_of_replicas: 0 }, mappings: { properties: { service: { type: 'keyword' }, ts: { type: 'date' }, latency: { type: 'double' } } } },
    });
    const services = ['api', 'db', 'web'];
    const docs = Array.from({ length: 90 }, (_, i) => ({ service: services[i % 3], ts: new Date(Date.UTC(2024, 0, 1, i % 24)).toISOString(), latency: i }));
    await client.helpers.bulk({ datasource: docs, onDocument: () => ({ index: { _index: 'client-aggs' } }), refreshOnCompletion: 'client-aggs' });
    // The request body is plain JSON as any OpenSearch user writes it (the client's typings are stricter).
    const body: Record<string, any> = {
        size: 0,
        aggs: {
          by_service: { terms: { field: 'service' }, aggs: { avg_latency: { avg: { field: 'latency' } }, max_latency: { max: { field: 'latency' } } } },
          per_hour: { date_histogram: { field: 'ts', fixed_interval: '1h' } },
          p: { percentiles: { field: 'latency', percents: [50] } },
        },
    };
    const r = await client.search({ index: 'client-aggs', body });
    const aggs = r.body.aggregations as any;
    const api = aggs.by_service.buckets.find((b: any) => b.key === 'api');
    expect(aggs.by_service.buckets.map((b: any) => b.doc_count)).toEqual([30, 30, 30]);
    expect(api.avg_latency.value).toBe(docs.filter((d) => d.service === 'api').reduce((a, d) => a + d.latency, 0) / 30);
    expect(api.max_latency.value).toBe(87);
    expect(aggs.per_hour.buckets).toHaveLength(24);
    expect(aggs.per_hour.buckets.reduce((n: number, b: any) => n + b.doc_count, 0)).toBe(90);
    expect(aggs.p.values['50.0']).toBeGreaterThan(40);
    expect(aggs.p.values['50.0']).toBeLessThan(50);
  });

  it('reports errors the way the client expects', async () => {
    await expect(client.get({ index: 'client-logs', id: 'nope' })).rejects.toMatchObject({ meta: { statusCode: 404 } });
    await expect(client.indices.create({ index: 'client-logs' })).rejects.toMatchObject({ meta: { statusCode: 400, body: { error: { type: 'resource_already_exists_exception' } } } });
    await expect(client.search({ index: 'missing-index', body: {} })).rejects.toMatchObject({ meta: { statusCode: 404, body: { error: { type: 'index_not_found_exception' } } } });
  });

  it('updates, deletes and uses optimistic concurrency', async () => {
    const created = await client.index({ index: 'client-logs', id: 'cc', body: { level: 'INFO', n: 1 } });
    const seqNo = created.body._seq_no;
    const primaryTerm = created.body._primary_term;
    await client.update({ index: 'client-logs', id: 'cc', body: { doc: { n: 2 } } });
    await expect(client.index({ index: 'client-logs', id: 'cc', body: { n: 3 }, if_seq_no: seqNo, if_primary_term: primaryTerm })).rejects.toMatchObject({ meta: { statusCode: 409 } });
    const got = await client.get({ index: 'client-logs', id: 'cc' });
    expect(got.body._source).toEqual({ level: 'INFO', n: 2 });
    expect(got.body._version).toBe(2);
    const del = await client.delete({ index: 'client-logs', id: 'cc' });
    expect(del.body.result).toBe('deleted');
  });
});
