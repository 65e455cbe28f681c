// Constant-score nodes: a doc set computed per segment (term-level queries on keywords, numeric
// ranges, exists, ids, multi-term expansions) scoring `boost`; match_all; match_none.

import type { Bitmap, Segment } from '../../segment/segment.ts';
import { allDocs, emptyBitmap } from './bitmaps.ts';
import { ConstantScorer, Exec, type SegmentScorer } from './exec.ts';
import { ZERO_SCORER } from './term-exec.ts';

/** A constant-scoring doc set: `compute` gives the matching docs of a segment. */
export class ConstSetExec extends Exec {
  constructor(readonly boost: number, private readonly compute: (seg: Segment) => Bitmap, readonly label = 'set') {
    super();
  }
  protected computeMatches(seg: Segment): Bitmap {
    return this.compute(seg);
  }
  scorer(seg: Segment): SegmentScorer {
    return new ConstantScorer(this.boost, this, seg);
  }
  override get constantScore(): boolean {
    return true;
  }
}

/** Wraps any node, scoring its matches `boost` (constant_score, filters turned scoring). */
export class ConstWrapExec extends Exec {
  constructor(readonly inner: Exec, readonly boost: number) {
    super();
  }
  protected computeMatches(seg: Segment): Bitmap {
    return this.inner.matches(seg);
  }
  scorer(seg: Segment): SegmentScorer {
    return new ConstantScorer(this.boost, this, seg);
  }
  override get constantScore(): boolean {
    return true;
  }
}

/** Every doc, scoring `boost`. */
export class AllExec extends Exec {
  constructor(readonly boost: number) {
    super();
  }
  protected computeMatches(seg: Segment): Bitmap {
    return allDocs(seg.maxDoc);
  }
  scorer(): SegmentScorer {
    const v = this.boost;
    return { score: () => v, scoreIfMatch: () => v, blockMax: () => v };
  }
  override get constantScore(): boolean {
    return true;
  }
}

/** No doc. */
export class NoneExec extends Exec {
  protected computeMatches(): Bitmap {
    return emptyBitmap();
  }
  scorer(): SegmentScorer {
    return ZERO_SCORER;
  }
  override get constantScore(): boolean {
    return true;
  }
}
