// Durable storage of metric alarms, their state and their history: an append-only journal of JSON lines
// in the data directory, fdatasync'ed before a write resolves (group commit: writes queued while one
// sync runs share the next). On open the journal is replayed (a torn last line is cut) and rewritten
// compactly; it is compacted again whenever it grows well beyond what it describes.

import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { DurableJournal } from '../../ingest/durable-journal.ts';
import type { AlarmConfig, AlarmStatus, HistoryItem } from './alarm-types.ts';

/** One journal record. */
export type JournalRecord =
  | { op: 'put'; config: AlarmConfig; status: AlarmStatus }
  | { op: 'status'; name: string; status: AlarmStatus }
  | { op: 'delete'; name: string }
  | { op: 'history'; item: HistoryItem };

/** An alarm as kept: what PutMetricAlarm said and where evaluation has taken it. */
export interface StoredAlarm {
  config: AlarmConfig;
  status: AlarmStatus;
}

/** Options of an AlarmStore. */
export interface AlarmStoreOptions {
  /** How long history is kept (AWS: about two weeks), ms. */
  historyRetentionMs?: number;
  /** Clock, for retention. */
  now?: () => number;
}

const TWO_WEEKS = 14 * 24 * 3600 * 1000;

/** The alarms, their state and their history of one node, in memory and in the journal. */
export class AlarmStore {
  /** Alarms by name, in memory; the journal is the durable copy. */
  readonly alarms = new Map<string, StoredAlarm>();
  /** History, oldest first (also of deleted alarms). */
  history: HistoryItem[] = [];
  private readonly path: string;
  private journal: DurableJournal | null = null;
  private linesSinceCompaction = 0;
  private readonly retentionMs: number;
  private readonly now: () => number;

  constructor(dir: string, opts: AlarmStoreOptions = {}) {
    mkdirSync(dir, { recursive: true });
    this.path = join(dir, 'metric-alarms.journal');
    this.retentionMs = opts.historyRetentionMs ?? TWO_WEEKS;
    this.now = opts.now ?? Date.now;
  }

  /** Replays the journal into memory and rewrites it compactly (once; later calls do nothing). */
  open(): void {
    if (this.journal) return;
    const { journal, lines } = DurableJournal.open(this.path);
    this.journal = journal;
    for (let i = 0; i < lines.length; i++) {
      let record: JournalRecord;
      try {
        record = JSON.parse(lines[i]) as JournalRecord;
      } catch {
        // A torn tail (crash mid-append) is cut; anything before it must be intact.
        if (i === lines.length - 1) break;
        throw new Error(`alarm journal ${this.path} is corrupted at line ${i + 1}`);
      }
      this.apply(record);
    }
    this.compact();
  }

  /** Applies records in memory now and resolves once they are durable. */
  async write(records: JournalRecord[]): Promise<void> {
    if (records.length === 0) return;
    if (!this.journal) throw new Error('alarm journal is not open');
    for (const r of records) this.apply(r);
    this.linesSinceCompaction += records.length;
    await this.journal.append(records.map((r) => JSON.stringify(r) + '\n').join(''));
    // Memory already holds every record, so any moment without an append in flight may compact.
    if (!this.journal.busy && this.linesSinceCompaction > 2 * (this.alarms.size + this.history.length) + 10_000) this.compact();
  }

  /** Waits for queued writes, then closes the journal. */
  async close(): Promise<void> {
    if (!this.journal) return;
    await this.journal.whenIdle();
    this.journal.close();
    this.journal = null;
  }

  private apply(r: JournalRecord): void {
    switch (r.op) {
      case 'put':
        this.alarms.set(r.config.AlarmName, { config: r.config, status: r.status });
        break;
      case 'status': {
        const a = this.alarms.get(r.name);
        if (a) a.status = r.status;
        break;
      }
      case 'delete':
        this.alarms.delete(r.name);
        break;
      case 'history':
        this.history.push(r.item);
        break;
      default: {
        const never: never = r;
        throw new Error(`unknown journal record ${JSON.stringify(never)}`);
      }
    }
  }

  /** Writes the live alarms and retained history to a new journal and swaps it in atomically. */
  private compact(): void {
    const cutoff = this.now() - this.retentionMs;
    this.history = this.history.filter((h) => h.Timestamp >= cutoff);
    this.journal!.rewrite(this.compactChunks());
    this.linesSinceCompaction = 0;
  }

  /** The compacted journal's lines, a thousand to a chunk. */
  private *compactChunks(): Generator<string> {
    const chunk: string[] = [];
    for (const { config, status } of this.alarms.values()) {
      chunk.push(JSON.stringify({ op: 'put', config, status } satisfies JournalRecord) + '\n');
      if (chunk.length >= 1000) yield chunk.splice(0).join('');
    }
    for (const item of this.history) {
      chunk.push(JSON.stringify({ op: 'history', item } satisfies JournalRecord) + '\n');
      if (chunk.length >= 1000) yield chunk.splice(0).join('');
    }
    yield chunk.join('');
  }
}
