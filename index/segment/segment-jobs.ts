// Segment building and merging on worker threads, so the event loop that serves requests only parses
// documents and appends them to the translog. A job names the shard's segments folder; the worker
// builds (or merges) the segment, writes and fsyncs its file there (not yet part of any commit: the
// shard's next flush commits it, a crash before that leaves a file the next open deletes) and sends
// the segment's in-memory parts back. Two workers: builds (refreshes) never queue behind a merge.
//
// Results arrive as messages; a caller that cannot wait (a synchronous refresh or flush that must see
// an in-flight build) blocks on `waitSync`, which takes the reply off the port directly.

import type { SharedSources } from '../shard/source-arena.ts';
import * as workerThreads from 'node:worker_threads';
import { MessageChannel, Worker, receiveMessageOnPort, type MessagePort } from 'node:worker_threads';
import type { FlatSettings } from '../indices/settings.ts';
import { Segment, withLazyTerms, type DocMeta, type DocValuesField, type InvertedField, type PackedTerms } from './segment.ts';
import { BlockSourceStore } from './source-store.ts';
import { buildIdIndex, type IdIndex } from './id-index.ts';
import type { PackedStrings, PackedStringsData } from './packed-strings.ts';
import type { Codec } from './block-codec.ts';

/** Build a segment from documents (in doc order). */
export interface BuildJob {
  kind: 'build';
  dir: string;
  name: string;
  /** The index settings and mapping the sources are parsed and analyzed with. */
  settings: FlatSettings;
  mapping: Record<string, unknown>;
  /** The docs' metadata; `routings` null when no doc has one. */
  meta: Omit<DocMeta, 'ids'> & { ids: PackedStringsData };
  /** Every doc's `_source`, in shared memory (the shard's source arena). */
  sources: SharedSources;
}

/** Merge segment files (in order), leaving out each input's `deletes` (doc ids). */
export interface MergeJob {
  kind: 'merge';
  dir: string;
  name: string;
  inputs: Array<{ name: string; deletes: Uint32Array }>;
}

export type SegmentJob = BuildJob | MergeJob;

/**
 * A segment's parts as the worker sends them back (structured-cloned): no strings. Its ids and
 * routings are the event loop's own (a build's come from its buffer entries, a merge's from its
 * inputs), and term dictionaries come packed as the file stores them (see PackedTerms): cloning
 * them as strings cost both threads time, and the copies sat on the event loop's heap.
 */
export interface SegmentParts {
  name: string;
  maxDoc: number;
  meta: Pick<DocMeta, 'seqNos' | 'versions' | 'primaryTerms'>;
  sources: { blockOffsets: Float64Array; blockData: Uint8Array; docOffsets: Uint32Array; codec: Codec };
  inverted: Map<string, Omit<InvertedField, 'terms'> & { packedTerms: PackedTerms }>;
  /** Ordinal fields carry `packedTerms`, or `termsOfInverted` when their dictionary is the inverted field's. */
  docValues: Map<string, Omit<DocValuesField, 'terms'> & { packedTerms?: PackedTerms; termsOfInverted?: boolean }>;
  /** The `_id` lookup table, built here off the event loop. */
  idIndex: IdIndex;
}

export type JobResult = { ok: true; segment: SegmentParts } | { ok: false; error: string };

/** The parts of a segment (to send it back from a worker); `dictionaries` as writeSegment returned them. */
export function segmentParts(seg: Segment, dictionaries: Map<string, Uint8Array>): SegmentParts {
  const { blockOffsets, blockData, docOffsets, codec } = seg.sources;
  const packed = (name: string, terms: string[]): PackedTerms => {
    const blob = dictionaries.get(name);
    if (!blob && terms.length > 0) throw new Error(`segment ${seg.name}: no written dictionary ${name}`);
    return { blob: blob ?? new Uint8Array(0), count: terms.length };
  };
  const inverted: SegmentParts['inverted'] = new Map();
  for (const [f, { terms, ...rest }] of seg.inverted) inverted.set(f, { ...rest, packedTerms: packed(`inv.${f}.terms`, terms) });
  const docValues: SegmentParts['docValues'] = new Map();
  for (const [f, { terms, ...rest }] of seg.docValues) {
    if (!terms) docValues.set(f, rest);
    else if (dictionaries.has(`dv.${f}.terms`) || terms.length === 0) docValues.set(f, { ...rest, packedTerms: packed(`dv.${f}.terms`, terms) });
    else docValues.set(f, { ...rest, termsOfInverted: true });
  }
  const { seqNos, versions, primaryTerms } = seg.meta;
  return { name: seg.name, maxDoc: seg.maxDoc, meta: { seqNos, versions, primaryTerms }, sources: { blockOffsets, blockData, docOffsets, codec }, inverted, docValues, idIndex: buildIdIndex(seg.meta.ids) };
}

/**
 * Whether Node has marked `b` untransferable (its buffer pools). Node 20 silently copies such a buffer
 * when it is in a transfer list, Node 22 and later refuse the whole message with a DataCloneError
 * (which killed every build worker: seen on Node 24 with a 64 KB pool under a 14 KB keyword dictionary).
 * Node 20 has no way to ask and needs none.
 */
const isUntransferable: (b: ArrayBuffer) => boolean =
  (workerThreads as { isMarkedAsUntransferable?: (o: unknown) => boolean }).isMarkedAsUntransferable ?? (() => false);

/**
 * The large buffers under a segment's typed arrays, to move with the message instead of copying
 * them (a big merge's copy would briefly double its memory). Small ones may share Node's buffer
 * pool, which cannot be transferred: those are copied, as is any buffer Node marked untransferable.
 */
export function largeBuffers(p: SegmentParts): ArrayBuffer[] {
  const out = new Set<ArrayBuffer>();
  const add = (a: ArrayBufferView | undefined) => {
    if (a && a.buffer.byteLength >= 64 * 1024 && a.buffer instanceof ArrayBuffer && !isUntransferable(a.buffer)) out.add(a.buffer);
  };
  add(p.meta.seqNos);
  add(p.meta.versions);
  add(p.meta.primaryTerms);
  add(p.sources.blockOffsets);
  add(p.sources.blockData);
  add(p.sources.docOffsets);
  add(p.idIndex.slots);
  for (const inv of p.inverted.values()) [inv.docStart, inv.docs, inv.freqs, inv.posStart, inv.positions, inv.norms, inv.packedTerms.blob].forEach(add);
  for (const dv of p.docValues.values()) [dv.offsets, dv.values, dv.packedTerms?.blob].forEach(add);
  return [...out];
}

/**
 * A segment from parts a worker sent and the event loop's `ids` and `routings` of its docs; its file
 * is on disk (written and fsynced by the worker).
 */
export function segmentFromParts(p: SegmentParts, ids: PackedStrings, routings: (string | null)[] | null): Segment {
  if (ids.length !== p.maxDoc || (routings !== null && routings.length !== p.maxDoc)) throw new Error(`segment ${p.name}: ${ids.length} ids and ${routings?.length} routings for ${p.maxDoc} docs`);
  const inverted = new Map<string, InvertedField>();
  for (const [f, { packedTerms, ...rest }] of p.inverted) inverted.set(f, withLazyTerms(rest, packedTerms));
  const docValues = new Map<string, DocValuesField>();
  for (const [f, { packedTerms, termsOfInverted, ...rest }] of p.docValues) {
    if (packedTerms) docValues.set(f, withLazyTerms(rest, packedTerms));
    else if (termsOfInverted) docValues.set(f, withLazyTerms(rest, () => inverted.get(f)!.terms));
    else docValues.set(f, rest);
  }
  const meta: DocMeta = { ids, seqNos: p.meta.seqNos, versions: p.meta.versions, primaryTerms: p.meta.primaryTerms, routings };
  const seg = new Segment(p.name, p.maxDoc, meta, new BlockSourceStore(p.sources.blockOffsets, p.sources.blockData, p.sources.docOffsets, p.sources.codec), inverted, docValues);
  seg.idIndex = p.idIndex;
  seg.persisted = true;
  return seg;
}

type Done = (r: JobResult) => void;

/**
 * Builds and merges yield the CPU to the event loop (nice 10 for the worker thread only: on Linux a
 * thread's priority is its own). They are throughput work; the event loop answers requests, and with
 * three busy threads on two cores a preempted event loop is what made Firehose deliveries wait
 * (500-record deliveries at 8 in flight: 32k → 40k records/s, p99 225 → 195 ms, medians of 4 runs).
 * Set before the worker loads anything: booting one (tsx compiling its modules) took most of a core
 * for about a second at the start of a burst, at the event loop's priority.
 */
const WORKER_NICE = 10;

/**
 * Merges yield to the builds as well (nice 19: about a seventh of a build worker's share when both
 * want a core): a build is what paced writers wait for, and nobody waits for a merge. At nice 10 the
 * merges that now run under a sustained load (its segments are published as they land) took enough
 * of two cores that the Firehose benchmark's 40,000 records/s phase fell behind (37.4-39.2k
 * acknowledged, p99 0.9-2.2 s; at nice 19 40.0k, p99 118-151 ms, 3 pairs). Under a load that keeps
 * every core busy merges then wait for idle time, and segments pile up until it eases.
 */
const MERGE_WORKER_NICE = 19;

/**
 * The worker runs segment-worker.ts. Under tsx (npm start) and vitest alike a new thread has no
 * TypeScript loader, so a tiny bootstrap sets its priority (`nice`), registers tsx's and then imports
 * the real module. Where the priority cannot be changed (some sandboxes) the worker runs at the process's.
 */
const WORKER_URL = new URL('./segment-worker.ts', import.meta.url).href;
const bootstrap = (nice: number): string => `try { require('node:os').setPriority(${nice}); } catch {}
import('tsx/esm/api').then(({ register }) => { register(); return import(${JSON.stringify(WORKER_URL)}); });`;

/** An idle worker thread is stopped after this long (tests shorten it). */
let IDLE_STOP_MS = 5_000;
export function setWorkerIdleStopMs(ms: number): void {
  IDLE_STOP_MS = ms;
}

/** Longest a synchronous wait for a job may block before it is treated as lost. */
const SYNC_WAIT_LIMIT_MS = 120_000;

export class SegmentWorker {
  private worker: Worker | null = null;
  private port: MessagePort | null = null;
  /** Incremented (and notified) by the worker after each reply, so `waitSync` can sleep until one is posted. */
  private signal = new Int32Array(new SharedArrayBuffer(4));
  private nextId = 1;
  private waiting = new Map<number, Done>();
  /**
   * Replies a `waitSync` took off the port for other jobs: delivered to their callbacks on the next
   * turn of the event loop, unless a `waitSync` for that job claims them first.
   */
  private early = new Map<number, JobResult>();
  /** Set when the worker could not start or died: jobs then fail at once and callers use the event loop. */
  broken = false;

  constructor(private readonly role: string, private readonly nice = WORKER_NICE) {}

  /** Whether the worker thread is up (it stops when idle, and starts again with the next job). */
  get running(): boolean {
    return this.worker !== null;
  }

  /** Jobs posted and not yet answered. */
  get load(): number {
    return this.waiting.size;
  }

  /**
   * Starts the thread ahead of a job that is coming (a write buffer filling up), so its boot (about a
   * second of compiling modules) overlaps the buffering instead of delaying the first build of a
   * burst. Stopped again if no job comes within IDLE_STOP_MS.
   */
  warm(): void {
    if (this.worker || this.broken || this.idleTimer) return;
    if (this.start()) this.idleSince();
  }

  /** Posts a job; `done` gets the reply (later, never synchronously). Returns the job id. */
  post(job: SegmentJob, done: Done, transfer: ArrayBuffer[] = []): number {
    const id = this.nextId++;
    if (this.idleTimer) {
      clearTimeout(this.idleTimer);
      this.idleTimer = null;
    }
    if (!this.start()) {
      setImmediate(() => done({ ok: false, error: `${this.role} worker unavailable` }));
      return id;
    }
    this.waiting.set(id, done);
    this.worker!.ref();
    this.port!.postMessage({ id, job }, transfer);
    return id;
  }

  /** Blocks until job `id` is answered and returns its reply (its `done` callback is then not called). */
  waitSync(id: number): JobResult {
    const early = this.early.get(id);
    if (early) {
      this.early.delete(id);
      return early;
    }
    if (!this.waiting.has(id)) return { ok: false, error: 'no such job' };
    const deadline = Date.now() + SYNC_WAIT_LIMIT_MS;
    for (;;) {
      const seen = Atomics.load(this.signal, 0);
      const m = this.port ? receiveMessageOnPort(this.port) : undefined;
      if (m) {
        const msg = m.message as { id: number; result: JobResult };
        if (msg.id === id) {
          this.settle(id);
          return msg.result;
        }
        // Another job's reply: deliver it as the async listener would have (or to its own waitSync).
        const done = this.settle(msg.id);
        if (done) {
          this.early.set(msg.id, msg.result);
          setImmediate(() => {
            if (this.early.delete(msg.id)) done(msg.result);
          });
        }
        continue;
      }
      if (this.broken || Date.now() > deadline) {
        this.settle(id);
        return { ok: false, error: `${this.role} worker did not answer` };
      }
      Atomics.wait(this.signal, 0, seen, 50);
    }
  }

  private settle(id: number): Done | undefined {
    const done = this.waiting.get(id);
    this.waiting.delete(id);
    if (this.waiting.size === 0) {
      this.worker?.unref();
      this.idleSince();
    }
    return done;
  }

  /**
   * An idle worker is stopped after IDLE_STOP_MS (its heap and loaded modules are tens of megabytes)
   * and started again by the next job.
   */
  private idleTimer: NodeJS.Timeout | null = null;
  private idleSince(): void {
    if (this.idleTimer) clearTimeout(this.idleTimer);
    this.idleTimer = setTimeout(() => {
      this.idleTimer = null;
      if (this.waiting.size > 0 || !this.worker) return;
      const w = this.worker;
      this.worker = null;
      this.port?.close();
      this.port = null;
      w.removeAllListeners('exit');
      w.removeAllListeners('error');
      void w.terminate();
    }, IDLE_STOP_MS);
    this.idleTimer.unref();
  }

  private start(): boolean {
    if (this.worker) return true;
    if (this.broken) return false;
    const { port1, port2 } = new MessageChannel();
    try {
      this.worker = new Worker(bootstrap(this.nice), { eval: true, workerData: { port: port2, signal: this.signal }, transferList: [port2] });
    } catch {
      this.broken = true;
      return false;
    }
    this.port = port1;
    port1.on('message', (msg: { id: number; result: JobResult }) => this.settle(msg.id)?.(msg.result));
    port1.unref();
    // A dead worker fails its jobs (callers fall back to the event loop) and is not restarted.
    const fail = (err: unknown) => {
      this.broken = true;
      this.worker = null;
      const jobs = [...this.waiting.values()];
      this.waiting.clear();
      for (const done of jobs) done({ ok: false, error: `${this.role} worker died: ${String(err)}` });
    };
    this.worker.on('error', fail);
    this.worker.on('exit', (code) => fail(`exit ${code}`));
    // Idle, the worker must not keep the process alive.
    this.worker.unref();
    return true;
  }
}

/**
 * Builds run on these workers (refreshes wait for them). Two, so that while one shard's build runs
 * the next full buffer (of that shard or another) is built beside it: a build is the costliest step
 * of indexing and the event loop alone leaves a core idle.
 */
export const buildWorkers = [new SegmentWorker('segment build'), new SegmentWorker('segment build')];
export const buildWorker = buildWorkers[0];

/** The build worker with the fewest jobs in flight (null when none can run). */
export function pickBuildWorker(): SegmentWorker | null {
  let best: SegmentWorker | null = null;
  for (const w of buildWorkers) if (!w.broken && (best === null || w.load < best.load)) best = w;
  return best;
}
/** Merges run on this one (long, and nobody waits for them). */
export const mergeWorker = new SegmentWorker('segment merge', MERGE_WORKER_NICE);
