// Notification channels and delivery against real HTTP receivers on 127.0.0.1: the Notifications
// configs API, webhook body + HMAC signature + idempotency headers, Slack and PagerDuty payloads,
// retries with backoff on 500/429, no retry on 400, mute windows, and per-subject ordering.

import { createHmac } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../server/app.ts';
import { DEFAULTS } from '../../server/config.ts';
import type { LookoutNode } from '../../server/node.ts';
import type { AlertNotification } from '../../alarms/notifications/notifier.ts';
import { startReceiver, type Receiver } from './notifications-receiver.ts';
import { freePort } from '../helpers/server-process.ts';

let app: FastifyInstance;
let node: LookoutNode;
let dataDir: string;
let rx: Receiver;
let seq = 0;

async function call(method: string, url: string, body?: unknown): Promise<{ status: number; body: any }> {
  const res = await app.inject({ method: method as never, url, payload: body === undefined ? undefined : JSON.stringify(body), headers: body === undefined ? {} : { 'content-type': 'application/json' } });
  return { status: res.statusCode, body: res.body ? JSON.parse(res.body) : undefined };
}

function notification(channelId: string, over: Partial<AlertNotification> = {}): AlertNotification {
  seq++;
  return {
    channelId, kind: 'trigger', source: 'monitor', name: `errors / too-many-${seq}`, dedupKey: `monitor:m1:t1:${seq}`,
    idempotencyKey: `monitor:m1:t1:${seq}:${Date.now()}`, state: 'ACTIVE', previousState: 'NONE',
    reason: 'Trigger [too-many] condition met', time: Date.UTC(2024, 0, 1, 0, 3, 10), severity: '1',
    link: 'http://127.0.0.1:9200/_dashboards/#/alerting/monitors/m1', ...over,
  };
}

async function channel(id: string, config: Record<string, unknown>): Promise<void> {
  const r = await call('POST', '/_plugins/_notifications/configs', { config_id: id, config });
  expect(r.status).toBe(200);
  expect(r.body).toEqual({ config_id: id });
}

async function logEntry(id: string): Promise<any> {
  return (await call('GET', `/_plugins/_lookout/notifications/${id}`)).body;
}

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'lookout-notif-'));
  rx = await startReceiver();
  const file = { notifications: { retry: { initial_backoff_ms: 20, max_backoff_ms: 100, max_attempts: 4, timeout_ms: 2000 } } };
  ({ app, node } = await buildApp({ config: { ...DEFAULTS, allowInsecure: false, awsCredentials: [], file, dataDir } }));
  await app.ready();
  await channel('hook', { name: 'ops webhook', config_type: 'webhook', webhook: { url: `${rx.url}/hook`, header_params: { 'X-Team': 'ops' }, secret: 's3cret' } });
  await channel('slack', { name: 'ops slack', config_type: 'slack', slack: { url: `${rx.url}/slack` } });
  await channel('pd', { name: 'ops pagerduty', config_type: 'pagerduty', pagerduty: { routing_key: 'R0UTINGKEY0123456789abcdef012345', url: `${rx.url}/v2/enqueue` } });
});

afterAll(async () => {
  await app.close();
  node.stop();
  await rx.close();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('Notifications configs API', () => {
  it('lists, gets, updates and deletes channel configs in OpenSearch shape; never echoes the secret', async () => {
    const got = await call('GET', '/_plugins/_notifications/configs/hook');
    expect(got.status).toBe(200);
    expect(got.body.total_hits).toBe(1);
    const cfg = got.body.config_list[0];
    expect(cfg.config_id).toBe('hook');
    expect(cfg.config).toMatchObject({ name: 'ops webhook', config_type: 'webhook', is_enabled: true, webhook: { url: `${rx.url}/hook`, method: 'POST', has_secret: true } });
    expect(cfg.config.webhook.secret).toBeUndefined();

    const list = await call('GET', '/_plugins/_notifications/configs?config_type=slack,pagerduty');
    expect(list.body.config_list.map((c: any) => c.config_id).sort()).toEqual(['pd', 'slack']);

    await channel('tmp', { name: 'tmp', config_type: 'slack', slack: { url: 'http://127.0.0.1:1/x' } });
    const upd = await call('PUT', '/_plugins/_notifications/configs/tmp', { config: { name: 'tmp2', config_type: 'slack', slack: { url: 'http://127.0.0.1:2/x' } } });
    expect(upd.body).toEqual({ config_id: 'tmp' });
    expect((await call('GET', '/_plugins/_notifications/configs/tmp')).body.config_list[0].config.name).toBe('tmp2');
    expect((await call('DELETE', '/_plugins/_notifications/configs/tmp')).body).toEqual({ delete_response_list: { tmp: 'OK' } });
    const missing = await call('GET', '/_plugins/_notifications/configs/tmp');
    expect(missing.status).toBe(404);
    expect(missing.body.error.type).toBe('status_exception');
  });

  it('sends a test message to a channel at once (feature/test)', async () => {
    const before = rx.requests.length;
    const r = await call('GET', '/_plugins/_notifications/feature/test/slack');
    expect(r.status).toBe(200);
    expect(r.body.status_list[0]).toMatchObject({ config_id: 'slack', config_type: 'slack', delivery_status: { status_code: '200', status_text: 'ok' } });
    expect(rx.requests).toHaveLength(before + 1);
    expect(rx.requests[before].json().text).toContain('Test message');
    expect((await call('GET', '/_plugins/_notifications/feature/test/nope')).status).toBe(404);
  });

  it('rejects bad configs with 400 error bodies', async () => {
    const bad = [
      { config: { name: 'x', config_type: 'email' } },
      { config: { name: 'x', config_type: 'webhook', webhook: { url: 'not a url' } } },
      { config: { name: 'x', config_type: 'pagerduty', pagerduty: {} } },
      { config: { name: 'x', config_type: 'slack', slack: { url: 'http://127.0.0.1/x', extra: 1 } } },
    ];
    for (const b of bad) {
      const r = await call('POST', '/_plugins/_notifications/configs', b);
      expect(r.status).toBe(400);
      expect(r.body.error.type).toBe('illegal_argument_exception');
    }
    // Regression: headers fetch refuses were accepted, then every delivery failed and was retried.
    for (const header_params of [{ 'bad name': 'v' }, { 'X-Ok': 'a\r\nInjected: 1' }]) {
      const r = await call('POST', '/_plugins/_notifications/configs', { config: { name: 'x', config_type: 'webhook', webhook: { url: 'http://127.0.0.1/x', header_params } } });
      expect(r.status, JSON.stringify(header_params)).toBe(400);
      expect(r.body.error.reason).toMatch(/is not a valid HTTP header/);
    }
    const dup = await call('POST', '/_plugins/_notifications/configs', { config_id: 'hook', config: { name: 'x', config_type: 'slack', slack: { url: 'http://127.0.0.1/x' } } });
    expect(dup.status).toBe(409);
  });
});

describe('delivery', () => {
  it('webhook: documented JSON event, HMAC-SHA256 signature of the raw body, idempotency key and custom headers', async () => {
    const before = rx.requests.length;
    const n = notification('hook');
    const res = await node.notifier.notify(n);
    expect(res.muted).toBe(false);
    const [req] = (await rx.waitFor(before + 1)).slice(before);
    expect(req.url).toBe('/hook');
    expect(req.headers['idempotency-key']).toBe(n.idempotencyKey);
    expect(req.headers['x-lookout-idempotency-key']).toBe(n.idempotencyKey);
    expect(req.headers['x-team']).toBe('ops');
    const expected = 'sha256=' + createHmac('sha256', 's3cret').update(req.body).digest('hex');
    expect(req.headers['x-lookout-signature']).toBe(expected);
    expect(req.json()).toMatchObject({
      version: '1.0', id: res.notificationId, kind: 'trigger', source: 'monitor', alarm: n.name, state: 'ACTIVE', previous_state: 'NONE',
      reason: n.reason, time: '2024-01-01T00:03:10.000Z', dedup_key: n.dedupKey, idempotency_key: n.idempotencyKey, link: n.link,
    });
    await node.notifier.idle();
    const entry = await logEntry(res.notificationId!);
    expect(entry.status).toBe('delivered');
    expect(entry.attempts).toHaveLength(1);
    expect(entry.attempts[0]).toMatchObject({ attempt: 1, status_code: 200, outcome: 'delivered' });
    expect(typeof entry.attempts[0].latency_ms).toBe('number');
  });

  it('webhook: a rendered message template is sent verbatim and signed', async () => {
    const before = rx.requests.length;
    await node.notifier.notify(notification('hook', { message: '{"text":"5 errors on api"}' }));
    const [req] = (await rx.waitFor(before + 1)).slice(before);
    expect(req.body).toBe('{"text":"5 errors on api"}');
    expect(req.headers['x-lookout-signature']).toBe('sha256=' + createHmac('sha256', 's3cret').update(req.body).digest('hex'));
  });

  it('Slack: incoming-webhook payload with text, header/section/context blocks and a colour bar', async () => {
    const before = rx.requests.length;
    await node.notifier.notify(notification('slack'));
    const [req] = (await rx.waitFor(before + 1)).slice(before);
    const body = req.json();
    expect(req.url).toBe('/slack');
    expect(typeof body.text).toBe('string');
    expect(body.blocks.map((b: any) => b.type)).toEqual(['header', 'section', 'context']);
    expect(body.blocks[0].text).toMatchObject({ type: 'plain_text' });
    expect(body.blocks[0].text.text).toContain('ACTIVE');
    expect(body.blocks[1].text.type).toBe('mrkdwn');
    expect(body.blocks[2].elements[0].text).toContain('NONE → ACTIVE');
    expect(body.attachments[0].color).toBe('#d00000');
  });

  it('PagerDuty: trigger with a stable dedup_key and the routing key, then resolve with the same key', async () => {
    const before = rx.requests.length;
    const n = notification('pd');
    await node.notifier.notify(n);
    await node.notifier.notify({ ...n, kind: 'resolve', state: 'COMPLETED', previousState: 'ACTIVE', idempotencyKey: n.idempotencyKey + ':r' });
    const [trig, resolve] = (await rx.waitFor(before + 2)).slice(before);
    expect(trig.json()).toMatchObject({
      routing_key: 'R0UTINGKEY0123456789abcdef012345', event_action: 'trigger', dedup_key: n.dedupKey,
      payload: { severity: 'critical', source: expect.any(String), summary: expect.stringContaining(n.name), timestamp: '2024-01-01T00:03:10.000Z' },
      links: [{ href: n.link, text: 'Monitor' }],
    });
    expect(resolve.json()).toEqual({ routing_key: 'R0UTINGKEY0123456789abcdef012345', event_action: 'resolve', dedup_key: n.dedupKey });
    expect(resolve.headers['idempotency-key']).toBe(n.idempotencyKey + ':r');
  });

  it('retries 500 and 429 with backoff, then succeeds; every attempt carries the same idempotency key', async () => {
    const before = rx.requests.length;
    rx.script.push(500, 429);
    const n = notification('hook');
    const res = await node.notifier.notify(n);
    const reqs = (await rx.waitFor(before + 3)).slice(before);
    expect(reqs.map((r) => r.headers['idempotency-key'])).toEqual([n.idempotencyKey, n.idempotencyKey, n.idempotencyKey]);
    expect(reqs.map((r) => r.headers['x-lookout-attempt'])).toEqual(['1', '2', '3']);
    await node.notifier.idle();
    const entry = await logEntry(res.notificationId!);
    expect(entry.status).toBe('delivered');
    expect(entry.attempts.map((a: any) => [a.status_code, a.outcome])).toEqual([[500, 'retry'], [429, 'retry'], [200, 'delivered']]);
    // Backoff: the second attempt waited at least half the initial backoff (full jitter over [cap/2, cap]).
    expect(entry.attempts[1].time - entry.attempts[0].time).toBeGreaterThanOrEqual(10);
  });

  it('does not retry a 400', async () => {
    const before = rx.requests.length;
    rx.script.push(400);
    const res = await node.notifier.notify(notification('slack'));
    await rx.waitFor(before + 1);
    await node.notifier.idle();
    await new Promise((r) => setTimeout(r, 150));
    expect(rx.requests.length).toBe(before + 1);
    const entry = await logEntry(res.notificationId!);
    expect(entry.status).toBe('failed');
    expect(entry.attempts).toHaveLength(1);
    expect(entry.attempts[0]).toMatchObject({ status_code: 400, outcome: 'failed' });
  });

  it('gives up after max_attempts on a receiver that keeps failing, and on a connection error retries', async () => {
    const port = await freePort(); // nothing listens there: connection refused
    await channel('dead', { name: 'dead', config_type: 'webhook', webhook: { url: `http://127.0.0.1:${port}/nothing` } });
    const res = await node.notifier.notify(notification('dead'));
    await node.notifier.idle();
    const entry = await logEntry(res.notificationId!);
    expect(entry.status).toBe('failed');
    expect(entry.attempts).toHaveLength(4);
    expect(entry.attempts[0].outcome).toBe('retry');
    expect(entry.attempts[0].error).toMatch(/ECONNREFUSED/);
  });

  it('keeps trigger → resolve order for one subject even when the trigger needs retries', async () => {
    const before = rx.requests.length;
    rx.script.push(503, 503);
    const n = notification('pd');
    await node.notifier.notify(n);
    await node.notifier.notify({ ...n, kind: 'resolve', state: 'COMPLETED', previousState: 'ACTIVE', idempotencyKey: n.idempotencyKey + ':r' });
    const reqs = (await rx.waitFor(before + 4)).slice(before);
    expect(reqs.map((r) => r.json().event_action)).toEqual(['trigger', 'trigger', 'trigger', 'resolve']);
  });

  it('filters the delivery log by channel and source', async () => {
    const r = await call('GET', '/_plugins/_lookout/notifications?channel=pd&source=monitor');
    expect(r.status).toBe(200);
    expect(r.body.total).toBeGreaterThanOrEqual(4);
    expect(r.body.notifications.every((e: any) => e.channel_id === 'pd' && e.source === 'monitor')).toBe(true);
  });
});

describe('mute windows', () => {
  it('a window scoped by name pattern mutes matching notifications; notify answers {muted:true}', async () => {
    const now = Date.now();
    const created = await call('POST', '/_plugins/_lookout/mutes', { name: 'maintenance', start_time: new Date(now - 60_000).toISOString(), end_time: now + 60_000, names: ['db-*'] });
    expect(created.status).toBe(201);
    const before = rx.requests.length;
    const muted = await node.notifier.notify(notification('hook', { name: 'db-primary / lag' }));
    expect(muted.muted).toBe(true);
    const loud = await node.notifier.notify(notification('hook', { name: 'api / errors' }));
    expect(loud.muted).toBe(false);
    await rx.waitFor(before + 1);
    await node.notifier.idle();
    await new Promise((r) => setTimeout(r, 100));
    expect(rx.requests.length).toBe(before + 1);
    expect(rx.requests[before].json().alarm).toBe('api / errors');
    expect((await logEntry(muted.notificationId!)).status).toBe('muted');
    const list = await call('GET', '/_plugins/_lookout/mutes');
    expect(list.body.mutes.find((m: any) => m.id === created.body.id).active).toBe(true);
    await call('DELETE', `/_plugins/_lookout/mutes/${created.body.id}`);
    expect((await node.notifier.notify(notification('hook', { name: 'db-primary / lag' }))).muted).toBe(false);
  });

  it('a recurring cron window mutes a channel during its duration only', async () => {
    // Every minute for 59 s: open almost always; then a window that opened an hour ago for 1 s: closed.
    const open = await call('POST', '/_plugins/_lookout/mutes', { cron: { expression: '* * * * *', timezone: 'Europe/Paris' }, duration_seconds: 59.999, channels: ['slack'] });
    expect(open.status).toBe(201);
    const t = Date.now();
    if (t % 60_000 < 59_900) expect((await node.notifier.notify(notification('slack'))).muted).toBe(true);
    expect((await node.notifier.notify(notification('hook'))).muted).toBe(false);
    await call('DELETE', `/_plugins/_lookout/mutes/${open.body.id}`);
    const bad = await call('POST', '/_plugins/_lookout/mutes', { cron: { expression: 'nope' }, duration_seconds: 5 });
    expect(bad.status).toBe(400);
    const noEnd = await call('POST', '/_plugins/_lookout/mutes', { names: ['x'] });
    expect(noEnd.status).toBe(400);
  });
});
