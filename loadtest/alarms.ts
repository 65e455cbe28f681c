// Metric alarm evaluation at scale: 10,000 alarms on 1-minute periods (one metric each, written with
// PutMetricData through the AWS SDK, created with PutMetricAlarm), evaluated as the scheduler does each
// minute — one batched MetricDataReader call per tick. Reports the process CPU time of a tick as a share
// of the minute it serves (target ≤ 20 % of one core), and how soon a transition's webhook reaches a
// local receiver after the evaluation that decided it (target ≤ 2 s).
//
//   npx tsx loadtest/alarms.ts [--alarms 10000] [--ticks 5] [--transitions 20]
//
// In-process (buildApp + listen on 127.0.0.1) so ticks can be triggered deterministically; the
// scheduler's timer is stopped and `evaluateNow()` runs exactly the work of a scheduled tick.

import { createServer } from 'node:http';
import { rmSync } from 'node:fs';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as CW from '@aws-sdk/client-cloudwatch';
import { buildApp } from '../server/app.ts';
import { DEFAULTS } from '../server/config.ts';
import { parseFlags } from './lib/args.ts';
import { machineInfo, writeResults, type ScenarioResult } from './lib/results.ts';

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const MIN = 60_000;

async function main(): Promise<void> {
  const f = parseFlags();
  const alarms = f.num('alarms', 10_000);
  const ticks = f.num('ticks', 5);
  const transitions = Math.min(f.num('transitions', 20), alarms);
  const startedAt = new Date();
  const dataDir = mkdtempSync(join(tmpdir(), 'lookout-alarms-bench-'));
  const { app, node } = await buildApp({ config: { ...DEFAULTS, allowInsecure: false, awsCredentials: [], file: {}, dataDir } });
  const url = await app.listen({ host: '127.0.0.1', port: 0 });
  await node.alertingReady;
  // Ticks are driven below; the timer would otherwise evaluate alarms while they are being created.
  await node.metricAlarms.stop();

  // A local webhook receiver: arrival time per alarm.
  const arrivals = new Map<string, number>();
  const receiver = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => {
      const event = JSON.parse(Buffer.concat(chunks).toString('utf8'));
      arrivals.set(event.alarm, Date.now());
      res.end('ok');
    });
  });
  await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', () => r()));
  const rxPort = (receiver.address() as { port: number }).port;
  const channel = await fetch(`${url}/_plugins/_notifications/configs`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ config_id: 'bench', config: { name: 'bench', config_type: 'webhook', webhook: { url: `http://127.0.0.1:${rxPort}/hook` } } }),
  });
  if (channel.status !== 200) throw new Error(`channel: ${channel.status} ${await channel.text()}`);

  const cw = new CW.CloudWatchClient({ endpoint: url, region: 'us-east-1', credentials: { accessKeyId: 'AKID', secretAccessKey: 'x' }, maxAttempts: 1 });
  const now = Date.now();
  const minute = Math.floor(now / MIN) * MIN;
  const svc = (i: number) => `svc-${String(i).padStart(5, '0')}`;

  // Six minutes of one datapoint per minute for every metric, below the threshold.
  const t0 = performance.now();
  const datums: CW.MetricDatum[] = [];
  for (let i = 0; i < alarms; i++) {
    for (let m = 1; m <= 6; m++) datums.push({ MetricName: 'Latency', Dimensions: [{ Name: 'Service', Value: svc(i) }], Timestamp: new Date(minute - m * MIN + 1000), Value: 10 });
  }
  for (let k = 0; k < datums.length; k += 1000) await cw.send(new CW.PutMetricDataCommand({ Namespace: 'Bench', MetricData: datums.slice(k, k + 1000) }));
  const putDataMs = performance.now() - t0;

  const inputs: CW.PutMetricAlarmCommandInput[] = [];
  for (let i = 0; i < alarms; i++) {
    inputs.push({
      AlarmName: `latency-${svc(i)}`,
      MetricName: 'Latency',
      Namespace: 'Bench',
      Statistic: 'Average',
      Dimensions: [{ Name: 'Service', Value: svc(i) }],
      Period: 60,
      EvaluationPeriods: 3,
      DatapointsToAlarm: 2,
      Threshold: 50,
      ComparisonOperator: 'GreaterThanThreshold',
      AlarmActions: ['arn:aws:sns:us-east-1:000000000000:bench'],
      OKActions: ['arn:aws:sns:us-east-1:000000000000:bench'],
    });
  }
  const t1 = performance.now();
  let next = 0;
  await Promise.all(
    Array.from({ length: 32 }, async () => {
      while (next < inputs.length) await cw.send(new CW.PutMetricAlarmCommand(inputs[next++]));
    }),
  );
  const putAlarmsMs = performance.now() - t1;

  // Reference measured in the same run: JSON.parse of the same alarm configurations.
  const bodies = inputs.map((i) => JSON.stringify(i));
  const tr = performance.now();
  for (let r = 0; r < 5; r++) for (const b of bodies) JSON.parse(b);
  const jsonParseMs = (performance.now() - tr) / 5;

  // First tick: every alarm leaves INSUFFICIENT_DATA (10k state changes written in one journal write).
  const first = await timedTick(node.metricAlarms);
  const steady: Array<{ cpuMs: number; wallMs: number; readMs: number; evaluated: number; queries: number }> = [];
  for (let t = 0; t < ticks; t++) steady.push(await timedTick(node.metricAlarms));

  // Transitions: breaching values in the last three minutes of a few metrics, then one tick of all alarms.
  const hot: CW.MetricDatum[] = [];
  for (let i = 0; i < transitions; i++) {
    for (let m = 1; m <= 3; m++) for (let k = 0; k < 20; k++) hot.push({ MetricName: 'Latency', Dimensions: [{ Name: 'Service', Value: svc(i) }], Timestamp: new Date(minute - m * MIN + 2000 + k), Value: 100 });
  }
  for (let k = 0; k < hot.length; k += 1000) await cw.send(new CW.PutMetricDataCommand({ Namespace: 'Bench', MetricData: hot.slice(k, k + 1000) }));
  const decidedAt = Date.now();
  const fire = await timedTick(node.metricAlarms);
  const tickEnd = Date.now();
  const deadline = Date.now() + 15_000;
  while (arrivals.size < transitions && Date.now() < deadline) await new Promise((r) => setTimeout(r, 5));
  const latencies = [...arrivals.values()].map((t) => t - decidedAt);
  const transitioned = [...node.metricAlarms.store.alarms.values()].filter((a) => a.status.value === 'ALARM').length;

  const cpuMs = median(steady.map((s) => s.cpuMs));
  const result: ScenarioResult = {
    scenario: 'alarms',
    startedAt: startedAt.toISOString(),
    durationMs: Date.now() - startedAt.getTime(),
    machine: machineInfo(),
    params: { alarms, ticks, transitions },
    figures: [
      {
        id: 'alarms.tick.cpu_share',
        label: `CPU of one evaluation tick of ${alarms.toLocaleString('en-US')} 1-minute alarms, share of one core over the minute (median of ${ticks})`,
        measured: (cpuMs / MIN) * 100,
        unit: '%',
        target: { op: '<=', value: 20 },
        reference: { label: 'JSON.parse of the same alarm configs', value: jsonParseMs, unit: 'ms' },
        command: `npx tsx loadtest/alarms.ts --alarms ${alarms}`,
      },
      {
        id: 'alarms.tick.cpu_ms',
        label: 'process CPU time of one tick (median)',
        measured: cpuMs,
        unit: 'ms',
        reference: { label: 'reader time within the tick (median)', value: median(steady.map((s) => s.readMs)), unit: 'ms' },
        command: `npx tsx loadtest/alarms.ts --alarms ${alarms}`,
      },
      {
        id: 'alarms.webhook.latency.max',
        label: `webhook arrival after the evaluation that decided the transition (max of ${transitions})`,
        measured: latencies.length ? Math.max(...latencies) : NaN,
        unit: 'ms',
        target: { op: '<=', value: 2000 },
        reference: { label: 'wall time of that tick', value: fire.wallMs, unit: 'ms' },
        command: `npx tsx loadtest/alarms.ts --alarms ${alarms}`,
        problem: latencies.length < transitions || transitioned !== transitions ? `${latencies.length}/${transitions} webhooks, ${transitioned} alarms in ALARM` : undefined,
      },
    ],
    details: {
      putMetricDataMs: putDataMs,
      putMetricAlarmMs: putAlarmsMs,
      putMetricAlarmPerSecond: alarms / (putAlarmsMs / 1000),
      firstTick: first,
      steadyTicks: steady,
      transitionTick: fire,
      // From the start of the tick that decided the transitions (it reads and evaluates all alarms first).
      webhookLatencyMs: { p50: latencies.length ? median(latencies) : null, all: [...latencies].sort((a, b) => a - b) },
      // From the end of that tick (the notifier's part: outbox, HTTP request, receiver).
      webhookAfterTickEndMs: [...arrivals.values()].map((t) => t - tickEnd).sort((a, b) => a - b),
    },
  };
  writeResults(result);
  await app.close();
  await node.stopAlerting();
  node.stop();
  receiver.close();
  rmSync(dataDir, { recursive: true, force: true });
}

/** One tick over every alarm, with the process CPU time (user + system) and wall time it took. */
async function timedTick(service: { evaluateNow(): Promise<{ evaluated: number; queries: number; readMs: number; transitions: number }> }) {
  const cpu0 = process.cpuUsage();
  const w0 = performance.now();
  const stats = await service.evaluateNow();
  const wallMs = performance.now() - w0;
  const cpu = process.cpuUsage(cpu0);
  return { cpuMs: (cpu.user + cpu.system) / 1000, wallMs, ...stats };
}

void main();
