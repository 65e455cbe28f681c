// Phrases over positions: a candidate set from the AND of each position's term bitmaps, then a
// positional check per candidate. Exact phrases count occurrences (Lucene's ExactPhraseMatcher);
// sloppy ones sum 1/(1 + matchLength) per match, as Lucene's SloppyPhraseMatcher does.

import { RoaringBitmap32, type Bitmap, type InvertedField, type Segment } from '../../segment/segment.ts';
import { PositionsReader } from '../../segment/segment-builder.ts';
import { andAll, emptyBitmap, orAll, temporary, toDocs } from './bitmaps.ts';
import { NO_NORM, type Bm25 } from './bm25.ts';
import { advance, Exec, type SegmentScorer } from './exec.ts';
import { termBitmap, termBlockMaxX } from './segment-cache.ts';
import { ZERO_SCORER } from './term-exec.ts';

/** One phrase position: the terms allowed there (several for match_phrase_prefix's last position). */
export interface PhraseSlot {
  terms: string[];
  position: number;
}

interface PhraseHits {
  docs: Uint32Array;
  freqs: Float32Array;
}

/** A positional phrase in one field. */
export class PhraseExec extends Exec {
  private readonly hits = new Map<Segment, PhraseHits>();
  constructor(readonly field: string, readonly slots: PhraseSlot[], readonly slop: number, readonly bm25: Bm25 | null) {
    super();
  }

  protected computeMatches(seg: Segment): Bitmap {
    const h = this.hitsOf(seg);
    return h.docs.length === 0 ? emptyBitmap() : temporary(new RoaringBitmap32(h.docs));
  }

  private hitsOf(seg: Segment): PhraseHits {
    let h = this.hits.get(seg);
    if (!h) this.hits.set(seg, (h = this.computeHits(seg)));
    return h;
  }

  private computeHits(seg: Segment): PhraseHits {
    const none = { docs: new Uint32Array(0), freqs: new Float32Array(0) };
    const inv = seg.inverted.get(this.field);
    if (!inv || !inv.positions || !inv.posStart || !inv.freqs) return none;
    const slotOrds: number[][] = [];
    for (const slot of this.slots) {
      const ords = slot.terms.map((t) => seg.termOrd(this.field, t)).filter((o) => o >= 0);
      if (ords.length === 0) return none;
      slotOrds.push(ords);
    }
    const candidates = andAll(slotOrds.map((ords) => orAll(ords.map((o) => termBitmap(seg, this.field, inv, o)))));
    const cand = Uint32Array.from(toDocs(candidates));
    const cursors = slotOrds.map((ords) => ords.map((o) => new PostingCursor(inv, o)));
    const outDocs: number[] = [];
    const outFreqs: number[] = [];
    const lists: Int32Array[] = new Array(this.slots.length);
    for (let c = 0; c < cand.length; c++) {
      const doc = cand[c];
      for (let s = 0; s < this.slots.length; s++) {
        lists[s] = slotPositions(cursors[s], doc, this.slots[s].position);
      }
      const freq = this.slop === 0 ? exactFreq(lists) : sloppyFreq(lists, this.slop);
      if (freq > 0) {
        outDocs.push(doc);
        outFreqs.push(freq);
      }
    }
    return { docs: Uint32Array.from(outDocs), freqs: Float32Array.from(outFreqs) };
  }

  scorer(seg: Segment): SegmentScorer {
    const bm25 = this.bm25;
    const inv = seg.inverted.get(this.field);
    if (!bm25 || !inv) return ZERO_SCORER;
    const h = this.hitsOf(seg);
    const norms = inv.norms;
    let i = 0;
    let bounds: Float32Array | null = null;
    const scoreIfMatch = (doc: number): number => {
      if (i > 0 && h.docs[i - 1] >= doc) i = 0;
      i = advance(h.docs, i, doc);
      if (i >= h.docs.length || h.docs[i] !== doc) return 0;
      return bm25.score(h.freqs[i], norms ? norms[doc] : NO_NORM);
    };
    return {
      score: scoreIfMatch,
      scoreIfMatch,
      blockMax: (b) => {
        if (!bounds) bounds = this.blockBounds(seg, inv, bm25);
        return bounds[b];
      },
    };
  }

  /** Exact phrases occur at most min(freq) times per doc; sloppy matches at most Σ freq times. */
  private blockBounds(seg: Segment, inv: InvertedField, bm25: Bm25): Float32Array {
    const n = (seg.maxDoc >>> 7) + 1;
    const acc = new Float64Array(n).fill(this.slop === 0 ? Infinity : 0);
    for (const slot of this.slots) {
      const slotX = new Float64Array(n);
      for (const t of slot.terms) {
        const ord = seg.termOrd(this.field, t);
        if (ord < 0) continue;
        const x = termBlockMaxX(seg, this.field, inv, ord, bm25.cache, bm25.avgdl);
        for (let b = 0; b < n; b++) slotX[b] += x[b];
      }
      for (let b = 0; b < n; b++) acc[b] = this.slop === 0 ? Math.min(acc[b], slotX[b]) : acc[b] + slotX[b];
    }
    const out = new Float32Array(n);
    for (let b = 0; b < n; b++) out[b] = acc[b] === 0 ? 0 : bm25.scoreX(Math.fround(acc[b] * 1.000001));
    return out;
  }
}

/** Walks one term's postings and positions forward in doc order. */
export class PostingCursor {
  private readonly start: number;
  private readonly end: number;
  private k: number;
  private readonly reader: PositionsReader;
  private readonly buf: number[] = [];
  constructor(private readonly inv: InvertedField, ord: number) {
    this.start = inv.docStart[ord];
    this.end = inv.docStart[ord + 1];
    this.k = this.start;
    this.reader = new PositionsReader(inv.positions!, inv.posStart![ord]);
  }
  /** Positions of `doc` (empty if absent); docs must be requested in increasing order. */
  positions(doc: number): number[] {
    const { docs, freqs } = this.inv;
    while (this.k < this.end && docs[this.k] < doc) this.reader.skip(freqs![this.k++]);
    if (this.k < this.end && docs[this.k] === doc) return this.reader.next(freqs![this.k++], this.buf);
    this.buf.length = 0;
    return this.buf;
  }
}

/** The positions of a slot's terms in a doc, minus the slot's phrase offset, sorted. */
function slotPositions(cursors: PostingCursor[], doc: number, offset: number): Int32Array {
  if (cursors.length === 1) return Int32Array.from(cursors[0].positions(doc), (p) => p - offset);
  const all: number[] = [];
  for (const c of cursors) for (const p of c.positions(doc)) all.push(p - offset);
  all.sort((a, b) => a - b);
  return Int32Array.from(new Set(all));
}

/** Occurrences where every slot has position p (positions already shifted by offsets). */
export function exactFreq(lists: Int32Array[]): number {
  const idx = new Int32Array(lists.length);
  let freq = 0;
  const first = lists[0];
  outer: for (let i = 0; i < first.length; i++) {
    const p = first[i];
    for (let s = 1; s < lists.length; s++) {
      const l = lists[s];
      let j = idx[s];
      while (j < l.length && l[j] < p) j++;
      idx[s] = j;
      if (j >= l.length) break outer;
      if (l[j] !== p) continue outer;
    }
    freq++;
  }
  return freq;
}

/** Lucene's SloppyPhraseMatcher (without repeated-term handling): Σ 1/(1 + matchLength) over matches. */
export function sloppyFreq(lists: Int32Array[], slop: number): number {
  const n = lists.length;
  for (const l of lists) if (l.length === 0) return 0;
  if (n === 1) return lists[0].length;
  const idx = new Int32Array(n);
  const pos = new Int32Array(n);
  let end = -Infinity;
  for (let s = 0; s < n; s++) {
    pos[s] = lists[s][0];
    if (pos[s] > end) end = pos[s];
  }
  // The queue orders by position, then by phrase offset (slot order).
  const popMin = (exclude: number): number => {
    let best = -1;
    for (let s = 0; s < n; s++) {
      if (s === exclude || pos[s] === 2147483647) continue;
      if (best < 0 || pos[s] < pos[best]) best = s;
    }
    return best;
  };
  let freq = 0;
  let positioned = true;
  while (positioned) {
    let pp = popMin(-1);
    let matchLength = end - pos[pp];
    let next = pos[popMin(pp)];
    let matched = false;
    let exhausted = true;
    while (++idx[pp] < lists[pp].length) {
      pos[pp] = lists[pp][idx[pp]];
      if (pos[pp] > end) end = pos[pp];
      if (pos[pp] > next) {
        if (matchLength <= slop) {
          matched = true;
          exhausted = false;
          break;
        }
        pp = popMin(-1);
        next = pos[popMin(pp)];
        matchLength = end - pos[pp];
      } else {
        const m2 = end - pos[pp];
        if (m2 < matchLength) matchLength = m2;
      }
    }
    if (exhausted) {
      positioned = false;
      matched = matchLength <= slop;
    }
    if (matched) freq = Math.fround(freq + Math.fround(1 / (1 + matchLength)));
  }
  return freq;
}
