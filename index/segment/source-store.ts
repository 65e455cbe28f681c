// `_source` storage: the bytes each client sent, packed in compressed blocks (`block-codec.ts`) so a
// segment of a million ~500-byte documents costs a fraction of its raw size in memory and on disk.

import { BlockPacker, decompress, WRITE_CODEC, type Codec, type CompressedBlocks } from './block-codec.ts';
import { compressBlocksInBackground } from './compress-worker.ts';

/** Random access to each doc's `_source` bytes. */
export interface SourceStore {
  get(doc: number): Buffer;
  /** False while blocks are still being compressed in the background (reading the parts below then compresses them at once). */
  readonly compressed?: boolean;
  /** The serialized parts (for the segment file). */
  readonly blockOffsets: Float64Array;
  readonly blockData: Uint8Array;
  readonly docOffsets: Uint32Array;
  /** How the blocks are compressed (segments written before zstd hold deflate blocks). */
  readonly codec: Codec;
}

/** Docs per compressed block: small enough that fetching one hit inflates little. */
export const DOCS_PER_BLOCK = 32;

/** Builds a block-compressed store from sources in doc order. */
export function buildSourceStore(sources: Buffer[]): BlockSourceStore {
  const numBlocks = Math.ceil(sources.length / DOCS_PER_BLOCK);
  const docOffsets = blockDocOffsets(sources);
  let total = 0;
  for (const s of sources) total += s.length;
  const packer = new BlockPacker(total);
  // Each block's sources are gathered into one reused buffer, then compressed from there.
  let raw = Buffer.allocUnsafe(64 * 1024);
  for (let b = 0; b < numBlocks; b++) {
    const start = b * DOCS_PER_BLOCK;
    const end = Math.min(start + DOCS_PER_BLOCK, sources.length);
    const len = docOffsets[end + b];
    if (len > raw.length) raw = Buffer.allocUnsafe(len);
    let pos = 0;
    for (let d = start; d < end; d++) pos += sources[d].copy(raw, pos);
    packer.add(raw.subarray(0, len));
  }
  const { packed, offsets } = packer.finish();
  return new BlockSourceStore(offsets, packed, docOffsets, WRITE_CODEC);
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

/**
 * A store whose blocks are compressed on a background thread (`compress-worker.ts`), off the event
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
    compressBlocksInBackground(data, ends, (r) => {
      if (this.store) return;
      // No background thread: compress here, so `compressed` never stays false.
      if (!r) {
        this.complete();
        return;
      }
      // The worker's buffer already is the store's layout: used as is, not copied.
      this.assemble(r);
    });
  }

  private waiters: Array<() => void> = [];
  readonly codec = WRITE_CODEC;

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
    const store = buildSourceStore(this.sources);
    this.finished(store);
    return store;
  }

  private assemble(blocks: CompressedBlocks): void {
    this.finished(new BlockSourceStore(blocks.offsets, blocks.packed, blockDocOffsets(this.sources), WRITE_CODEC));
  }

  private finished(store: BlockSourceStore): void {
    this.store = store;
    this.sources = [];
    const waiters = this.waiters;
    this.waiters = [];
    for (const w of waiters) w();
  }
}

/** A store over already-compressed blocks (built or loaded from a segment file). */
export class BlockSourceStore implements SourceStore {
  private cacheBlock = -1;
  private cacheBytes: Buffer = Buffer.alloc(0);

  constructor(
    readonly blockOffsets: Float64Array,
    readonly blockData: Uint8Array,
    readonly docOffsets: Uint32Array,
    readonly codec: Codec,
  ) {}

  get(doc: number): Buffer {
    const block = Math.floor(doc / DOCS_PER_BLOCK);
    if (block !== this.cacheBlock) {
      this.cacheBytes = blockBytes(this, block);
      this.cacheBlock = block;
    }
    const i = doc + block;
    return this.cacheBytes.subarray(this.docOffsets[i], this.docOffsets[i + 1]);
  }
}

/** Block `block` of a store, decompressed (doc d of it spans `docOffsets[d + block] .. docOffsets[d + block + 1]`). */
export function blockBytes(store: SourceStore, block: number): Buffer {
  const data = store.blockData.subarray(store.blockOffsets[block], store.blockOffsets[block + 1]);
  // The block's end slot holds its raw length: the output is allocated at exactly that size.
  const last = Math.min(store.docOffsets.length - 1, (block + 1) * (DOCS_PER_BLOCK + 1) - 1);
  return decompress(data, store.docOffsets[last], store.codec);
}
