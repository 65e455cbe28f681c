// Roaring bitmap helpers for query execution: set algebra that never mutates its inputs (term
// bitmaps are cached and shared), a run-aware builder for doc-value scans, and "at least k of n".

import { RoaringBitmap32, type Bitmap } from '../../segment/segment.ts';

const EMPTY_FROZEN = new RoaringBitmap32();

// Roaring bitmaps live in native memory that V8 learns about as "external" memory and frees only when
// their wrappers are collected. A search makes dozens (a clone per segment, unions, rare terms), and
// 64 MB of such memory starts a major collection: with millions of docs loaded that is a pause of
// 10-30 ms every ~200 searches. So the bitmaps a search makes for itself are registered here and
// emptied (their memory returned) when the search ends. Only results that never reach a cache are
// registered; outside a search `temporary` does nothing.
let arena: Bitmap[] | null = null;

/** Registers a bitmap made for the current search only; it is cleared when the search ends. */
export function temporary(b: Bitmap): Bitmap {
  if (arena !== null) arena.push(b);
  return b;
}

/** Runs `fn` (one whole search, synchronous) and then frees the bitmaps it registered. */
export function withTemporaryBitmaps<T>(fn: () => T): T {
  if (arena !== null) return fn(); // nested (e.g. `_count` through search): the outer call frees them
  const list: Bitmap[] = (arena = []);
  try {
    return fn();
  } finally {
    arena = null;
    for (const b of list) b.clear();
  }
}

/** A new empty bitmap. */
export function emptyBitmap(): Bitmap {
  return new RoaringBitmap32();
}

/** Docs [0, maxDoc). */
export function allDocs(maxDoc: number): Bitmap {
  const b = new RoaringBitmap32();
  if (maxDoc > 0) b.addRange(0, maxDoc);
  return b;
}

/** Intersection of all inputs (a new bitmap; inputs untouched). */
export function andAll(list: Bitmap[]): Bitmap {
  if (list.length === 0) return emptyBitmap();
  const sorted = [...list].sort((a, b) => a.size - b.size);
  const acc = temporary(RoaringBitmap32.and(sorted[0], sorted.length > 1 ? sorted[1] : sorted[0]));
  for (let i = 2; i < sorted.length && acc.size > 0; i++) acc.andInPlace(sorted[i]);
  return acc;
}

/** Union of all inputs (a new bitmap). */
export function orAll(list: Bitmap[]): Bitmap {
  if (list.length === 0) return emptyBitmap();
  if (list.length === 1) return temporary(list[0].clone());
  return temporary(RoaringBitmap32.orMany(list));
}

/** a − b (a new bitmap). */
export function andNot(a: Bitmap, b: Bitmap): Bitmap {
  return temporary(RoaringBitmap32.andNot(a, b));
}

/** Docs in at least `k` of the bitmaps (k ≥ 1), counting per doc in a scratch array. */
export function atLeast(list: Bitmap[], k: number, maxDoc: number): Bitmap {
  if (k <= 1) return orAll(list);
  if (k > list.length) return emptyBitmap();
  if (k === list.length) return andAll(list);
  const counts = new Uint8Array(maxDoc);
  for (const b of list) {
    const docs = toDocs(b);
    for (let i = 0; i < docs.length; i++) counts[docs[i]]++;
  }
  const out = new BitmapBuilder();
  for (let d = 0; d < maxDoc; d++) if (counts[d] >= k) out.add(d);
  return temporary(out.build());
}

let scratch = new Uint32Array(1024);

/**
 * The docs of a bitmap as a Uint32Array view into a shared scratch buffer (valid until the next
 * call). Copying into a preallocated buffer is ~10× faster than letting roaring allocate.
 */
export function toDocs(b: Bitmap): Uint32Array {
  const n = b.size;
  if (scratch.length < n) scratch = new Uint32Array(Math.max(n, scratch.length * 2));
  const view = scratch.subarray(0, n);
  if (n > 0) b.toUint32Array(view);
  return view;
}

/** The docs of a bitmap in a fresh array (safe to keep). */
export function toDocsCopy(b: Bitmap): Uint32Array {
  const out = new Uint32Array(b.size);
  if (out.length > 0) b.toUint32Array(out);
  return out;
}

/** Builds a bitmap from ascending doc ids, turning long runs into ranges (time-ordered logs). */
export class BitmapBuilder {
  private readonly bitmap = new RoaringBitmap32();
  private buf = new Uint32Array(4096);
  private n = 0;
  private runStart = -1;
  private runEnd = -1;

  /** Adds a doc (ascending order). */
  add(doc: number): void {
    if (doc === this.runEnd) {
      this.runEnd++;
      return;
    }
    this.flushRun();
    this.runStart = doc;
    this.runEnd = doc + 1;
  }

  private flushRun(): void {
    if (this.runStart < 0) return;
    const len = this.runEnd - this.runStart;
    if (len >= 64) {
      this.flushBuf();
      this.bitmap.addRange(this.runStart, this.runEnd);
    } else {
      if (this.n + len > this.buf.length) this.flushBuf();
      for (let d = this.runStart; d < this.runEnd; d++) this.buf[this.n++] = d;
    }
    this.runStart = -1;
  }

  private flushBuf(): void {
    if (this.n > 0) this.bitmap.addMany(this.buf.subarray(0, this.n));
    this.n = 0;
  }

  build(): Bitmap {
    this.flushRun();
    this.flushBuf();
    return this.bitmap;
  }
}

/** A dense bitset view of a bitmap for O(1) membership tests in scoring loops. */
export class DenseBits {
  readonly words: Uint32Array;
  constructor(b: Bitmap, maxDoc: number) {
    this.words = new Uint32Array((maxDoc >>> 5) + 1);
    const docs = toDocs(b);
    for (let i = 0; i < docs.length; i++) this.words[docs[i] >>> 5] |= 1 << (docs[i] & 31);
  }
  has(doc: number): boolean {
    return (this.words[doc >>> 5] & (1 << (doc & 31))) !== 0;
  }
}

export { EMPTY_FROZEN };
