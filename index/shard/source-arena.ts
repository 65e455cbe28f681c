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

export class SourceArena {
  private view: Buffer | null = null;
  private pos = 0;

  /**
   * `text` as UTF-8 in shared memory: documents an ingest API wrote as JSON text (PutMetricData,
   * PutLogEvents) go straight into the arena, without a Buffer of their own first.
   */
  copyString(text: string): Buffer {
    // UTF-8 needs at most 3 bytes per UTF-16 unit; a text that might not fit a shared chunk is encoded first.
    const most = 3 * text.length;
    if (most > OWN_CHUNK_BYTES) return this.copy(Buffer.from(text));
    let view = this.view;
    if (view === null || this.pos + most > CHUNK_BYTES) {
      view = this.view = Buffer.from(new SharedArrayBuffer(CHUNK_BYTES));
      this.pos = 0;
    }
    const start = this.pos;
    const n = view.write(text, start, 'utf8');
    this.pos = start + n;
    return view.subarray(start, start + n);
  }

  /** A copy of `src` in shared memory (a view whose `.buffer` is a SharedArrayBuffer). */
  copy(src: Uint8Array): Buffer {
    const n = src.length;
    if (n > OWN_CHUNK_BYTES) {
      const own = Buffer.from(new SharedArrayBuffer(n));
      own.set(src);
      return own;
    }
    let view = this.view;
    if (view === null || this.pos + n > CHUNK_BYTES) {
      view = this.view = Buffer.from(new SharedArrayBuffer(CHUNK_BYTES));
      this.pos = 0;
    }
    const start = this.pos;
    view.set(src, start);
    this.pos = start + n;
    return view.subarray(start, start + n);
  }
}

/** The sources of a batch of documents as chunks plus, per doc, its chunk and byte range. */
export interface SharedSources {
  chunks: SharedArrayBuffer[];
  chunkOf: Uint32Array;
  starts: Uint32Array;
  ends: Uint32Array;
}

/** Describes `sources` (arena copies; any other buffer is copied into a chunk of its own) by chunk and range. */
export function sharedSources(sources: Uint8Array[]): SharedSources {
  const n = sources.length;
  const chunks: SharedArrayBuffer[] = [];
  const index = new Map<ArrayBufferLike, number>();
  const chunkOf = new Uint32Array(n);
  const starts = new Uint32Array(n);
  const ends = new Uint32Array(n);
  // Consecutive documents mostly share a chunk: the map is consulted only when the chunk changes.
  let lastBuffer: ArrayBufferLike | null = null;
  let lastChunk = 0;
  for (let d = 0; d < n; d++) {
    let s = sources[d];
    let buffer = s.buffer;
    if (!(buffer instanceof SharedArrayBuffer)) {
      const own = new Uint8Array(new SharedArrayBuffer(s.length));
      own.set(s);
      s = own;
      buffer = own.buffer;
    }
    let c: number | undefined = lastChunk;
    if (buffer !== lastBuffer) {
      c = index.get(buffer);
      if (c === undefined) {
        c = chunks.length;
        chunks.push(buffer as SharedArrayBuffer);
        index.set(buffer, c);
      }
      lastBuffer = buffer;
      lastChunk = c;
    }
    chunkOf[d] = c;
    starts[d] = s.byteOffset;
    ends[d] = s.byteOffset + s.length;
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
