// OpenSearch Alerting's monitor API over log documents ingested through `_bulk`, with real HTTP
// receivers: a bucket-level monitor alerting and paging per bucket key (and resolving when a bucket
// clears), acknowledge, throttle, `_execute` dry runs (saved and unsaved), CRUD and search, and
// monitors and alerts surviving a restart.

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../server/app.ts';
import { DEFAULTS } from '../../server/config.ts';
import type { LookoutNode } from '../../server/node.ts';
import { startReceiver, type Receiver } from './notifications-receiver.ts';

let app: FastifyInstance;
let node: LookoutNode;
let dataDir: string;
let rx: Receiver;

async function open(): Promise<void> {
  const file = { notifications: { retry: { initial_backoff_ms: 20, max_backoff_ms: 100, max_attempts: 3 } } };
  ({ app, node } = await buildApp({ config: { ...DEFAULTS, allowInsecure: false, awsCredentials: [], file, dataDir } }));
  await app.ready();
}

async function close(): Promise<void> {
  await app.close();
  node.stop();
}

async function call(method: string, url: string, body?: unknown, ndjson = false): Promise<{ status: number; body: any }> {
  const payload = body === undefined ? undefined : ndjson ? (body as string) : JSON.stringify(body);
  const res = await app.inject({ method: method as never, url, payload, headers: body === undefined ? {} : { 'content-type': ndjson ? 'application/x-ndjson' : 'application/json' } });
  return { status: res.statusCode, body: res.body ? JSON.parse(res.body) : undefined };
}

/** `_bulk`-ingests error/info log lines: counts per service of errors. */
async function ingest(errors: Record<string, number>, at = Date.now() - 5 * 60_000): Promise<void> {
  const lines: string[] = [];
  for (const [service, n] of Object.entries(errors)) {
    for (let i = 0; i < n; i++) {
      lines.push(JSON.stringify({ index: { _index: 'logs-app' } }));
      lines.push(JSON.stringify({ '@timestamp': new Date(at + i).toISOString(), service, level: 'error', message: `boom ${i}` }));
    }
    lines.push(JSON.stringify({ index: { _index: 'logs-app' } }));
    lines.push(JSON.stringify({ '@timestamp': new Date(at).toISOString(), service, level: 'info', message: 'fine' }));
  }
  const r = await call('POST', '/_bulk?refresh=true', lines.join('\n') + '\n', true);
  expect(r.status).toBe(200);
  expect(r.body.errors).toBe(false);
}

const lastHour = { range: { '@timestamp': { gte: '{{period_end}}||-1h', lte: '{{period_end}}', format: 'epoch_millis' } } };

function bucketMonitor(): Record<string, unknown> {
  return {
    type: 'monitor', name: 'errors by service', monitor_type: 'bucket_level_monitor', enabled: true,
    schedule: { period: { interval: 1, unit: 'HOURS' } },
    inputs: [{ search: { indices: ['logs-*'], query: {
      size: 0,
      query: { bool: { filter: [lastHour, { term: { 'level.keyword': 'error' } }] } },
      aggregations: { composite_agg: { composite: { sources: [{ service: { terms: { field: 'service.keyword' } } }] } } },
    } } }],
    triggers: [{ bucket_level_trigger: {
      name: 'too many errors', severity: '2',
      condition: { buckets_path: { _count: '_count' }, parent_bucket_path: 'composite_agg', script: { source: 'params._count > 2', lang: 'painless' } },
      actions: [{
        name: 'page', destination_id: 'pd', throttle_enabled: true, throttle: { value: 10, unit: 'MINUTES' },
        message_template: { source: '{{ctx.monitor.name}}: service {{ctx.alert.bucket_keys}} has {{ctx.alert.agg_alert_content.bucket.doc_count}} errors' },
        subject_template: { source: 'Errors on {{ctx.alert.bucket_keys}}' },
      }],
    } }],
  };
}

function queryMonitor(): Record<string, unknown> {
  return {
    type: 'monitor', name: 'any db error', monitor_type: 'query_level_monitor', enabled: true,
    schedule: { cron: { expression: '0 9 * * 1-5', timezone: 'America/Los_Angeles' } },
    inputs: [{ search: { indices: ['logs-app'], query: { size: 0, query: { bool: { filter: [lastHour, { term: { 'service.keyword': 'db' } }, { term: { 'level.keyword': 'error' } }] } } } } }],
    triggers: [{
      name: 'db errors', severity: '1',
      condition: { script: { source: 'ctx.results[0].hits.total.value > 0', lang: 'painless' } },
      actions: [{
        name: 'hook', destination_id: 'hook', throttle_enabled: true, throttle: { value: 1, unit: 'HOURS' },
        message_template: { source: '{"monitor":"{{ctx.monitor.name}}","hits":{{ctx.results.0.hits.total.value}},"trigger":"{{ctx.trigger.name}}","severity":"{{ctx.trigger.severity}}"}' },
      }],
    }],
  };
}

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'lookout-monitors-'));
  rx = await startReceiver();
  await open();
  for (const [id, config] of [
    ['pd', { name: 'pd', config_type: 'pagerduty', pagerduty: { routing_key: 'K'.repeat(32), url: `${rx.url}/pd` } }],
    ['hook', { name: 'hook', config_type: 'webhook', webhook: { url: `${rx.url}/hook` } }],
  ] as const) {
    expect((await call('POST', '/_plugins/_notifications/configs', { config_id: id, config })).status).toBe(200);
  }
  await ingest({ api: 5, db: 3, web: 1 });
});

afterAll(async () => {
  await close();
  await rx.close();
  rmSync(dataDir, { recursive: true, force: true });
});

const pdRequests = () => rx.requests.filter((r) => r.url === '/pd').map((r) => r.json());

describe('bucket-level monitor over _bulk-ingested logs', () => {
  let id: string;

  it('creates the monitor in Alerting shape (ids assigned, trigger wrapped)', async () => {
    const r = await call('POST', '/_plugins/_alerting/monitors', bucketMonitor());
    expect(r.status).toBe(201);
    id = r.body._id;
    expect(r.body).toMatchObject({ _version: 1, _primary_term: 1, monitor: { type: 'monitor', name: 'errors by service', monitor_type: 'bucket_level_monitor', enabled: true } });
    const t = r.body.monitor.triggers[0].bucket_level_trigger;
    expect(typeof t.id).toBe('string');
    expect(typeof t.actions[0].id).toBe('string');
    expect(typeof r.body.monitor.enabled_time).toBe('number');
  });

  it('a dry run reports matching buckets and rendered messages without alerting or paging', async () => {
    const r = await call('POST', `/_plugins/_alerting/monitors/${id}/_execute?dryrun=true`);
    expect(r.status).toBe(200);
    expect(r.body.monitor_name).toBe('errors by service');
    expect(r.body.input_results.error).toBeNull();
    const [tr] = Object.values(r.body.trigger_results) as any[];
    expect(Object.keys(tr.agg_result_buckets).sort()).toEqual(['api', 'db']);
    expect(tr.agg_result_buckets.api).toMatchObject({ parent_bucket_path: 'composite_agg', bucket_keys: ['api'], bucket: { doc_count: 5 } });
    const out = tr.action_results.api[Object.keys(tr.action_results.api)[0]].output;
    expect(out).toEqual({ subject: 'Errors on api', message: 'errors by service: service api has 5 errors' });
    await node.notifier.idle();
    expect(pdRequests()).toHaveLength(0);
    expect((await call('GET', `/_plugins/_alerting/monitors/alerts?monitorId=${id}`)).body.totalAlerts).toBe(0);
  });

  it('a run opens one alert and sends one page per bucket key, each with its own dedup key', async () => {
    const r = await call('POST', `/_plugins/_alerting/monitors/${id}/_execute`);
    expect(r.status).toBe(200);
    const alerts = (await call('GET', `/_plugins/_alerting/monitors/alerts?monitorId=${id}`)).body;
    expect(alerts.totalAlerts).toBe(2);
    for (const a of alerts.alerts) {
      expect(a).toMatchObject({ monitor_id: id, monitor_name: 'errors by service', trigger_name: 'too many errors', state: 'ACTIVE', severity: '2' });
      expect(['api', 'db']).toContain(a.agg_alert_content.bucket_keys[0]);
    }
    await rx.waitFor(2);
    await node.notifier.idle();
    const pages = pdRequests();
    expect(pages).toHaveLength(2);
    expect(pages.every((p) => p.event_action === 'trigger')).toBe(true);
    expect(new Set(pages.map((p) => p.dedup_key)).size).toBe(2);
    expect(pages.map((p) => p.payload.summary).sort()).toEqual(['Errors on api', 'Errors on db']);
    expect(pages[0].payload.severity).toBe('error');
  });

  it('the next run dedupes the alerts and throttles the action: no second page', async () => {
    await call('POST', `/_plugins/_alerting/monitors/${id}/_execute`);
    await node.notifier.idle();
    expect(pdRequests()).toHaveLength(2);
    const alerts = (await call('GET', `/_plugins/_alerting/monitors/alerts?monitorId=${id}`)).body.alerts;
    expect(alerts).toHaveLength(2);
    expect(alerts.every((a: any) => a.action_execution_results[0].throttled_count === 1)).toBe(true);
  });

  it('when a bucket clears, its alert completes and a resolve goes out with the same dedup key', async () => {
    const dbKey = pdRequests().find((p) => p.payload.summary === 'Errors on db').dedup_key;
    const del = await call('POST', '/logs-app/_delete_by_query?refresh=true', { query: { bool: { filter: [{ term: { 'service.keyword': 'db' } }, { term: { 'level.keyword': 'error' } }] } } });
    expect(del.body.deleted).toBe(3);
    await call('POST', `/_plugins/_alerting/monitors/${id}/_execute`);
    await rx.waitFor(3);
    await node.notifier.idle();
    const pages = pdRequests();
    expect(pages).toHaveLength(3);
    expect(pages[2]).toEqual({ routing_key: 'K'.repeat(32), event_action: 'resolve', dedup_key: dbKey });
    const alerts = (await call('GET', `/_plugins/_alerting/monitors/alerts?monitorId=${id}&alertState=COMPLETED`)).body.alerts;
    expect(alerts).toHaveLength(1);
    expect(alerts[0].agg_alert_content.bucket_keys).toEqual(['db']);
    expect(typeof alerts[0].end_time).toBe('number');
  });

  it('acknowledges an ACTIVE alert (no more pages); a COMPLETED one lands in failed', async () => {
    const all = (await call('GET', `/_plugins/_alerting/monitors/alerts?monitorId=${id}`)).body.alerts;
    const active = all.find((a: any) => a.state === 'ACTIVE');
    const completed = all.find((a: any) => a.state === 'COMPLETED');
    const r = await call('POST', `/_plugins/_alerting/monitors/${id}/_acknowledge/alerts`, { alerts: [active.id, completed.id] });
    expect(r.status).toBe(200);
    expect(r.body).toEqual({ success: [active.id], failed: [completed.id] });
    const acked = (await call('GET', `/_plugins/_alerting/monitors/alerts?alertState=ACKNOWLEDGED`)).body.alerts;
    expect(acked.map((a: any) => a.id)).toEqual([active.id]);
    expect(typeof acked[0].acknowledged_time).toBe('number');
  });

  it('monitors and alerts survive a restart; the acknowledged alert stays acknowledged', async () => {
    await close();
    await open();
    const got = await call('GET', `/_plugins/_alerting/monitors/${id}`);
    expect(got.status).toBe(200);
    expect(got.body.monitor.name).toBe('errors by service');
    expect(node.monitors.nextRun(id)).toBeGreaterThan(Date.now());
    await call('POST', `/_plugins/_alerting/monitors/${id}/_execute`);
    await node.notifier.idle();
    expect(pdRequests()).toHaveLength(3);
    const states = (await call('GET', `/_plugins/_alerting/monitors/alerts?monitorId=${id}`)).body.alerts.map((a: any) => a.state).sort();
    expect(states).toEqual(['ACKNOWLEDGED', 'COMPLETED']);
    // The channel config survived too.
    expect((await call('GET', '/_plugins/_notifications/configs/pd')).status).toBe(200);
  });
});

describe('query-level monitor', () => {
  let id: string;

  it('fires on ctx.results[0].hits.total.value > 0 and renders the mustache message as the webhook body', async () => {
    await ingest({ db: 2 });
    const r = await call('POST', '/_plugins/_alerting/monitors', queryMonitor());
    expect(r.status).toBe(201);
    id = r.body._id;
    const before = rx.requests.filter((x) => x.url === '/hook').length;
    const ex = await call('POST', `/_plugins/_alerting/monitors/${id}/_execute`);
    const [tr] = Object.values(ex.body.trigger_results) as any[];
    expect(tr).toMatchObject({ name: 'db errors', triggered: true, error: null });
    await node.notifier.idle();
    const hooks = rx.requests.filter((x) => x.url === '/hook');
    expect(hooks).toHaveLength(before + 1);
    expect(hooks[before].json()).toEqual({ monitor: 'any db error', hits: 2, trigger: 'db errors', severity: '1' });
    // Throttled for an hour: a second run does not send again.
    await call('POST', `/_plugins/_alerting/monitors/${id}/_execute`);
    await node.notifier.idle();
    expect(rx.requests.filter((x) => x.url === '/hook')).toHaveLength(before + 1);
  });

  it('_execute of an unsaved monitor body runs it without storing anything', async () => {
    const body = { ...queryMonitor(), name: 'unsaved' };
    const r = await call('POST', '/_plugins/_alerting/monitors/_execute?dryrun=true', body);
    expect(r.status).toBe(200);
    expect(r.body.monitor_name).toBe('unsaved');
    expect(r.body.input_results.results[0].hits.total.value).toBe(2);
    const [tr] = Object.values(r.body.trigger_results) as any[];
    expect(tr.triggered).toBe(true);
    expect(Object.values(tr.action_results as Record<string, any>)[0].output.message).toContain('"hits":2');
    expect((await call('GET', '/_plugins/_alerting/monitors/alerts?searchString=unsaved')).body.totalAlerts).toBe(0);
  });

  it('updates, searches and deletes monitors', async () => {
    const got = (await call('GET', `/_plugins/_alerting/monitors/${id}`)).body;
    const triggerId = got.monitor.triggers[0].query_level_trigger.id;
    const upd = await call('PUT', `/_plugins/_alerting/monitors/${id}`, { ...queryMonitor(), name: 'any db error (renamed)', triggers: [{ query_level_trigger: { ...got.monitor.triggers[0].query_level_trigger } }] });
    expect(upd.status).toBe(200);
    expect(upd.body._version).toBe(2);
    expect(upd.body.monitor.triggers[0].query_level_trigger.id).toBe(triggerId);
    const found = await call('POST', '/_plugins/_alerting/monitors/_search', { query: { match: { 'monitor.name': 'renamed' } } });
    expect(found.status).toBe(200);
    expect(found.body.hits.hits.map((h: any) => h._id)).toEqual([id]);
    const del = await call('DELETE', `/_plugins/_alerting/monitors/${id}`);
    expect(del.body).toMatchObject({ _id: id, result: 'deleted' });
    expect((await call('GET', `/_plugins/_alerting/monitors/${id}`)).status).toBe(404);
    const alerts = (await call('GET', `/_plugins/_alerting/monitors/alerts?monitorId=${id}`)).body.alerts;
    expect(alerts.map((a: any) => a.state)).toEqual(['DELETED']);
    // The alert had paged: deleting the monitor resolves it.
    await node.notifier.idle();
    expect(rx.requests.filter((x) => x.url === '/hook').at(-1)!.json()).toMatchObject({ kind: 'resolve', state: 'DELETED', previous_state: 'ACTIVE', dedup_key: alerts[0].lookout.dedup_key });
  });

  it('runs on its interval schedule without _execute', async () => {
    const r = await call('POST', '/_plugins/_alerting/monitors', { ...queryMonitor(), name: 'every second', schedule: { period: { interval: 1, unit: 'SECONDS' } } });
    const id = r.body._id;
    const alerts = async () => (await call('GET', `/_plugins/_alerting/monitors/alerts?monitorId=${id}`)).body.alerts;
    const deadline = Date.now() + 5000;
    while ((await alerts()).length === 0 && Date.now() < deadline) await new Promise((res) => setTimeout(res, 100));
    expect((await alerts()).map((a: any) => a.state)).toEqual(['ACTIVE']);
    await call('PUT', `/_plugins/_alerting/monitors/${id}`, { ...queryMonitor(), name: 'every second', enabled: false, schedule: { period: { interval: 1, unit: 'SECONDS' } } });
    expect(node.monitors.nextRun(id)).toBeUndefined();
  });

  it('rejects invalid monitors with 400', async () => {
    const bad: Array<Record<string, unknown>> = [
      { ...queryMonitor(), monitor_type: 'doc_level_monitor' },
      { ...queryMonitor(), schedule: { cron: { expression: '* * *', timezone: 'UTC' } } },
      { ...queryMonitor(), schedule: { cron: { expression: '0 9 * * *', timezone: 'Mars/Olympus' } } },
      { ...queryMonitor(), triggers: [{ name: 't', severity: '1', condition: { script: { source: 'ctx.results[0].hits.total.value >', lang: 'painless' } }, actions: [] }] },
      { ...queryMonitor(), triggers: [{ name: 't', severity: '9', condition: { script: { source: 'true' } } }] },
      { ...queryMonitor(), inputs: [] },
      { ...queryMonitor(), bogus: 1 },
    ];
    for (const b of bad) {
      const r = await call('POST', '/_plugins/_alerting/monitors', b);
      expect(r.status, JSON.stringify(b)).toBe(400);
      expect(r.body.error.type).toBe('illegal_argument_exception');
    }
    expect((await call('POST', '/_plugins/_alerting/monitors/nope/_execute')).status).toBe(404);
  });

  it('a broken mustache template is a 400 on create and on _execute (regression: _execute answered 500)', async () => {
    for (const template of [{ message_template: { source: '{{#ctx}}' } }, { message_template: { source: 'hi' }, subject_template: { source: '{{/ctx}}' } }]) {
      const m = queryMonitor();
      const [trigger] = m.triggers as Array<{ actions: Array<Record<string, unknown>> }>;
      trigger.actions = [{ ...trigger.actions[0], ...template }];
      for (const [path, body] of [['/_plugins/_alerting/monitors', m], ['/_plugins/_alerting/monitors/_execute', { monitor: m }]] as const) {
        const r = await call('POST', path, body);
        expect(r.status, `${path} ${JSON.stringify(template)}`).toBe(400);
        expect(r.body.error.reason).toMatch(/not a valid mustache template/);
      }
    }
  });
});

describe('Lookout additions on triggers', () => {
  it('no_data: notify opens a NO_DATA alert and notifies; data coming back completes it with a resolve', async () => {
    const hooks = () => rx.requests.filter((x) => x.url === '/hook');
    const before = hooks().length;
    const r = await call('POST', '/_plugins/_alerting/monitors', {
      name: 'heartbeat', monitor_type: 'query_level_monitor', schedule: { period: { interval: 1, unit: 'DAYS' } },
      inputs: [{ search: { indices: ['heartbeat-*'], query: { size: 0, query: { match_all: {} } } } }],
      triggers: [{ name: 'beats', severity: '3', condition: { script: { source: 'ctx.results[0].hits.total.value > 100' } }, lookout: { no_data: 'notify' },
        actions: [{ name: 'hook', destination_id: 'hook', message_template: { source: 'beats: {{ctx.results.0.hits.total.value}}' } }] }],
    });
    const id = r.body._id;
    await call('POST', `/_plugins/_alerting/monitors/${id}/_execute`);
    await node.notifier.idle();
    let alerts = (await call('GET', `/_plugins/_alerting/monitors/alerts?monitorId=${id}`)).body.alerts;
    expect(alerts.map((a: any) => a.state)).toEqual(['NO_DATA']);
    const log = (await call('GET', '/_plugins/_lookout/notifications?name=heartbeat%20%2F%20beats')).body.notifications;
    expect(log.map((e: any) => [e.kind, e.state, e.status])).toEqual([['no_data', 'NO_DATA', 'delivered']]);
    expect(hooks()).toHaveLength(before + 1);

    await call('POST', '/heartbeat-1/_doc?refresh=true', { '@timestamp': new Date().toISOString() });
    await call('POST', `/_plugins/_alerting/monitors/${id}/_execute`);
    await node.notifier.idle();
    alerts = (await call('GET', `/_plugins/_alerting/monitors/alerts?monitorId=${id}`)).body.alerts;
    expect(alerts.map((a: any) => a.state)).toEqual(['COMPLETED']);
    const kinds = (await call('GET', '/_plugins/_lookout/notifications?name=heartbeat%20%2F%20beats')).body.notifications.map((e: any) => e.kind);
    expect(kinds).toEqual(['resolve', 'no_data']);
    // Without a template for resolves, the webhook gets the documented JSON event.
    expect(hooks().at(-1)!.json()).toMatchObject({ kind: 'resolve', state: 'COMPLETED', previous_state: 'NO_DATA', alarm: 'heartbeat / beats' });
  });

  it('pending_seconds: a breach shorter than the pending time stays PENDING, unlisted and silent', async () => {
    const before = rx.requests.length;
    const r = await call('POST', '/_plugins/_alerting/monitors', {
      name: 'patient', monitor_type: 'query_level_monitor', schedule: { period: { interval: 1, unit: 'DAYS' } },
      inputs: [{ search: { indices: ['logs-app'], query: { size: 0 } } }],
      triggers: [{ name: 'any', severity: '1', condition: { script: { source: 'ctx.results[0].hits.total.value > 0' } }, lookout: { pending_seconds: 3600, cooldown_seconds: 60 },
        actions: [{ name: 'hook', destination_id: 'hook', message_template: { source: 'x' } }] }],
    });
    const id = r.body._id;
    await call('POST', `/_plugins/_alerting/monitors/${id}/_execute`);
    await node.notifier.idle();
    expect((await call('GET', `/_plugins/_alerting/monitors/alerts?monitorId=${id}`)).body.totalAlerts).toBe(0);
    expect((await call('GET', `/_plugins/_alerting/monitors/alerts?monitorId=${id}&alertState=PENDING`)).body.totalAlerts).toBe(1);
    expect(rx.requests.length).toBe(before);
    const bad = await call('POST', '/_plugins/_alerting/monitors', { name: 'bad', schedule: { period: { interval: 1, unit: 'DAYS' } }, inputs: [{ search: { indices: ['x'], query: {} } }],
      triggers: [{ name: 't', severity: '1', condition: { script: { source: 'true' } }, lookout: { datapoints_to_alarm: 3, evaluation_periods: 2 } }] });
    expect(bad.status).toBe(400);
  });
});

describe('errors', () => {
  it('a failing input opens an ERROR alert with the message; a good run completes it', async () => {
    const body = (query: Record<string, unknown>) => ({
      name: 'broken', monitor_type: 'query_level_monitor', schedule: { period: { interval: 1, unit: 'DAYS' } },
      inputs: [{ search: { indices: ['logs-app'], query } }],
      triggers: [{ name: 't', severity: '1', condition: { script: { source: 'ctx.results[0].hits.total.value > 1000000' } }, actions: [{ name: 'hook', destination_id: 'hook', message_template: { source: 'x' } }] }],
    });
    const r = await call('POST', '/_plugins/_alerting/monitors', body({ query: { no_such_query: {} } }));
    const id = r.body._id;
    const ex = await call('POST', `/_plugins/_alerting/monitors/${id}/_execute`);
    expect(ex.body.input_results.error).toMatch(/no_such_query/);
    let alerts = (await call('GET', `/_plugins/_alerting/monitors/alerts?monitorId=${id}`)).body.alerts;
    expect(alerts).toHaveLength(1);
    expect(alerts[0].state).toBe('ERROR');
    expect(alerts[0].error_message).toMatch(/no_such_query/);
    expect(alerts[0].alert_history[0].message).toMatch(/no_such_query/);
    await call('PUT', `/_plugins/_alerting/monitors/${id}`, body({ query: { match_all: {} } }));
    await call('POST', `/_plugins/_alerting/monitors/${id}/_execute`);
    alerts = (await call('GET', `/_plugins/_alerting/monitors/alerts?monitorId=${id}`)).body.alerts;
    expect(alerts.map((a: any) => a.state)).toEqual(['COMPLETED']);
  });
});

describe('updates', () => {
  it('a PUT of the same body without ids keeps trigger and action ids (alerts and throttling carry over)', async () => {
    const r = await call('POST', '/_plugins/_alerting/monitors', { ...queryMonitor(), name: 'stable ids' });
    const t = r.body.monitor.triggers[0].query_level_trigger;
    const u = await call('PUT', `/_plugins/_alerting/monitors/${r.body._id}`, { ...queryMonitor(), name: 'stable ids' });
    const t2 = u.body.monitor.triggers[0].query_level_trigger;
    expect(t2.id).toBe(t.id);
    expect(t2.actions[0].id).toBe(t.actions[0].id);
    await call('DELETE', `/_plugins/_alerting/monitors/${r.body._id}`);
  });
});
