// Shared helpers for the end-to-end UI tests and the Discover load test: headless Debian chromium driven
// by playwright-core (never a downloaded browser), a build of the UI when it is stale, screenshots under
// test-artifacts/ (gitignored), and generated log documents ingested through `_bulk`.

import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { buildUi } from '../../scripts/build-ui.ts';
import { ROOT } from '../helpers/server-process.ts';

export const CHROMIUM = '/usr/bin/chromium';
export const ARTIFACTS = join(ROOT, 'test-artifacts');

/** Builds dashboards-ui/dist if missing or older than its sources (tests always run the current UI). */
export function ensureUiBuilt(): void {
  buildUi();
}

export async function launchBrowser(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage'] });
}

/** A page with a desktop-sized viewport; console errors are collected for the test to assert on. */
export async function newPage(browser: Browser): Promise<{ page: Page; errors: string[] }> {
  const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
  return { page, errors };
}

/** Saves a full-page screenshot as test-artifacts/<name>.png and returns its path. */
export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(ARTIFACTS, { recursive: true });
  const path = join(ARTIFACTS, `${name}.png`);
  await page.screenshot({ path, fullPage: false });
  return path;
}

export interface TestLog {
  '@timestamp': string;
  service: string;
  level: string;
  status: number;
  message: string;
}

/** `count` log documents spread over the last `spanMs` before `endMs`, deterministic by index. */
export function makeLogs(count: number, endMs: number, spanMs: number): TestLog[] {
  const services = ['checkout', 'search', 'auth', 'billing'];
  const levels = ['INFO', 'INFO', 'INFO', 'WARN', 'ERROR'];
  const words = ['request served', 'cache miss for key', 'payment declined by issuer', 'user logged in', 'timeout talking to upstream'];
  const out: TestLog[] = [];
  for (let i = 0; i < count; i++) {
    out.push({
      '@timestamp': new Date(endMs - Math.floor(((i + 0.5) * spanMs) / count)).toISOString(),
      service: services[i % services.length],
      level: levels[i % levels.length],
      status: [200, 200, 404, 500][i % 4],
      message: `${words[i % words.length]} #${i}`,
    });
  }
  return out;
}

/** Indexes documents through `_bulk` (refresh=true) in batches; throws on any item error. */
export async function bulkIngest(url: string, index: string, docs: object[], batch = 5000): Promise<void> {
  for (let i = 0; i < docs.length; i += batch) {
    const body = docs.slice(i, i + batch).map((d) => `{"index":{"_index":"${index}"}}\n${JSON.stringify(d)}\n`).join('');
    const r = await fetch(`${url}/_bulk?refresh=${i + batch >= docs.length ? 'true' : 'false'}`, { method: 'POST', headers: { 'content-type': 'application/x-ndjson' }, body });
    const out = (await r.json()) as { errors: boolean; items: unknown[] };
    if (!r.ok || out.errors) throw new Error(`bulk failed: ${JSON.stringify(out).slice(0, 500)}`);
  }
}

/** Waits until Discover shows its table (at least one row) and its histogram has been drawn. */
export async function waitForDiscover(page: Page, timeout = 20_000): Promise<void> {
  await page.waitForSelector('[data-testid=doc-row]', { timeout });
  await page.waitForSelector('[data-testid=histogram][data-rendered=true] svg', { timeout });
}
