// The append-only file of JSON lines that ingest/ and alarms/ keep beside the engine: Firehose's
// request-id log, the metric alarm journal and the notification outbox. An append is on disk
// (fdatasync) before it resolves; compaction rewrites the file atomically. The records are the caller's.

import { closeSync, existsSync, fdatasync, fdatasyncSync, fsyncSync, mkdirSync, openSync, readFileSync, renameSync, truncateSync, write, writeSync } from 'node:fs';
import { dirname } from 'node:path';

interface Waiter {
  resolve: () => void;
  reject: (err: Error) => void;
}

/**
 * One journal file opened for appending. Asynchronous appends queued while an fdatasync runs share the
 * next one (group commit), so a burst of callers pays for one sync.
 */
export class DurableJournal {
  private fd: number;
  private queued: string[] = [];
  private waiters: Waiter[] = [];
  private draining: Promise<void> | null = null;

  /**
   * Opens (creating) the file and returns it with its complete lines, oldest first; empty lines are
   * skipped. Bytes after the last newline are a torn append from a crash (never acknowledged): they
   * are cut from the file so the next append starts on a line of its own.
   */
  static open(path: string): { journal: DurableJournal; lines: string[] } {
    mkdirSync(dirname(path), { recursive: true });
    let lines: string[] = [];
    if (existsSync(path)) {
      const text = readFileSync(path, 'utf8');
      const end = text.lastIndexOf('\n') + 1;
      if (end < text.length) truncateSync(path, Buffer.byteLength(text.slice(0, end)));
      lines = text.slice(0, end).split('\n').filter((l) => l !== '');
      return { journal: new DurableJournal(path), lines };
    }
    const journal = new DurableJournal(path);
    fsyncDir(dirname(path)); // the new file's directory entry must survive a power loss too
    return { journal, lines };
  }

  private constructor(readonly path: string) {
    this.fd = openSync(path, 'a');
  }

  /** True while appends are being written or synced (a rewrite must wait until this is false). */
  get busy(): boolean {
    return this.draining !== null;
  }

  /** Appends text (whole lines, each ending in `\n`); resolves once it is on disk. */
  append(text: string): Promise<void> {
    return new Promise((resolve, reject) => {
      this.queued.push(text);
      this.waiters.push({ resolve, reject });
      if (!this.draining) this.draining = this.drain();
    });
  }

  /** Appends text and syncs it before returning (for callers that must not yield in between). */
  appendSync(text: string): void {
    writeSync(this.fd, text);
    fdatasyncSync(this.fd);
  }

  /** Resolves once every queued append has been written and synced (or has failed). */
  async whenIdle(): Promise<void> {
    while (this.draining) await this.draining;
  }

  /**
   * Replaces the whole file with these chunks of lines: a temporary file is written and fsynced, renamed
   * over the journal and the directory fsynced, so a crash leaves either the old file or the new one.
   * Synchronous; only while no append is in flight.
   */
  rewrite(chunks: Iterable<string>): void {
    if (this.busy) throw new Error(`journal ${this.path} is rewritten while appends are in flight`);
    const tmp = `${this.path}.tmp`;
    const fd = openSync(tmp, 'w');
    try {
      for (const chunk of chunks) writeSync(fd, chunk);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    closeSync(this.fd);
    renameSync(tmp, this.path);
    fsyncDir(dirname(this.path));
    this.fd = openSync(this.path, 'a');
  }

  /** Closes the file (queued appends are not waited for: see `whenIdle`). */
  close(): void {
    closeSync(this.fd);
  }

  /** Writes every queued text with one write and one fdatasync, until the queue stays empty. */
  private async drain(): Promise<void> {
    while (this.queued.length > 0) {
      const text = this.queued.join('');
      const waiters = this.waiters;
      this.queued = [];
      this.waiters = [];
      try {
        await appendAndSync(this.fd, text);
        for (const w of waiters) w.resolve();
      } catch (err) {
        for (const w of waiters) w.reject(err as Error);
      }
    }
    this.draining = null;
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

function fsyncDir(dir: string): void {
  const fd = openSync(dir, 'r');
  fsyncSync(fd);
  closeSync(fd);
}
