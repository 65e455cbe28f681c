// The dashboards' HTTP API through inject(): saved objects (CRUD, find, export/import NDJSON, errors),
// the default index patterns, the streaming result export, and static serving of the built UI.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testApp, type TestApp } from './admin-app.ts';

let t: TestApp;
const SO = '/_dashboards/api/saved_objects';

beforeAll(async () => {
  t = await testApp();
  await t.app.ready();
});
afterAll(async () => {
  // Let a pending coalesced cluster-state write (persistSoon) land before the data dir is removed.
  await new Promise((r) => setTimeout(r, 50));
  await t.close();
});

describe('saved objects API', () => {
  it('creates the cwl-* and cwm-* index patterns at start', async () => {
    const r = await t.call('GET', `${SO}/_find?type=index-pattern`);
    expect(r.status).toBe(200);
    const titles = r.body.saved_objects.map((o: any) => [o.id, o.attributes.title, o.attributes.timeFieldName]).sort();
    expect(titles).toEqual([['cwl', 'cwl-*', '@timestamp'], ['cwm', 'cwm-*', '@timestamp']]);
  });

  it('creates, reads, updates (merging attributes), finds and deletes', async () => {
    const c = await t.call('POST', `${SO}/search`, { attributes: { title: 'Errors by host', columns: ['host'] } });
    expect(c.status).toBe(200);
    const id = c.body.id;
    expect(id).toMatch(/^[0-9a-f-]{36}$/);
    expect((await t.call('GET', `${SO}/search/${id}`)).body.attributes).toEqual({ title: 'Errors by host', columns: ['host'] });
    const u = await t.call('PUT', `${SO}/search/${id}`, { attributes: { columns: ['host', 'status'] } });
    expect(u.body.attributes).toEqual({ title: 'Errors by host', columns: ['host', 'status'] });
    expect((await t.call('GET', `${SO}/_find?type=search&search=errors`)).body.total).toBe(1);
    expect((await t.call('GET', `${SO}/_find?type=search&search=latency`)).body.total).toBe(0);
    expect((await t.call('DELETE', `${SO}/search/${id}`)).status).toBe(200);
    const gone = await t.call('GET', `${SO}/search/${id}`);
    expect(gone.status).toBe(404);
    expect(gone.body.error.type).toBe('saved_object_not_found_exception');
  });

  it('refuses a duplicate id without overwrite, and bad input with 400', async () => {
    expect((await t.call('POST', `${SO}/visualization/v1`, { attributes: { title: 'a' } })).status).toBe(200);
    const dup = await t.call('POST', `${SO}/visualization/v1`, { attributes: { title: 'b' } });
    expect(dup.status).toBe(409);
    expect((await t.call('POST', `${SO}/visualization/v1?overwrite=true`, { attributes: { title: 'b' } })).status).toBe(200);
    expect((await t.call('POST', `${SO}/Bad Type`, { attributes: {} })).status).toBe(400);
    expect((await t.call('POST', `${SO}/search`, { attributes: [1] })).status).toBe(400);
    expect((await t.call('POST', `${SO}/search`, { attributes: {}, references: 'x' })).status).toBe(400);
    expect((await t.call('GET', `${SO}/_find`)).status).toBe(400);
  });

  it('exports NDJSON that imports back', async () => {
    await t.call('POST', `${SO}/dashboard/d1`, { attributes: { title: 'Ops' }, references: [{ type: 'visualization', id: 'v1', name: 'panel_0' }] });
    const ex = await t.app.inject({ method: 'POST', url: `${SO}/_export`, payload: JSON.stringify({ objects: [{ type: 'dashboard', id: 'd1' }, { type: 'dashboard', id: 'missing' }], type: ['visualization'] }), headers: { 'content-type': 'application/json' } });
    expect(ex.statusCode).toBe(200);
    const lines = ex.body.trim().split('\n').map((l) => JSON.parse(l));
    expect(lines.map((l) => l.id ?? 'summary')).toEqual(['d1', 'v1', 'summary']);
    expect(lines[2]).toMatchObject({ exportedCount: 2, missingReferences: [{ type: 'dashboard', id: 'missing' }] });
    await t.call('DELETE', `${SO}/dashboard/d1`);
    const im = await t.app.inject({ method: 'POST', url: `${SO}/_import?overwrite=true`, payload: ex.body, headers: { 'content-type': 'application/x-ndjson' } });
    expect(JSON.parse(im.body)).toEqual({ success: true, successCount: 2, errors: [] });
    expect((await t.call('GET', `${SO}/dashboard/d1`)).body.references).toEqual([{ type: 'visualization', id: 'v1', name: 'panel_0' }]);
    const conflict = await t.app.inject({ method: 'POST', url: `${SO}/_import`, payload: ex.body, headers: { 'content-type': 'application/x-ndjson' } });
    expect(JSON.parse(conflict.body)).toMatchObject({ success: false, successCount: 0 });
    const bad = await t.app.inject({ method: 'POST', url: `${SO}/_import`, payload: '{nope\n', headers: { 'content-type': 'application/x-ndjson' } });
    expect(bad.statusCode).toBe(400);
  });

  it('accepts a multipart file upload on import (curl -F file=@export.ndjson)', async () => {
    const body = '--XYZ\r\nContent-Disposition: form-data; name="file"; filename="e.ndjson"\r\nContent-Type: application/ndjson\r\n\r\n{"type":"search","id":"m1","attributes":{"title":"from multipart"}}\n\r\n--XYZ--\r\n';
    const r = await t.app.inject({ method: 'POST', url: `${SO}/_import`, payload: body, headers: { 'content-type': 'multipart/form-data; boundary=XYZ' } });
    expect(JSON.parse(r.body)).toMatchObject({ success: true, successCount: 1 });
  });

  it('keeps the internal index out of `*` searches', async () => {
    const r = await t.call('POST', '/*/_search', { query: { match_all: {} } });
    expect(r.body.hits.hits.filter((h: any) => h._index === '.lookout-dashboards')).toEqual([]);
  });
});

describe('result export', () => {
  it('streams every hit across indices newest first, with ties on the same millisecond', async () => {
    const lines: string[] = [];
    // 2,500 docs over two indices, many sharing a millisecond, paged 2,000 at a time by the server.
    for (let i = 0; i < 2500; i++) {
      const ts = new Date(Date.UTC(2025, 0, 1) + Math.floor(i / 7)).toISOString();
      lines.push(JSON.stringify({ index: { _index: i % 2 ? 'cwl-exp-a' : 'cwl-exp-b', _id: `d${i}` } }), JSON.stringify({ '@timestamp': ts, n: i, msg: i === 0 ? '=cmd, "quoted"' : `m${i}` }));
    }
    const bulk = await t.app.inject({ method: 'POST', url: '/_bulk?refresh=true', payload: lines.join('\n') + '\n', headers: { 'content-type': 'application/x-ndjson' } });
    expect(JSON.parse(bulk.body).errors).toBe(false);
    const q = encodeURIComponent(JSON.stringify({ range: { n: { gte: 0 } } }));
    const nd = await t.app.inject({ method: 'GET', url: `/_dashboards/api/export?index=cwl-exp-*&format=ndjson&time_field=@timestamp&query=${q}` });
    expect(nd.statusCode).toBe(200);
    const docs = nd.body.trim().split('\n').map((l) => JSON.parse(l));
    expect(docs).toHaveLength(2500);
    expect(new Set(docs.map((d) => d._id)).size).toBe(2500);
    const times = docs.map((d) => Date.parse(d._source['@timestamp']));
    expect(times.every((x, i) => i === 0 || times[i - 1] >= x)).toBe(true);

    const csv = await t.app.inject({ method: 'GET', url: `/_dashboards/api/export?index=cwl-exp-*&format=csv&time_field=@timestamp&columns=@timestamp,n,msg` });
    expect(csv.headers['content-type']).toContain('text/csv');
    const rows = csv.body.trimEnd().split('\r\n');
    expect(rows[0]).toBe('@timestamp,n,msg');
    expect(rows).toHaveLength(2501);
    expect(rows).toContain(`2025-01-01T00:00:00.000Z,0,"'=cmd, ""quoted"""`);
  });

  it('rejects bad parameters with 400', async () => {
    expect((await t.call('GET', '/_dashboards/api/export?format=csv')).status).toBe(400);
    expect((await t.call('GET', '/_dashboards/api/export?index=x&format=xml')).status).toBe(400);
    expect((await t.call('GET', '/_dashboards/api/export?index=x&query=%7Bnope')).status).toBe(400);
  });
});

describe('static UI', () => {
  it('redirects /_dashboards to Discover and refuses paths outside the build', async () => {
    const r = await t.app.inject({ method: 'GET', url: '/_dashboards' });
    expect(r.statusCode).toBe(302);
    expect(r.headers.location).toBe('/_dashboards/app/discover');
    expect((await t.app.inject({ method: 'GET', url: '/_dashboards/assets/..%2f..%2fpackage.json' })).statusCode).toBe(404);
    expect((await t.app.inject({ method: 'GET', url: '/_dashboards/nope.js' })).statusCode).toBe(404);
  });
});
