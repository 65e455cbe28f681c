// Discover's first render over a large index, measured in headless chromium: from navigation start to
// the moment the document table has rows and the histogram has been drawn (observed in the page by a
// MutationObserver), cold (fresh browser context, empty cache) and warm (reload). Beside it: the server
// time of the same `_search` Discover sends (hits + exact total + date histogram), and as same-run
// references, a `_count` round trip and the time to show the bare app shell.
//
//   npx tsx loadtest/discover.ts [--docs 1000000] [--runs 5] [--data-dir DIR (holding `logs`)]
//        [--work-dir DIR (kept; its data/ can be reused with --data-dir)] [--keep]

import { rmSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { DEFAULT_SEED, END_TIME_MS, START_TIME_MS } from './generate.ts';
import { parseFlags } from './lib/args.ts';
import { serverWithLogs } from './lib/fixture.ts';
import { median } from './lib/measure.ts';
import { machineInfo, printFigures, writeResults, type Figure, type ScenarioResult } from './lib/results.ts';
import { launchBrowser } from '../test/e2e/browser.ts';
import { buildUi, bundleSizes } from '../scripts/build-ui.ts';
import { autoInterval } from '../dashboards-ui/src/query/histogram-interval.ts';
import { mainSearchBody } from '../dashboards-ui/src/discover/discover-search.ts';
import { buildQuery } from '../dashboards-ui/src/query/search-query.ts';

const log = (msg: string): void => void process.stderr.write(`[discover] ${msg}\n`);

/** Injected before the app loads: records performance.now() when rows and the histogram's svg first coexist. */
const READY_PROBE = `
  new MutationObserver((_, obs) => {
    if (document.querySelector('[data-testid=doc-row]') && document.querySelector('[data-testid=histogram][data-rendered=true] svg')) {
      window.__discoverReady = performance.now();
      obs.disconnect();
    }
    if (!window.__shellReady && document.querySelector('.topbar')) window.__shellReady = performance.now();
  }).observe(document, { childList: true, subtree: true, attributes: true });
`;

export async function runDiscover(o: { docs: number; runs: number; dataDir?: string; workDir?: string; keep: boolean }): Promise<ScenarioResult> {
  const started = new Date();
  const t0 = performance.now();
  buildUi();
  const bundle = bundleSizes();
  const index = 'logs';
  const { server, docs, workDir, ingested } = await serverWithLogs({ dataDir: o.dataDir, workDir: o.workDir, docs: o.docs, seed: DEFAULT_SEED, index, log });
  log(`${docs.toLocaleString('en-US')} docs in ${index}`);
  const browser = await launchBrowser();
  try {
    await server.client.json('POST', '/_dashboards/api/saved_objects/index-pattern/logs?overwrite=true', { attributes: { title: index, timeFieldName: '@timestamp' } });
    const from = new Date(START_TIME_MS).toISOString();
    const to = new Date(END_TIME_MS).toISOString();
    const url = `${server.baseUrl}/_dashboards/app/discover?ip=logs&from=${from}&to=${to}`;

    // Server time of Discover's own request (the same body the page builds).
    const bounds = { from: START_TIME_MS, to: END_TIME_MS };
    const body = mainSearchBody({ query: buildQuery({ query: { language: 'kuery', text: '' }, filters: [], time: { field: '@timestamp', ...bounds } }), sort: null, timeField: '@timestamp', size: 50, interval: autoInterval(bounds.to - bounds.from), bounds, highlight: false });
    const searchMs: number[] = [];
    const countMs: number[] = [];
    for (let i = 0; i < o.runs + 1; i++) {
      const r = await server.client.json<{ hits: { total: { value: number } } }>('POST', `/${index}/_search`, body);
      if (r.data.hits.total.value !== docs) throw new Error(`expected ${docs} hits, got ${r.data.hits.total.value}`);
      const c = await server.client.json('POST', `/${index}/_count`);
      if (i > 0) (searchMs.push(r.ms), countMs.push(c.ms)); // first run warms the caches
    }

    const cold: number[] = [];
    const warm: number[] = [];
    const shell: number[] = [];
    const serverInPage: number[] = [];
    for (let i = 0; i < o.runs; i++) {
      const ctx = await browser.newContext({ viewport: { width: 1400, height: 900 } });
      await ctx.addInitScript(READY_PROBE);
      const page = await ctx.newPage();
      for (const [k, list] of [['cold', cold], ['warm', warm]] as const) {
        if (k === 'cold') await page.goto(url);
        else await page.reload();
        await page.waitForFunction(() => (window as unknown as { __discoverReady?: number }).__discoverReady, undefined, { timeout: 60_000 });
        const m = await page.evaluate(() => {
          const w = window as unknown as { __discoverReady: number; __shellReady: number };
          const s = performance.getEntriesByType('resource').find((e) => e.name.includes('/_search')) as PerformanceResourceTiming | undefined;
          return { ready: w.__discoverReady, shell: w.__shellReady, search: s ? s.responseEnd - s.requestStart : NaN };
        });
        list.push(m.ready);
        if (k === 'warm') shell.push(m.shell);
        serverInPage.push(m.search);
        const count = await page.textContent('[data-testid=hit-count]');
        if (count !== `${docs.toLocaleString('en-US')} hits`) throw new Error(`page shows ${count}`);
      }
      await ctx.close();
    }
    const cmd = `npx tsx loadtest/discover.ts --docs ${o.docs}`;
    const countRef = { label: '`_count` round trip (match_all)', value: median(countMs), unit: 'ms' };
    const shellRef = { label: 'app shell shown (warm)', value: median(shell), unit: 'ms' };
    const figures: Figure[] = [
      { id: 'discover.first_render_cold', label: `Discover first render, ${docs.toLocaleString('en-US')} docs, cold cache`, measured: median(cold), unit: 'ms', target: { op: '<=', value: 1500 }, reference: shellRef, command: cmd },
      { id: 'discover.first_render_warm', label: 'Discover first render, reload (cached assets)', measured: median(warm), unit: 'ms', target: { op: '<=', value: 1500 }, reference: shellRef, command: cmd },
      { id: 'discover.search_server', label: "Discover's _search (50 hits + total + histogram), round trip", measured: median(searchMs), unit: 'ms', target: { op: '<=', value: 200 }, reference: countRef, command: cmd },
      { id: 'discover.search_in_page', label: '_search as the browser saw it (request → response end)', measured: median(serverInPage), unit: 'ms', target: { op: '<=', value: 200 }, reference: countRef, command: cmd },
      { id: 'ui.entry_chunk_gzip', label: 'entry JS chunk, gzipped', measured: bundle.entryGzip / 1024, unit: 'KiB', target: { op: '<=', value: 100 }, reference: { label: 'lazily loaded JS (vega, pages), gzipped', value: bundle.lazyGzip / 1024, unit: 'KiB' }, command: cmd },
    ];
    return {
      scenario: 'discover',
      startedAt: started.toISOString(),
      durationMs: performance.now() - t0,
      machine: machineInfo(),
      params: { docs, runs: o.runs, ingested },
      figures,
      details: { cold, warm, shell, searchMs, countMs, serverInPage, bundle },
    };
  } finally {
    await browser.close();
    await server.stop();
    if (!o.keep && !o.dataDir && !o.workDir) rmSync(workDir, { recursive: true, force: true });
    else log(`work dir kept: ${workDir}`);
  }
}

async function main(): Promise<void> {
  const f = parseFlags();
  const result = await runDiscover({ docs: f.num('docs', 1_000_000), runs: f.num('runs', 5), dataDir: f.opt('data-dir'), workDir: f.opt('work-dir'), keep: f.bool('keep') });
  printFigures(result);
  writeResults(result);
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main().catch((err: unknown) => {
    console.error(err);
    process.exit(1);
  });
}
