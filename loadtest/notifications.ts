// Notification delivery: `notify` latency (the fsynced outbox append it waits for) and end-to-end
// throughput to a webhook receiver on 127.0.0.1, beside references measured in the same run: a raw
// append + fdatasync of the same record size, and raw `fetch` POSTs of the same bodies to the same
// receiver at the same concurrency. Prints medians of `--runs` runs.
//
//   npx tsx loadtest/notifications.ts [--count 500] [--runs 3]

import { closeSync, fdatasyncSync, mkdtempSync, openSync, rmSync, writeSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildApp } from '../server/app.ts';
import { DEFAULTS } from '../server/config.ts';
import type { AlertNotification } from '../alarms/notifications/notifier.ts';
import { parseFlags } from './lib/args.ts';
import { median, percentiles } from './lib/measure.ts';
import { printTable } from './lib/results.ts';

const flags = parseFlags();
const count = flags.num('count', 500);
const runs = flags.num('runs', 3);

function notification(i: number, run: number): AlertNotification {
  return {
    channelId: 'hook', kind: 'trigger', source: 'monitor', name: `bench / trigger`, dedupKey: `bench:${run}:${i}`,
    idempotencyKey: `bench:${run}:${i}:1`, state: 'ACTIVE', previousState: 'NONE', reason: 'Trigger [bench] condition met',
    time: Date.now(), severity: '2', details: { bucket_keys: [`service-${i % 50}`], value: i },
  };
}

async function main(): Promise<void> {
  let received = 0;
  const server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      received++;
      res.writeHead(200).end('ok');
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const url = `http://127.0.0.1:${(server.address() as { port: number }).port}/hook`;
  const dataDir = mkdtempSync(join(tmpdir(), 'lookout-bench-notif-'));
  const { app, node } = await buildApp({ config: { ...DEFAULTS, allowInsecure: false, awsCredentials: [], file: {}, dataDir } });
  await app.ready();
  await node.notifier.channels.create('hook', { name: 'hook', config_type: 'webhook', is_enabled: true, webhook: { url, method: 'POST', header_params: {}, secret: 'bench' } });

  const rows: Record<string, number[]> = { notifyP50: [], notifyP99: [], fsyncP50: [], e2e: [], rawFetch: [] };
  for (let run = 0; run < runs; run++) {
    // notify latency, sequential (each waits for its fdatasync'ed outbox record).
    const lat: number[] = [];
    const t0 = performance.now();
    received = 0;
    for (let i = 0; i < count; i++) {
      const s = performance.now();
      await node.notifier.notify(notification(i, run));
      lat.push(performance.now() - s);
    }
    await node.notifier.idle(120_000);
    const e2eSec = (performance.now() - t0) / 1000;
    if (received < count) throw new Error(`receiver got ${received} of ${count}`);
    const p = percentiles(lat);
    rows.notifyP50.push(p.p50);
    rows.notifyP99.push(p.p99);
    rows.e2e.push(count / e2eSec);

    // Reference 1: raw append + fdatasync of a record of the same size.
    const record = JSON.stringify({ op: 'enqueue', id: 'x'.repeat(36), at: Date.now(), n: notification(0, run) }) + '\n';
    const fd = openSync(join(dataDir, `ref-${run}.ndjson`), 'a');
    const fl: number[] = [];
    for (let i = 0; i < count; i++) {
      const s = performance.now();
      writeSync(fd, record);
      fdatasyncSync(fd);
      fl.push(performance.now() - s);
    }
    closeSync(fd);
    rows.fsyncP50.push(percentiles(fl).p50);

    // Reference 2: raw fetch POSTs of a same-size body, 8 at a time (the delivery path's typical fan-out).
    const body = JSON.stringify(notification(0, run));
    const r0 = performance.now();
    let next = 0;
    await Promise.all(Array.from({ length: 8 }, async () => {
      while (next < count) {
        next++;
        const r = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
        await r.text();
      }
    }));
    rows.rawFetch.push(count / ((performance.now() - r0) / 1000));
  }

  const f = (x: number) => x.toFixed(x < 10 ? 2 : 0);
  console.log(`notifications: ${count} per run, ${runs} runs (medians)`);
  printTable(['figure', 'value', 'reference (same run)'], [
    ['notify() p50 latency (fsynced outbox)', `${f(median(rows.notifyP50))} ms`, `raw append+fdatasync p50 ${f(median(rows.fsyncP50))} ms`],
    ['notify() p99 latency', `${f(median(rows.notifyP99))} ms`, ''],
    ['notify → delivered, notifications/s', f(median(rows.e2e)), `raw fetch POST (8 parallel) ${f(median(rows.rawFetch))} req/s`],
  ]);
  await app.close();
  node.stop();
  server.close();
  server.closeAllConnections();
  rmSync(dataDir, { recursive: true, force: true });
}

void main();
