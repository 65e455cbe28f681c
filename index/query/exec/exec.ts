// The executable form of a query on one shard: every node answers "which docs of this segment
// match" as a roaring bitmap and hands out a per-segment scorer with block upper bounds, which the
// top-k collector (search/query-phase.ts) uses to skip blocks that cannot enter the top k.

import type { Bitmap, Segment } from '../../segment/segment.ts';
import { DenseBits } from './bitmaps.ts';

/** Scoring blocks are fixed doc-id ranges of 2^BLOCK_SHIFT docs. */
export const BLOCK_SHIFT = 7;

/** Scores docs of one segment. Calls must come in non-decreasing doc order (cursors only move forward;
 * going back resets them). */
export interface SegmentScorer {
  /** The score of a doc known to match this node. */
  score(doc: number): number;
  /** The score if the doc matches this node, else 0 (for optional clauses). */
  scoreIfMatch(doc: number): number;
  /** An upper bound of score() over docs in block `b` (docs [b << BLOCK_SHIFT, (b + 1) << BLOCK_SHIFT)). */
  blockMax(b: number): number;
  /**
   * Optional (disjunctions of terms): the exact score of every doc of block `b` that matches, into
   * `out[doc - (b << BLOCK_SHIFT)]` (0 for docs that do not), computed term by term from the block's
   * postings instead of doc by doc. Blocks must be asked in increasing order.
   */
  blockScores?(b: number, out: Float64Array): void;
}

/** A node of the executable tree. */
export abstract class Exec {
  private readonly memo = new Map<Segment, Bitmap>();

  /** Docs of the segment matching this node; deleted docs NOT removed. Never mutate the result. */
  matches(seg: Segment): Bitmap {
    let m = this.memo.get(seg);
    if (!m) {
      m = this.computeMatches(seg);
      this.memo.set(seg, m);
    }
    return m;
  }

  protected abstract computeMatches(seg: Segment): Bitmap;

  /** A scorer for the segment (scores are 0 when the query runs without scores). */
  abstract scorer(seg: Segment): SegmentScorer;

  /** True when every match scores the same (constant-score nodes). */
  get constantScore(): boolean {
    return false;
  }
}

/** A scorer giving `value` to matching docs, testing membership through a dense bitset. */
export class ConstantScorer implements SegmentScorer {
  private bits: DenseBits | null = null;
  constructor(private readonly value: number, private readonly exec: Exec, private readonly seg: Segment) {}
  score(): number {
    return this.value;
  }
  scoreIfMatch(doc: number): number {
    if (!this.bits) this.bits = new DenseBits(this.exec.matches(this.seg), this.seg.maxDoc);
    return this.bits.has(doc) ? this.value : 0;
  }
  blockMax(): number {
    return this.value;
  }
}

/** Galloping search: the first index i in [from, docs.length) with docs[i] >= target. */
export function advance(docs: Uint32Array, from: number, target: number): number {
  let lo = from;
  let step = 1;
  let hi = from;
  const n = docs.length;
  while (hi < n && docs[hi] < target) {
    lo = hi + 1;
    hi += step;
    step <<= 1;
  }
  if (hi > n) hi = n;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (docs[mid] < target) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
