// Where a shard keeps the `_source` of documents not yet in a segment: copied, as they are indexed,
// into 64 KiB chunks of shared memory. A build then hands the worker the chunks themselves (shared,
// neither copied nor detached, so realtime GETs keep reading them while the worker builds) instead of
// the event loop concatenating 50 MB of sources in one go (70-260 ms measured at 40-75k docs of 1 KB,
// mostly first-touch page faults, during which no request was served). Copying also lets a request's
// body go as soon as it is answered, instead of living as long as any of its documents is buffered.

/**
 * Bytes per chunk. Below glibc's mmap threshold (128 KiB as `npm start` sets it), so chunks come from
 * memory malloc already holds: a fresh mapping costs a page fault per 4 KiB on first touch, which on
 * this VM made a 1 MiB chunk cost 1.7 ms.
 */
const CHUNK_BYTES = 64 * 1024;
/** Larger sources get a chunk of their own. */
const OWN_CHUNK_BYTES = CHUNK_BYTES >>> 2;

/**
 * Where a source sits in the arena: its chunk and byte range. Buffered documents hold these fields
 * themselves instead of a Buffer view each (a view is an object that lives as long as the document is
 * buffered, copied by every young-generation collection until promoted).
 */
export interface ArenaSlot {
  chunk: Buffer;
  start: number;
  end: number;
}

/** A slot's bytes, as a view (made when asked for: realtime GET, builds on the event loop). */
export function slotBytes(s: ArenaSlot): Buffer {
  return s.chunk.subarray(s.start, s.end);
}

export class SourceArena {
  private view: Buffer | null = null;
  private pos = 0;

  /**
   * Writes `text` as UTF-8 into the arena and `slot`: documents an ingest API wrote as JSON text
   * (PutMetricData, PutLogEvents) go straight into the arena, without a Buffer of their own first.
   */
  placeString(slot: ArenaSlot, text: string): void {
    // UTF-8 needs at most 3 bytes per UTF-16 unit; a text that might not fit a shared chunk is encoded first.
    const most = 3 * text.length;
    if (most > OWN_CHUNK_BYTES) return this.place(slot, Buffer.from(text));
    const view = this.room(most);
    const start = this.pos;
    this.pos = start + view.write(text, start, 'utf8');
    slot.chunk = view;
    slot.start = start;
    slot.end = this.pos;
  }

  /** Copies `src` into the arena (shared memory) and `slot`. */
  place(slot: ArenaSlot, src: Uint8Array): void {
    const n = src.length;
    if (n > OWN_CHUNK_BYTES) {
      const own = Buffer.from(new SharedArrayBuffer(n));
      own.set(src);
      slot.chunk = own;
      slot.start = 0;
      slot.end = n;
      return;
    }
    const view = this.room(n);
    const start = this.pos;
    view.set(src, start);
    this.pos = start + n;
    slot.chunk = view;
    slot.start = start;
    slot.end = this.pos;
  }

  /** The current chunk, with at least `n` bytes free after `pos`. */
  private room(n: number): Buffer {
    let view = this.view;
    if (view === null || this.pos + n > CHUNK_BYTES) {
      view = this.view = Buffer.from(new SharedArrayBuffer(CHUNK_BYTES));
      this.pos = 0;
    }
    return view;
  }
}

/** The sources of a batch of documents as chunks plus, per doc, its chunk and byte range. */
export interface SharedSources {
  chunks: SharedArrayBuffer[];
  chunkOf: Uint32Array;
  starts: Uint32Array;
  ends: Uint32Array;
}

/** Describes arena slots (chunks in shared memory) by chunk and range, for a build worker. */
export function sharedSlots(slots: ArenaSlot[]): SharedSources {
  const n = slots.length;
  const chunks: SharedArrayBuffer[] = [];
  const index = new Map<ArrayBufferLike, number>();
  const chunkOf = new Uint32Array(n);
  const starts = new Uint32Array(n);
  const ends = new Uint32Array(n);
  // Consecutive documents mostly share a chunk: the map is consulted only when the chunk changes.
  let lastChunk: Buffer | null = null;
  let c = 0;
  for (let d = 0; d < n; d++) {
    const slot = slots[d];
    const chunk = slot.chunk;
    if (chunk !== lastChunk) {
      const buffer = chunk.buffer;
      let known = index.get(buffer);
      if (known === undefined) {
        known = chunks.length;
        chunks.push(buffer as SharedArrayBuffer);
        index.set(buffer, known);
      }
      lastChunk = chunk;
      c = known;
    }
    chunkOf[d] = c;
    starts[d] = chunk.byteOffset + slot.start;
    ends[d] = chunk.byteOffset + slot.end;
  }
  return { chunks, chunkOf, starts, ends };
}

/** Doc `d`'s source decoded as UTF-8 text, read in place from its chunk (on the worker side). */
export function sourceText(s: SharedSources, views: Buffer[], d: number): string {
  return views[s.chunkOf[d]].toString('utf8', s.starts[d], s.ends[d]);
}

/** A buffer over each chunk, for `sourceText`. */
export function chunkViews(s: SharedSources): Buffer[] {
  return s.chunks.map((c) => Buffer.from(c));
}

/** The sources back as buffers (on the worker side), in doc order. */
export function sourcesOf(s: SharedSources): Buffer[] {
  const views = chunkViews(s);
  const out: Buffer[] = new Array(s.chunkOf.length);
  for (let d = 0; d < out.length; d++) out[d] = views[s.chunkOf[d]].subarray(s.starts[d], s.ends[d]);
  return out;
}
