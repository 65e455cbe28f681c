// One shard: writes go to the translog and an in-memory buffer; refresh turns the buffer into a
// searchable segment; flush persists segments and a commit point and trims the translog. A version
// map keyed by _id gives real-time gets, optimistic concurrency and per-document versions.

import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, unlinkSync, writeFileSync, openSync, fsyncSync, closeSync } from 'node:fs';
import { join } from 'node:path';
import type { IndexedField } from '../mapping/document-parser.ts';
import { Segment, RoaringBitmap32, type Bitmap } from '../segment/segment.ts';
import { buildSegment, type AnalyzerResolver, type BuildDoc } from '../segment/segment-builder.ts';
import { isPreparing, prepareSegmentFile, readSegment, writeDeletes, writeSegment } from '../segment/segment-file.ts';
import { mergeSegments } from '../segment/segment-merger.ts';
import { Translog, type TranslogOp } from './translog.ts';

/** What a shard needs from its index: document parsing against the live mapping, and analyzers. */
export interface ShardOwner {
  /** Parses `_source` into indexable fields (may update the index mapping; throws on bad docs). */
  parseSource(source: Buffer, id: string): IndexedField[];
  analyzers: AnalyzerResolver;
}

/** A buffered write (one object per document: the version map points at it until refresh). */
interface BufferEntry extends BuildDoc { live: boolean }

/** The newest known state of one _id. */
export interface VersionEntry {
  seqNo: number;
  primaryTerm: number;
  version: number;
  deleted: boolean;
  /** Where the live document is: in the write buffer, or in a segment at `doc` (neither when deleted). */
  buf: BufferEntry | null;
  seg: Segment | null;
  doc: number;
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

/** Merge when more segments than this are searchable, at most this many at once. */
export const MERGE_FACTOR = 10;
/** Largest merge in docs (a merge blocks the event loop for about a second per million docs). */
export const MAX_MERGE_DOCS = 500_000;

/** Merged segments up to this many docs get their file sections deflated in the background. */
export const BACKGROUND_PACK_MAX_DOCS = 100_000;

/**
 * Flush when the translog holds this much: replaying it re-parses and re-analyses every document, so
 * it bounds the time a restart after a crash takes (OpenSearch's default is 512 MB; ours is smaller
 * because restart-until-searchable after a crash must stay within seconds).
 */
export const FLUSH_THRESHOLD_BYTES = 8 * 1024 * 1024;

export class Shard {
  segments: Segment[] = [];
  private buffer: BufferEntry[] = [];
  /** Segments written by a flush but not yet published by a refresh (a flush must not change what searches see). */
  private unpublished: Segment[] = [];
  private pendingDeletes = new Map<Segment, number[]>();
  /**
   * Entries by _id. Complete only once `versions` was read: until then (a restart that only replays
   * and serves searches) it holds just the ids written since open whose previous state needed no
   * lookup (auto-generated ids), so replaying a crash's translog never loads a million entries.
   */
  private versionMap = new Map<string, VersionEntry>();
  private versionMapComplete = false;
  private translog!: Translog;
  private commit: CommitPoint = { generation: 0, segments: [], maxSeqNo: -1, translogGen: 1, segmentCounter: 0 };
  maxSeqNo = -1;
  readonly primaryTerm = 1;
  /** Operations since the last refresh (a refresh with none is skipped). */
  private dirty = false;
  private refreshWaiters: Array<() => void> = [];
  /** Set when the translog was corrupted on open: the shard refuses reads and writes. */
  failure: Error | null = null;
  /** When the last write arrived (idle shards get flushed, so a restart has little to replay). */
  lastWriteAt = 0;
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

  /** The version map by _id (live docs of the committed segments, plus every write since open). */
  get versions(): Map<string, VersionEntry> {
    if (this.versionMapComplete) return this.versionMap;
    const map = new Map<string, VersionEntry>();
    for (const seg of [...this.segments, ...this.unpublished]) {
      for (let d = 0; d < seg.maxDoc; d++) {
        if (!seg.isLive(d)) continue;
        map.set(seg.meta.ids[d], { seqNo: seg.meta.seqNos[d], primaryTerm: seg.meta.primaryTerms[d], version: seg.meta.versions[d], deleted: false, buf: null, seg, doc: d });
      }
    }
    // Entries written since open win (their ids are in no older segment, or the map was complete).
    for (const [id, e] of this.versionMap) map.set(id, e);
    this.versionMap = map;
    this.versionMapComplete = true;
    return map;
  }

  /** Current state of an id (including deletes), as the version map knows it. */
  current(id: string): VersionEntry | undefined {
    return this.versions.get(id);
  }

  /**
   * Indexes a document. The caller has already checked concurrency conditions and computed the
   * version; `fields` come from parsing the source. Written to the translog (not yet fsynced).
   */
  index(id: string, source: Buffer, fields: IndexedField[], routing: string | null, version: number, autoId = false): WriteResult {
    this.checkOpen();
    const prev = this.versions.get(id);
    const seqNo = ++this.maxSeqNo;
    this.translog.append([{ op: 'index', id, seqNo, version, primaryTerm: this.primaryTerm, routing, source, autoId }]);
    this.lastWriteAt = Date.now();
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
    this.lastWriteAt = Date.now();
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
    if (!e || e.deleted) return null;
    if (e.buf) {
      const d = e.buf;
      return { id, source: d.source, seqNo: d.seqNo, primaryTerm: d.primaryTerm, version: d.version, routing: d.routing };
    }
    const { seg, doc } = e;
    if (!seg) return null;
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
    const seg = this.buildBuffer();
    if (seg) {
      this.unpublished.push(seg);
      prepareSegmentFile(seg);
    }
    // Copy-on-write deletes: searches holding the old segment list keep their view.
    for (const [target, docs] of this.pendingDeletes) target.deletes = withDeletes(target, docs);
    this.pendingDeletes.clear();
    this.segments = [...this.segments, ...this.unpublished].filter((s) => s.numDocs > 0);
    this.unpublished = [];
    this.dirty = false;
    this.wakeRefreshWaiters();
  }

  /** Turns the write buffer into a segment (not yet visible to search) and points the version map at it. */
  private buildBuffer(): Segment | null {
    const live = this.buffer.filter((e) => e.live);
    this.buffer = [];
    if (live.length === 0) return null;
    const seg = buildSegment(`_${(this.commit.segmentCounter++).toString(36)}`, live, this.owner.analyzers);
    live.forEach((e, doc) => {
      const v = this.versionMap.get(e.id);
      if (v && v.buf === e) {
        v.buf = null;
        v.seg = seg;
        v.doc = doc;
      }
    });
    return seg;
  }

  /**
   * Tiered merging, kept small because it runs on the event loop: when more than MERGE_FACTOR
   * segments are searchable, the smallest ones (up to MERGE_FACTOR, at most MAX_MERGE_DOCS docs in all)
   * are merged structurally into one. Returns whether a merge ran.
   */
  maybeMerge(): boolean {
    if (this.failure || this.segments.length <= MERGE_FACTOR) return false;
    // Segments whose _source is still being compressed in the background wait for the next round
    // (merging them now would compress on the event loop).
    const bySize = this.segments.filter((s) => s.sources.compressed !== false).sort((a, b) => a.numDocs - b.numDocs);
    const chosen: Segment[] = [];
    let docs = 0;
    for (const seg of bySize) {
      if (chosen.length >= MERGE_FACTOR || docs + seg.numDocs > MAX_MERGE_DOCS) break;
      chosen.push(seg);
      docs += seg.numDocs;
    }
    if (chosen.length < 2) return false;
    this.mergeGroup(chosen);
    return true;
  }

  /** `_forcemerge`: publishes pending writes, then merges until at most `maxSegments` segments remain. */
  forceMerge(maxSegments = 1): void {
    this.checkOpen();
    this.refresh();
    while (this.segments.length > Math.max(1, maxSegments)) {
      // Merge the smallest segments, as many as it takes to reach the target in one step.
      const bySize = [...this.segments].sort((a, b) => a.numDocs - b.numDocs);
      this.mergeGroup(bySize.slice(0, this.segments.length - Math.max(1, maxSegments) + 1));
    }
  }

  /** Replaces `group` by one structurally merged segment, re-pointing the version map and pending deletes. */
  private mergeGroup(group: Segment[]): void {
    // Keep doc order stable: merge in the shard's segment order.
    const inOrder = this.segments.filter((s) => group.includes(s));
    const merged = mergeSegments(`_${(this.commit.segmentCounter++).toString(36)}`, inOrder);
    // Small merges are deflated in the background too; a big one would hold its sections twice in
    // memory (and keep the thread from newer segments' _source) for long: the flush packs it.
    if (merged.maxDoc <= BACKGROUND_PACK_MAX_DOCS) prepareSegmentFile(merged);
    const pending: number[] = [];
    let base = 0;
    for (const old of inOrder) {
      const oldPending = new Set(this.pendingDeletes.get(old) ?? []);
      this.pendingDeletes.delete(old);
      let next = base;
      for (let d = 0; d < old.maxDoc; d++) {
        if (!old.isLive(d)) continue;
        const v = this.versionMap.get(old.meta.ids[d]);
        if (v && v.seg === old && v.doc === d) {
          v.seg = merged;
          v.doc = next;
        }
        if (oldPending.has(d)) pending.push(next);
        next++;
      }
      base = next;
    }
    if (pending.length > 0) this.pendingDeletes.set(merged, pending);
    const firstAt = this.segments.indexOf(inOrder[0]);
    const rest = this.segments.filter((s) => !group.includes(s));
    rest.splice(Math.min(firstAt, rest.length), 0, merged);
    this.segments = rest;
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
    if (this.translog.sizeInBytes <= FLUSH_THRESHOLD_BYTES) return false;
    // Let background compression of new segments (their _source, then their file sections) finish
    // first: the flush would otherwise redo it on the event loop. Bounded: at twice the mark it goes ahead.
    const pending = [...this.segments, ...this.unpublished].some((s) => s.sources.compressed === false || isPreparing(s));
    return !pending || this.translog.sizeInBytes > 2 * FLUSH_THRESHOLD_BYTES;
  }

  get hasUncommitted(): boolean {
    return this.translog.operations > 0 || this.dirty;
  }

  /**
   * Persists every segment with its deletes (including deletes not yet visible to search), writes a
   * commit point and trims the translog. What searches see does not change.
   */
  flush(): void {
    if (this.failure) return;
    const seg = this.buildBuffer();
    if (seg) this.unpublished.push(seg);
    const segDir = join(this.dir, 'segments');
    const generation = this.commit.generation + 1;
    const entries: CommitPoint['segments'] = [];
    for (const s of [...this.segments, ...this.unpublished]) {
      const deletes = withDeletes(s, this.pendingDeletes.get(s) ?? []);
      if (deletes && deletes.size === s.maxDoc) continue;
      if (!s.persisted) {
        writeSegment(segDir, s);
        s.persisted = true;
      }
      entries.push({ name: s.name, deletes: writeDeletes(segDir, s.name, deletes, generation) });
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

  /** Publishes and flushes everything, then closes the translog. */
  close(): void {
    if (!this.failure) {
      this.refresh();
      this.flush();
    }
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
    // An auto-generated id cannot be in an older segment: only this replay's own entries can hold it.
    const prev = op.autoId ? this.versionMap.get(op.id) : this.versions.get(op.id);
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
    const entry: BufferEntry = { id, seqNo, version, primaryTerm, routing, source, fields, live: true };
    this.buffer.push(entry);
    this.versionMap.set(id, { seqNo, primaryTerm, version, deleted: false, buf: entry, seg: null, doc: -1 });
    this.dirty = true;
  }

  private applyDelete(id: string, seqNo: number, version: number, primaryTerm: number, prev: VersionEntry | undefined): void {
    this.removeLocation(prev);
    this.versionMap.set(id, { seqNo, primaryTerm, version, deleted: true, buf: null, seg: null, doc: -1 });
    this.dirty = true;
  }

  private removeLocation(prev: VersionEntry | undefined): void {
    if (!prev) return;
    if (prev.buf) {
      prev.buf.live = false;
    } else if (prev.seg) {
      const list = this.pendingDeletes.get(prev.seg) ?? [];
      list.push(prev.doc);
      this.pendingDeletes.set(prev.seg, list);
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

/** A segment's deletes plus more doc ids, as a new bitmap (null when there are none). */
function withDeletes(seg: Segment, docs: number[]): Bitmap | null {
  if (docs.length === 0) return seg.deletes;
  const next = seg.deletes ? seg.deletes.clone() : new RoaringBitmap32();
  next.addMany(docs);
  return next;
}

function fsyncDir(dir: string): void {
  const fd = openSync(dir, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}
