// Per-segment derived data that queries reuse: postings as roaring bitmaps (building one from 780k
// postings costs ~4 ms, so frequent terms are cached) and per-block BM25 maxima of each term.
// Segments are immutable, so entries never go stale; they die with the segment (WeakMap).

import { RoaringBitmap32, type Bitmap, type InvertedField, type Segment } from '../../segment/segment.ts';
import { temporary } from './bitmaps.ts';
import { BLOCK_SHIFT } from './exec.ts';

/** Terms with fewer postings are neither cached as bitmaps nor as block maxima (cheaper to recompute). */
export const MIN_CACHED_POSTINGS = 2048;
const MAX_ENTRIES_PER_SEGMENT = 2048;

interface SegmentCaches {
  bitmaps: Map<string, Bitmap>;
  blockMax: Map<string, Float32Array>;
}
const caches = new WeakMap<Segment, SegmentCaches>();

function cachesOf(seg: Segment): SegmentCaches {
  let c = caches.get(seg);
  if (!c) caches.set(seg, (c = { bitmaps: new Map(), blockMax: new Map() }));
  return c;
}

function remember<V>(map: Map<string, V>, key: string, value: V): void {
  if (map.size >= MAX_ENTRIES_PER_SEGMENT) map.delete(map.keys().next().value as string);
  map.set(key, value);
}

/** The postings of term ordinal `ord` in `inv` as a bitmap (shared: never mutate it). */
export function termBitmap(seg: Segment, field: string, inv: InvertedField, ord: number): Bitmap {
  const start = inv.docStart[ord];
  const end = inv.docStart[ord + 1];
  if (end - start < MIN_CACHED_POSTINGS) return temporary(new RoaringBitmap32(inv.docs.subarray(start, end)));
  const c = cachesOf(seg);
  const key = field + '\u0000' + ord;
  let b = c.bitmaps.get(key);
  if (!b) {
    b = new RoaringBitmap32(inv.docs.subarray(start, end));
    remember(c.bitmaps, key, b);
  } else {
    c.bitmaps.delete(key);
    c.bitmaps.set(key, b);
  }
  return b;
}

/**
 * Per block, the maximum of x = fround(freq · normInverse[norm]) over the term's postings. Lucene's
 * BM25 score is monotone in x, so scoreX(blockMaxX[b]) is exactly the best score in block b.
 */
export function termBlockMaxX(seg: Segment, field: string, inv: InvertedField, ord: number, cache: Float32Array, avgdl: number): Float32Array {
  const c = cachesOf(seg);
  const key = field + '\u0000' + ord + '\u0000' + avgdl;
  const hit = c.blockMax.get(key);
  if (hit) return hit;
  const out = new Float32Array((seg.maxDoc >>> BLOCK_SHIFT) + 1);
  const start = inv.docStart[ord];
  const end = inv.docStart[ord + 1];
  const docs = inv.docs;
  const freqs = inv.freqs;
  const norms = inv.norms;
  for (let i = start; i < end; i++) {
    const d = docs[i];
    const x = Math.fround((freqs ? freqs[i] : 1) * cache[norms ? norms[d] : 1]);
    const b = d >>> BLOCK_SHIFT;
    if (x > out[b]) out[b] = x;
  }
  remember(c.blockMax, key, out);
  return out;
}
