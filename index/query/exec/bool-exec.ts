// Lucene's BooleanQuery over bitmaps: required = must ∧ filter, optional = should with a minimum
// number to match, prohibited = must_not. Scores sum must + should (filter and must_not never
// score), with the float rounding of Lucene's ReqOptSumScorer and disjunction/conjunction sums.

import type { Bitmap, Segment } from '../../segment/segment.ts';
import { allDocs, andAll, andNot, atLeast, emptyBitmap, orAll } from './bitmaps.ts';
import { BLOCK_SHIFT, Exec, type SegmentScorer } from './exec.ts';
import { TermScorer, ZERO_SCORER } from './term-exec.ts';

const f = Math.fround;

/** A boolean combination of clauses; `msm` is the resolved minimum_should_match (0 = optional only). */
export class BoolExec extends Exec {
  constructor(
    readonly must: Exec[],
    readonly filter: Exec[],
    readonly should: Exec[],
    readonly mustNot: Exec[],
    readonly msm: number,
  ) {
    super();
  }

  protected computeMatches(seg: Segment): Bitmap {
    const required = [...this.must, ...this.filter].map((e) => e.matches(seg));
    let result: Bitmap | null = required.length > 0 ? andAll(required) : null;
    if (this.should.length > 0 && this.msm > 0) {
      if (this.msm > this.should.length) return emptyBitmap();
      // Intersect optional clauses with the required set first: cheaper counting.
      const opt = this.should.map((e) => e.matches(seg));
      const optSet = this.msm === 1 ? orAll(opt) : atLeast(opt, this.msm, seg.maxDoc);
      result = result ? andAll([result, optSet]) : optSet;
    }
    if (!result) result = this.should.length > 0 ? emptyBitmap() : allDocs(seg.maxDoc);
    if (this.mustNot.length > 0 && result.size > 0) {
      result = andNot(result, orAll(this.mustNot.map((e) => e.matches(seg))));
    }
    return result;
  }

  scorer(seg: Segment): SegmentScorer {
    const must = this.must.map((e) => e.scorer(seg));
    const should = this.should.map((e) => e.scorer(seg));
    const self = this;
    let bits: { has(d: number): boolean } | null = null;
    const scoreOf = (doc: number): number => {
      let req = 0;
      for (let i = 0; i < must.length; i++) req += must[i].score(doc);
      let opt = 0;
      for (let i = 0; i < should.length; i++) opt += should[i].scoreIfMatch(doc);
      // Conjunctions and disjunctions sum in double and cast; ReqOptSumScorer adds the two floats.
      if (must.length === 0) return f(opt);
      if (should.length === 0) return f(req);
      return f(f(req) + f(opt));
    };
    // A disjunction of terms (a `match` query) can score whole blocks term by term; terms absent from
    // the segment contribute nothing.
    const terms = must.length === 0 && this.msm <= 1 && should.length >= 2 && should.every((s) => s instanceof TermScorer || s === ZERO_SCORER)
      ? should.filter((s): s is TermScorer => s instanceof TermScorer)
      : null;
    let termMaxes: number[] | null = null;
    return {
      score: scoreOf,
      scoreIfMatch(doc: number): number {
        if (!bits) bits = denseOf(self, seg);
        return bits.has(doc) ? scoreOf(doc) : 0;
      },
      ...(terms ? { blockScores: (b: number, out: Float64Array) => termBlockScores(terms, b, out) } : {}),
      blockMax(b: number): number {
        if (terms) return (termMaxes ??= disjunctionBlockMaxes(should, seg))[b];
        let req = 0;
        for (let i = 0; i < must.length; i++) req += must[i].blockMax(b);
        let opt = 0;
        for (let i = 0; i < should.length; i++) opt += should[i].blockMax(b);
        if (must.length === 0) return f(opt);
        if (should.length === 0) return f(req);
        return f(f(req) + f(opt));
      },
    };
  }
}

/**
 * Every block's bound for a disjunction of terms at once, as blockMax sums them (clause by clause in
 * clause order, then cast to float), so the top-k loop reads an array instead of asking each term for
 * each block. A heap array, not a typed one: a typed array's off-heap memory per segment and search
 * would hasten major collections.
 */
function disjunctionBlockMaxes(should: SegmentScorer[], seg: Segment): number[] {
  const n = (seg.maxDoc >>> BLOCK_SHIFT) + 1;
  const acc: number[] = new Array<number>(n).fill(0);
  for (const s of should) if (s instanceof TermScorer) s.addBlockMaxes(acc);
  for (let b = 0; b < n; b++) acc[b] = f(acc[b]);
  return acc;
}

/**
 * Scores a whole block of a disjunction of terms: each term adds its BM25 score to the docs of its
 * postings in the block, in clause order, so each sum (rounded to float by the caller) equals what
 * scoreOf computes doc by doc without a postings lookup per doc and term.
 */
function termBlockScores(terms: TermScorer[], b: number, out: Float64Array): void {
  const lo = b << BLOCK_SHIFT;
  out.fill(0);
  for (let t = 0; t < terms.length; t++) terms[t].addBlockScores(b, lo, out);
}

import { DenseBits } from './bitmaps.ts';
function denseOf(e: Exec, seg: Segment): DenseBits {
  return new DenseBits(e.matches(seg), seg.maxDoc);
}

/** Lucene's DisjunctionMaxQuery: max + tie_breaker × (sum of the others). */
export class DisMaxExec extends Exec {
  constructor(readonly children: Exec[], readonly tieBreaker: number) {
    super();
  }
  protected computeMatches(seg: Segment): Bitmap {
    return orAll(this.children.map((c) => c.matches(seg)));
  }
  scorer(seg: Segment): SegmentScorer {
    const subs = this.children.map((c) => c.scorer(seg));
    const tie = this.tieBreaker;
    const combine = (get: (s: SegmentScorer) => number, exact: boolean): number => {
      let max = 0;
      let others = 0;
      for (let i = 0; i < subs.length; i++) {
        const s = get(subs[i]);
        if (s >= max) {
          others += max;
          max = s;
        } else others += s;
      }
      const v = f(max + others * tie);
      // Bounds are combined from per-clause bounds: keep them safely above the exact combination.
      return exact ? v : f(v * 1.000001);
    };
    return {
      score: (doc) => combine((s) => s.scoreIfMatch(doc), true),
      scoreIfMatch: (doc) => combine((s) => s.scoreIfMatch(doc), true),
      blockMax: (b) => combine((s) => s.blockMax(b), false),
    };
  }
}

/** OpenSearch's boosting query: positive scores, times negative_boost where `negative` matches. */
export class BoostingExec extends Exec {
  constructor(readonly positive: Exec, readonly negative: Exec, readonly negativeBoost: number) {
    super();
  }
  protected computeMatches(seg: Segment): Bitmap {
    return this.positive.matches(seg);
  }
  scorer(seg: Segment): SegmentScorer {
    const pos = this.positive.scorer(seg);
    const neg = new DenseBits(this.negative.matches(seg), seg.maxDoc);
    const nb = this.negativeBoost;
    const boostBound = Math.max(1, nb);
    return {
      score: (doc) => (neg.has(doc) ? f(pos.score(doc) * nb) : pos.score(doc)),
      scoreIfMatch: (doc) => (neg.has(doc) ? f(pos.scoreIfMatch(doc) * nb) : pos.scoreIfMatch(doc)),
      blockMax: (b) => f(pos.blockMax(b) * boostBound),
    };
  }
}
