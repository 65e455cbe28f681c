// The compression of segment files and `_source` blocks: Zstandard level 1 (zstd-napi, the library's
// own C code). Against zlib's deflate level 1, which segments used before, it compresses the logs
// benchmark's `_source` blocks 3x faster (1.2 vs 3.7 µs per document) to a slightly smaller size
// (0.335 vs 0.342 of raw) and decompresses them 2x faster, and compression was a sixth of a segment
// build's CPU. Files written with deflate (no `codec` in their header) still read.

import { createRequire } from 'node:module';
import { inflateRawSync } from 'node:zlib';
import { EMPTY_U32, releaseScratch, takeScratchBytes } from './scratch.ts';

type ZstdBinding = typeof import('zstd-napi/binding.js');
// The native binding directly (not the wrapper classes): compress into a caller's buffer, and
// decompress into one of the exact size the caller already knows, with no scratch copies.
const zstd = createRequire(import.meta.url)('zstd-napi/binding.js') as ZstdBinding;

/** How a file's sections and `_source` blocks are compressed. */
export type Codec = 'zstd' | 'deflate';

/** The codec new segment files are written with. */
export const WRITE_CODEC: Codec = 'zstd';

/** Level 1: the fastest of zstd's regular levels; level 3 (its default) gains under 1% here for 40% more time. */
const LEVEL = 1;

let cctx: InstanceType<ZstdBinding['CCtx']> | null = null;
let dctx: InstanceType<ZstdBinding['DCtx']> | null = null;

/** The most bytes `compressInto` may write for `rawLength` input bytes. */
export function compressBound(rawLength: number): number {
  return zstd.compressBound(rawLength);
}

/** Compresses `raw` into `out` at `offset` (which needs `compressBound(raw.length)` bytes free); returns the compressed length. */
export function compressInto(raw: Uint8Array, out: Uint8Array, offset: number): number {
  cctx ??= new zstd.CCtx();
  return cctx.compress(out.subarray(offset), raw, LEVEL);
}

/** Compresses `raw` into a new buffer of the compressed size. */
export function compress(raw: Uint8Array): Buffer {
  const out = Buffer.allocUnsafe(compressBound(raw.length));
  const n = compressInto(raw, out, 0);
  return Buffer.from(out.subarray(0, n));
}

/** Decompresses `stored` (written with `codec`) whose raw size is `size` bytes, into a buffer of exactly that size. */
export function decompress(stored: Uint8Array, size: number, codec: Codec): Buffer {
  if (codec === 'deflate') {
    // One output chunk of the exact size (plus a spare byte: a chunk filled exactly makes zlib allocate another).
    return inflateRawSync(stored, { chunkSize: Math.max(64, size + 1) }).subarray(0, size);
  }
  dctx ??= new zstd.DCtx();
  const out = Buffer.allocUnsafe(size);
  const n = size === 0 ? 0 : dctx.decompress(out, stored);
  if (n !== size) throw new Error(`corrupt block: ${n} bytes decompressed, ${size} expected`);
  return out;
}

/** Compressed blocks: block b is `packed[offsets[b] .. offsets[b + 1])`. */
export interface CompressedBlocks {
  packed: Uint8Array;
  offsets: Float64Array;
}

/** Compresses blocks one after another into one buffer (grown as needed), recording where each starts. */
export class BlockPacker {
  /** The bytes so far, in a scratch array (`words`) that finish() gives back. */
  private out: Uint8Array;
  private words: Uint32Array;
  private pos = 0;
  private readonly starts: number[] = [];

  /** `rawBytes`: about how many raw bytes will be added (the buffer starts at half of that). */
  constructor(rawBytes: number) {
    ({ bytes: this.out, words: this.words } = takeScratchBytes(Math.max(1024, (rawBytes >>> 1) + compressBound(0))));
  }

  /** Compresses `raw` as the next block. */
  add(raw: Uint8Array): void {
    this.reserve(compressBound(raw.length));
    this.starts.push(this.pos);
    this.pos += compressInto(raw, this.out, this.pos);
  }

  /** Appends a block that is already compressed (with this codec). */
  addCompressed(block: Uint8Array): void {
    this.reserve(block.length);
    this.starts.push(this.pos);
    this.out.set(block, this.pos);
    this.pos += block.length;
  }

  private reserve(bytes: number): void {
    const need = this.pos + bytes;
    if (need > this.out.length) {
      const next = takeScratchBytes(Math.max(need, Math.floor(this.out.length * 1.5)));
      next.bytes.set(this.out.subarray(0, this.pos));
      releaseScratch(this.words);
      ({ bytes: this.out, words: this.words } = next);
    }
  }

  /** The blocks, in a buffer of exactly their size (the packer is not used after). */
  finish(): CompressedBlocks {
    const offsets = new Float64Array(this.starts.length + 1);
    offsets.set(this.starts);
    offsets[this.starts.length] = this.pos;
    const packed = this.out.slice(0, this.pos);
    releaseScratch(this.words);
    this.words = EMPTY_U32;
    this.out = new Uint8Array(0);
    return { packed, offsets };
  }
}

/** Compresses `data[ends[b-1] .. ends[b])` for each block b. */
export function compressBlocks(data: Uint8Array, ends: Uint32Array): CompressedBlocks {
  const packer = new BlockPacker(data.length);
  let start = 0;
  for (let b = 0; b < ends.length; b++) {
    packer.add(data.subarray(start, ends[b]));
    start = ends[b];
  }
  return packer.finish();
}
