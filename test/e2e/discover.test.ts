// Discover end to end: a real server process, generated logs ingested through `_bulk`, and headless
// chromium clicking through the built UI. Screenshots land in test-artifacts/.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { startServer, type ServerProcess } from '../helpers/server-process.ts';
import { bulkIngest, ensureUiBuilt, launchBrowser, makeLogs, newPage, screenshot, waitForDiscover } from './browser.ts';

const DOCS = 12_000; // more than 10,000, so the export proves it is not capped
const INDEX = 'cwl-e2e-app';

let server: ServerProcess;
let browser: Browser;
let page: Page;
let errors: string[];

const hitCount = async () => (await page.textContent('[data-testid=hit-count]'))?.trim();

beforeAll(async () => {
  ensureUiBuilt();
  [server, browser] = await Promise.all([startServer(), launchBrowser()]);
  await bulkIngest(server.url, INDEX, makeLogs(DOCS, Date.now() - 1000, 10 * 60_000));
  ({ page, errors } = await newPage(browser));
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

describe('Discover', () => {
  it('shows the hits, their count and the histogram of the default cwl-* pattern', async () => {
    await page.goto(`${server.url}/_dashboards/app/discover`);
    await waitForDiscover(page);
    expect(await hitCount()).toBe(`${DOCS.toLocaleString('en-US')} hits`);
    expect(await page.locator('[data-testid=doc-row]').count()).toBe(50);
    expect(await page.locator('[data-testid=histogram] svg rect, [data-testid=histogram] svg path').count()).toBeGreaterThan(5);
    expect(await page.inputValue('[data-testid=index-pattern]')).toBe('cwl');
    await screenshot(page, 'discover-initial');
  });

  it('narrows the hits with a value filter from the field sidebar, and keeps it in the URL', async () => {
    await page.click('[data-testid="field-level"]');
    await page.waitForSelector('[data-testid=field-details] .value-row');
    expect(await page.textContent('[data-testid=field-details]')).toContain(`across all ${DOCS.toLocaleString('en-US')} matching documents`);
    await page.click('[aria-label="filter for ERROR"]');
    await page.waitForFunction(() => document.querySelector('[data-testid=hit-count]')?.textContent?.startsWith('2,400'));
    expect(await page.textContent('[data-testid=filter-pill]')).toContain('level.keyword: ERROR');
    await screenshot(page, 'discover-filtered');
    // The URL reproduces the view: a fresh load shows the same filter and count.
    const url = page.url();
    const { page: other } = await newPage(browser);
    await other.goto(url);
    await other.waitForFunction(() => document.querySelector('[data-testid=hit-count]')?.textContent?.startsWith('2,400'));
    expect(await other.textContent('[data-testid=filter-pill]')).toContain('level.keyword: ERROR');
    await other.close();
    await page.click('[aria-label="remove filter level.keyword: ERROR"]');
    await page.waitForFunction((n) => document.querySelector('[data-testid=hit-count]')?.textContent === n, `${DOCS.toLocaleString('en-US')} hits`);
  });

  it('runs DQL, highlights matches, and shows syntax errors inline', async () => {
    await page.fill('[data-testid=query-input]', 'status >= 500 and service:(checkout or search)');
    await page.press('[data-testid=query-input]', 'Enter');
    // status 500 is every 4th doc (i % 4 == 3); service checkout/search are i % 4 in {0,1}: no overlap.
    await page.waitForFunction(() => document.querySelector('[data-testid=hit-count]')?.textContent === '0 hits');
    // "payment declined" is every 5th doc (i % 5 == 2), all of them INFO; WARN is i % 5 == 3.
    await page.fill('[data-testid=query-input]', 'message:"payment declined" and not level:WARN');
    await page.press('[data-testid=query-input]', 'Enter');
    await page.waitForFunction((n) => document.querySelector('[data-testid=hit-count]')?.textContent === n, `${(DOCS / 5).toLocaleString('en-US')} hits`);
    await page.waitForSelector('[data-testid=doc-row] mark');
    expect((await page.textContent('[data-testid=doc-row] mark'))?.toLowerCase()).toMatch(/payment|declined/);
    await screenshot(page, 'discover-dql');
    await page.fill('[data-testid=query-input]', 'status:(500 or');
    await page.press('[data-testid=query-input]', 'Enter');
    await page.waitForSelector('[data-testid=query-error]');
    expect(await page.textContent('[data-testid=query-error]')).toContain('DQL syntax error');
    await page.fill('[data-testid=query-input]', '');
    await page.press('[data-testid=query-input]', 'Enter');
    await page.waitForFunction((n) => document.querySelector('[data-testid=hit-count]')?.textContent === n, `${DOCS.toLocaleString('en-US')} hits`);
  });

  it('streams a newly ingested document in live tail', async () => {
    await page.click('[data-testid=live-tail]');
    await page.waitForTimeout(300);
    const marker = `tail-marker-${Date.now()}`;
    await bulkIngest(server.url, INDEX, [{ '@timestamp': new Date().toISOString(), service: 'tail', level: 'INFO', status: 200, message: marker }]);
    await page.waitForFunction((m) => document.querySelector('[data-testid=doc-row]')?.textContent?.includes(m), marker, { timeout: 10_000 });
    await screenshot(page, 'discover-live-tail');
    await page.click('[data-testid=live-tail]');
  });

  it('exports every matching row (over 10,000) as CSV and NDJSON', async () => {
    await page.reload();
    await waitForDiscover(page);
    const total = Number((await hitCount())!.replace(/[^\d]/g, ''));
    expect(total).toBeGreaterThan(10_000);
    for (const [id, lines] of [['export-csv', total + 1], ['export-ndjson', total]] as const) {
      const href = await page.getAttribute(`[data-testid=${id}]`, 'href');
      const r = await fetch(server.url + href);
      expect(r.status).toBe(200);
      const text = await r.text();
      expect(text.trimEnd().split(/\r?\n/)).toHaveLength(lines);
      if (id === 'export-ndjson') {
        const ids = new Set(text.trimEnd().split('\n').map((l) => JSON.parse(l)._id));
        expect(ids.size).toBe(total);
      }
    }
    expect(errors).toEqual([]);
  });
});
