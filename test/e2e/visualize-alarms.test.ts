// The Alarms page and "create alarm from this visualization" against the real alarm, monitor and
// notification APIs of a Lookout server process: a metric alarm made from a cwm-* visualization fires
// at once on breaching datapoints and pages a webhook on 127.0.0.1; a query monitor made from a log
// visualization raises an alert that is acknowledged from the page; the delivery log lists the page.

import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { call, startServer, type ServerProcess } from '../helpers/server-process.ts';
import { startReceiver, type Receiver } from '../alarms/notifications-receiver.ts';
import { ARTIFACTS, ensureUiBuilt, launchBrowser } from './browser.ts';
import { METRIC_INDEX_TEMPLATE, metricIndexName, metricKey } from '../../ingest/metrics/datapoint-document.ts';

let server: ServerProcess;
let rx: Receiver;
let browser: Browser;
let page: Page;

async function saveVis(id: string, title: string, state: object): Promise<void> {
  const r = await call(server.url, 'POST', `/_dashboards/api/saved_objects/visualization/${id}`, { attributes: { title, description: '', visState: JSON.stringify(state) } });
  expect(r.status).toBe(200);
}

beforeAll(async () => {
  ensureUiBuilt();
  [server, rx] = await Promise.all([startServer(), startReceiver()]);
  const ch = await call(server.url, 'POST', '/_plugins/_notifications/configs', {
    config_id: 'oncall', config: { name: 'on-call webhook', config_type: 'webhook', webhook: { url: `${rx.url}/hook` } },
  });
  expect(ch.status).toBe(200);
  // Kinesis consumer lag far above a minute in the three complete minutes before now, as statistic
  // sets in cwm-* (AWS/ namespaces arrive through Metric Streams; PutMetricData refuses them).
  await call(server.url, 'PUT', '/_index_template/lookout-cwm', METRIC_INDEX_TEMPLATE);
  const P = 60_000;
  const current = Math.floor(Date.now() / P) * P;
  const dims = { StreamName: 'orders' };
  const points = [3, 2, 1].map((k) => [
    JSON.stringify({ index: { _index: metricIndexName(current - k * P) } }),
    JSON.stringify({
      '@timestamp': new Date(current - k * P).toISOString(), namespace: 'AWS/Kinesis', metricName: 'GetRecords.IteratorAgeMilliseconds',
      dimensions: dims, metricKey: metricKey('AWS/Kinesis', 'GetRecords.IteratorAgeMilliseconds', dims),
      sum: 270_000, count: 3, min: 85_000, max: 95_000, unit: 'Milliseconds', storageResolution: 60,
    }),
  ].join('\n')).join('\n') + '\n';
  expect((await call(server.url, 'POST', '/_bulk?refresh=true', points, 'application/x-ndjson')).body.errors).toBe(false);
  const logs = Array.from({ length: 20 }, (_, i) => [
    JSON.stringify({ index: { _index: 'applogs' } }),
    JSON.stringify({ '@timestamp': new Date(Date.now() - i * 10_000).toISOString(), level: i % 4 === 0 ? 'ERROR' : 'INFO', message: `event ${i}` }),
  ].join('\n')).join('\n') + '\n';
  expect((await call(server.url, 'POST', '/_bulk?refresh=true', logs, 'application/x-ndjson')).body.errors).toBe(false);

  await saveVis('orders-lag', 'Orders stream lag', {
    type: 'line', index: 'cwm-*', timeField: '@timestamp',
    query: 'namespace:"AWS/Kinesis" and metricName:"GetRecords.IteratorAgeMilliseconds" and dimensions.StreamName:orders',
    metrics: [{ id: 'm1', type: 'max', field: 'max' }],
    buckets: [{ id: 'b1', type: 'date_histogram', role: 'x', field: '@timestamp', interval: '1m' }],
  });
  await saveVis('app-errors', 'App errors', {
    type: 'bar', index: 'applogs', timeField: '@timestamp', query: 'level:ERROR',
    metrics: [{ id: 'm1', type: 'count' }],
    buckets: [{ id: 'b1', type: 'date_histogram', role: 'x', field: '@timestamp', interval: '5m' }],
  });
  browser = await launchBrowser();
  page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
}, 120_000);

afterEach(async (ctx) => {
  if (ctx.task.result?.state === 'fail') await page?.screenshot({ path: join(ARTIFACTS, 'alarms-failed.png'), fullPage: true });
});

afterAll(async () => {
  await browser?.close();
  await rx?.close();
  await server?.stop();
  if (server) rmSync(server.dataDir, { recursive: true, force: true });
});

async function createFromDialog(visId: string, name: string, threshold: string, extra?: () => Promise<void>): Promise<void> {
  await page.goto(`${server.url}/_dashboards/app/visualize/edit/${visId}?from=now-1h&to=now`);
  await page.getByRole('button', { name: 'Create alarm…' }).click();
  const dialog = page.getByRole('dialog', { name: 'Create alarm' });
  await dialog.getByLabel('Alarm name').fill(name);
  await dialog.getByLabel('Threshold').fill(threshold);
  await dialog.getByLabel('Channel').selectOption('oncall');
  await extra?.();
  await dialog.getByRole('button', { name: 'Create' }).click();
  await dialog.getByText(/created\./).waitFor({ timeout: 10_000 });
}

describe('Alarms page on the real APIs', () => {
  it('creates a metric alarm from a cwm-* visualization; it fires and pages the channel', async () => {
    await createFromDialog('orders-lag', 'orders-lag', '60000');
    const r = await fetch(`${server.url}/`, { method: 'POST', headers: { 'content-type': 'application/x-amz-json-1.0', 'x-amz-target': 'GraniteServiceVersion20100801.DescribeAlarms' }, body: JSON.stringify({ AlarmNames: ['orders-lag'] }) });
    const [alarm] = (await r.json()).MetricAlarms;
    expect(alarm).toMatchObject({ Namespace: 'AWS/Kinesis', MetricName: 'GetRecords.IteratorAgeMilliseconds', Statistic: 'Maximum', Period: 60, Threshold: 60000 });
    const [pageSent] = await rx.waitFor(1, 15_000);
    expect(pageSent.json()).toMatchObject({ source: 'metric_alarm', state: 'ALARM' });
  });

  it('creates a query monitor from a log visualization and acknowledges its alert on the page', async () => {
    await createFromDialog('app-errors', 'app errors', '0');
    const mons = await call(server.url, 'POST', '/_plugins/_alerting/monitors/_search', { query: { match_all: {} } });
    const mon = mons.body.hits.hits.find((h: any) => (h._source.monitor ?? h._source).name === 'app errors');
    expect(mon).toBeDefined();
    const run = await call(server.url, 'POST', `/_plugins/_alerting/monitors/${mon._id}/_execute`);
    expect(run.status).toBe(200);

    await page.goto(`${server.url}/_dashboards/app/alarms`);
    const alarms = page.getByTestId('metric-alarms');
    await alarms.getByText('orders-lag').waitFor();
    expect(await alarms.locator('tr', { hasText: 'orders-lag' }).innerText()).toMatch(/ALARM/);
    await alarms.getByText('orders-lag').click();
    await page.locator('.timeline-seg.state-alarm').first().waitFor();
    await page.getByTestId('deliveries').first().getByText('orders-lag').first().waitFor({ timeout: 10_000 });
    const alerts = page.getByTestId('alerts');
    await alerts.getByText('app errors').first().waitFor();
    await page.screenshot({ path: join(ARTIFACTS, 'alarms-live.png'), fullPage: true });
    await alerts.getByRole('button', { name: 'Acknowledge' }).first().click();
    await page.getByText(/Acknowledged alert of app errors/).waitFor();
    const list = await call(server.url, 'GET', `/_plugins/_alerting/monitors/alerts?monitorId=${mon._id}`);
    expect(list.body.alerts.map((a: any) => a.state)).toContain('ACKNOWLEDGED');
  });
});
