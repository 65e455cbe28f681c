// A node whose matches each carry a precomputed score (distance_feature): per segment, the matching
// docs in order and their scores, computed once from doc values or `_source` and then looked up.

import { RoaringBitmap32, type Bitmap, type Segment } from '../../segment/segment.ts';
import { advance, Exec, type SegmentScorer } from './exec.ts';
import { ZERO_SCORER } from './term-exec.ts';

/** Matching docs of a segment (ascending) with their scores. */
export interface ScoredDocs {
  docs: Uint32Array;
  scores: Float32Array;
}

/** Docs scored by `compute`; `scoring: false` keeps the matches and drops the scores. */
export class FeatureExec extends Exec {
  private readonly cache = new Map<Segment, ScoredDocs>();
  constructor(private readonly compute: (seg: Segment) => ScoredDocs, private readonly scoring: boolean) {
    super();
  }

  private scored(seg: Segment): ScoredDocs {
    let s = this.cache.get(seg);
    if (!s) this.cache.set(seg, (s = this.compute(seg)));
    return s;
  }

  protected computeMatches(seg: Segment): Bitmap {
    return new RoaringBitmap32(this.scored(seg).docs);
  }

  scorer(seg: Segment): SegmentScorer {
    if (!this.scoring) return ZERO_SCORER;
    const { docs, scores } = this.scored(seg);
    let max = 0;
    for (const v of scores) if (v > max) max = v;
    let i = 0;
    const scoreIfMatch = (doc: number): number => {
      if (i > 0 && docs[i - 1] >= doc) i = 0;
      i = advance(docs, i, doc);
      return i < docs.length && docs[i] === doc ? scores[i] : 0;
    };
    return { score: scoreIfMatch, scoreIfMatch, blockMax: () => max };
  }
}
