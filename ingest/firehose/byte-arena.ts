// Where a delivery's record bytes live: 64 KB chunks, reused from one delivery to the next. A Buffer
// of its own per ~1 KB record came from Node's 8 KB pool, which makes a new ArrayBuffer every ~7
// records (~2 µs per record on the event loop under --single-threaded-gc); fresh chunks per delivery
// were still ~1 µs per record (each a new allocation, faulted in page by page as it was filled, and
// external memory that brings V8's next full collection closer). A delivery's chunks go back to the
// pool once it is answered: the engine copies what it keeps before its write returns.

/** Chunk size: below glibc's mmap threshold (131072, see SERVER_ENV), so even a new one is not a fresh mapping. */
const CHUNK_BYTES = 64 * 1024;
/** Bytes larger than this get a buffer of their own (not pooled). */
const LARGE_BYTES = CHUNK_BYTES >>> 3;
/** Chunks kept for reuse: 8 deliveries in flight of ~620 KB each need ~80. */
const MAX_FREE_CHUNKS = 256;

const freeChunks: Buffer[] = [];

export class ByteArena {
  private chunks: Buffer[] = [];
  private chunk: Buffer | null = null;
  private used = 0;
  private released = false;

  /** `n` bytes of uninitialized memory, valid until `release`. */
  take(n: number): Buffer {
    if (this.released) throw new Error('ByteArena used after release');
    if (n > LARGE_BYTES) return Buffer.allocUnsafeSlow(n);
    if (this.chunk === null || this.used + n > CHUNK_BYTES) {
      this.chunk = freeChunks.pop() ?? Buffer.allocUnsafeSlow(CHUNK_BYTES);
      this.chunks.push(this.chunk);
      this.used = 0;
    }
    const out = this.chunk.subarray(this.used, this.used + n);
    // 8-byte aligned, as Node's pool keeps its slices.
    this.used = (this.used + n + 7) & ~7;
    return out;
  }

  /** Decodes base64 `text` into arena bytes: as `Buffer.from(text, 'base64')`, fewer bytes than expected when `text` strays from the alphabet. */
  decodeBase64(text: string): Buffer {
    const out = this.take(Buffer.byteLength(text, 'base64'));
    const n = out.write(text, 'base64');
    return n === out.length ? out : out.subarray(0, n);
  }

  /** Gives the chunks back for other deliveries: nothing taken from this arena may be used after. */
  release(): void {
    if (this.released) return;
    this.released = true;
    for (const c of this.chunks) if (freeChunks.length < MAX_FREE_CHUNKS) freeChunks.push(c);
    this.chunks = [];
    this.chunk = null;
  }
}
