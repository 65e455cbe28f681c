// The notification outbox across kill -9, with real server processes and a real receiver:
// a notification decided before the crash is delivered after the restart, and a delivery whose 2xx was
// received but not yet recorded is repeated exactly once, with the same idempotency key.

import { writeFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { call, freePort, startServer, tempDataDir, type ServerProcess } from '../helpers/server-process.ts';
import { FAULT_KILL_AFTER_2XX } from '../../alarms/notifications/notification-service.ts';
import { startReceiver, type Receiver } from './notifications-receiver.ts';

const cleanup: Array<() => Promise<unknown> | void> = [];
afterAll(async () => {
  for (const f of cleanup.reverse()) await f();
});

/** Starts a server whose config file makes retries fast (the config path goes through LOOKOUT_CONFIG). */
async function start(dataDir: string, env: Record<string, string> = {}): Promise<ServerProcess> {
  const configPath = join(dataDir, '..', `${dataDir.split('/').pop()}-config.json`);
  writeFileSync(configPath, JSON.stringify({ notifications: { retry: { initial_backoff_ms: 100, max_backoff_ms: 300, max_attempts: 1000, timeout_ms: 2000 } } }));
  const saved = { ...process.env };
  Object.assign(process.env, { LOOKOUT_CONFIG: configPath, ...env });
  try {
    const s = await startServer({ dataDir });
    cleanup.push(() => s.stop('SIGKILL'));
    return s;
  } finally {
    for (const k of ['LOOKOUT_CONFIG', ...Object.keys(env)]) {
      if (saved[k] === undefined) delete process.env[k];
      else process.env[k] = saved[k];
    }
  }
}

/** A channel, a log line and a query monitor paging on any hit; `_execute` decides one notification. */
async function decideOneNotification(s: ServerProcess, receiverUrl: string): Promise<void> {
  expect((await call(s.url, 'POST', '/_plugins/_notifications/configs', { config_id: 'hook', config: { name: 'hook', config_type: 'webhook', webhook: { url: `${receiverUrl}/hook`, secret: 'k' } } })).status).toBe(200);
  expect((await call(s.url, 'POST', '/logs-app/_doc?refresh=true', { '@timestamp': new Date().toISOString(), level: 'error', message: 'boom' })).status).toBe(201);
  const m = await call(s.url, 'POST', '/_plugins/_alerting/monitors', {
    name: 'any log', monitor_type: 'query_level_monitor', schedule: { period: { interval: 1, unit: 'DAYS' } },
    inputs: [{ search: { indices: ['logs-*'], query: { query: { match_all: {} } } } }],
    triggers: [{ name: 'hits', severity: '1', condition: { script: { source: 'ctx.results[0].hits.total.value > 0' } }, actions: [{ name: 'a', destination_id: 'hook', message_template: { source: 'logs: {{ctx.results.0.hits.total.value}}' } }] }],
  });
  expect(m.status).toBe(201);
  // The fault-injected server may kill itself before it answers: the decision is what counts.
  await call(s.url, 'POST', `/_plugins/_alerting/monitors/${m.body._id}/_execute`).catch(() => undefined);
}

async function until<T>(what: string, fn: () => Promise<T | undefined>, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn().catch(() => undefined);
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('notification outbox durability (kill -9)', () => {
  it('a notification decided before kill -9 (receiver down) is delivered after restart', async () => {
    const dataDir = tempDataDir();
    cleanup.push(() => rmSync(dataDir, { recursive: true, force: true }));
    const port = await freePort(); // the receiver is not listening yet
    const s1 = await start(dataDir);
    await decideOneNotification(s1, `http://127.0.0.1:${port}`);
    // Decided and retrying (connection refused), not delivered.
    const pending = await until('a failed attempt', async () => {
      const log = (await call(s1.url, 'GET', '/_plugins/_lookout/notifications?channel=hook')).body;
      const e = log.notifications[0];
      return e && e.status === 'pending' && e.attempts.length > 0 ? e : undefined;
    });
    expect(pending.attempts[0].error).toMatch(/ECONNREFUSED/);
    await s1.stop('SIGKILL');

    const rx: Receiver = await startReceiver(port);
    cleanup.push(() => rx.close());
    const s2 = await start(dataDir);
    const [req] = await rx.waitFor(1, 15_000);
    expect(req.body).toBe('logs: 1');
    expect(req.headers['idempotency-key']).toBe(pending.idempotency_key);
    const done = await until('delivered', async () => {
      const e = (await call(s2.url, 'GET', `/_plugins/_lookout/notifications/${pending.id}`)).body;
      return e.status === 'delivered' ? e : undefined;
    });
    expect(done.attempts.at(-1)).toMatchObject({ status_code: 200, outcome: 'delivered' });
    await new Promise((r) => setTimeout(r, 500));
    expect(rx.requests).toHaveLength(1);
    await s2.stop();
  });

  it('kill -9 after the receiver\'s 2xx but before it is recorded: exactly one repeat, same idempotency key', async () => {
    const dataDir = tempDataDir();
    cleanup.push(() => rmSync(dataDir, { recursive: true, force: true }));
    const rx = await startReceiver();
    cleanup.push(() => rx.close());
    const s1 = await start(dataDir, { [FAULT_KILL_AFTER_2XX]: '1' });
    const exited = new Promise<string | null>((res) => s1.child.once('exit', (_code, signal) => res(signal)));
    await decideOneNotification(s1, rx.url);
    expect(await exited).toBe('SIGKILL');
    expect(rx.requests).toHaveLength(1);

    const s2 = await start(dataDir);
    const reqs = await rx.waitFor(2, 15_000);
    expect(reqs[1].headers['idempotency-key']).toBe(reqs[0].headers['idempotency-key']);
    expect(reqs[1].headers['x-lookout-notification-id']).toBe(reqs[0].headers['x-lookout-notification-id']);
    expect(reqs[1].body).toBe(reqs[0].body);
    expect(reqs[1].headers['x-lookout-signature']).toBe(reqs[0].headers['x-lookout-signature']);
    const id = reqs[0].headers['x-lookout-notification-id'];
    await until('delivered', async () => ((await call(s2.url, 'GET', `/_plugins/_lookout/notifications/${id}`)).body.status === 'delivered' ? true : undefined));
    // After a clean stop and another start, nothing is sent again.
    await s2.stop();
    const s3 = await start(dataDir);
    await new Promise((r) => setTimeout(r, 700));
    expect(rx.requests).toHaveLength(2);
    await s3.stop();
  });
});
