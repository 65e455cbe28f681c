// `_source` storage: the bytes each client sent, packed in deflate-compressed blocks so a segment of a
// million ~500-byte documents costs a fraction of its raw size in memory and on disk.

import { deflateRawSync, inflateRawSync, constants } from 'node:zlib';
import { deflateBlocksInBackground, type DeflatedBlocks } from './deflate-worker.ts';

/** Random access to each doc's `_source` bytes. */
export interface SourceStore {
  get(doc: number): Buffer;
  /** False while blocks are still being compressed in the background (reading the parts below then compresses them at once). */
  readonly compressed?: boolean;
  /** The serialized parts (for the segment file). */
  readonly blockOffsets: Float64Array;
  readonly blockData: Uint8Array;
  readonly docOffsets: Uint32Array;
}

/** Docs per compressed block: small enough that fetching one hit inflates little. */
export const DOCS_PER_BLOCK = 32;

/** Builds a block-compressed store from sources in doc order. */
export function buildSourceStore(sources: Buffer[]): BlockSourceStore {
  const numBlocks = Math.ceil(sources.length / DOCS_PER_BLOCK);
  const blockOffsets = new Float64Array(numBlocks + 1);
  const docOffsets = blockDocOffsets(sources);
  const chunks: Buffer[] = [];
  let total = 0;
  for (let b = 0; b < numBlocks; b++) {
    const start = b * DOCS_PER_BLOCK;
    const end = Math.min(start + DOCS_PER_BLOCK, sources.length);
    const packed = compressBlock(Buffer.concat(sources.slice(start, end), docOffsets[end + b]));
    chunks.push(packed);
    blockOffsets[b] = total;
    total += packed.length;
  }
  return assembleStore(chunks, blockOffsets, docOffsets);
}

/**
 * docOffsets[d + b] is the offset of doc d within its (uncompressed) block b; each block has one extra
 * slot for its end, which is also the block's raw length.
 */
function blockDocOffsets(sources: Buffer[]): Uint32Array {
  const numBlocks = Math.ceil(sources.length / DOCS_PER_BLOCK);
  const docOffsets = new Uint32Array(sources.length + numBlocks);
  for (let b = 0; b < numBlocks; b++) {
    const start = b * DOCS_PER_BLOCK;
    const end = Math.min(start + DOCS_PER_BLOCK, sources.length);
    let off = 0;
    for (let d = start; d < end; d++) {
      docOffsets[d + b] = off;
      off += sources[d].length;
    }
    docOffsets[end + b] = off;
  }
  return docOffsets;
}

const DEFLATE_OPTIONS = { level: 1, strategy: constants.Z_DEFAULT_STRATEGY };

/** Compresses one block of concatenated sources (the one setting every store uses). */
export function compressBlock(raw: Buffer): Buffer {
  return deflateRawSync(raw, DEFLATE_OPTIONS);
}

/**
 * A store whose blocks are compressed on a background thread (`deflate-worker.ts`), off the event
 * loop that builds segments and serves requests. Until the blocks are back, `get` serves the sources
 * as they were sent; whoever needs the compressed layout first (a flush writing the segment file, a
 * merge) compresses them synchronously instead. Byte-identical to `buildSourceStore`.
 */
export class DeferredSourceStore implements SourceStore {
  private store: BlockSourceStore | null = null;
  private sources: Buffer[];

  constructor(sources: Buffer[]) {
    this.sources = sources;
    const numBlocks = Math.ceil(sources.length / DOCS_PER_BLOCK);
    if (numBlocks === 0) {
      this.complete();
      return;
    }
    let total = 0;
    for (const s of sources) total += s.length;
    const data = new Uint8Array(total);
    const ends = new Uint32Array(numBlocks);
    let pos = 0;
    for (let d = 0; d < sources.length; d++) {
      data.set(sources[d], pos);
      pos += sources[d].length;
      if ((d + 1) % DOCS_PER_BLOCK === 0 || d === sources.length - 1) ends[Math.floor(d / DOCS_PER_BLOCK)] = pos;
    }
    deflateBlocksInBackground(data, ends, DEFLATE_OPTIONS, (r) => {
      if (this.store) return;
      // No background thread: compress here, so `compressed` never stays false.
      if (!r) {
        this.complete();
        return;
      }
      // The worker's buffer already is the store's layout: used as is, not copied.
      this.assemble(null, r);
    });
  }

  private waiters: Array<() => void> = [];

  /** True once the blocks are compressed (the raw sources are then released). */
  get compressed(): boolean {
    return this.store !== null;
  }

  /** Calls `cb` once the blocks are compressed (at once if they are). */
  whenCompressed(cb: () => void): void {
    if (this.store) cb();
    else this.waiters.push(cb);
  }

  get(doc: number): Buffer {
    return this.store ? this.store.get(doc) : this.sources[doc];
  }

  get blockOffsets(): Float64Array {
    return this.complete().blockOffsets;
  }

  get blockData(): Uint8Array {
    return this.complete().blockData;
  }

  get docOffsets(): Uint32Array {
    return this.complete().docOffsets;
  }

  private complete(): BlockSourceStore {
    if (this.store) return this.store;
    const chunks: Buffer[] = [];
    for (let start = 0; start < this.sources.length; start += DOCS_PER_BLOCK) {
      chunks.push(compressBlock(Buffer.concat(this.sources.slice(start, start + DOCS_PER_BLOCK))));
    }
    return this.assemble(chunks, null);
  }

  private assemble(chunks: Uint8Array[] | null, deflated: DeflatedBlocks | null): BlockSourceStore {
    const sources = this.sources;
    const numBlocks = Math.ceil(sources.length / DOCS_PER_BLOCK);
    const docOffsets = blockDocOffsets(sources);
    this.store = deflated ? new BlockSourceStore(deflated.offsets, deflated.packed, docOffsets) : assembleStore(chunks!, new Float64Array(numBlocks + 1), docOffsets);
    this.sources = [];
    const waiters = this.waiters;
    this.waiters = [];
    for (const w of waiters) w();
    return this.store;
  }
}

/** Concatenates compressed blocks into a store; `blockOffsets` holds each block's start, the last slot is set here. */
export function assembleStore(chunks: Uint8Array[], blockOffsets: Float64Array, docOffsets: Uint32Array): BlockSourceStore {
  let total = 0;
  for (let b = 0; b < chunks.length; b++) {
    blockOffsets[b] = total;
    total += chunks[b].length;
  }
  blockOffsets[chunks.length] = total;
  const blockData = new Uint8Array(total);
  let pos = 0;
  for (const c of chunks) {
    blockData.set(c, pos);
    pos += c.length;
  }
  return new BlockSourceStore(blockOffsets, blockData, docOffsets);
}

/** A store over already-compressed blocks (built or loaded from a segment file). */
export class BlockSourceStore implements SourceStore {
  private cacheBlock = -1;
  private cacheBytes: Buffer = Buffer.alloc(0);

  constructor(
    readonly blockOffsets: Float64Array,
    readonly blockData: Uint8Array,
    readonly docOffsets: Uint32Array,
  ) {}

  get(doc: number): Buffer {
    const block = Math.floor(doc / DOCS_PER_BLOCK);
    if (block !== this.cacheBlock) {
      const data = this.blockData.subarray(this.blockOffsets[block], this.blockOffsets[block + 1]);
      // An output chunk of the block's exact size: zlib's default 16 KB chunks would allocate (and, past
      // 16 KB, copy) more off-heap memory per fetched hit, and off-heap churn brings on major collections.
      const last = Math.min(this.docOffsets.length - 1, (block + 1) * (DOCS_PER_BLOCK + 1) - 1);
      // (One spare byte: an output that fills the chunk exactly makes zlib allocate another.)
      this.cacheBytes = inflateRawSync(data, { chunkSize: Math.max(64, this.docOffsets[last] + 1) });
      this.cacheBlock = block;
    }
    const i = doc + block;
    return this.cacheBytes.subarray(this.docOffsets[i], this.docOffsets[i + 1]);
  }
}
