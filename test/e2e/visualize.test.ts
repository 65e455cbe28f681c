// End to end in headless Chromium against a real server: a visualization is built in the editor and
// saved, a new dashboard shows it, and the prebuilt Pipeline overview dashboard renders its charts over
// CloudWatch datapoints. Screenshots go to test-artifacts/ (look at them: they show whether charts draw).

import { mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { buildApp } from '../../server/app.ts';
import { DEFAULTS } from '../../server/config.ts';
import { METRIC_INDEX_TEMPLATE } from '../../ingest/metrics/datapoint-document.ts';
import { tempDataDir } from '../helpers/server-process.ts';
import { ARTIFACTS, ensureUiBuilt, launchBrowser } from './browser.ts';

let base = '';
let browser: Browser;
let page: Page;
let close: () => Promise<void>;

async function api(method: string, path: string, body?: unknown, ndjson = false): Promise<any> {
  const r = await fetch(base + path, {
    method, body: body === undefined ? undefined : ndjson ? (body as string) : JSON.stringify(body),
    headers: body === undefined ? {} : { 'content-type': ndjson ? 'application/x-ndjson' : 'application/json' },
  });
  return r.json();
}

/** Web logs over the last hour and Kinesis / Lambda datapoints (statistic sets, as Metric Streams send). */
async function seed(): Promise<void> {
  const now = Date.now();
  const lines: string[] = [];
  for (let i = 0; i < 240; i++) {
    const service = ['checkout', 'search', 'auth'][i % 3];
    lines.push(JSON.stringify({ index: { _index: 'weblogs-e2e' } }), JSON.stringify({
      '@timestamp': new Date(now - 60 * 60_000 + i * 15_000).toISOString(), service, status: i % 9 === 2 ? 500 : 200,
      latency_ms: (i % 3 + 1) * 40 + (i % 17), message: `request ${i} ${service}`,
    }));
  }
  const day = new Date(now).toISOString().slice(0, 10).replace(/-/g, '.');
  for (let m = 0; m < 60; m++) {
    const ts = new Date(now - (60 - m) * 60_000).toISOString();
    for (const stream of ['orders', 'clicks']) {
      const v = (stream === 'orders' ? 900 : 400) + 200 * Math.sin(m / 6);
      lines.push(JSON.stringify({ index: { _index: `cwm-${day}` } }), JSON.stringify({
        '@timestamp': ts, namespace: 'AWS/Kinesis', metricName: 'IncomingRecords', dimensions: { StreamName: stream },
        metricKey: `AWS/Kinesis\u001fIncomingRecords\u001fStreamName=${stream}`, sum: Math.round(v), count: 60, min: 1, max: 40, unit: 'Count',
      }));
    }
    lines.push(JSON.stringify({ index: { _index: `cwm-${day}` } }), JSON.stringify({
      '@timestamp': ts, namespace: 'AWS/Lambda', metricName: 'Errors', dimensions: { FunctionName: 'ingest' },
      metricKey: 'AWS/Lambda\u001fErrors\u001fFunctionName=ingest', sum: m % 10 === 0 ? 4 : 0, count: 1, min: 0, max: 4, unit: 'Count',
    }));
  }
  // The cwm-* mapping (dimensions.* as keyword), as the metrics ingest installs it.
  await api('PUT', '/_index_template/cwm', METRIC_INDEX_TEMPLATE);
  const r = await api('POST', '/_bulk?refresh=true', lines.join('\n') + '\n', true);
  expect(r.errors).toBe(false);
}

/** Waits for n rendered charts; on timeout keeps a screenshot of what the page showed instead. */
async function waitForCharts(n: number, name = 'timeout'): Promise<void> {
  try {
    await page.waitForFunction((k) => document.querySelectorAll('.vega-chart-body[data-rendered="true"] canvas').length >= k, n, { timeout: 20_000 });
  } catch (e) {
    await page.screenshot({ path: join(ARTIFACTS, `${name}-failed.png`), fullPage: true });
    throw e;
  }
}

beforeAll(async () => {
  ensureUiBuilt();
  mkdirSync(ARTIFACTS, { recursive: true });
  const dataDir = tempDataDir('lookout-viz-e2e-');
  const { app, node } = await buildApp({ config: { ...DEFAULTS, allowInsecure: false, awsCredentials: [], file: {}, dataDir } });
  await app.listen({ host: '127.0.0.1', port: 0 });
  base = `http://127.0.0.1:${(app.server.address() as { port: number }).port}`;
  close = async () => { await app.close(); node.stop(); rmSync(dataDir, { recursive: true, force: true }); };
  await seed();
  browser = await launchBrowser();
  page = await browser.newPage({ viewport: { width: 1400, height: 900 }, acceptDownloads: true });
  page.on('pageerror', (e) => console.error('page error:', e.message));
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await close?.();
});

describe('Visualize and Dashboards in a browser', () => {
  let visId = '';

  it('builds a stacked bar chart split by service and saves it', async () => {
    await page.goto(`${base}/_dashboards/app/visualize/create?type=bar&index=weblogs-e2e&from=now-1h&to=now`);
    await waitForCharts(1);
    await page.getByRole('button', { name: '+ Bucket' }).click();
    const bucket = page.getByTestId('bucket-1');
    await bucket.getByLabel('Bucket role').selectOption('series');
    await bucket.getByLabel('Bucket aggregation').selectOption('terms');
    await bucket.getByLabel('Bucket field').selectOption('service.keyword');
    // Bucket order is nesting order: split series outermost.
    await bucket.getByTitle('Move up').click();
    await page.getByLabel('Title').fill('Requests by service');
    // Three services × the hour's buckets: the split series reached the request.
    await page.waitForFunction(() => /hits · (\d+) rows/.exec(document.querySelector('.vis-actions .muted')?.textContent ?? '')?.[1] as unknown as number > 20, undefined, { timeout: 10_000 });
    await waitForCharts(1);
    await page.screenshot({ path: join(ARTIFACTS, 'visualize-bar.png') });
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    await page.waitForURL(/\/visualize\/edit\//, { timeout: 10_000 });
    visId = decodeURIComponent(page.url().split('/visualize/edit/')[1]);
    const saved = await api('GET', `/_dashboards/api/saved_objects/visualization/${encodeURIComponent(visId)}`);
    expect(saved.attributes.title).toBe('Requests by service');
    const state = JSON.parse(saved.attributes.visState);
    expect(state.buckets.map((b: { type: string; role: string }) => `${b.type}:${b.role}`)).toEqual(['terms:series', 'date_histogram:x']);
    // Exports: the vega-lite spec with its data inlined, and a PNG drawn by the vega view.
    const [specDl] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Export spec (JSON)' }).click()]);
    const spec = JSON.parse(readFileSync(await specDl.path()).toString());
    expect(spec.mark.type).toBe('bar');
    expect(new Set(spec.data.values.map((d: { series: string }) => d.series))).toEqual(new Set(['checkout', 'search', 'auth']));
    const [pngDl] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Export PNG' }).click()]);
    expect(pngDl.suggestedFilename()).toBe('requests-by-service.png');
    expect(readFileSync(await pngDl.path()).subarray(1, 4).toString()).toBe('PNG');
  });

  it('shows the saved visualization and a saved search on a new dashboard', async () => {
    expect(visId).not.toBe('');
    // A saved search as Discover saves it: its newest documents under the dashboard's time range.
    const search = await api('POST', '/_dashboards/api/saved_objects/search', { attributes: {
      title: 'Auth errors', indexPattern: 'weblogs-e2e', query: { language: 'kuery', text: 'service:auth' },
      filters: [{ type: 'phrase', field: 'status', value: 500, negate: false, disabled: false, pinned: false }],
      columns: ['service', 'status', 'message'], sort: null, interval: 'auto',
    } });
    await page.goto(`${base}/_dashboards/app/dashboards/create`);
    await page.getByLabel('Dashboard title').fill('E2E dashboard');
    await page.getByLabel('Add panel').selectOption(`visualization:${visId}`);
    await page.getByRole('button', { name: 'Add panel' }).click();
    await page.getByLabel('Add panel').selectOption(`search:${search.id}`);
    await page.getByRole('button', { name: 'Add panel' }).click();
    await page.getByTestId('time-picker').click();
    await page.getByRole('button', { name: 'Last 1 hour' }).click();
    await waitForCharts(1);
    const searchPanel = page.locator('[data-testid="dashboard-panel"]', { hasText: 'Auth errors' });
    await searchPanel.locator('tbody tr').first().waitFor({ timeout: 10_000 });
    const text = await searchPanel.innerText();
    expect(text).toMatch(/auth\s+500/);
    expect(text).not.toMatch(/auth\s+200/);
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    await page.waitForURL(/\/dashboards\/view\//, { timeout: 10_000 });
    await page.reload();
    await waitForCharts(1);
    await expect(page.locator('.dash-panel-title').first().innerText()).resolves.toBe('Requests by service');
    await page.screenshot({ path: join(ARTIFACTS, 'dashboard.png') });

    // NDJSON export carries the dashboard and its visualization; importing it restores both.
    const dashId = decodeURIComponent(page.url().split('/dashboards/view/')[1]);
    const [dl] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Export' }).click()]);
    const ndjson = readFileSync(await dl.path()).toString();
    const types = ndjson.trim().split('\n').map((l) => JSON.parse(l)).filter((o) => o.type).map((o) => `${o.type}:${o.id}`);
    expect(types.sort()).toEqual([`dashboard:${dashId}`, `search:${search.id}`, `visualization:${visId}`].sort());
    await api('DELETE', `/_dashboards/api/saved_objects/dashboard/${encodeURIComponent(dashId)}`);
    await api('DELETE', `/_dashboards/api/saved_objects/visualization/${encodeURIComponent(visId)}`);
    await page.goto(`${base}/_dashboards/app/dashboards`);
    await page.getByLabel('Import file').setInputFiles({ name: 'export.ndjson', mimeType: 'application/x-ndjson', buffer: Buffer.from(ndjson) });
    await page.getByText('Imported 3 object(s)').waitFor();
    await page.getByRole('link', { name: 'E2E dashboard' }).click();
    await waitForCharts(1, 'imported-dashboard');
  });

  it('opens the prebuilt Pipeline overview with charts over cwm-* datapoints', async () => {
    await page.goto(`${base}/_dashboards/app/dashboards`);
    await page.getByRole('link', { name: 'Pipeline overview' }).click();
    await page.waitForSelector('[data-testid="dashboard-panel"]');
    expect(await page.locator('[data-testid="dashboard-panel"]').count()).toBe(13);
    await waitForCharts(2, 'pipeline-overview');
    // The variable's choices come from the FunctionName dimension; choosing one re-runs the Lambda panels.
    await page.getByLabel('Variable function').selectOption('ingest');
    const lambda = page.locator('[data-testid="dashboard-panel"]', { hasText: 'Lambda: errors and throttles' });
    await lambda.locator('.vega-chart-body[data-rendered="true"] canvas').waitFor({ timeout: 10_000 });
    // The view is in the URL: a reload keeps the chosen function.
    expect(page.url()).toContain('var-function=ingest');
    await page.reload();
    await waitForCharts(2, 'pipeline-reload');
    await expect(page.getByLabel('Variable function').inputValue()).resolves.toBe('ingest');
    await page.setViewportSize({ width: 1400, height: 2300 });
    await page.waitForTimeout(300);
    await page.screenshot({ path: join(ARTIFACTS, 'pipeline-overview.png') });
    // Full screen: the panel fills the page, Escape restores it.
    await lambda.getByLabel('Full screen').click();
    await page.setViewportSize({ width: 1400, height: 900 });
    await expect(lambda.locator('xpath=..').getAttribute('class')).resolves.toContain('fullscreen');
    await page.waitForTimeout(300);
    await page.screenshot({ path: join(ARTIFACTS, 'pipeline-fullscreen.png') });
    await page.keyboard.press('Escape');
    await expect(lambda.locator('xpath=..').getAttribute('class')).resolves.not.toContain('fullscreen');
  });

  it('shows the Alarms page with nothing configured yet', async () => {
    await page.goto(`${base}/_dashboards/app/alarms`);
    await page.waitForSelector('.alarms-page h3');
    await page.waitForFunction(() => !document.querySelector('.alarms-page .loading'), undefined, { timeout: 10_000 });
    await page.screenshot({ path: join(ARTIFACTS, 'alarms.png'), fullPage: true });
    const text = await page.locator('.alarms-page').innerText();
    expect(text).toMatch(/No metric alarms/);
    expect(text).toMatch(/No monitors/);
    expect(text).not.toMatch(/not available|Something went wrong|TypeError/);
  });
});
