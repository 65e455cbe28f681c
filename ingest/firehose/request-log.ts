// The Firehose request-id dedupe log: which deliveries were acknowledged, and with what timestamp, so a
// retry of the same request id (Firehose retries for up to 2 h, also after our restart) gets the same
// answer and indexes nothing twice (specs/aws.md §1.4). An append-only file of JSON lines in the data
// dir, fsynced before the 200 is sent (group commit: concurrent deliveries share one fdatasync), with
// entries expiring after a TTL, a cap on their number, and compaction by rewrite-and-rename.

import { join } from 'node:path';
import { DurableJournal } from '../durable-journal.ts';

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

  /** Records an acknowledgement; resolves once it is on disk (fdatasync). */
  async record(requestId: string, timestamp: number): Promise<void> {
    const ack = { timestamp, at: this.now() };
    this.recording++;
    try {
      await this.journal.append(JSON.stringify({ id: requestId, ts: ack.timestamp, at: ack.at }) + '\n');
    } finally {
      this.recording--;
    }
    this.fileLines++;
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
      let e: { id?: unknown; ts?: unknown; at?: unknown };
      try {
        e = JSON.parse(line);
      } catch {
        continue; // a damaged line: that delivery was never acknowledged
      }
      if (typeof e.id !== 'string' || typeof e.ts !== 'number' || typeof e.at !== 'number' || e.at + this.ttlMs < now) continue;
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
