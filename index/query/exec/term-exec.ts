// A BM25-scored term on an inverted field (text or keyword): matches from the postings bitmap,
// scores from freqs + norms through a galloping cursor, block bounds from segment-cache.ts.

import type { Bitmap, InvertedField, Segment } from '../../segment/segment.ts';
import { emptyBitmap } from './bitmaps.ts';
import { Bm25, NO_NORM } from './bm25.ts';
import { advance, BLOCK_SHIFT, Exec, type SegmentScorer } from './exec.ts';
import { MIN_CACHED_POSTINGS, termBitmap, termBlockMaxX } from './segment-cache.ts';

/** Term matches and BM25 scores; `bm25` is null when scores are not needed. */
export class TermExec extends Exec {
  constructor(readonly field: string, readonly term: string, readonly bm25: Bm25 | null) {
    super();
  }

  protected computeMatches(seg: Segment): Bitmap {
    const inv = seg.inverted.get(this.field);
    const ord = inv ? seg.termOrd(this.field, this.term) : -1;
    return inv && ord >= 0 ? termBitmap(seg, this.field, inv, ord) : emptyBitmap();
  }

  scorer(seg: Segment): SegmentScorer {
    const inv = seg.inverted.get(this.field);
    const ord = inv ? seg.termOrd(this.field, this.term) : -1;
    if (!inv || ord < 0 || !this.bm25) return ZERO_SCORER;
    return new TermScorer(seg, this.field, inv, ord, this.bm25);
  }
}

/** Scores 0 everywhere (no scores needed, or nothing to score). */
export const ZERO_SCORER: SegmentScorer = { score: () => 0, scoreIfMatch: () => 0, blockMax: () => 0 };

/** Iterates one term's postings in doc order. */
export class TermScorer implements SegmentScorer {
  private readonly docs: Uint32Array;
  private readonly freqs: Uint32Array | undefined;
  private readonly norms: Uint8Array | undefined;
  private readonly start: number;
  private i = 0;
  private maxX: Float32Array | null = null;

  constructor(
    private readonly seg: Segment,
    private readonly field: string,
    private readonly inv: InvertedField,
    private readonly ord: number,
    private readonly bm25: Bm25,
  ) {
    this.start = inv.docStart[ord];
    this.docs = inv.docs.subarray(this.start, inv.docStart[ord + 1]);
    this.freqs = inv.freqs?.subarray(this.start, inv.docStart[ord + 1]);
    this.norms = inv.norms;
  }

  score(doc: number): number {
    return this.scoreIfMatch(doc);
  }

  scoreIfMatch(doc: number): number {
    const docs = this.docs;
    let i = this.i;
    if (i > 0 && docs[i - 1] >= doc) i = 0;
    if (i >= docs.length || docs[i] !== doc) {
      i = advance(docs, i, doc);
      this.i = i;
      if (i >= docs.length || docs[i] !== doc) return 0;
    }
    this.i = i + 1;
    return this.bm25.score(this.freqs ? this.freqs[i] : 1, this.norms ? this.norms[doc] : NO_NORM);
  }

  private bi = 0;
  /** Adds this term's score of each of its docs in block `b` to `out[doc - lo]` (blocks in increasing order). */
  addBlockScores(b: number, lo: number, out: Float64Array): void {
    const docs = this.docs;
    let i = this.bi;
    if (i > 0 && docs[i - 1] >= lo) i = 0;
    const from = advance(docs, i, lo);
    const to = advance(docs, from, lo + (1 << BLOCK_SHIFT));
    this.bi = to;
    const freqs = this.freqs, norms = this.norms, bm25 = this.bm25;
    for (let k = from; k < to; k++) {
      const d = docs[k];
      out[d - lo] += bm25.score(freqs ? freqs[k] : 1, norms ? norms[d] : NO_NORM);
    }
  }

  /** Adds this term's bound of every block to `acc[b]` (blocks without its postings add nothing). */
  addBlockMaxes(acc: number[]): void {
    const docs = this.docs;
    const bm25 = this.bm25;
    if (docs.length < MIN_CACHED_POSTINGS) {
      let block = -1;
      let best = 0;
      for (let i = 0; i < docs.length; i++) {
        const b = docs[i] >>> BLOCK_SHIFT;
        if (b !== block) {
          if (best !== 0) acc[block] += bm25.scoreX(best);
          block = b;
          best = 0;
        }
        const x = this.xAt(i);
        if (x > best) best = x;
      }
      if (best !== 0) acc[block] += bm25.scoreX(best);
      return;
    }
    const maxX = this.blockMaxX();
    for (let b = 0; b < maxX.length; b++) if (maxX[b] !== 0) acc[b] += bm25.scoreX(maxX[b]);
  }

  private mi = 0;
  blockMax(b: number): number {
    const docs = this.docs;
    if (docs.length < MIN_CACHED_POSTINGS) {
      // A rare term: the block's few postings are read in place. A maxima array per rare term and
      // segment would be 8 KB of garbage each (off-heap, so it hastens major collections).
      const lo = b << BLOCK_SHIFT;
      let i = this.mi;
      if (i > 0 && docs[i - 1] >= lo) i = 0;
      i = advance(docs, i, lo);
      const hi = lo + (1 << BLOCK_SHIFT);
      let best = 0;
      for (; i < docs.length && docs[i] < hi; i++) {
        const x = this.xAt(i);
        if (x > best) best = x;
      }
      this.mi = i;
      return best === 0 ? 0 : this.bm25.scoreX(best);
    }
    const x = this.blockMaxX()[b];
    return x === 0 ? 0 : this.bm25.scoreX(x);
  }

  /** x = fround(freq · normInverse[norm]) of posting i (BM25 is monotone in x; see termBlockMaxX). */
  private xAt(i: number): number {
    return Math.fround((this.freqs ? this.freqs[i] : 1) * this.bm25.cache[this.norms ? this.norms[this.docs[i]] : 1]);
  }

  /** The cached per-block maxima of x (frequent terms only). */
  private blockMaxX(): Float32Array {
    return (this.maxX ??= termBlockMaxX(this.seg, this.field, this.inv, this.ord, this.bm25.cache, this.bm25.avgdl));
  }
}
