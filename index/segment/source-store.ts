// `_source` storage: the bytes each client sent, packed in deflate-compressed blocks so a segment of a
// million ~500-byte documents costs a fraction of its raw size in memory and on disk.

import { deflateRaw, deflateRawSync, inflateRawSync, constants } from 'node:zlib';

/** Random access to each doc's `_source` bytes. */
export interface SourceStore {
  get(doc: number): Buffer;
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
  // docOffsets[d] is the offset of doc d within its (uncompressed) block; docOffsets has one extra slot per block end.
  const docOffsets = new Uint32Array(sources.length + numBlocks);
  const chunks: Buffer[] = [];
  let total = 0;
  for (let b = 0; b < numBlocks; b++) {
    const start = b * DOCS_PER_BLOCK;
    const end = Math.min(start + DOCS_PER_BLOCK, sources.length);
    let off = 0;
    for (let d = start; d < end; d++) {
      docOffsets[d + b] = off;
      off += sources[d].length;
    }
    docOffsets[end + b] = off;
    const packed = compressBlock(Buffer.concat(sources.slice(start, end), off));
    chunks.push(packed);
    blockOffsets[b] = total;
    total += packed.length;
  }
  return assembleStore(chunks, blockOffsets, docOffsets);
}

const DEFLATE_OPTIONS = { level: 1, strategy: constants.Z_DEFAULT_STRATEGY };

/** Compresses one block of concatenated sources (the one setting every store uses). */
export function compressBlock(raw: Buffer): Buffer {
  return deflateRawSync(raw, DEFLATE_OPTIONS);
}

/**
 * A store whose blocks are compressed on libuv's thread pool (`zlib.deflateRaw`), off the event loop
 * that builds segments and serves requests. Until every block is back, `get` serves the sources as
 * they were sent; whoever needs the compressed layout first (a flush writing the segment file, a
 * merge) compresses the missing blocks synchronously. Byte-identical to `buildSourceStore`.
 */
export class DeferredSourceStore implements SourceStore {
  private store: BlockSourceStore | null = null;
  private sources: Buffer[];
  private raws: Buffer[];
  private chunks: Array<Buffer | undefined>;
  private missing: number;

  constructor(sources: Buffer[]) {
    this.sources = sources;
    const numBlocks = Math.ceil(sources.length / DOCS_PER_BLOCK);
    this.raws = new Array(numBlocks);
    this.chunks = new Array(numBlocks);
    this.missing = numBlocks;
    for (let b = 0; b < numBlocks; b++) {
      const start = b * DOCS_PER_BLOCK;
      const raw = Buffer.concat(sources.slice(start, Math.min(start + DOCS_PER_BLOCK, sources.length)));
      this.raws[b] = raw;
      deflateRaw(raw, DEFLATE_OPTIONS, (err, packed) => {
        // A failed async deflate is retried synchronously when the layout is needed.
        if (err || this.store || this.chunks[b]) return;
        this.chunks[b] = packed;
        if (--this.missing === 0) this.assemble();
      });
    }
    if (numBlocks === 0) this.assemble();
  }

  /** True once every block is compressed (the raw sources are then released). */
  get compressed(): boolean {
    return this.store !== null;
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
    for (let b = 0; b < this.chunks.length; b++) if (!this.chunks[b]) this.chunks[b] = compressBlock(this.raws[b]);
    return this.assemble();
  }

  private assemble(): BlockSourceStore {
    const sources = this.sources;
    const numBlocks = this.chunks.length;
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
    this.store = assembleStore(this.chunks as Buffer[], new Float64Array(numBlocks + 1), docOffsets);
    this.sources = [];
    this.raws = [];
    this.chunks = [];
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
      this.cacheBytes = inflateRawSync(data);
      this.cacheBlock = block;
    }
    const i = doc + block;
    return this.cacheBytes.subarray(this.docOffsets[i], this.docOffsets[i + 1]);
  }
}
