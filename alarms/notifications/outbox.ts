// The durable outbox: an append-only NDJSON file of what was decided and what happened to it. A
// notification is appended (and fdatasync'ed) before `notify` resolves; each delivery attempt and the
// final outcome are appended too. Replaying the file on start yields the pending notifications (to
// deliver again) and the delivery log the API shows. A torn last line (crash mid-append) is ignored.

import { join } from 'node:path';
import { DurableJournal } from '../../ingest/durable-journal.ts';
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

/** The outbox of one node: its file and the entries replayed from it. */
export class Outbox {
  private journal: DurableJournal | null = null;
  private readonly entries = new Map<string, OutboxEntry>();
  private appendedSinceCompact = 0;

  constructor(readonly path: string) {}

  /** Opens the file and replays it. Returns the entries still pending, oldest first. */
  open(): OutboxEntry[] {
    this.entries.clear();
    const { journal, lines } = DurableJournal.open(this.path);
    this.journal = journal;
    for (const line of lines) {
      let r: Record_;
      try {
        r = JSON.parse(line) as Record_;
      } catch {
        continue; // a damaged line: the record was never acknowledged
      }
      this.apply(r);
    }
    if (lines.length > 0) this.compact();
    return this.pending();
  }

  /** Closes the file. */
  close(): void {
    this.journal?.close();
    this.journal = null;
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

  /** The entry of a notification id, or undefined. */
  get(id: string): OutboxEntry | undefined {
    return this.entries.get(id);
  }

  /** Every entry, newest first. */
  list(): OutboxEntry[] {
    return [...this.entries.values()].reverse();
  }

  /** The entries still to deliver, oldest first. */
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
    if (!this.journal) throw new Error('outbox is not open');
    this.apply(r);
    this.journal.appendSync(JSON.stringify(r) + '\n');
    if (++this.appendedSinceCompact > KEEP_FINISHED * 4) this.compact();
  }

  /**
   * Rewrites the file with the pending entries and the most recent finished ones, so the file does not
   * grow without bound.
   */
  private compact(): void {
    const all = [...this.entries.values()];
    const finished = all.filter((e) => e.status !== 'pending');
    const drop = new Set(finished.slice(0, Math.max(0, finished.length - KEEP_FINISHED)).map((e) => e.id));
    for (const id of drop) this.entries.delete(id);
    const lines: string[] = [];
    for (const e of this.entries.values()) {
      const first: Record_ = e.status === 'muted' ? { op: 'muted', id: e.id, at: e.created_time, n: e.notification, by: e.muted_by ?? '' } : { op: 'enqueue', id: e.id, at: e.created_time, n: e.notification };
      lines.push(JSON.stringify(first) + '\n');
      for (const a of e.attempts) lines.push(JSON.stringify({ op: 'attempt', id: e.id, a } satisfies Record_) + '\n');
    }
    this.journal!.rewrite(lines);
    this.appendedSinceCompact = 0;
  }
}

/** Where a node keeps its outbox. */
export function outboxPath(dataDir: string): string {
  return join(dataDir, '_lookout', 'notifications-outbox.ndjson');
}
