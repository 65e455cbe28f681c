// The Firehose request-id dedupe log: which deliveries were acknowledged, and with what timestamp, so a
// retry of the same request id (Firehose retries for up to 2 h, also after our restart) gets the same
// answer and indexes nothing twice (specs/aws.md §1.4). An append-only file of JSON lines in the data
// dir, fsynced before the 200 is sent (group commit: concurrent deliveries share one fdatasync), with
// entries expiring after a TTL, a cap on their number, and compaction by rewrite-and-rename.
//
// An entry is written while the delivery's records are being made durable, not after: so it may reach
// the disk first, and a crash (a power loss: the engine hands records to the OS before the entry is
// written) could leave an entry whose records are gone. Each entry therefore carries where its records
// went (WriteMark: index, shard, sequence number), and on open an entry whose shard did not recover that
// far is dropped, so the retry stores the records again.

import { join } from 'node:path';
import { DurableJournal } from '../durable-journal.ts';
import type { WriteMark } from '../document-sink.ts';

/** What was answered for a delivered request id. */
export interface Acknowledgement {
  /** The `timestamp` of the original 200 response (sent again verbatim on a retry). */
  timestamp: number;
  /** When it was recorded (ms), for expiry. */
  at: number;
}

/** The acknowledged request ids of one node, remembered across restarts. */
export class RequestLog {
  private readonly entries = new Map<string, Acknowledgement>();
  private readonly journal: DurableJournal;
  /** Lines in the file (live or not), to decide when to compact. */
  private fileLines = 0;
  /** Records appended but not yet in `entries`; a compaction must wait for 0 or it would drop them. */
  private recording = 0;

  constructor(
    path: string,
    private readonly ttlMs: number,
    private readonly maxEntries: number,
    private readonly now: () => number = Date.now,
    /** Whether records so marked survived the last run (see the file comment); every entry is trusted without it. */
    private readonly survived: (marks: WriteMark[]) => boolean = () => true,
  ) {
    const { journal, lines } = DurableJournal.open(path);
    this.journal = journal;
    this.load(lines);
  }

  /** `<dataDir>/firehose/request-ids.log`. */
  static pathIn(dataDir: string): string {
    return join(dataDir, 'firehose', 'request-ids.log');
  }

  /** The acknowledgement of a request id still remembered, or undefined. */
  get(requestId: string): Acknowledgement | undefined {
    const e = this.entries.get(requestId);
    if (e && e.at + this.ttlMs < this.now()) {
      this.entries.delete(requestId);
      return undefined;
    }
    return e;
  }

  /** How many request ids are remembered. */
  get size(): number {
    return this.entries.size;
  }

  /**
   * Records an acknowledgement; resolves once it is on disk (fdatasync). With `stored` (the records'
   * durability, made at the same time) the id is remembered only once that resolved too: a delivery
   * whose records failed is not answered as delivered. `marks`: where its records went.
   */
  async record(requestId: string, timestamp: number, marks: WriteMark[] = [], stored: Promise<unknown> = Promise.resolve()): Promise<void> {
    const ack = { timestamp, at: this.now() };
    let ok: boolean;
    // Until the records' fate is known too: a compaction meanwhile would drop the line just written.
    this.recording++;
    try {
      const line = JSON.stringify(marks.length > 0 ? { id: requestId, ts: ack.timestamp, at: ack.at, w: marks } : { id: requestId, ts: ack.timestamp, at: ack.at });
      [ok] = await Promise.all([stored.then(() => true, () => false), this.journal.append(line + '\n')]);
    } finally {
      this.recording--;
    }
    this.fileLines++;
    if (!ok) return;
    this.entries.delete(requestId); // re-insert at the end: Map order is expiry order
    this.entries.set(requestId, ack);
    this.evict();
    if (this.fileLines > 10_000 && this.fileLines > 2 * this.entries.size && this.recording === 0) this.compact();
  }

  /** Closes the file. */
  close(): void {
    this.journal.close();
  }

  private load(lines: string[]): void {
    const now = this.now();
    for (const line of lines) {
      this.fileLines++;
      let e: { id?: unknown; ts?: unknown; at?: unknown; w?: unknown };
      try {
        e = JSON.parse(line);
      } catch {
        continue; // a damaged line: that delivery was never acknowledged
      }
      if (typeof e.id !== 'string' || typeof e.ts !== 'number' || typeof e.at !== 'number' || e.at + this.ttlMs < now) continue;
      if (Array.isArray(e.w) && !this.survived(e.w as WriteMark[])) continue; // its records are gone: not delivered
      this.entries.delete(e.id);
      this.entries.set(e.id, { timestamp: e.ts, at: e.at });
    }
    this.evict();
  }

  /** Forgets the oldest entries beyond the cap, and expired ones at the head. */
  private evict(): void {
    const now = this.now();
    for (const [id, e] of this.entries) {
      if (this.entries.size <= this.maxEntries && e.at + this.ttlMs >= now) break;
      this.entries.delete(id);
    }
  }

  /** Rewrites the file with the live entries only. */
  private compact(): void {
    const lines: string[] = [];
    for (const [id, e] of this.entries) lines.push(JSON.stringify({ id, ts: e.timestamp, at: e.at }) + '\n');
    this.journal.rewrite([lines.join('')]);
    this.fileLines = lines.length;
  }
}
