// GetMetricData latency over HTTP: one metric with one datapoint a minute for 7 days (10,080 points,
// preloaded through PutMetricData), queried over the 7 days at a 1-minute period (Average, and p99 as a
// second figure). Printed beside JSON.parse of the same response bodies measured in the same run.
//
//   npx tsx loadtest/get-metric-data.ts [--requests 60] [--noise-metrics 20] [--work-dir DIR] [--url http://127.0.0.1:PORT]

import { mkdtempSync, rmSync } from 'node:fs';
import { Agent } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseFlags } from './lib/args.ts';
import { median, percentiles } from './lib/measure.ts';
import { startServer } from './lib/server.ts';
import { cloudWatchPost } from './put-metric-data.ts';

const MIN = 60_000;
const DAYS = 7;

async function main(): Promise<void> {
  const f = parseFlags();
  const requests = f.num('requests', 60);
  const noise = f.num('noise-metrics', 20);
  const workDir = f.opt('work-dir') ?? mkdtempSync(join(tmpdir(), 'lookout-gmd-'));
  const external = f.opt('url');
  const server = external ? { baseUrl: external, stop: async () => 0 } : await startServer({ dataDir: join(workDir, 'data') });
  const agent = new Agent({ keepAlive: true, maxSockets: 1 });
  const post = async (op: string, body: unknown) => {
    const r = await cloudWatchPost(agent, server.baseUrl, op, Buffer.from(JSON.stringify(body)));
    if (r.status !== 200) throw new Error(`${op} failed: ${r.status} ${r.body}`);
    return r;
  };
  try {
    // Preload: the measured metric (10,080 points) and `noise` other metrics sharing the indices.
    const end = Math.floor(Date.now() / MIN) * MIN - MIN;
    const start = end - DAYS * 24 * 60 * MIN;
    const points = (end - start) / MIN;
    const t0 = performance.now();
    for (let m = 0; m <= noise; m++) {
      const dims = [{ Name: 'Host', Value: m === 0 ? 'target' : `noise-${m}` }];
      for (let i = 0; i < points; i += 1000) {
        const MetricData = [];
        for (let k = i; k < Math.min(points, i + 1000); k++) {
          MetricData.push({ MetricName: 'Latency', Dimensions: dims, Timestamp: (start + k * MIN) / 1000 + 7, Value: (k % 997) / 3, Unit: 'Milliseconds' });
        }
        await post('PutMetricData', { Namespace: 'Bench', MetricData });
      }
    }
    const loadSeconds = (performance.now() - t0) / 1000;
    // Let the engine settle (refresh, flush, background merges of the preload) before measuring reads.
    await cloudWatchPost(agent, server.baseUrl, 'ListMetrics', Buffer.from('{}'));
    await new Promise((r) => setTimeout(r, 3000));

    const query = (stat: string) => ({
      StartTime: start / 1000,
      EndTime: end / 1000,
      MetricDataQueries: [{ Id: 'm1', MetricStat: { Metric: { Namespace: 'Bench', MetricName: 'Latency', Dimensions: [{ Name: 'Host', Value: 'target' }] }, Period: 60, Stat: stat } }],
    });
    const figures: Record<string, unknown> = {};
    for (const stat of ['Average', 'p99']) {
      const first = await post('GetMetricData', query(stat)); // warm-up; also the payload for the reference
      const got = (JSON.parse(first.body) as { MetricDataResults: Array<{ Values: number[] }> }).MetricDataResults[0].Values.length;
      if (got !== points) throw new Error(`expected ${points} datapoints, got ${got}`);
      for (let w = 0; w < 5; w++) await post('GetMetricData', query(stat));
      const ms: number[] = [];
      const bodies: string[] = [];
      for (let r = 0; r < requests; r++) {
        const reply = await post('GetMetricData', query(stat));
        ms.push(reply.ms);
        if (bodies.length < 5) bodies.push(reply.body);
      }
      // Reference: JSON.parse of the same response bodies, per body.
      const parseMs: number[] = [];
      for (let r = 0; r < 30; r++) {
        const p0 = performance.now();
        JSON.parse(bodies[r % bodies.length]);
        parseMs.push(performance.now() - p0);
      }
      const p = percentiles(ms);
      figures[stat] = {
        datapoints: got,
        p50Ms: round(p.p50),
        p90Ms: round(p.p90),
        p99Ms: round(p.p99),
        responseBytes: first.body.length,
        jsonParseOfResponseP50Ms: round(median(parseMs)),
      };
      console.log(`GetMetricData ${stat}, 7 days at 1 min (${got} points): p50 ${round(p.p50)} ms, p90 ${round(p.p90)} ms | JSON.parse of the same ${(first.body.length / 1024).toFixed(0)} KiB response: ${round(median(parseMs))} ms`);
    }
    console.log(JSON.stringify({ scenario: 'get-metric-data', preloadDatapoints: points * (noise + 1), preloadSeconds: round(loadSeconds), requests, figures, target: 'p50 <= 20 ms' }));
  } finally {
    agent.destroy();
    await server.stop();
    if (!f.opt('work-dir')) rmSync(workDir, { recursive: true, force: true });
  }
}

function round(x: number): number {
  return Math.round(x * 100) / 100;
}

if (import.meta.url === pathToFileURL(process.argv[1]!).href) {
  main().catch((err) => {
    console.error(err);
    process.exit(1);
  });
}
