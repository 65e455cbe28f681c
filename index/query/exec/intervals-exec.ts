// Interval sources (Lucene's `Intervals` algebra, also used for span queries) evaluated over a
// segment's positions: a candidate set from postings bitmaps, then, per candidate doc, the minimal
// intervals of each node computed bottom-up, and a per-doc frequency for scoring.

import { illegalArgument } from '../../errors.ts';
import { RoaringBitmap32, type Bitmap, type InvertedField, type Segment } from '../../segment/segment.ts';
import type { IntervalFilterKind } from '../query.ts';
import { andAll, emptyBitmap, orAll, toDocs } from './bitmaps.ts';
import { advance, Exec, type SegmentScorer } from './exec.ts';
import { NO_NORM, type Bm25 } from './bm25.ts';
import { PostingCursor } from './phrase-exec.ts';
import { ZERO_SCORER } from './term-exec.ts';
import { ordsBitmap, selectOrds, type TermSelection } from './term-dict.ts';

/** A segment-independent interval source, as intervals-compile.ts builds it from the rules. */
export type IntervalSource =
  | { kind: 'none' }
  /** Positions of any of these exact terms. */
  | { kind: 'terms'; field: string; terms: string[] }
  /** Positions of the dictionary terms a pattern selects (at most `maxExpansions` per segment). */
  | { kind: 'multi'; field: string; select: TermSelection; label: string; maxExpansions: number }
  | { kind: 'or'; subs: IntervalSource[] }
  /** Sub-intervals in order, each starting after the previous one ends. */
  | { kind: 'ordered'; subs: IntervalSource[] }
  /** One interval of each sub, in any order, overlaps allowed. */
  | { kind: 'unordered'; subs: IntervalSource[] }
  /** Sub-intervals each starting right after the previous one ends. */
  | { kind: 'phrase'; subs: IntervalSource[] }
  | { kind: 'maxgaps'; maxGaps: number; sub: IntervalSource }
  /** `n` successive intervals of `sub` (Lucene's RepeatingIntervalsSource, for duplicates in unordered). */
  | { kind: 'repeat'; n: number; sub: IntervalSource }
  /** Intervals of `sub` widened by `before` positions to the left and `after` to the right. */
  | { kind: 'extend'; before: number; after: number; sub: IntervalSource }
  /** Intervals of `sub` ending before position `end` (span_first). */
  | { kind: 'first'; end: number; sub: IntervalSource }
  /** Intervals of `sub` kept according to their relation with the intervals of `filter`. */
  | { kind: 'filter'; op: IntervalFilterKind; sub: IntervalSource; filter: IntervalSource };

/** One interval of positions [s, e] with `g` positions inside it not covered by its parts. */
interface Interval {
  s: number;
  e: number;
  g: number;
}

/** A source bound to one segment: docs that may have intervals, and the intervals of a doc. */
interface SegmentNode {
  candidates: Bitmap;
  /** Intervals of `doc` sorted by start then end; docs must be asked in non-decreasing order. */
  at(doc: number): Interval[];
}

const NONE_NODE: SegmentNode = { candidates: new RoaringBitmap32(), at: () => [] };

interface IntervalHits {
  docs: Uint32Array;
  freqs: Float32Array;
}

/**
 * How matches score: `intervals` queries saturate, boost · f / (f + 1) with f = Σ 1 / width; span
 * queries are BM25 over the sloppy frequency Σ 1 / (1 + gaps) with the field's norms.
 */
export type IntervalScoring = { kind: 'saturation'; boost: number } | { kind: 'bm25'; bm25: Bm25; field: string };

/** An interval query on one field. `scoring` is null when scores are not needed. */
export class IntervalsExec extends Exec {
  private readonly hits = new Map<Segment, IntervalHits>();
  constructor(readonly source: IntervalSource, readonly scoring: IntervalScoring | null) {
    super();
  }

  protected computeMatches(seg: Segment): Bitmap {
    const h = this.hitsOf(seg);
    return h.docs.length === 0 ? emptyBitmap() : new RoaringBitmap32(h.docs);
  }

  private hitsOf(seg: Segment): IntervalHits {
    let h = this.hits.get(seg);
    if (!h) this.hits.set(seg, (h = this.computeHits(seg)));
    return h;
  }

  private computeHits(seg: Segment): IntervalHits {
    const node = bind(seg, this.source);
    const docs: number[] = [];
    const freqs: number[] = [];
    for (const doc of toDocs(node.candidates)) {
      const list = node.at(doc);
      if (list.length === 0) continue;
      let f = 0;
      if (this.scoring?.kind === 'bm25') for (const iv of list) f += 1 / (1 + iv.g);
      else for (const iv of list) f += 1 / (iv.e - iv.s + 1);
      docs.push(doc);
      freqs.push(Math.fround(f));
    }
    return { docs: Uint32Array.from(docs), freqs: Float32Array.from(freqs) };
  }

  scorer(seg: Segment): SegmentScorer {
    const scoring = this.scoring;
    if (!scoring) return ZERO_SCORER;
    const h = this.hitsOf(seg);
    const norms = scoring.kind === 'bm25' ? seg.inverted.get(scoring.field)?.norms : undefined;
    const fromFreq = scoring.kind === 'bm25'
      ? (f: number, doc: number) => scoring.bm25.score(f, norms ? norms[doc] : NO_NORM)
      : (f: number) => Math.fround(scoring.boost * Math.fround(f / Math.fround(f + 1)));
    let max = 0;
    for (let k = 0; k < h.docs.length; k++) max = Math.max(max, fromFreq(h.freqs[k], h.docs[k]));
    let i = 0;
    const scoreIfMatch = (doc: number): number => {
      if (i > 0 && h.docs[i - 1] >= doc) i = 0;
      i = advance(h.docs, i, doc);
      if (i >= h.docs.length || h.docs[i] !== doc) return 0;
      return fromFreq(h.freqs[i], doc);
    };
    return { score: scoreIfMatch, scoreIfMatch, blockMax: () => max };
  }
}

/** Binds a source to a segment. */
function bind(seg: Segment, src: IntervalSource): SegmentNode {
  switch (src.kind) {
    case 'none': return NONE_NODE;
    case 'terms': {
      const ords = src.terms.map((t) => seg.termOrd(src.field, t)).filter((o) => o >= 0).sort((a, b) => a - b);
      return termsNode(seg, src.field, ords);
    }
    case 'multi': {
      const ords = selectOrds(seg, src.field, src.select);
      if (ords.length > src.maxExpansions) {
        throw illegalArgument(`Automaton [${src.label}] expanded to too many terms (limit ${src.maxExpansions})`);
      }
      return termsNode(seg, src.field, ords);
    }
    case 'or': {
      const subs = src.subs.map((s) => bind(seg, s));
      return { candidates: orAll(subs.map((s) => s.candidates)), at: (doc) => union(subs.map((s) => s.at(doc))) };
    }
    case 'ordered':
    case 'unordered':
    case 'phrase': {
      const subs = src.subs.map((s) => bind(seg, s));
      const combine = src.kind === 'ordered' ? ordered : src.kind === 'unordered' ? unordered : phrase;
      return {
        candidates: andAll(subs.map((s) => s.candidates)),
        at: (doc) => {
          const lists = subs.map((s) => s.at(doc));
          return lists.some((l) => l.length === 0) ? [] : combine(lists);
        },
      };
    }
    case 'maxgaps': {
      const sub = bind(seg, src.sub);
      return { candidates: sub.candidates, at: (doc) => sub.at(doc).filter((iv) => iv.g <= src.maxGaps) };
    }
    case 'extend': {
      const sub = bind(seg, src.sub);
      return { candidates: sub.candidates, at: (doc) => sub.at(doc).map((iv) => ({ s: Math.max(0, iv.s - src.before), e: iv.e + src.after, g: iv.g })) };
    }
    case 'repeat': {
      const sub = bind(seg, src.sub);
      return { candidates: sub.candidates, at: (doc) => repeat(sub.at(doc), src.n) };
    }
    case 'first': {
      const sub = bind(seg, src.sub);
      return { candidates: sub.candidates, at: (doc) => sub.at(doc).filter((iv) => iv.e < src.end) };
    }
    case 'filter': {
      const sub = bind(seg, src.sub);
      const filter = bind(seg, src.filter);
      const negated = src.op.startsWith('not_');
      const test = RELATIONS[src.op];
      return {
        candidates: negated ? sub.candidates : andAll([sub.candidates, filter.candidates]),
        at: (doc) => {
          const own = sub.at(doc);
          if (own.length === 0) return own;
          const other = filter.at(doc);
          return own.filter((a) => other.some((b) => test(a, b)) !== negated);
        },
      };
    }
  }
}

/** a ⟷ b relations of the filters; the not_ variants keep the intervals for which no b relates. */
const RELATIONS: Record<IntervalFilterKind, (a: Interval, b: Interval) => boolean> = {
  containing: (a, b) => a.s <= b.s && b.e <= a.e,
  not_containing: (a, b) => a.s <= b.s && b.e <= a.e,
  contained_by: (a, b) => b.s <= a.s && a.e <= b.e,
  not_contained_by: (a, b) => b.s <= a.s && a.e <= b.e,
  overlapping: (a, b) => a.s <= b.e && b.s <= a.e,
  not_overlapping: (a, b) => a.s <= b.e && b.s <= a.e,
  before: (a, b) => a.e < b.s,
  after: (a, b) => a.s > b.e,
};

/** Positions of a set of terms (ascending ordinals) as one-position intervals. */
function termsNode(seg: Segment, field: string, ords: number[]): SegmentNode {
  const inv = seg.inverted.get(field);
  if (!inv || ords.length === 0) return NONE_NODE;
  if (!inv.positions || !inv.posStart || !inv.freqs) {
    throw illegalArgument(`Cannot create intervals over field [${field}] with no positions indexed`);
  }
  const cursors = ords.map((o) => new PostingCursor(inv as InvertedField, o));
  let lastDoc = -1;
  let last: Interval[] = [];
  return {
    candidates: ordsBitmap(seg, field, ords),
    at(doc) {
      if (doc === lastDoc) return last;
      const ps: number[] = [];
      for (const c of cursors) for (const p of c.positions(doc)) ps.push(p);
      if (cursors.length > 1) ps.sort((a, b) => a - b);
      lastDoc = doc;
      last = ps.map((p) => ({ s: p, e: p, g: 0 }));
      return last;
    },
  };
}

function byStartEnd(a: Interval, b: Interval): number {
  return a.s - b.s || a.e - b.e;
}

/** All intervals of all lists, sorted, duplicates (same start and end) kept once with the fewest gaps. */
function union(lists: Interval[][]): Interval[] {
  const all = lists.flat().sort((a, b) => byStartEnd(a, b) || a.g - b.g);
  return all.filter((iv, i) => i === 0 || iv.s !== all[i - 1].s || iv.e !== all[i - 1].e);
}

/** Drops intervals that contain another one (Lucene's iterators only report minimal intervals). */
function minimal(list: Interval[]): Interval[] {
  const sorted = union([list]);
  return sorted.filter((a) => !sorted.some((b) => b !== a && a.s <= b.s && b.e <= a.e && (a.s !== b.s || a.e !== b.e)));
}

/** The interval of `list` starting at or after `from` that ends first (ties: latest start). */
function earliestEnding(list: Interval[], from: number, exactStart: boolean): Interval | undefined {
  let best: Interval | undefined;
  for (const iv of list) {
    if (exactStart ? iv.s !== from : iv.s < from) continue;
    if (!best || iv.e < best.e || (iv.e === best.e && iv.s > best.s)) best = iv;
  }
  return best;
}

/** Gaps between consecutive ordered parts (Lucene's OrderedIntervalIterator.gaps). */
function chain(lists: Interval[][], adjacent: boolean): Interval[] {
  const out: Interval[] = [];
  for (const first of lists[0]) {
    let prev = first;
    let gaps = 0;
    let ok = true;
    for (let i = 1; i < lists.length && ok; i++) {
      const next = earliestEnding(lists[i], prev.e + 1, adjacent);
      if (!next) ok = false;
      else {
        gaps += next.s - prev.e - 1;
        prev = next;
      }
    }
    if (ok) out.push({ s: first.s, e: prev.e, g: gaps });
  }
  return out;
}

function ordered(lists: Interval[][]): Interval[] {
  return minimal(chain(lists, false));
}

function phrase(lists: Interval[][]): Interval[] {
  return minimal(chain(lists, true));
}

/** Windows of `n` successive intervals (by start), as one interval each. */
function repeat(list: Interval[], n: number): Interval[] {
  const out: Interval[] = [];
  for (let k = 0; k + n <= list.length; k++) out.push(cover(list.slice(k, k + n)));
  return minimal(out);
}

/** The interval spanning `parts`, its gaps the positions no part covers. */
function cover(parts: Interval[]): Interval {
  const sorted = [...parts].sort(byStartEnd);
  const s = sorted[0].s;
  let e = sorted[0].e;
  let covered = e - s + 1;
  for (let i = 1; i < sorted.length; i++) {
    const p = sorted[i];
    if (p.e <= e) continue;
    covered += p.e - Math.max(p.s, e + 1) + 1;
    e = p.e;
  }
  return { s, e, g: e - s + 1 - covered };
}

/** One interval per list, any order: for each start, each list's earliest-ending interval from there. */
function unordered(lists: Interval[][]): Interval[] {
  const starts = [...new Set(lists.flat().map((iv) => iv.s))];
  const out: Interval[] = [];
  for (const from of starts) {
    const parts: Interval[] = [];
    for (const l of lists) {
      const p = earliestEnding(l, from, false);
      if (!p) break;
      parts.push(p);
    }
    if (parts.length === lists.length) out.push(cover(parts));
  }
  return minimal(out);
}
