// One shard: writes go to the translog and an in-memory buffer; refresh turns the buffer into a
// searchable segment; flush persists segments and a commit point and trims the translog. A version
// map keyed by _id gives real-time gets, optimistic concurrency and per-document versions.

import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, unlinkSync, writeFileSync, openSync, fsyncSync, closeSync } from 'node:fs';
import { join } from 'node:path';
import type { IndexedField } from '../mapping/document-parser.ts';
import { Segment, RoaringBitmap32 } from '../segment/segment.ts';
import { buildSegment, type AnalyzerResolver, type BuildDoc } from '../segment/segment-builder.ts';
import { readSegment, writeDeletes, writeSegment } from '../segment/segment-file.ts';
import { Translog, type TranslogOp } from './translog.ts';

/** What a shard needs from its index: document parsing against the live mapping, and analyzers. */
export interface ShardOwner {
  /** Parses `_source` into indexable fields (may update the index mapping; throws on bad docs). */
  parseSource(source: Buffer, id: string): IndexedField[];
  analyzers: AnalyzerResolver;
}

interface BufferEntry { doc: BuildDoc; live: boolean }
type Location = { seg: Segment; doc: number } | { buf: BufferEntry };

/** The newest known state of one _id. */
export interface VersionEntry {
  seqNo: number;
  primaryTerm: number;
  version: number;
  deleted: boolean;
  loc: Location | null;
}

/** The outcome of a write, as the document APIs report it. */
export interface WriteResult {
  result: 'created' | 'updated' | 'deleted' | 'not_found' | 'noop';
  seqNo: number;
  primaryTerm: number;
  version: number;
}

/** A stored document as GET returns it. */
export interface StoredDoc {
  id: string;
  source: Buffer;
  seqNo: number;
  primaryTerm: number;
  version: number;
  routing: string | null;
}

interface CommitPoint {
  generation: number;
  segments: Array<{ name: string; deletes: string | null }>;
  maxSeqNo: number;
  translogGen: number;
  segmentCounter: number;
}

/** Flush when the translog holds this much (bounds restart replay time). */
export const FLUSH_THRESHOLD_BYTES = 256 * 1024 * 1024;

export class Shard {
  segments: Segment[] = [];
  private buffer: BufferEntry[] = [];
  private pendingDeletes = new Map<Segment, number[]>();
  readonly versions = new Map<string, VersionEntry>();
  private translog!: Translog;
  private commit: CommitPoint = { generation: 0, segments: [], maxSeqNo: -1, translogGen: 1, segmentCounter: 0 };
  maxSeqNo = -1;
  readonly primaryTerm = 1;
  /** Operations since the last refresh (a refresh with none is skipped). */
  private dirty = false;
  private refreshWaiters: Array<() => void> = [];
  /** Set when the translog was corrupted on open: the shard refuses reads and writes. */
  failure: Error | null = null;
  /** Counters for stats. */
  indexTotal = 0;
  deleteTotal = 0;

  private constructor(readonly dir: string, readonly shardId: number, private readonly owner: ShardOwner) {}

  /** Opens (or creates) a shard: loads the last commit, then replays the translog after it. */
  static open(dir: string, shardId: number, owner: ShardOwner): Shard {
    const shard = new Shard(dir, shardId, owner);
    mkdirSync(join(dir, 'segments'), { recursive: true });
    const commitPath = join(dir, 'commit.json');
    if (existsSync(commitPath)) {
      shard.commit = JSON.parse(readFileSync(commitPath, 'utf8'));
      for (const s of shard.commit.segments) {
        const seg = readSegment(join(dir, 'segments'), s.name, s.deletes);
        shard.segments.push(seg);
        for (let d = 0; d < seg.maxDoc; d++) {
          if (!seg.isLive(d)) continue;
          shard.versions.set(seg.meta.ids[d], {
            seqNo: seg.meta.seqNos[d],
            primaryTerm: seg.meta.primaryTerms[d],
            version: seg.meta.versions[d],
            deleted: false,
            loc: { seg, doc: d },
          });
        }
      }
      shard.maxSeqNo = shard.commit.maxSeqNo;
    }
    const { translog, ops } = Translog.open(join(dir, 'translog'), shard.commit.translogGen);
    shard.translog = translog;
    for (const op of ops) {
      if (op.seqNo <= shard.commit.maxSeqNo) continue;
      shard.replay(op);
    }
    shard.cleanupFiles();
    return shard;
  }

  /** Current state of an id (including deletes), as the version map knows it. */
  current(id: string): VersionEntry | undefined {
    return this.versions.get(id);
  }

  /**
   * Indexes a document. The caller has already checked concurrency conditions and computed the
   * version; `fields` come from parsing the source. Written to the translog (not yet fsynced).
   */
  index(id: string, source: Buffer, fields: IndexedField[], routing: string | null, version: number): WriteResult {
    this.checkOpen();
    const prev = this.versions.get(id);
    const seqNo = ++this.maxSeqNo;
    this.translog.append([{ op: 'index', id, seqNo, version, primaryTerm: this.primaryTerm, routing, source }]);
    this.applyIndex(id, source, fields, routing, seqNo, version, this.primaryTerm, prev);
    this.indexTotal++;
    return { result: prev && !prev.deleted ? 'updated' : 'created', seqNo, primaryTerm: this.primaryTerm, version };
  }

  /** Deletes a document (a tombstone is kept in the version map for later version checks). */
  delete(id: string, version: number): WriteResult {
    this.checkOpen();
    const prev = this.versions.get(id);
    const seqNo = ++this.maxSeqNo;
    this.translog.append([{ op: 'delete', id, seqNo, version, primaryTerm: this.primaryTerm }]);
    this.applyDelete(id, seqNo, version, this.primaryTerm, prev);
    this.deleteTotal++;
    return { result: prev && !prev.deleted ? 'deleted' : 'not_found', seqNo, primaryTerm: this.primaryTerm, version };
  }

  /** Waits until all translog writes so far are durable. */
  sync(): Promise<void> {
    return this.translog.sync();
  }

  /** Real-time get: sees writes that are not refreshed yet. */
  get(id: string): StoredDoc | null {
    this.checkOpen();
    const e = this.versions.get(id);
    if (!e || e.deleted || !e.loc) return null;
    if ('buf' in e.loc) {
      const d = e.loc.buf.doc;
      return { id, source: d.source, seqNo: d.seqNo, primaryTerm: d.primaryTerm, version: d.version, routing: d.routing };
    }
    const { seg, doc } = e.loc;
    return { id, source: seg.source(doc), seqNo: seg.meta.seqNos[doc], primaryTerm: seg.meta.primaryTerms[doc], version: seg.meta.versions[doc], routing: seg.meta.routings[doc] };
  }

  /** Non-real-time get: sees only what the last refresh made searchable. */
  getRefreshed(id: string): StoredDoc | null {
    this.checkOpen();
    for (let i = this.segments.length - 1; i >= 0; i--) {
      const seg = this.segments[i];
      const doc = seg.meta.ids.lastIndexOf(id);
      if (doc >= 0 && seg.isLive(doc)) {
        return { id, source: seg.source(doc), seqNo: seg.meta.seqNos[doc], primaryTerm: seg.meta.primaryTerms[doc], version: seg.meta.versions[doc], routing: seg.meta.routings[doc] };
      }
    }
    return null;
  }

  /** Makes buffered writes and deletes visible to search. */
  refresh(): void {
    if (this.failure) return;
    if (!this.dirty) {
      this.wakeRefreshWaiters();
      return;
    }
    const live = this.buffer.filter((e) => e.live);
    this.buffer = [];
    // Copy-on-write deletes: searches holding the old segment list keep their view.
    for (const [seg, docs] of this.pendingDeletes) {
      const next = seg.deletes ? seg.deletes.clone() : new RoaringBitmap32();
      next.addMany(docs);
      seg.deletes = next;
    }
    this.pendingDeletes.clear();
    let segments = this.segments.filter((s) => s.numDocs > 0 || !s.persisted);
    if (live.length > 0) {
      const seg = buildSegment(`_${(this.commit.segmentCounter++).toString(36)}`, live.map((e) => e.doc), this.owner.analyzers);
      live.forEach((e, doc) => {
        const v = this.versions.get(e.doc.id);
        if (v && v.loc && 'buf' in v.loc && v.loc.buf === e) v.loc = { seg, doc };
      });
      segments = [...segments, seg];
    }
    this.segments = segments.filter((s) => s.numDocs > 0);
    this.dirty = false;
    this.wakeRefreshWaiters();
  }

  /** Resolves after the next refresh (refresh=wait_for). */
  waitForRefresh(): Promise<void> {
    if (!this.dirty) return Promise.resolve();
    return new Promise((resolve) => this.refreshWaiters.push(resolve));
  }

  private wakeRefreshWaiters(): void {
    const waiters = this.refreshWaiters;
    this.refreshWaiters = [];
    for (const w of waiters) w();
  }

  /** Whether a flush is due (translog large). */
  get needsFlush(): boolean {
    return this.translog.sizeInBytes > FLUSH_THRESHOLD_BYTES;
  }

  get hasUncommitted(): boolean {
    return this.translog.operations > 0 || this.dirty;
  }

  /** Persists every segment and deletes, writes a commit point and trims the translog. */
  flush(): void {
    if (this.failure) return;
    this.refresh();
    const segDir = join(this.dir, 'segments');
    const generation = this.commit.generation + 1;
    const entries: CommitPoint['segments'] = [];
    for (const seg of this.segments) {
      if (!seg.persisted) {
        writeSegment(segDir, seg);
        seg.persisted = true;
      }
      entries.push({ name: seg.name, deletes: writeDeletes(segDir, seg, generation) });
    }
    const translogGen = this.translog.roll();
    const commit: CommitPoint = { generation, segments: entries, maxSeqNo: this.maxSeqNo, translogGen, segmentCounter: this.commit.segmentCounter };
    const tmp = join(this.dir, 'commit.json.tmp');
    writeFileSync(tmp, JSON.stringify(commit));
    const fd = openSync(tmp, 'r');
    fsyncSync(fd);
    closeSync(fd);
    renameSync(tmp, join(this.dir, 'commit.json'));
    fsyncDir(this.dir);
    this.commit = commit;
    this.translog.trimBelow(translogGen);
    this.cleanupFiles();
  }

  /** Flushes and closes the translog. */
  close(): void {
    if (!this.failure) this.flush();
    this.translog?.close();
  }

  /** Live documents visible to search. */
  get docCount(): number {
    return this.segments.reduce((n, s) => n + s.numDocs, 0);
  }

  get deletedDocs(): number {
    return this.segments.reduce((n, s) => n + (s.maxDoc - s.numDocs), 0);
  }

  /** Approximate bytes used on disk by this shard's committed segments and translog. */
  get translogBytes(): number {
    return this.translog.sizeInBytes;
  }

  private replay(op: TranslogOp): void {
    const prev = this.versions.get(op.id);
    this.maxSeqNo = Math.max(this.maxSeqNo, op.seqNo);
    if (op.op === 'index') {
      const fields = this.owner.parseSource(op.source!, op.id);
      this.applyIndex(op.id, op.source!, fields, op.routing ?? null, op.seqNo, op.version, op.primaryTerm, prev);
    } else if (op.op === 'delete') {
      this.applyDelete(op.id, op.seqNo, op.version, op.primaryTerm, prev);
    }
  }

  private applyIndex(id: string, source: Buffer, fields: IndexedField[], routing: string | null, seqNo: number, version: number, primaryTerm: number, prev: VersionEntry | undefined): void {
    this.removeLocation(prev);
    const entry: BufferEntry = { doc: { id, seqNo, version, primaryTerm, routing, source, fields }, live: true };
    this.buffer.push(entry);
    this.versions.set(id, { seqNo, primaryTerm, version, deleted: false, loc: { buf: entry } });
    this.dirty = true;
  }

  private applyDelete(id: string, seqNo: number, version: number, primaryTerm: number, prev: VersionEntry | undefined): void {
    this.removeLocation(prev);
    this.versions.set(id, { seqNo, primaryTerm, version, deleted: true, loc: null });
    this.dirty = true;
  }

  private removeLocation(prev: VersionEntry | undefined): void {
    if (!prev?.loc) return;
    if ('buf' in prev.loc) {
      prev.loc.buf.live = false;
    } else {
      const list = this.pendingDeletes.get(prev.loc.seg) ?? [];
      list.push(prev.loc.doc);
      this.pendingDeletes.set(prev.loc.seg, list);
    }
  }

  private checkOpen(): void {
    if (this.failure) throw this.failure;
  }

  /** Removes segment and deletes files no commit refers to (left by crashes or merges). */
  private cleanupFiles(): void {
    const segDir = join(this.dir, 'segments');
    const keep = new Set<string>();
    for (const s of this.commit.segments) {
      keep.add(`${s.name}.seg`);
      if (s.deletes) keep.add(s.deletes);
    }
    for (const f of readdirSync(segDir)) if (!keep.has(f)) unlinkSync(join(segDir, f));
  }
}

function fsyncDir(dir: string): void {
  const fd = openSync(dir, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}
