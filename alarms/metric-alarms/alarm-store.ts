// Durable storage of metric alarms, their state and their history: an append-only journal of JSON lines
// in the data directory, fdatasync'ed before a write resolves (group commit: writes queued while one
// sync runs share the next). On open the journal is replayed (a torn last line is cut) and rewritten
// compactly; it is compacted again whenever it grows well beyond what it describes.

import { closeSync, existsSync, fdatasync, fsyncSync, mkdirSync, openSync, readFileSync, renameSync, write, writeSync } from 'node:fs';
import { join } from 'node:path';
import type { AlarmConfig, AlarmStatus, HistoryItem } from './alarm-types.ts';

/** One journal record. */
export type JournalRecord =
  | { op: 'put'; config: AlarmConfig; status: AlarmStatus }
  | { op: 'status'; name: string; status: AlarmStatus }
  | { op: 'delete'; name: string }
  | { op: 'history'; item: HistoryItem };

export interface StoredAlarm {
  config: AlarmConfig;
  status: AlarmStatus;
}

export interface AlarmStoreOptions {
  /** How long history is kept (AWS: about two weeks), ms. */
  historyRetentionMs?: number;
  /** Clock, for retention. */
  now?: () => number;
}

const TWO_WEEKS = 14 * 24 * 3600 * 1000;

export class AlarmStore {
  /** Alarms by name, in memory; the journal is the durable copy. */
  readonly alarms = new Map<string, StoredAlarm>();
  /** History, oldest first (also of deleted alarms). */
  history: HistoryItem[] = [];
  private readonly path: string;
  private fd = -1;
  private queued: string[] = [];
  private waiters: Array<{ resolve: () => void; reject: (e: Error) => void }> = [];
  private draining = false;
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
    if (this.fd >= 0) return;
    if (existsSync(this.path)) {
      const lines = readFileSync(this.path, 'utf8').split('\n');
      for (let i = 0; i < lines.length; i++) {
        if (lines[i] === '') continue;
        let record: JournalRecord;
        try {
          record = JSON.parse(lines[i]) as JournalRecord;
        } catch {
          // A torn tail (crash mid-append) is cut; anything before it must be intact.
          if (lines.slice(i + 1).every((l) => l === '')) break;
          throw new Error(`alarm journal ${this.path} is corrupted at line ${i + 1}`);
        }
        this.apply(record);
      }
    }
    this.compact();
  }

  /** Applies records in memory now and resolves once they are durable. */
  write(records: JournalRecord[]): Promise<void> {
    if (records.length === 0) return Promise.resolve();
    for (const r of records) this.apply(r);
    return new Promise((resolve, reject) => {
      this.queued.push(records.map((r) => JSON.stringify(r) + '\n').join(''));
      this.linesSinceCompaction += records.length;
      this.waiters.push({ resolve, reject });
      if (!this.draining) void this.drain();
    });
  }

  /** Waits for queued writes, then closes the journal. */
  async close(): Promise<void> {
    while (this.draining || this.queued.length > 0) await new Promise((r) => setTimeout(r, 5));
    if (this.fd >= 0) closeSync(this.fd);
    this.fd = -1;
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

  private async drain(): Promise<void> {
    this.draining = true;
    while (this.queued.length > 0) {
      const text = this.queued.join('');
      const waiters = this.waiters;
      this.queued = [];
      this.waiters = [];
      try {
        await appendAndSync(this.fd, text);
        if (this.linesSinceCompaction > 2 * (this.alarms.size + this.history.length) + 10_000) this.compact();
        for (const w of waiters) w.resolve();
      } catch (err) {
        for (const w of waiters) w.reject(err as Error);
      }
    }
    this.draining = false;
  }

  /** Writes the live alarms and retained history to a new journal and swaps it in atomically. */
  private compact(): void {
    const cutoff = this.now() - this.retentionMs;
    this.history = this.history.filter((h) => h.Timestamp >= cutoff);
    const tmp = `${this.path}.tmp`;
    const fd = openSync(tmp, 'w');
    const chunk: string[] = [];
    const flush = () => {
      writeSync(fd, chunk.join(''));
      chunk.length = 0;
    };
    for (const { config, status } of this.alarms.values()) {
      chunk.push(JSON.stringify({ op: 'put', config, status } satisfies JournalRecord) + '\n');
      if (chunk.length >= 1000) flush();
    }
    for (const item of this.history) {
      chunk.push(JSON.stringify({ op: 'history', item } satisfies JournalRecord) + '\n');
      if (chunk.length >= 1000) flush();
    }
    flush();
    fsyncSync(fd);
    closeSync(fd);
    if (this.fd >= 0) closeSync(this.fd);
    renameSync(tmp, this.path);
    const dirFd = openSync(join(this.path, '..'), 'r');
    fsyncSync(dirFd);
    closeSync(dirFd);
    this.fd = openSync(this.path, 'a');
    this.linesSinceCompaction = 0;
  }
}

function appendAndSync(fd: number, text: string): Promise<void> {
  const buf = Buffer.from(text, 'utf8');
  return new Promise((resolve, reject) => {
    const from = (offset: number) =>
      write(fd, buf, offset, buf.length - offset, null, (err, n) => {
        if (err) return reject(err);
        if (offset + n < buf.length) return from(offset + n);
        fdatasync(fd, (err2) => (err2 ? reject(err2) : resolve()));
      });
    from(0);
  });
}
