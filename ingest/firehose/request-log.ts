// The Firehose request-id dedupe log: which deliveries were acknowledged, and with what timestamp, so a
// retry of the same request id (Firehose retries for up to 2 h, also after our restart) gets the same
// answer and indexes nothing twice (specs/aws.md §1.4). An append-only file of JSON lines in the data
// dir, fsynced before the 200 is sent (group commit: concurrent deliveries share one fdatasync), with
// entries expiring after a TTL, a cap on their number, and compaction by rewrite-and-rename.

import { closeSync, existsSync, fdatasync, fsyncSync, mkdirSync, openSync, readFileSync, renameSync, truncateSync, write, writeSync } from 'node:fs';
import { dirname, join } from 'node:path';

/** What was answered for a delivered request id. */
export interface Acknowledgement {
  /** The `timestamp` of the original 200 response (sent again verbatim on a retry). */
  timestamp: number;
  /** When it was recorded (ms), for expiry. */
  at: number;
}

interface Waiter {
  line: string;
  resolve: () => void;
  reject: (err: Error) => void;
}

export class RequestLog {
  private readonly entries = new Map<string, Acknowledgement>();
  private fd: number;
  /** Lines in the file (live or not), to decide when to compact. */
  private fileLines = 0;
  private queue: Waiter[] = [];
  private flushing = false;

  constructor(
    private readonly path: string,
    private readonly ttlMs: number,
    private readonly maxEntries: number,
    private readonly now: () => number = Date.now,
  ) {
    mkdirSync(dirname(path), { recursive: true });
    this.load();
    this.fd = openSync(path, 'a');
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

  get size(): number {
    return this.entries.size;
  }

  /** Records an acknowledgement; resolves once it is on disk (fdatasync). */
  async record(requestId: string, timestamp: number): Promise<void> {
    const ack = { timestamp, at: this.now() };
    await this.append(JSON.stringify({ id: requestId, ts: ack.timestamp, at: ack.at }) + '\n');
    this.entries.delete(requestId); // re-insert at the end: Map order is expiry order
    this.entries.set(requestId, ack);
    this.evict();
    if (this.fileLines > 10_000 && this.fileLines > 2 * this.entries.size && !this.flushing) this.compact();
  }

  close(): void {
    closeSync(this.fd);
  }

  private append(line: string): Promise<void> {
    return new Promise((resolve, reject) => {
      this.queue.push({ line, resolve, reject });
      if (!this.flushing) void this.drain();
    });
  }

  /** Writes every queued line with one write and one fdatasync, until the queue stays empty. */
  private async drain(): Promise<void> {
    this.flushing = true;
    while (this.queue.length > 0) {
      const batch = this.queue;
      this.queue = [];
      const buf = Buffer.from(batch.map((w) => w.line).join(''));
      try {
        await new Promise<void>((res, rej) => write(this.fd, buf, 0, buf.length, null, (err) => (err ? rej(err) : res())));
        await new Promise<void>((res, rej) => fdatasync(this.fd, (err) => (err ? rej(err) : res())));
        this.fileLines += batch.length;
        for (const w of batch) w.resolve();
      } catch (err) {
        for (const w of batch) w.reject(err as Error);
      }
    }
    this.flushing = false;
  }

  private load(): void {
    if (!existsSync(this.path)) return;
    const now = this.now();
    const text = readFileSync(this.path, 'utf8');
    // A torn tail (crash while appending) was never acknowledged: cut it so the next line starts clean.
    const end = text.lastIndexOf('\n') + 1;
    if (end < text.length) truncateSync(this.path, Buffer.byteLength(text.slice(0, end)));
    for (const line of text.slice(0, end).split('\n')) {
      if (line === '') continue;
      this.fileLines++;
      let e: { id?: unknown; ts?: unknown; at?: unknown };
      try {
        e = JSON.parse(line);
      } catch {
        continue; // a torn last line from a crash: that delivery was never acknowledged
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

  /** Rewrites the file with the live entries only (temp file, fsync, rename, fsync of the directory). */
  private compact(): void {
    const tmp = `${this.path}.tmp`;
    const lines: string[] = [];
    for (const [id, e] of this.entries) lines.push(JSON.stringify({ id, ts: e.timestamp, at: e.at }) + '\n');
    const fd = openSync(tmp, 'w');
    writeSync(fd, lines.join(''));
    fsyncSync(fd);
    closeSync(fd);
    renameSync(tmp, this.path);
    const dirFd = openSync(dirname(this.path), 'r');
    fsyncSync(dirFd);
    closeSync(dirFd);
    closeSync(this.fd);
    this.fd = openSync(this.path, 'a');
    this.fileLines = lines.length;
  }
}
