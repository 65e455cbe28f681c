// The notifier: checks mute windows, writes each decided notification to the durable outbox, and
// delivers it at least once over HTTP (Node's fetch) with exponential backoff and full jitter on
// 5xx/429/timeouts/connection errors, never on other 4xx. Notifications about the same subject on the
// same channel go out in order (a resolve never overtakes its trigger).

import { randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import type { DocumentSink } from '../../ingest/document-sink.ts';
import { ChannelStore, channelNotFound } from './channels.ts';
import { buildRequest } from './channel-payloads.ts';
import { MuteStore } from './mutes.ts';
import type { AlertNotification, Notifier } from './notifier.ts';
import { Outbox, outboxPath, type DeliveryAttempt, type OutboxEntry } from './outbox.ts';

/** Retry policy (config `notifications.retry.*`). */
export interface RetryPolicy {
  /** Attempts before a notification is given up as failed. */
  maxAttempts: number;
  initialBackoffMs: number;
  maxBackoffMs: number;
  /** Per-request timeout. */
  timeoutMs: number;
  /** Deliveries in flight at once. */
  concurrency: number;
}

export const DEFAULT_RETRY: RetryPolicy = { maxAttempts: 12, initialBackoffMs: 1000, maxBackoffMs: 5 * 60_000, timeoutMs: 10_000, concurrency: 16 };

/**
 * Fault-injection point for the durability test: when this environment variable is `1`, the process
 * kills itself with SIGKILL right after a receiver's 2xx and before the delivery is recorded.
 */
export const FAULT_KILL_AFTER_2XX = 'LOOKOUT_FAULT_KILL_AFTER_DELIVERY_2XX';

export interface NotificationServiceOptions {
  dataDir: string;
  sink: DocumentSink;
  retry?: Partial<RetryPolicy>;
  logger?: Logger;
  now?: () => number;
  /** Random in [0,1) for jitter; tests may pin it. */
  random?: () => number;
}

/** Backoff before attempt `attempt + 1`: full jitter over an exponentially growing cap. */
export function backoffMs(policy: RetryPolicy, attempt: number, random: () => number): number {
  const cap = Math.min(policy.maxBackoffMs, policy.initialBackoffMs * 2 ** (attempt - 1));
  return Math.round(cap / 2 + (random() * cap) / 2);
}

/** Whether an HTTP status is worth retrying. */
export function retryableStatus(status: number): boolean {
  return status === 429 || status === 408 || status >= 500;
}

/** The Notifier of a node: channels, mutes, the durable outbox and the delivery loop with retries. */
export class NotificationService implements Notifier {
  readonly channels: ChannelStore;
  readonly mutes: MuteStore;
  readonly outbox: Outbox;
  private readonly retry: RetryPolicy;
  private readonly now: () => number;
  private readonly random: () => number;
  private readonly logger?: Logger;
  /** Per (channel, dedup key) FIFO of pending ids; only the head is being delivered. */
  private readonly lanes = new Map<string, string[]>();
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly inFlight = new Set<Promise<void>>();
  /** Deliveries whose time has come, waiting for a free slot. */
  private readonly ready: string[] = [];
  private stopped = true;

  constructor(opts: NotificationServiceOptions) {
    this.channels = new ChannelStore(opts.sink);
    this.mutes = new MuteStore(opts.sink);
    this.outbox = new Outbox(outboxPath(opts.dataDir));
    this.retry = { ...DEFAULT_RETRY, ...Object.fromEntries(Object.entries(opts.retry ?? {}).filter(([, v]) => v !== undefined)) };
    this.now = opts.now ?? Date.now;
    this.random = opts.random ?? Math.random;
    this.logger = opts.logger;
  }

  /** Loads channels and mutes, replays the outbox and resumes every pending delivery. */
  async start(): Promise<void> {
    await this.channels.load();
    await this.mutes.load();
    const pending = this.outbox.open();
    this.stopped = false;
    for (const e of pending) this.enlane(e);
  }

  /** Stops scheduling; in-flight requests finish (their outcome is still recorded). */
  async stop(): Promise<void> {
    this.stopped = true;
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
    this.ready.length = 0;
    await Promise.allSettled([...this.inFlight]);
    this.lanes.clear();
    this.outbox.close();
  }

  async notify(n: AlertNotification): Promise<{ muted: boolean; notificationId?: string }> {
    const id = randomUUID();
    const at = this.now();
    const mute = this.mutes.mutedBy(n, at);
    if (mute) {
      this.outbox.muted(id, n, at, mute.id);
      return { muted: true, notificationId: id };
    }
    const entry = this.outbox.enqueue(id, n, at);
    if (!this.stopped) this.enlane(entry);
    return { muted: false, notificationId: id };
  }

  /**
   * Sends a test message to a channel now, once, outside the outbox (a test is not an incident):
   * `GET /_plugins/_notifications/feature/test/<id>`. Resolves with the receiver's status and text.
   */
  async sendTest(channelId: string): Promise<{ status: number; text: string }> {
    const channel = this.channels.get(channelId);
    if (!channel) throw channelNotFound(channelId);
    const now = this.now();
    const id = randomUUID();
    const n: AlertNotification = {
      channelId, kind: 'trigger', source: 'monitor', name: 'Test message', dedupKey: `test:${channelId}:${id}`, idempotencyKey: `test:${id}`,
      state: 'TEST', previousState: 'NONE', reason: `Test message for channel [${channel.config.name}]`, time: now, severity: 'info',
    };
    const req = buildRequest(channel, id, n, 1);
    try {
      const res = await fetch(req.url, { method: req.method, headers: req.headers, body: req.body, signal: AbortSignal.timeout(this.retry.timeoutMs), redirect: 'manual' });
      return { status: res.status, text: (await res.text().catch(() => '')).slice(0, 500) };
    } catch (err) {
      const cause = (err as { cause?: { code?: string; message?: string } }).cause;
      return { status: 503, text: `${cause?.code ?? (err as Error).name}: ${cause?.message ?? (err as Error).message}` };
    }
  }

  /** Delivery log entries, newest first, filtered as the API asks. */
  log(filter: { channel?: string; source?: string; name?: string; status?: string; dedupKey?: string } = {}): OutboxEntry[] {
    return this.outbox.list().filter((e) => {
      const n = e.notification;
      return (!filter.channel || n.channelId === filter.channel) && (!filter.source || n.source === filter.source) &&
        (!filter.name || n.name === filter.name) && (!filter.status || e.status === filter.status) && (!filter.dedupKey || n.dedupKey === filter.dedupKey);
    });
  }

  /** Resolves when nothing is pending or in flight (tests and graceful shutdown). */
  async idle(timeoutMs = 10_000): Promise<boolean> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      if (this.outbox.pending().length === 0 && this.inFlight.size === 0 && this.ready.length === 0) return true;
      await new Promise((r) => setTimeout(r, 10));
    }
    return false;
  }

  private laneKey(n: AlertNotification): string {
    return `${n.channelId}\u0000${n.dedupKey}`;
  }

  private enlane(e: OutboxEntry): void {
    const key = this.laneKey(e.notification);
    const lane = this.lanes.get(key);
    if (lane) {
      lane.push(e.id);
      return;
    }
    this.lanes.set(key, [e.id]);
    this.schedule(e.id, 0);
  }

  private schedule(id: string, delayMs: number): void {
    if (this.stopped) return;
    const t = setTimeout(() => {
      this.timers.delete(t);
      this.ready.push(id);
      this.pump();
    }, delayMs);
    this.timers.add(t);
  }

  /** Starts due deliveries, at most `concurrency` at a time (one socket each to the receivers). */
  private pump(): void {
    while (!this.stopped && this.inFlight.size < this.retry.concurrency && this.ready.length > 0) {
      const id = this.ready.shift()!;
      const p = this.deliver(id).catch((err) => this.logger?.error({ err, id }, 'notification delivery crashed'));
      this.inFlight.add(p);
      void p.finally(() => {
        this.inFlight.delete(p);
        this.pump();
      });
    }
  }

  /** One attempt; schedules the next attempt or the next notification in the lane. */
  private async deliver(id: string): Promise<void> {
    const e = this.outbox.get(id);
    if (!e || e.status !== 'pending' || this.stopped) return;
    const attemptNo = e.attempts.length + 1;
    const a = await this.attemptOnce(e, attemptNo);
    if (this.stopped && a.outcome === 'retry') return; // recorded on the next start's replay
    if (a.outcome === 'retry' && attemptNo >= this.retry.maxAttempts) a.outcome = 'failed';
    if (a.outcome === 'retry') {
      const wait = a.next_attempt_time! - this.now();
      this.outbox.attempt(id, a);
      this.schedule(id, Math.max(0, wait));
      return;
    }
    delete a.next_attempt_time;
    this.outbox.attempt(id, a);
    if (a.outcome === 'failed') this.logger?.warn({ id, channel: e.notification.channelId, error: a.error, status: a.status_code }, 'notification failed permanently');
    this.advanceLane(e.notification);
  }

  private advanceLane(n: AlertNotification): void {
    const key = this.laneKey(n);
    const lane = this.lanes.get(key);
    if (!lane) return;
    lane.shift();
    if (lane.length === 0) this.lanes.delete(key);
    else this.schedule(lane[0], 0);
  }

  private async attemptOnce(e: OutboxEntry, attemptNo: number): Promise<DeliveryAttempt> {
    const started = this.now();
    const n = e.notification;
    const channel = this.channels.get(n.channelId);
    if (!channel) return { attempt: attemptNo, time: started, latency_ms: 0, outcome: 'failed', error: `channel [${n.channelId}] not found` };
    if (!channel.config.is_enabled) return { attempt: attemptNo, time: started, latency_ms: 0, outcome: 'failed', error: `channel [${n.channelId}] is disabled` };
    const req = buildRequest(channel, e.id, n, attemptNo);
    const t0 = performance.now();
    const retryAt = () => started + backoffMs(this.retry, attemptNo, this.random);
    try {
      const res = await fetch(req.url, { method: req.method, headers: req.headers, body: req.body, signal: AbortSignal.timeout(this.retry.timeoutMs), redirect: 'manual' });
      const text = await res.text().catch(() => '');
      const latency = Math.round(performance.now() - t0);
      if (res.status >= 200 && res.status < 300) {
        if (process.env[FAULT_KILL_AFTER_2XX] === '1') process.kill(process.pid, 'SIGKILL');
        return { attempt: attemptNo, time: started, status_code: res.status, latency_ms: latency, outcome: 'delivered' };
      }
      const error = `HTTP ${res.status}: ${text.slice(0, 200)}`;
      if (!retryableStatus(res.status)) return { attempt: attemptNo, time: started, status_code: res.status, latency_ms: latency, outcome: 'failed', error };
      let next = retryAt();
      const retryAfter = Number(res.headers.get('retry-after'));
      if (res.status === 429 && Number.isFinite(retryAfter) && retryAfter > 0) next = Math.max(next, started + Math.min(retryAfter * 1000, this.retry.maxBackoffMs));
      return { attempt: attemptNo, time: started, status_code: res.status, latency_ms: latency, outcome: 'retry', error, next_attempt_time: next };
    } catch (err) {
      const latency = Math.round(performance.now() - t0);
      const cause = (err as { cause?: { code?: string; message?: string } }).cause;
      const error = (err as Error).name === 'TimeoutError' ? `timeout after ${this.retry.timeoutMs} ms` : `${cause?.code ?? (err as Error).name}: ${cause?.message ?? (err as Error).message}`;
      // Network failures come with a cause (ECONNREFUSED, ECONNRESET, …) and are retried; a request
      // fetch refuses outright (a blocked port, a malformed URL) is a configuration error.
      const permanent = !cause && (err as Error).name !== 'TimeoutError' && (err as Error).name !== 'AbortError';
      if (permanent) return { attempt: attemptNo, time: started, latency_ms: latency, outcome: 'failed', error };
      return { attempt: attemptNo, time: started, latency_ms: latency, outcome: 'retry', error, next_attempt_time: retryAt() };
    }
  }
}
