// One shard: writes go to the translog and an in-memory buffer; refresh turns the buffer into a
// searchable segment; flush persists segments and a commit point and trims the translog. A version
// map keyed by _id (documents not yet in a segment, and deletes) plus the segments' id tables give
// real-time gets, optimistic concurrency and per-document versions.

import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, unlink, writeFileSync, openSync, fsyncSync, closeSync } from 'node:fs';
import { join } from 'node:path';
import type { IndexedField } from '../mapping/document-parser.ts';
import { byteSizeSetting, type FlatSettings } from '../indices/settings.ts';
import { Segment, RoaringBitmap32, routingOf, routingsColumn, type Bitmap } from '../segment/segment.ts';
import { IdFilter } from '../segment/id-index.ts';
import { IdMap } from './id-map.ts';
import { PackedStrings } from '../segment/packed-strings.ts';
import { buildSegment, type AnalyzerResolver, type BuildDoc } from '../segment/segment-builder.ts';
import { isPreparing, prepareSegmentFile, readSegment, writeDeletes, writeSegment } from '../segment/segment-file.ts';
import { buildWorkers, mergeWorker, pickBuildWorker, segmentFromParts, type BuildJob, type JobResult, type SegmentWorker } from '../segment/segment-jobs.ts';
import { mergeSegments } from '../segment/segment-merger.ts';
import { Translog, type TranslogOp } from './translog.ts';
import { WritePacer } from './write-pacer.ts';
import { reclaimer } from './idle-reclaim.ts';
import { SourceArena, sharedSlots, slotBytes, type ArenaSlot } from './source-arena.ts';
import { DOCS_PER_BLOCK } from '../segment/source-store.ts';
import { WRITE_CODEC } from '../segment/block-codec.ts';

/** What a shard needs from its index: document parsing against the live mapping, and analyzers. */
export interface ShardOwner {
  /** Parses `_source` into indexable fields (may update the index mapping; throws on bad docs). */
  parseSource(source: Buffer, id: string): IndexedField[];
  analyzers: AnalyzerResolver;
  /** The index settings and mapping: a worker thread parses sources and analyzes them the same way. */
  settings(): FlatSettings;
  mapping(): Record<string, unknown>;
  /** What writes must also wait for before they are acknowledged (the index's metadata being persisted), if anything. */
  metadataDurable?(): Promise<void> | null;
}

/**
 * A buffered write (one object per document: the version map points at it until refresh). Its
 * parsed fields are not kept: the segment build parses the source again (usually on the build
 * worker), so a buffered document costs the event loop's heap only this object and its bytes.
 */
/** An entry's chunk before its source is placed. */
const NO_CHUNK = Buffer.alloc(0);

/** A buffered document; its `_source` is a range of the shard's arena (see ArenaSlot). */
interface BufferEntry extends Omit<BuildDoc, 'fields' | 'source'>, ArenaSlot {
  live: boolean;
  /** The version-map entry made with this one, so a landing build updates it without a map lookup. */
  ver: VersionEntry | null;
}

/** The newest known state of one _id. */
export interface VersionEntry {
  seqNo: number;
  primaryTerm: number;
  version: number;
  deleted: boolean;
  /**
   * Where the live document is: in the write buffer, or in a segment at `doc` (neither when deleted).
   * Map entries are never in a segment: `seg` is set only on entries `lookup` makes for its caller; a
   * map entry with neither (and not deleted) is stale, its doc landed in a segment (see `moved`).
   */
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

/** A segment being built on a build worker. */
interface Build {
  worker: SegmentWorker;
  jobId: number;
  name: string;
  /** The buffer entries it holds (the version map still points at them, so real-time gets see them). */
  entries: BufferEntry[];
  /** Their ids and routings (the landed segment's). */
  ids: PackedStrings;
  routings: (string | null)[] | null;
  /** The deletes that were pending when it started: published with it, or back to pending when it lands. */
  deletes: Map<Segment, number[]>;
  /** refresh=wait_for callers it satisfies. */
  waiters: Array<() => void>;
  /** Whether the segment is published when it lands (a refresh) or left for the next refresh. */
  publish: boolean;
  /** When it was posted (`performance.now()`): how long builds take paces writers (WritePacer). */
  startedAt: number;
  /** Set when the build also ends in a commit: the translog was rolled when it started. */
  commit: { maxSeqNo: number; translogGen: number } | null;
  /** The worker's answer, once it came. */
  result: JobResult | null;
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
/**
 * Largest merge in docs. While a merge runs, its inputs are in memory twice (the shard's, and the
 * merge worker's read of their files) beside its output, so this bounds the transient memory of a
 * merge (about 1.5 KB per doc here).
 */
export const MAX_MERGE_DOCS = 250_000;

/** After a merge of at least this many docs lands, the event loop collects its inputs once writes pause (see idle-reclaim.ts). */
const RECLAIM_AFTER_MERGE_DOCS = 100_000;

/**
 * A scheduled refresh with at least this many buffered docs builds its segment on the build worker;
 * smaller ones (and every explicit refresh) build on the event loop, where they cost less than a
 * round trip to the worker.
 */
export const BACKGROUND_BUILD_MIN_DOCS = 1000;

/**
 * A buffer this large is built on the worker at once (left unpublished until the next refresh),
 * as Lucene flushes its indexing buffer when full: it bounds the buffer and a build's usual size (one
 * beside another may take up to half as many more, see buildFullBuffer). At full speed two builds run
 * and a third buffer fills (120-140k docs waiting), below MAX_BACKLOG_DOCS.
 */
export const BUILD_MAX_DOCS = 40_000;

/** A buffer this large starts the build workers that are not running (see SegmentWorker.warm). */
const WARM_WORKERS_AT_DOCS = BACKGROUND_BUILD_MIN_DOCS;

/** Stale version-map entries removed per turn of the event loop (see `moved`). */
const SWEEP_CHUNK = 4096;

/** Builds of one shard in flight at once (the second only for a full buffer; see `builds`). */
const MAX_BUILDS = 2;

/**
 * Writes wait (indexing pressure) while more docs than this are not yet in a segment. Five builds'
 * worth: when the two build workers land together the backlog drops, and then climbs, by two builds,
 * which at 150k (three) stopped writers for 0.3-1.1 s every few seconds of a sustained load.
 */
export const MAX_BACKLOG_DOCS = 200_000;

/**
 * Above this backlog, writers are paced at the rate builds land documents (see indexingPressure), so
 * a sustained load that outruns the builds waits a little on every write instead of stopping dead
 * at MAX_BACKLOG_DOCS until a whole build lands (1-2 s for 50k log documents: Firehose deliveries'
 * p99 was over a second); below it, bursts go through at full speed. Above two full builds, so that
 * both build workers stay busy (paced at 75k, one build ran at a time: Firehose 28-39k → 22k/s).
 */
export const PACED_BACKLOG_DOCS = 2 * BUILD_MAX_DOCS + BUILD_MAX_DOCS / 2;

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
  /** Where buffered docs' `_source` bytes live until they are in a segment. */
  private readonly sources = new SourceArena();
  /** Segments written by a flush but not yet published by a refresh (a flush must not change what searches see). */
  private unpublished: Segment[] = [];
  private pendingDeletes = new Map<Segment, number[]>();
  /**
   * Entries by _id for documents not yet in a segment (buffered, or in a build in flight) and for
   * deletes (tombstones, for later version checks). A document in a segment has no entry: `lookup`
   * finds it through the segments' id tables, as OpenSearch's LiveVersionMap holds only what the
   * last refresh has not made searchable. Buffered auto-id documents get entries only once an
   * explicit id was looked up (`autoIdsMapped`): an append-only ingest never pays a map insertion
   * per document.
   */
  private versionMap = new IdMap<VersionEntry>();
  private autoIdsMapped = false;
  /** Landed builds' entries whose version-map entries are stale, and how far the sweep got in the first. */
  private stale: BufferEntry[][] = [];
  private staleAt = 0;
  /** Which ids the segments may hold (see IdFilter); null until an explicit id is looked up. */
  private idFilter: IdFilter | null = null;
  private translog!: Translog;
  private commit: CommitPoint = { generation: 0, segments: [], maxSeqNo: -1, translogGen: 1, segmentCounter: 0 };
  maxSeqNo = -1;
  readonly primaryTerm = 1;
  /** Operations since the last refresh (a refresh with none is skipped). */
  private dirty = false;
  private refreshWaiters: Array<() => void> = [];
  /**
   * Segments being built on the build workers, oldest first; they land in this order whatever order
   * the workers answer in. At most MAX_BUILDS; only a full buffer starts one while another runs, so a
   * build that publishes or commits always has every earlier operation landed before it.
   */
  private builds: Build[] = [];
  /** Writers waiting for the backlog to shrink (see indexingPressure). */
  private pressureWaiters: Array<() => void> = [];
  /** Paces writers past PACED_BACKLOG_DOCS to the rate builds land documents. */
  private pacer = new WritePacer(PACED_BACKLOG_DOCS, MAX_BACKLOG_DOCS, Math.min(MAX_BUILDS, buildWorkers.length));
  /** A merge running on the merge worker: its inputs (in the order merged, see mergeOrder), the deletes it leaves out, the docs it reads. */
  private merging: { jobId: number; name: string; inputs: Segment[]; startDeletes: Map<Segment, Bitmap | null>; docs: number; startedAt: number } | null = null;
  /** Merges finished (on the merge worker or here), the docs they read and the time they took, for index stats. */
  readonly mergeTotals = { count: 0, docs: 0, ms: 0 };
  private closed = false;
  /** Set after a merge failed on the merge worker. */
  private mergeFailed = false;
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

  /**
   * Current state of an id (including deletes): its version-map entry, or else its live copy in the
   * segments (an entry made for the caller, not kept).
   */
  current(id: string): VersionEntry | undefined {
    return this.lookup(id);
  }

  private lookup(id: string): VersionEntry | undefined {
    if (!this.autoIdsMapped) this.mapAutoIds();
    const v = this.versionMap.get(id);
    // An entry whose doc landed in a segment (and was not swept yet) says to look there.
    return v !== undefined && (v.buf !== null || v.deleted) ? v : this.segmentEntry(id);
  }

  /** The Bloom filter over the segments' ids, made when first needed (a restart that only appends never hashes them). */
  private segmentIds(): IdFilter {
    if (this.idFilter === null) {
      this.idFilter = new IdFilter();
      for (const seg of this.allSegments()) this.idFilter.add(seg, () => this.allSegments());
    }
    return this.idFilter;
  }

  /** Published and unpublished segments. */
  private allSegments(): Segment[] {
    return [...this.segments, ...this.unpublished];
  }

  /** Gives buffered auto-id documents (in the buffer, or in builds not landed yet) entries, and later ones too. */
  private mapAutoIds(): void {
    for (const entries of [...this.builds.map((b) => b.entries), this.buffer]) {
      for (const e of entries) if (e.live && e.ver === null) this.versionMap.set(e.id, this.versionOf(e));
    }
    this.autoIdsMapped = true;
  }

  /**
   * The segments' live copy of `id` with the highest seqNo: an older copy whose delete is still
   * pending (not yet visible) may be live in another segment, and merges do not keep segments in
   * write order.
   */
  private segmentEntry(id: string): VersionEntry | undefined {
    const h = this.versionMap.hashOf(id);
    if (!this.segmentIds().mayContain(h)) return undefined;
    const found = newestCopy(id, h, this.segments, newestCopy(id, h, this.unpublished, null));
    if (found === null) return undefined;
    const { seg, doc } = found;
    const m = seg.meta;
    return { seqNo: m.seqNos[doc], primaryTerm: m.primaryTerms[doc], version: m.versions[doc], deleted: false, buf: null, seg, doc };
  }

  /**
   * Indexes a document. The caller has already checked concurrency conditions, computed the version
   * and parsed the source against the mapping. Written to the translog (not yet fsynced).
   */
  index(id: string, source: Buffer | string, routing: string | null, version: number, autoId = false, looked?: { prev: VersionEntry | undefined }): WriteResult {
    this.checkOpen();
    // An auto-generated id is new (time, sequence and a per-process random part: no earlier write has
    // it), so it is not looked up at all. A caller that just looked the id up (`current`, for its
    // version checks) passes what it found.
    const prev = looked ? looked.prev : autoId ? undefined : this.lookup(id);
    const seqNo = ++this.maxSeqNo;
    // Copied into the arena first: the translog record is framed from the arena's copy.
    const entry = this.bufferEntry(id, source, routing, seqNo, version, this.primaryTerm);
    this.translog.appendIndex(id, seqNo, version, this.primaryTerm, routing, autoId, entry.chunk, entry.start, entry.end);
    reclaimer.wrote(this.lastWriteAt = Date.now());
    this.applyIndex(entry, prev, autoId);
    this.indexTotal++;
    if (this.buffer.length >= BUILD_MAX_DOCS) this.buildFullBuffer();
    else if (this.buffer.length === WARM_WORKERS_AT_DOCS) for (const w of buildWorkers) w.warm();
    return { result: prev && !prev.deleted ? 'updated' : 'created', seqNo, primaryTerm: this.primaryTerm, version };
  }

  /** Deletes a document (a tombstone is kept in the version map for later version checks). */
  delete(id: string, version: number): WriteResult {
    this.checkOpen();
    const prev = this.lookup(id);
    const seqNo = ++this.maxSeqNo;
    this.translog.append([{ op: 'delete', id, seqNo, version, primaryTerm: this.primaryTerm }]);
    reclaimer.wrote(this.lastWriteAt = Date.now());
    this.applyDelete(id, seqNo, version, this.primaryTerm, prev);
    this.deleteTotal++;
    return { result: prev && !prev.deleted ? 'deleted' : 'not_found', seqNo, primaryTerm: this.primaryTerm, version };
  }

  /** Waits until all translog writes so far are durable. */
  sync(): Promise<void> {
    const metadata = this.owner.metadataDurable?.();
    return metadata ? Promise.all([metadata, this.translog.sync()]).then(() => undefined) : this.translog.sync();
  }

  /** Real-time get: sees writes that are not refreshed yet. */
  get(id: string): StoredDoc | null {
    this.checkOpen();
    const e = this.lookup(id);
    if (!e || e.deleted) return null;
    if (e.buf) {
      const d = e.buf;
      return { id, source: slotBytes(d), seqNo: d.seqNo, primaryTerm: d.primaryTerm, version: d.version, routing: d.routing };
    }
    const { seg, doc } = e;
    if (!seg) return null;
    return { id, source: seg.source(doc), seqNo: seg.meta.seqNos[doc], primaryTerm: seg.meta.primaryTerms[doc], version: seg.meta.versions[doc], routing: routingOf(seg.meta, doc) };
  }

  /** Non-real-time get: sees only what the last refresh made searchable. */
  getRefreshed(id: string): StoredDoc | null {
    this.checkOpen();
    const found = newestCopy(id, this.versionMap.hashOf(id), this.segments, null);
    if (found === null) return null;
    const { seg, doc } = found;
    return { id, source: seg.source(doc), seqNo: seg.meta.seqNos[doc], primaryTerm: seg.meta.primaryTerms[doc], version: seg.meta.versions[doc], routing: routingOf(seg.meta, doc) };
  }

  /** Makes buffered writes and deletes visible to search. */
  refresh(): void {
    if (this.failure) return;
    this.landBuilds(true);
    if (!this.dirty) {
      this.wakeRefreshWaiters();
      return;
    }
    this.buildLargeBufferOnWorker();
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

  /**
   * A scheduled refresh: a large enough buffer is built into a segment on the build worker and
   * published when it comes back (with the deletes that were pending when it started, so searches
   * never see an updated document's old copy gone before its new one arrives); otherwise as refresh().
   */
  refreshInBackground(minDocs = BACKGROUND_BUILD_MIN_DOCS): void {
    if (this.failure || !this.dirty) return;
    if (this.builds.length > 0) {
      this.publishLanded();
      return;
    }
    if (this.liveBuffered() < minDocs || !pickBuildWorker()) {
      this.refresh();
      return;
    }
    this.startBuild(true, this.translog.sizeInBytes > this.flushThreshold);
  }

  /**
   * The flush that background upkeep asks for (translog large, or idle with uncommitted writes): the
   * buffer, however small, is built on the worker and committed (not published) when it lands; with
   * nothing buffered the commit is written here. While a build runs nothing happens (the next round
   * of upkeep tries again). A translog that crossed its threshold just after a build landed holds a
   * few hundred new docs: built here, with code the event loop rarely runs (not yet optimized), they
   * stalled every request for 100-160 ms in the Firehose benchmark.
   */
  flushInBackground(): void {
    if (this.failure || this.builds.length > 0) return;
    if (this.liveBuffered() > 0 && pickBuildWorker()) this.startBuild(false, true);
    else this.flush();
  }

  /**
   * A sustained load keeps a build in flight at every scheduled refresh, which used to wait for none:
   * nothing became searchable until the load stopped. Segments that landed meanwhile are published
   * now when no delete is pending anywhere (an append-only load, as logs and metrics are): with one
   * pending, a replacement copy could show beside the copy it replaces, so those wait for a refresh
   * with no build in flight as before. What a build in flight holds shows when it lands and the next
   * tick publishes it; refresh=wait_for callers still wait for a whole refresh.
   */
  private publishLanded(): void {
    if (this.unpublished.length === 0 || this.pendingDeletes.size > 0 || this.builds.some((b) => b.deletes.size > 0)) return;
    this.segments = [...this.segments, ...this.unpublished].filter((s) => s.numDocs > 0);
    this.unpublished = [];
  }

  /** Builds running on the build workers for this shard. */
  get buildsInFlight(): number {
    return this.builds.length;
  }

  /** Docs written but not yet in a segment (buffered, or in the builds in flight). */
  get backlog(): number {
    let n = this.buffer.length;
    for (const b of this.builds) n += b.entries.length;
    return n;
  }

  /**
   * Indexing pressure for a write of `docs` documents: past PACED_BACKLOG_DOCS it waits its turn at
   * the rate builds land documents (WritePacer); past MAX_BACKLOG_DOCS until the build in flight has
   * landed. Writers await it before acknowledging, so a client that writes faster than segments are
   * built is slowed down instead of growing the buffer without bound.
   */
  async indexingPressure(docs: number): Promise<void> {
    const oldest = this.builds[0];
    const wait = this.pacer.delay(docs, this.backlog, performance.now(), oldest && { docs: oldest.entries.length, startedAt: oldest.startedAt });
    if (wait > 0) await new Promise<void>((resolve) => setTimeout(resolve, wait));
    while (this.backlog >= MAX_BACKLOG_DOCS && this.builds.length > 0 && !this.failure && !this.closed) {
      await new Promise<void>((resolve) => this.pressureWaiters.push(resolve));
    }
  }

  private liveBuffered(): number {
    let live = 0;
    for (const e of this.buffer) if (e.live) live++;
    return live;
  }

  /**
   * Takes the oldest `limit` live entries off the buffer (dead ones before them are dropped); the rest
   * stay. One pass over what is taken: filtering the whole buffer (up to three builds' worth) and
   * slicing the result twice was a few ms of each build's start, on the event loop.
   */
  private takeLive(limit: number): BufferEntry[] {
    const buffer = this.buffer;
    const taken: BufferEntry[] = [];
    let i = 0;
    for (; i < buffer.length && taken.length < limit; i++) if (buffer[i].live) taken.push(buffer[i]);
    this.buffer = i === buffer.length ? [] : buffer.slice(i);
    return taken;
  }

  /**
   * Starts a build of the oldest buffered docs when the buffer is full and a build slot and a worker
   * are free: BUILD_MAX_DOCS of them, or (beside a build in flight) as many as make it land half a
   * build after that one (see WritePacer.staggeredSize). Builds land in order, so two posted together
   * land together, and two landings at once stalled every Firehose delivery in flight for ~100 ms
   * about every two seconds (the benchmark's slowest deliveries).
   */
  private buildFullBuffer(): void {
    if (this.closed || this.failure || this.buffer.length < BUILD_MAX_DOCS || this.builds.length >= MAX_BUILDS || !pickBuildWorker()) return;
    const last = this.builds.at(-1);
    const size = last === undefined ? BUILD_MAX_DOCS : this.pacer.staggeredSize(last.startedAt, last.entries.length, performance.now(), BUILD_MAX_DOCS);
    // A whole number of `_source` blocks: a merge then reuses every input's compressed blocks as they
    // are, where one input of another size made it decompress and compress again every block after it
    // (~2 s of zstd per Firehose benchmark run on the merge worker; 0.75 s with builds aligned, the
    // rest from refresh-sized segments).
    this.startBuild(false, false, size - (size % DOCS_PER_BLOCK));
  }

  /**
   * Posts the buffer to the build worker. `publish`: the segment becomes searchable when it lands
   * (a refresh), or else waits in `unpublished` for the next refresh. `commit`: the translog is
   * rolled first, so every operation of the generations before it is in the segments and deletes
   * committed when the build lands, which trims them. `limit`: a build that neither publishes nor
   * commits takes only the oldest `limit` docs, the rest stay buffered (see buildFullBuffer: a buffer
   * that overfilled while both workers ran made a longer build that landed together with the next one).
   */
  private startBuild(publish: boolean, commit: boolean, limit = Infinity): void {
    const commitAt = commit ? { maxSeqNo: this.maxSeqNo, translogGen: this.translog.roll() } : null;
    const entries = this.takeLive(!publish && !commit ? limit : Infinity);
    const name = `_${(this.commit.segmentCounter++).toString(36)}`;
    const { job, transfer, ids, routings } = buildJob(join(this.dir, 'segments'), name, this.owner.settings(), this.owner.mapping(), entries);
    const worker = pickBuildWorker()!;
    const b: Build = { worker, jobId: 0, name, entries, ids, routings, deletes: this.pendingDeletes, waiters: publish ? this.refreshWaiters : [], publish, startedAt: performance.now(), commit: commitAt, result: null };
    b.jobId = worker.post(job, (r) => {
      b.result = r;
      this.landBuilds(false);
      // A buffer that filled up while builds ran goes next, without waiting for the refresh timer.
      // (Only here: a refresh or flush that waited for the builds must find the buffer in place.) In
      // a turn of its own: a landing and a build's start back to back held the event loop 20-35 ms.
      setImmediate(() => this.buildFullBuffer());
    }, transfer);
    this.builds.push(b);
    this.pendingDeletes = new Map();
    if (publish) {
      this.refreshWaiters = [];
      this.dirty = false;
    }
  }

  /**
   * For a refresh or flush that must finish now: a large buffer is still built on a build worker
   * (waited for) rather than here, so the event loop's heap does not grow by a whole build.
   */
  private buildLargeBufferOnWorker(): void {
    if (this.liveBuffered() < BACKGROUND_BUILD_MIN_DOCS || !pickBuildWorker()) return;
    this.startBuild(false, false);
    this.landBuilds(true);
  }

  /**
   * Lands builds oldest first: those that have their reply, up to the first still running, or (`wait`)
   * every build in flight, blocking for each reply not yet in.
   */
  private landBuilds(wait: boolean): void {
    while (this.builds.length > 0 && (wait || this.builds[0].result !== null)) {
      const b = this.builds.shift()!;
      this.finishBuild(b, b.result ?? b.worker.waitSync(b.jobId));
    }
  }

  /** Lands a segment a build worker made (or builds it here when the worker failed). */
  private finishBuild(b: Build, r: JobResult): void {
    if (this.closed) return;
    let seg: Segment;
    if (r.ok) {
      seg = segmentFromParts(r.segment, b.ids, b.routings);
    } else {
      // Not expected (the worker died, or could not write the file): built here instead, and said so.
      process.emitWarning(`segment ${b.name} of ${this.dir} built on the event loop: ${r.error}`, 'LookoutWarning');
      seg = buildSegment(b.name, this.parsed(b.entries), this.owner.analyzers);
      prepareSegmentFile(seg);
    }
    // Entries overwritten or deleted while the segment was built: their deletes publish with the next refresh.
    const died: number[] = [];
    b.entries.forEach((e, doc) => {
      if (!e.live) died.push(doc);
    });
    this.moved(b.entries);
    // What the commit (if any) holds: every delete up to the point the build started.
    const committed = (s: Segment): Bitmap | null => (b.publish ? s.deletes : withDeletes(s, b.deletes.get(s) ?? []));
    if (b.publish) {
      for (const [target, docs] of b.deletes) target.deletes = withDeletes(target, docs);
      this.segments = [...this.segments, ...this.unpublished, seg].filter((s) => s.numDocs > 0);
      this.unpublished = [];
      for (const w of b.waiters) w();
      if (!this.dirty) this.wakeRefreshWaiters();
    } else {
      this.unpublished.push(seg);
    }
    this.idFilter?.add(seg, () => this.allSegments());
    if (b.commit) this.commitSegments(b.commit.maxSeqNo, b.commit.translogGen, committed);
    if (!b.publish) {
      for (const [target, docs] of b.deletes) {
        const list = this.pendingDeletes.get(target);
        if (list) list.push(...docs);
        else this.pendingDeletes.set(target, docs);
      }
    }
    if (died.length > 0) this.pendingDeletes.set(seg, died);
    this.pacer.landed(performance.now(), b.startedAt, b.entries.length);
    const waiters = this.pressureWaiters;
    this.pressureWaiters = [];
    for (const w of waiters) w();
  }

  /**
   * The live docs of a landed build are in a segment now: their version-map entries become stale
   * (`lookup` goes to the segments for them) and leave the map a chunk per turn of the event loop.
   * Deleting 40k entries at once held the event loop for 16-67 ms per landing.
   */
  private moved(entries: BufferEntry[]): void {
    for (const e of entries) if (e.live && e.ver !== null) e.ver.buf = null;
    this.stale.push(entries);
    if (this.stale.length === 1) setImmediate(() => this.sweepStale());
  }

  /** Removes up to SWEEP_CHUNK stale entries from the version map, and schedules itself for the rest. */
  private sweepStale(): void {
    let budget = SWEEP_CHUNK;
    while (this.stale.length > 0 && budget > 0) {
      const entries = this.stale[0];
      const end = Math.min(entries.length, this.staleAt + budget);
      for (let i = this.staleAt; i < end; i++) {
        const v = entries[i].ver;
        // Only while it is still the id's entry: a later write or delete of the id replaced it.
        if (v !== null && v.buf === null && !v.deleted && this.versionMap.get(entries[i].id) === v) this.versionMap.delete(entries[i].id);
      }
      budget -= end - this.staleAt;
      this.staleAt = end;
      if (end === entries.length) {
        this.stale.shift();
        this.staleAt = 0;
      }
    }
    if (this.stale.length > 0) setImmediate(() => this.sweepStale());
  }

  /** Buffered docs with their fields, for a build on the event loop. */
  private parsed(entries: BufferEntry[]): BuildDoc[] {
    return entries.map((e) => {
      const source = slotBytes(e);
      return { id: e.id, seqNo: e.seqNo, version: e.version, primaryTerm: e.primaryTerm, routing: e.routing, source, fields: this.owner.parseSource(source, e.id) };
    });
  }

  /** Turns the write buffer into a segment (not yet visible to search) and points the version map at it. */
  private buildBuffer(): Segment | null {
    const live = this.buffer.filter((e) => e.live);
    this.buffer = [];
    if (live.length === 0) return null;
    const seg = buildSegment(`_${(this.commit.segmentCounter++).toString(36)}`, this.parsed(live), this.owner.analyzers);
    this.moved(live);
    this.idFilter?.add(seg, () => [...this.allSegments(), seg]);
    return seg;
  }

  /**
   * Tiered merging: when more than MERGE_FACTOR segments are searchable, the smallest ones (up to
   * MERGE_FACTOR, at most MAX_MERGE_DOCS docs in all) are merged structurally into one, on the merge
   * worker (`background`, one merge at a time) or here. Returns whether a merge started.
   */
  maybeMerge(background = !mergeWorker.broken && !this.mergeFailed): boolean {
    if (this.failure || this.merging || this.segments.length <= MERGE_FACTOR) return false;
    // While writers are paced, a merge waits until the segments reach twice the merge factor: the
    // builds are what writers wait for, and a merge beside them holds its inputs twice in memory and
    // on disk (bulk 1M after segments were published under load: RSS 1,640-1,700 MiB, disk
    // 0.62-0.67× with merges running all along, against 1,536 MiB and 0.60×).
    if (this.backlog >= PACED_BACKLOG_DOCS && this.segments.length <= 2 * MERGE_FACTOR) return false;
    // Segments whose _source is still being compressed in the background wait for the next round
    // (merging them now would compress on the event loop); the merge worker reads segment files, so
    // it only takes segments already written.
    const bySize = this.segments.filter((s) => s.sources.compressed !== false && (!background || s.persisted)).sort((a, b) => a.numDocs - b.numDocs);
    const chosen: Segment[] = [];
    let docs = 0;
    for (const seg of bySize) {
      if (chosen.length >= MERGE_FACTOR || docs + seg.numDocs > MAX_MERGE_DOCS) break;
      chosen.push(seg);
      docs += seg.numDocs;
    }
    if (chosen.length < 2) return false;
    if (background) this.mergeInBackground(chosen);
    else this.mergeGroup(chosen);
    return true;
  }

  /** Posts a merge of `group` (written segments) to the merge worker; finishMerge swaps it in. */
  private mergeInBackground(group: Segment[]): void {
    const inputs = mergeOrder(this.segments.filter((s) => group.includes(s)));
    const name = `_${(this.commit.segmentCounter++).toString(36)}`;
    const startDeletes = new Map(inputs.map((s) => [s, s.deletes] as const));
    const job = { kind: 'merge' as const, dir: join(this.dir, 'segments'), name, inputs: inputs.map((s) => ({ name: s.name, deletes: s.deletes ? s.deletes.toUint32Array() : new Uint32Array(0) })) };
    const jobId = mergeWorker.post(job, (r) => this.finishMerge(jobId, r));
    this.merging = { jobId, name, inputs, startDeletes, docs: inputs.reduce((n, seg) => n + seg.maxDoc, 0), startedAt: performance.now() };
  }

  /**
   * Swaps a merged segment in for its inputs. Docs deleted since the merge started are deleted in
   * the merged segment as they were in the inputs: visible deletes at once, pending ones (and those
   * an in-flight build will publish) at their refresh.
   */
  private finishMerge(jobId: number, r: JobResult): void {
    const m = this.merging;
    if (!m || m.jobId !== jobId) return;
    this.merging = null;
    if (r.ok) this.countMerge(m.docs, m.startedAt);
    if (!r.ok && !this.closed) {
      // Not expected (unreadable input file, disk full): merges of this shard go back to the event loop.
      process.emitWarning(`merge ${m.name} of ${this.dir} failed on the merge worker (${r.error}); merging on the event loop from now on`, 'LookoutWarning');
      this.mergeFailed = true;
    }
    if (this.closed || !r.ok || !m.inputs.every((s) => this.segments.includes(s))) return;
    const merged = segmentFromParts(r.segment, ...liveMeta(m.inputs, m.startDeletes));
    const visible: number[] = [];
    const pending: number[] = [];
    const withBuilds: number[][] = this.builds.map(() => []);
    let next = 0;
    for (const old of m.inputs) {
      const startDel = m.startDeletes.get(old) ?? null;
      const newDeletes = old.deletes !== startDel ? old.deletes : null;
      const oldPending = new Set(this.pendingDeletes.get(old) ?? []);
      this.pendingDeletes.delete(old);
      const oldBuilds = this.builds.map((b) => {
        const docs = new Set(b.deletes.get(old) ?? []);
        b.deletes.delete(old);
        return docs;
      });
      if ((startDel === null || startDel.size === 0) && newDeletes === null && oldPending.size === 0 && oldBuilds.every((b) => b.size === 0)) {
        // Nothing to carry over (an append-only load): no walk over the input's docs.
        next += old.maxDoc;
        continue;
      }
      for (let d = 0; d < old.maxDoc; d++) {
        if (startDel !== null && startDel.has(d)) continue;
        if (newDeletes !== null && newDeletes.has(d)) visible.push(next);
        if (oldPending.has(d)) pending.push(next);
        for (let i = 0; i < oldBuilds.length; i++) if (oldBuilds[i].has(d)) withBuilds[i].push(next);
        next++;
      }
    }
    if (visible.length > 0) merged.deletes = RoaringBitmap32.from(visible);
    if (pending.length > 0) this.pendingDeletes.set(merged, pending);
    this.builds.forEach((b, i) => {
      if (withBuilds[i].length > 0) b.deletes.set(merged, withBuilds[i]);
    });
    const firstAt = Math.min(...m.inputs.map((s) => this.segments.indexOf(s)));
    const rest = this.segments.filter((s) => !m.inputs.includes(s));
    rest.splice(Math.min(firstAt, rest.length), 0, merged);
    this.segments = rest;
    if (merged.maxDoc >= RECLAIM_AFTER_MERGE_DOCS) reclaimer.request();
  }

  /** `_forcemerge`: publishes pending writes, then merges until at most `maxSegments` segments remain. */
  forceMerge(maxSegments = 1): void {
    this.checkOpen();
    if (this.merging) this.finishMerge(this.merging.jobId, mergeWorker.waitSync(this.merging.jobId));
    this.refresh();
    while (this.segments.length > Math.max(1, maxSegments)) {
      // Merge the smallest segments, as many as it takes to reach the target in one step.
      const bySize = [...this.segments].sort((a, b) => a.numDocs - b.numDocs);
      this.mergeGroup(bySize.slice(0, this.segments.length - Math.max(1, maxSegments) + 1));
    }
  }

  /** Replaces `group` by one structurally merged segment, re-pointing the version map and pending deletes. */
  private mergeGroup(group: Segment[]): void {
    const startedAt = performance.now();
    // Keep doc order stable: merge in the shard's segment order.
    const inOrder = this.segments.filter((s) => group.includes(s));
    const merged = mergeSegments(`_${(this.commit.segmentCounter++).toString(36)}`, inOrder);
    this.countMerge(inOrder.reduce((n, seg) => n + seg.maxDoc, 0), startedAt);
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

  private countMerge(docs: number, startedAt: number): void {
    this.mergeTotals.count++;
    this.mergeTotals.docs += docs;
    this.mergeTotals.ms += performance.now() - startedAt;
  }

  /** The merge running on the merge worker, if any: the docs it reads (for index stats' `merges.current`). */
  get currentMerge(): { docs: number } | null {
    return this.merging && { docs: this.merging.docs };
  }

  /** Resolves after the next refresh (refresh=wait_for). */
  waitForRefresh(): Promise<void> {
    if (!this.dirty && this.builds.length === 0) return Promise.resolve();
    return new Promise((resolve) => this.refreshWaiters.push(resolve));
  }

  private wakeRefreshWaiters(): void {
    const waiters = this.refreshWaiters;
    this.refreshWaiters = [];
    for (const w of waiters) w();
  }

  /** Whether a flush is due (translog large). */
  /** `index.translog.flush_threshold_size` (default FLUSH_THRESHOLD_BYTES). */
  private get flushThreshold(): number {
    try {
      return byteSizeSetting(this.owner.settings(), 'index.translog.flush_threshold_size', FLUSH_THRESHOLD_BYTES);
    } catch {
      return FLUSH_THRESHOLD_BYTES;
    }
  }

  get needsFlush(): boolean {
    const threshold = this.flushThreshold;
    if (this.translog.sizeInBytes <= threshold) return false;
    // Let background compression of new segments (their _source, then their file sections) finish
    // first: the flush would otherwise redo it on the event loop. Bounded: at twice the mark it goes ahead.
    const pending = [...this.segments, ...this.unpublished].some((s) => s.sources.compressed === false || isPreparing(s));
    return !pending || this.translog.sizeInBytes > 2 * threshold;
  }

  get hasUncommitted(): boolean {
    return this.translog.operations > 0 || this.dirty || this.builds.length > 0;
  }

  /**
   * Persists every segment with its deletes (including deletes not yet visible to search), writes a
   * commit point and trims the translog. What searches see does not change.
   */
  flush(): void {
    if (this.failure) return;
    // Segments the translog is trimmed for must be in this commit: builds still running are waited for.
    this.landBuilds(true);
    this.buildLargeBufferOnWorker();
    const seg = this.buildBuffer();
    if (seg) this.unpublished.push(seg);
    this.commitSegments(this.maxSeqNo, this.translog.roll(), (s) => withDeletes(s, this.pendingDeletes.get(s) ?? []));
  }

  /**
   * Writes the segments not yet on disk, each segment's `deletes` (those of every operation up to
   * `maxSeqNo`, visible to search or not) and a commit point saying every operation up to `maxSeqNo`
   * is in them, then trims the translog generations before `translogGen`.
   */
  private commitSegments(maxSeqNo: number, translogGen: number, deletesOf: (s: Segment) => Bitmap | null): void {
    const segDir = join(this.dir, 'segments');
    const generation = this.commit.generation + 1;
    const entries: CommitPoint['segments'] = [];
    for (const s of [...this.segments, ...this.unpublished]) {
      const deletes = deletesOf(s);
      if (deletes && deletes.size === s.maxDoc) continue;
      if (!s.persisted) {
        writeSegment(segDir, s);
        s.persisted = true;
      }
      entries.push({ name: s.name, deletes: writeDeletes(segDir, s.name, deletes, generation) });
    }
    const commit: CommitPoint = { generation, segments: entries, maxSeqNo, translogGen, segmentCounter: this.commit.segmentCounter };
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
    // A merge still running is dropped (its file is removed on the next open).
    this.closed = true;
    for (const w of this.pressureWaiters) w();
    this.pressureWaiters = [];
    this.translog?.close();
  }

  /** Live documents visible to search. */
  get docCount(): number {
    return this.segments.reduce((n, s) => n + s.numDocs, 0);
  }

  get deletedDocs(): number {
    return this.segments.reduce((n, s) => n + (s.maxDoc - s.numDocs), 0);
  }

  /** Bytes in the translog's current generation (the operations since the last commit). */
  get translogBytes(): number {
    return this.translog.sizeInBytes;
  }

  /** Operations in the translog's current generation. */
  get translogOperations(): number {
    return this.translog.operations;
  }

  private replay(op: TranslogOp): void {
    // An auto-generated id is new, as when it was first indexed (see `index`): not looked up.
    const prev = op.autoId ? undefined : this.lookup(op.id);
    this.maxSeqNo = Math.max(this.maxSeqNo, op.seqNo);
    if (op.op === 'index') {
      this.applyIndex(this.bufferEntry(op.id, op.source!, op.routing ?? null, op.seqNo, op.version, op.primaryTerm), prev, op.autoId === true);
    } else if (op.op === 'delete') {
      this.applyDelete(op.id, op.seqNo, op.version, op.primaryTerm, prev);
    }
  }

  /** A buffer entry for an indexed document, its source (bytes, or JSON text) copied into the shard's arena. */
  private bufferEntry(id: string, source: Uint8Array | string, routing: string | null, seqNo: number, version: number, primaryTerm: number): BufferEntry {
    const entry: BufferEntry = { id, seqNo, version, primaryTerm, routing, chunk: NO_CHUNK, start: 0, end: 0, live: true, ver: null };
    if (typeof source === 'string') this.sources.placeString(entry, source);
    else this.sources.place(entry, source);
    return entry;
  }

  /**
   * Buffers an indexed document (replacing `prev`'s place) and points the version map at it, unless
   * it is an auto-id document and no explicit id was looked up yet (see `versionMap`).
   */
  private applyIndex(entry: BufferEntry, prev: VersionEntry | undefined, autoId: boolean): void {
    this.removeLocation(prev);
    this.buffer.push(entry);
    if (!autoId || this.autoIdsMapped) this.versionMap.set(entry.id, this.versionOf(entry));
    this.dirty = true;
  }

  /** A buffered document's version-map entry, made and linked both ways. */
  private versionOf(e: BufferEntry): VersionEntry {
    e.ver = { seqNo: e.seqNo, primaryTerm: e.primaryTerm, version: e.version, deleted: false, buf: e, seg: null, doc: -1 };
    return e.ver;
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
    // Files the workers are writing (or wrote) for segments not committed yet.
    for (const name of [...this.builds.map((b) => b.name), this.merging?.name]) {
      if (name) keep.add(`${name}.seg`).add(`${name}.seg.tmp`);
    }
    for (const s of this.segments) if (s.persisted) keep.add(`${s.name}.seg`);
    // Asynchronously, as the translog trims: unlinking a merge's large inputs stalled the event loop.
    // Names are never reused, so a late unlink cannot hit a newer file; a crash leaves them for the next open.
    for (const f of readdirSync(segDir)) if (!keep.has(f)) unlink(join(segDir, f), () => {});
  }
}

/**
 * The live copy of `id` (`h` = idHash(id)) with the highest seqNo among `segments` and `best` (a copy
 * found before, or null).
 */
function newestCopy(id: string, h: number, segments: Segment[], best: { seg: Segment; doc: number } | null): { seg: Segment; doc: number } | null {
  for (const seg of segments) {
    const doc = seg.liveDocWithId(id, h);
    if (doc >= 0 && (best === null || seg.meta.seqNos[doc] > best.seg.meta.seqNos[best.doc])) best = { seg, doc };
  }
  return best;
}

/** The ids and routings of `inputs`' docs not in their `deletes`, in order: those of a merge of them. */
function liveMeta(inputs: Segment[], deletes: Map<Segment, Bitmap | null>): [PackedStrings, (string | null)[] | null] {
  // Without a routing anywhere (the usual case) there is no routings column to build.
  const routed = inputs.some((s) => s.meta.routings !== null);
  const idParts: PackedStrings[] = [];
  const routingParts: (string | null)[][] = [];
  for (const seg of inputs) {
    const del = deletes.get(seg);
    const dels = del && del.size > 0 ? del.toUint32Array() : null;
    idParts.push(dels ? seg.meta.ids.without(dels) : seg.meta.ids);
    if (!routed) continue;
    if (!dels) {
      // Whole inputs are joined natively below: a loop over a big merge's docs ran once per merge, so
      // never optimized, and held the event loop for 35-75 ms.
      routingParts.push(seg.meta.routings ?? new Array<string | null>(seg.maxDoc).fill(null));
      continue;
    }
    const routings: (string | null)[] = [];
    // Ascending, walked beside the docs (a bitmap lookup per doc was a native call per doc).
    for (let d = 0, k = 0; d < seg.maxDoc; d++) {
      while (k < dels.length && dels[k] < d) k++;
      if (k < dels.length && dels[k] === d) continue;
      routings.push(routingOf(seg.meta, d));
    }
    routingParts.push(routings);
  }
  return [PackedStrings.concat(idParts), routed ? routingsColumn(([] as (string | null)[]).concat(...routingParts)) : null];
}

/** A segment's deletes plus more doc ids, as a new bitmap (null when there are none). */
function withDeletes(seg: Segment, docs: number[]): Bitmap | null {
  if (docs.length === 0) return seg.deletes;
  const next = seg.deletes ? seg.deletes.clone() : new RoaringBitmap32();
  next.addMany(docs);
  return next;
}

/**
 * The order a background merge takes its inputs in: those whose compressed `_source` blocks it can
 * copy as they are (no deletes, a whole number of blocks, the current codec) first, in shard order;
 * then the others, largest first, those with deletes last. The merger copies an input block only
 * while the merged blocks line up with the input's, so one input of another size (a refresh's
 * segment, say) in the middle made it decompress and compress again every block after it. Merges
 * already take segments that are not next to each other (the smallest), so the merged segment's doc
 * order was never the order of writes.
 */
export function mergeOrder(inputs: Segment[]): Segment[] {
  const deleted = (s: Segment): number => (s.deletes !== null && s.deletes.size > 0 ? 1 : 0);
  const whole = (s: Segment): boolean => s.maxDoc % DOCS_PER_BLOCK === 0 && deleted(s) === 0 && s.sources.codec === WRITE_CODEC;
  const rest = inputs.filter((s) => !whole(s)).sort((a, b) => deleted(a) - deleted(b) || b.maxDoc - a.maxDoc);
  return [...inputs.filter(whole), ...rest];
}

function fsyncDir(dir: string): void {
  const fd = openSync(dir, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

/** A build job for the worker: the docs' metadata (transferred) and `_source` bytes (shared, from the arena). */
function buildJob(dir: string, name: string, settings: FlatSettings, mapping: Record<string, unknown>, entries: BufferEntry[]): { job: BuildJob; transfer: ArrayBuffer[]; ids: PackedStrings; routings: (string | null)[] | null } {
  const n = entries.length;
  const seqNos = new Float64Array(n);
  const versions = new Float64Array(n);
  const primaryTerms = new Float64Array(n);
  const idList = new Array<string>(n);
  const routings = new Array<string | null>(n);
  let routed = false;
  for (let d = 0; d < n; d++) {
    const e = entries[d];
    seqNos[d] = e.seqNo;
    versions[d] = e.version;
    primaryTerms[d] = e.primaryTerm;
    idList[d] = e.id;
    routings[d] = e.routing;
    if (e.routing !== null) routed = true;
  }
  const sources = sharedSlots(entries);
  // Packed, they go to the worker as two arrays to copy instead of a string each to clone (~4 ms per
  // 40k-doc build), and the landed segment keeps them packed.
  const ids = PackedStrings.from(idList);
  // Routings go only when some doc has one: cloning 40k nulls cost ~2 ms of the event loop per build.
  const meta = { ids: { blob: ids.blob, starts: ids.starts }, seqNos, versions, primaryTerms, routings: routed ? routings : null };
  const job: BuildJob = { kind: 'build', dir, name, settings, mapping, meta, sources };
  return { job, ids, routings: meta.routings, transfer: [sources.chunkOf.buffer as ArrayBuffer, sources.starts.buffer as ArrayBuffer, sources.ends.buffer as ArrayBuffer, seqNos.buffer, versions.buffer, primaryTerms.buffer] };
}
