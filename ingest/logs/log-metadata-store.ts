// Log groups and streams (creation times, retention, tags, first/last event timestamps, sequence
// tokens) kept in memory and persisted as one JSON file in the data directory, written to a temporary
// file, fsynced and renamed, so a restart (or a crash) finds the last acknowledged state.
// Saves are coalesced: callers that change metadata while a write is in flight share the next write.

import { open, rename } from 'node:fs/promises';
import { closeSync, existsSync, fsyncSync, openSync, readFileSync, renameSync, writeSync } from 'node:fs';

/** A log stream's metadata. */
export interface LogStreamMeta {
  creationTime: number;
  firstEventTimestamp?: number;
  lastEventTimestamp?: number;
  lastIngestionTime?: number;
  /** Incremented by every accepted PutLogEvents; rendered as `uploadSequenceToken`. */
  uploadSequence: number;
}

/** A log group's metadata and its streams. */
export interface LogGroupMeta {
  creationTime: number;
  retentionInDays?: number;
  logGroupClass: string;
  kmsKeyId?: string;
  deletionProtectionEnabled?: boolean;
  tags: Record<string, string>;
  streams: Map<string, LogStreamMeta>;
}

interface PersistedGroup extends Omit<LogGroupMeta, 'streams'> {
  streams: Record<string, LogStreamMeta>;
}

/** The file under the data directory that holds every group and stream. */
export const LOGS_META_FILE = 'logs-meta.json';

/** How long PutLogEvents' bookkeeping may wait before it is written. */
const SAVE_SOON_MS = 1000;

/** Every log group and stream of a node, in memory, saved durably as one file. */
export class LogMetadataStore {
  readonly groups = new Map<string, LogGroupMeta>();
  private queued: Promise<void> | null = null;
  private inFlight: Promise<void> | null = null;
  private soon: NodeJS.Timeout | null = null;

  constructor(private readonly path: string) {
    if (existsSync(path)) {
      const parsed = JSON.parse(readFileSync(path, 'utf8')) as { groups: Record<string, PersistedGroup> };
      for (const [name, g] of Object.entries(parsed.groups ?? {})) {
        this.groups.set(name, { ...g, streams: new Map(Object.entries(g.streams ?? {})) });
      }
    }
  }

  /** The group, or undefined. */
  group(name: string): LogGroupMeta | undefined {
    return this.groups.get(name);
  }

  /**
   * Persists the current state. Resolves once a write that includes every change made before the call
   * is on disk; concurrent callers share writes (one fsync serves a burst of PutLogEvents).
   */
  save(): Promise<void> {
    if (this.queued) return this.queued;
    const previous = this.inFlight ?? Promise.resolve();
    // `then` callbacks always run later, so `queued` is set before the write takes its snapshot.
    const run = previous
      .catch(() => undefined)
      .then(() => {
        this.queued = null; // changes made from here on need the next write
        const write = writeDurably(this.path, this.serialize());
        this.inFlight = write;
        return write;
      });
    this.queued = run;
    return run;
  }

  /**
   * Persists within a second, for changes that are safe to lose in a crash: the stream timestamps and
   * upload sequence that PutLogEvents updates (the events themselves are durable in the translog, and
   * the current API ignores sequence tokens). Saves a full-file fsync on every PutLogEvents call.
   */
  saveSoon(): void {
    if (this.soon) return;
    this.soon = setTimeout(() => {
      this.soon = null;
      this.save().catch(() => undefined); // the next save retries
    }, SAVE_SOON_MS);
    this.soon.unref();
  }

  /** Writes any pending state synchronously (at shutdown). */
  flushSync(): void {
    if (!this.soon) return;
    clearTimeout(this.soon);
    this.soon = null;
    const tmp = `${this.path}.tmp`;
    const fd = openSync(tmp, 'w');
    try {
      writeSync(fd, this.serialize());
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(tmp, this.path);
  }

  private serialize(): string {
    const groups: Record<string, PersistedGroup> = {};
    for (const [name, g] of this.groups) groups[name] = { ...g, streams: Object.fromEntries(g.streams) };
    return JSON.stringify({ version: 1, groups });
  }
}

async function writeDurably(path: string, text: string): Promise<void> {
  const tmp = `${path}.tmp`;
  const fh = await open(tmp, 'w');
  try {
    await fh.writeFile(text);
    await fh.sync();
  } finally {
    await fh.close();
  }
  await rename(tmp, path);
}
