// The durable outbox: an append-only NDJSON file of what was decided and what happened to it. A
// notification is appended (and fdatasync'ed) before `notify` resolves; each delivery attempt and the
// final outcome are appended too. Replaying the file on start yields the pending notifications (to
// deliver again) and the delivery log the API shows. A torn last line (crash mid-append) is ignored.

import { closeSync, existsSync, fdatasyncSync, fsyncSync, mkdirSync, openSync, readFileSync, renameSync, writeSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { AlertNotification } from './notifier.ts';

export type DeliveryStatus = 'pending' | 'delivered' | 'failed' | 'muted';

/** One HTTP attempt. */
export interface DeliveryAttempt {
  attempt: number;
  time: number;
  status_code?: number;
  latency_ms: number;
  error?: string;
  /** `retry` = will be retried, `delivered`, `failed` = permanent. */
  outcome: 'delivered' | 'retry' | 'failed';
  next_attempt_time?: number;
}

/** A notification and its delivery history (the delivery log entry). */
export interface OutboxEntry {
  id: string;
  notification: AlertNotification;
  created_time: number;
  status: DeliveryStatus;
  attempts: DeliveryAttempt[];
  delivered_time?: number;
  muted_by?: string;
}

type Record_ =
  | { op: 'enqueue'; id: string; at: number; n: AlertNotification }
  | { op: 'muted'; id: string; at: number; n: AlertNotification; by: string }
  | { op: 'attempt'; id: string; a: DeliveryAttempt };

/** Keeps at most this many finished entries in memory (and in the file after compaction). */
const KEEP_FINISHED = 5_000;

export class Outbox {
  private fd = -1;
  private readonly entries = new Map<string, OutboxEntry>();
  private appendedSinceCompact = 0;

  constructor(readonly path: string) {}

  /** Opens the file and replays it. Returns the entries still pending, oldest first. */
  open(): OutboxEntry[] {
    mkdirSync(dirname(this.path), { recursive: true });
    this.entries.clear();
    if (!existsSync(this.path)) {
      this.fd = openSync(this.path, 'a');
      fsyncDir(dirname(this.path)); // the new file's directory entry must survive a power loss too
      return [];
    }
    {
      const lines = readFileSync(this.path, 'utf8').split('\n');
      for (const line of lines) {
        if (!line) continue;
        let r: Record_;
        try {
          r = JSON.parse(line) as Record_;
        } catch {
          continue; // a torn tail from a crash mid-append: the record was never acknowledged
        }
        this.apply(r);
      }
    }
    this.compact();
    return this.pending();
  }

  close(): void {
    if (this.fd >= 0) closeSync(this.fd);
    this.fd = -1;
  }

  /** Records a decided notification durably. */
  enqueue(id: string, n: AlertNotification, at: number): OutboxEntry {
    this.append({ op: 'enqueue', id, at, n });
    return this.entries.get(id)!;
  }

  /** Records a muted notification (shown in the delivery log, never sent). */
  muted(id: string, n: AlertNotification, at: number, by: string): OutboxEntry {
    this.append({ op: 'muted', id, at, n, by });
    return this.entries.get(id)!;
  }

  /** Records an attempt; a `delivered` attempt is durable before this returns, so it is never repeated. */
  attempt(id: string, a: DeliveryAttempt): void {
    this.append({ op: 'attempt', id, a });
  }

  get(id: string): OutboxEntry | undefined {
    return this.entries.get(id);
  }

  /** Every entry, newest first. */
  list(): OutboxEntry[] {
    return [...this.entries.values()].reverse();
  }

  pending(): OutboxEntry[] {
    return [...this.entries.values()].filter((e) => e.status === 'pending');
  }

  private apply(r: Record_): void {
    if (r.op === 'enqueue') {
      this.entries.set(r.id, { id: r.id, notification: r.n, created_time: r.at, status: 'pending', attempts: [] });
    } else if (r.op === 'muted') {
      this.entries.set(r.id, { id: r.id, notification: r.n, created_time: r.at, status: 'muted', attempts: [], muted_by: r.by });
    } else {
      const e = this.entries.get(r.id);
      if (!e) return;
      e.attempts.push(r.a);
      if (r.a.outcome === 'delivered') {
        e.status = 'delivered';
        e.delivered_time = r.a.time;
      } else if (r.a.outcome === 'failed') {
        e.status = 'failed';
      }
    }
  }

  private append(r: Record_): void {
    if (this.fd < 0) throw new Error('outbox is not open');
    this.apply(r);
    writeSync(this.fd, JSON.stringify(r) + '\n');
    fdatasyncSync(this.fd);
    if (++this.appendedSinceCompact > KEEP_FINISHED * 4) this.compact();
  }

  /**
   * Rewrites the file with the pending entries and the most recent finished ones (write a temp file,
   * fsync, rename, fsync the directory), so the file does not grow without bound.
   */
  private compact(): void {
    const all = [...this.entries.values()];
    const finished = all.filter((e) => e.status !== 'pending');
    const drop = new Set(finished.slice(0, Math.max(0, finished.length - KEEP_FINISHED)).map((e) => e.id));
    for (const id of drop) this.entries.delete(id);
    const tmp = this.path + '.tmp';
    const fd = openSync(tmp, 'w');
    for (const e of this.entries.values()) {
      const first: Record_ = e.status === 'muted' ? { op: 'muted', id: e.id, at: e.created_time, n: e.notification, by: e.muted_by ?? '' } : { op: 'enqueue', id: e.id, at: e.created_time, n: e.notification };
      writeSync(fd, JSON.stringify(first) + '\n');
      for (const a of e.attempts) writeSync(fd, JSON.stringify({ op: 'attempt', id: e.id, a } satisfies Record_) + '\n');
    }
    fsyncSync(fd);
    closeSync(fd);
    if (this.fd >= 0) closeSync(this.fd);
    renameSync(tmp, this.path);
    fsyncDir(dirname(this.path));
    this.fd = openSync(this.path, 'a');
    this.appendedSinceCompact = 0;
  }
}

function fsyncDir(dir: string): void {
  const fd = openSync(dir, 'r');
  fsyncSync(fd);
  closeSync(fd);
}

/** Where a node keeps its outbox. */
export function outboxPath(dataDir: string): string {
  return join(dataDir, '_lookout', 'notifications-outbox.ndjson');
}
