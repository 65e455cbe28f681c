// The shard query phase: count matches (exact, from bitmap cardinalities), collect the top
// `from + size` hits by score or by sort values, and hand aggregations the pre-post_filter matches.
// Score order skips whole doc-id blocks whose BM25 upper bound cannot beat the current k-th hit,
// which never changes the top k (ties go to the lower doc, visited first).

import type { CompiledQuery } from '../query/compile-query.ts';
import { temporary } from '../query/exec/bitmaps.ts';
import { BLOCK_SHIFT, advance } from '../query/exec/exec.ts';
import { RoaringBitmap32, type Bitmap } from '../segment/segment.ts';
import type { SegmentMatches, ShardSearchContext } from './shard-context.ts';
import {
  compareSortValues, compareValues, isScoreOrder, renderSortValue, searchAfterValues, sortReader, type SortSpec, type SortValue,
} from './sort.ts';

/** What the coordinator asks of one shard. */
export interface QueryPhaseRequest {
  query: CompiledQuery;
  postFilter?: CompiledQuery;
  /** from + size. */
  size: number;
  sort?: SortSpec;
  searchAfter?: unknown[];
  /** true = exact, false = not needed, number = exact up to it (default 10,000). */
  trackTotalHits?: boolean | number;
  terminateAfter?: number;
  minScore?: number;
  trackScores?: boolean;
  needAggMatches?: boolean;
  /** `include_named_queries_score`: report each matched named query's score, not just its name. */
  includeNamedQueriesScore?: boolean;
}

/** One collected hit. `sortValues` are rendered as OpenSearch prints them (only for sorted searches). */
export interface ShardHit {
  segmentOrd: number;
  doc: number;
  score: number;
  sortValues?: SortValue[];
  /** `matched_queries` as OpenSearch renders it: names, or name → score with include_named_queries_score. */
  matchedQueries?: string[] | Record<string, number>;
}

/** A shard's query-phase result (plain data). */
export interface ShardQueryResult {
  totalHits: { value: number; relation: 'eq' | 'gte' };
  maxScore: number | null;
  hits: ShardHit[];
  /** Query matches per segment BEFORE post_filter (for aggregations). */
  aggMatches?: SegmentMatches[];
  terminatedEarly?: boolean;
}

let docsBuf = new Uint32Array(1024);
function docsOf(b: Bitmap): Uint32Array {
  const n = b.size;
  if (docsBuf.length < n) docsBuf = new Uint32Array(Math.max(n, docsBuf.length * 2));
  const v = docsBuf.subarray(0, n);
  if (n > 0) b.toUint32Array(v);
  return v;
}

/** Runs the query phase on one shard. */
export function executeQueryPhase(ctx: ShardSearchContext, req: QueryPhaseRequest): ShardQueryResult {
  const k = Math.max(0, req.size);
  const scoreOrder = isScoreOrder(req.sort);
  const needScores = scoreOrder || req.trackScores === true || req.minScore !== undefined || (req.sort?.some((s) => s.kind === 'score') ?? false);
  const aggMatches: SegmentMatches[] | undefined = req.needAggMatches ? [] : undefined;
  const heap = new HitHeap(k, scoreOrder ? null : req.sort!);
  const after = req.searchAfter !== undefined && req.sort ? searchAfterValues(ctx, req.sort, req.searchAfter) : undefined;
  let total = 0;
  let maxScore = -Infinity;
  let terminatedEarly = false;
  let docBase = 0;
  for (let ord = 0; ord < ctx.segments.length && !terminatedEarly; ord++) {
    const seg = ctx.segments[ord];
    let m = req.query.matches(seg, ord);
    let hitsSet = req.postFilter ? temporary(RoaringBitmap32.and(m, req.postFilter.matches(seg, ord))) : m;
    if (req.terminateAfter !== undefined && req.terminateAfter > 0 && total + hitsSet.size >= req.terminateAfter) {
      // terminate_after stops collecting after N docs on the shard; aggregations see the same docs.
      const remaining = req.terminateAfter - total;
      const lastDoc = hitsSet.select(remaining - 1)!;
      const keep = new RoaringBitmap32();
      keep.addRange(0, lastDoc + 1);
      hitsSet = RoaringBitmap32.and(hitsSet, keep);
      m = RoaringBitmap32.and(m, keep);
      terminatedEarly = total + hitsSet.size >= req.terminateAfter && ord < ctx.segments.length;
    }
    if (aggMatches) aggMatches.push({ segment: seg, segmentOrd: ord, docs: m });
    const base = docBase;
    docBase += seg.maxDoc;
    if (hitsSet.size === 0) continue;
    const docs = docsOf(hitsSet);
    if (req.minScore !== undefined || (!scoreOrder && needScores)) {
      // Exhaustive scoring: min_score filters (and changes the count); sorted + track_scores needs max_score.
      const scorer = req.query.scorer(seg, ord);
      const readers = scoreOrder ? null : req.sort!.map((s) => sortReader(ctx, s, seg, base));
      for (let i = 0; i < docs.length; i++) {
        const d = docs[i];
        const s = scorer.score(d);
        if (req.minScore !== undefined && s < req.minScore) continue;
        total++;
        if (s > maxScore) maxScore = s;
        if (k === 0) continue;
        if (readers) offerSorted(heap, readers, ord, d, s, after, req.sort!);
        else heap.offerScore(ord, d, s);
      }
      continue;
    }
    total += docs.length;
    if (k === 0) continue;
    if (scoreOrder) collectTopScores(heap, req.query, seg, ord, docs);
    else {
      const readers = req.sort!.map((s) => sortReader(ctx, s, seg, base));
      collectSorted(heap, readers, ord, docs, after, req.sort!);
    }
  }
  const hits = heap.sorted();
  if (scoreOrder && hits.length > 0) maxScore = Math.max(maxScore, hits[0].score);
  if (!scoreOrder && after) total = total; // search_after never changes the total (OpenSearch counts all matches)
  if (!scoreOrder) {
    for (const h of hits) h.sortValues = h.sortValues!.map((v, i) => renderSortValue(ctx, req.sort![i], v));
    if (!needScores) for (const h of hits) h.score = NaN;
  }
  addMatchedQueries(ctx, req, hits);
  const limit = req.trackTotalHits === true ? Infinity : typeof req.trackTotalHits === 'number' ? req.trackTotalHits : req.trackTotalHits === false ? Infinity : 10000;
  const totalHits = total > limit ? { value: limit, relation: 'gte' as const } : { value: total, relation: 'eq' as const };
  const result: ShardQueryResult = {
    totalHits,
    maxScore: needScores && maxScore !== -Infinity ? maxScore : needScores && scoreOrder ? null : null,
    hits,
  };
  if (aggMatches) result.aggMatches = aggMatches;
  if (terminatedEarly) result.terminatedEarly = true;
  return result;
}

/** Sets `matchedQueries` on hits matched by `_name`d queries of the query or the post_filter. */
function addMatchedQueries(ctx: ShardSearchContext, req: QueryPhaseRequest, hits: ShardHit[]): void {
  const named = [...req.query.named, ...(req.postFilter?.named ?? [])];
  if (named.length === 0 || hits.length === 0) return;
  for (const h of hits) {
    const seg = ctx.segments[h.segmentOrd];
    const names: string[] = [];
    const scores: Record<string, number> = {};
    for (const n of named) {
      if (!n.query.root.matches(seg).has(h.doc)) continue;
      names.push(n.name);
      if (req.includeNamedQueriesScore) scores[n.name] = n.query.scorer(seg, h.segmentOrd).score(h.doc);
    }
    if (names.length > 0) h.matchedQueries = req.includeNamedQueriesScore ? scores : names;
  }
}

/** Top-k by score over one segment with block-max skipping (MaxScore over fixed doc-id blocks). */
function collectTopScores(heap: HitHeap, query: CompiledQuery, seg: import('../segment/segment.ts').Segment, ord: number, docs: Uint32Array): void {
  const scorer = query.scorer(seg, ord);
  const n = docs.length;
  const blockScores = scorer.blockScores ? new Float64Array(1 << BLOCK_SHIFT) : null;
  let i = 0;
  while (i < n) {
    const b = docs[i] >>> BLOCK_SHIFT;
    const end = advance(docs, i, (b + 1) << BLOCK_SHIFT);
    if (heap.full && scorer.blockMax(b) <= heap.worstScore) {
      i = end;
      continue;
    }
    if (heap.full && blockScores) {
      // The whole block scored term by term; only docs that beat the k-th score and are hits (not
      // deleted, in the post_filter) are offered, in doc order as the loop below would.
      scorer.blockScores!(b, blockScores);
      const lo = b << BLOCK_SHIFT;
      let j = i;
      for (let x = 0; x < blockScores.length; x++) {
        const s = Math.fround(blockScores[x]);
        if (s <= heap.worstScore) continue;
        const d = lo + x;
        j = advance(docs, j, d);
        if (j >= end) break;
        if (docs[j] === d) heap.offerScore(ord, d, s);
      }
      i = end;
      continue;
    }
    for (; i < end; i++) {
      const d = docs[i];
      const s = scorer.score(d);
      if (!heap.full || s > heap.worstScore) heap.offerScore(ord, d, s);
    }
  }
}

/**
 * Sorted collection; a numeric first key is compared inline against the current k-th value. A
 * descending key walks the segment backwards: logs arrive in time order, so the newest docs come
 * first and nearly everything else is rejected by one comparison (equal values still go through
 * the full comparison, so the doc-order tie-break is unchanged).
 */
function collectSorted(heap: HitHeap, readers: ((d: number, s: number) => SortValue)[], ord: number, docs: Uint32Array, after: SortValue[] | undefined, sort: SortSpec): void {
  const first = readers[0];
  const desc = sort[0].order === 'desc';
  const single = sort.length === 1 && !desc;
  const n = docs.length;
  for (let j = 0; j < n; j++) {
    const d = desc ? docs[n - 1 - j] : docs[j];
    if (heap.full) {
      const v = first(d, 0);
      const w = heap.worstPrimary();
      if (typeof v === 'number' && typeof w === 'number') {
        // Walking forward, later docs lose ties, so with a single key an equal value cannot enter.
        if (desc ? v < w : v > w || (single && v === w)) continue;
      }
    }
    offerSorted(heap, readers, ord, d, 0, after, sort);
  }
}

function offerSorted(heap: HitHeap, readers: ((d: number, s: number) => SortValue)[], ord: number, d: number, score: number, after: SortValue[] | undefined, sort: SortSpec): void {
  // Compare the primary key first without allocating; build the full tuple only when competitive.
  const primary = readers[0](d, score);
  if (heap.full) {
    const c = compareValues(sort[0], primary, heap.worstPrimary());
    if (c > 0) return;
  }
  const values: SortValue[] = [primary];
  for (let r = 1; r < readers.length; r++) values.push(readers[r](d, score));
  if (after && compareSortValues(sort, values, after) <= 0) return;
  heap.offerSorted(ord, d, score, values);
}

/** A bounded heap of hits whose root is the worst hit kept. */
class HitHeap {
  private readonly items: ShardHit[] = [];
  constructor(readonly k: number, readonly sort: SortSpec | null) {}

  get full(): boolean {
    return this.items.length >= this.k;
  }
  get worstScore(): number {
    return this.items[0].score;
  }
  worstPrimary(): SortValue {
    return this.items[0].sortValues![0];
  }

  /** a is worse than b (should sit nearer the root). */
  private worse(a: ShardHit, b: ShardHit): boolean {
    if (this.sort) {
      const c = compareSortValues(this.sort, a.sortValues!, b.sortValues!);
      if (c !== 0) return c > 0;
    } else if (a.score !== b.score) return a.score < b.score;
    return a.segmentOrd !== b.segmentOrd ? a.segmentOrd > b.segmentOrd : a.doc > b.doc;
  }

  offerScore(segmentOrd: number, doc: number, score: number): void {
    this.offer({ segmentOrd, doc, score });
  }
  offerSorted(segmentOrd: number, doc: number, score: number, sortValues: SortValue[]): void {
    this.offer({ segmentOrd, doc, score, sortValues });
  }

  private offer(h: ShardHit): void {
    if (this.k === 0) return;
    const items = this.items;
    if (items.length < this.k) {
      items.push(h);
      let i = items.length - 1;
      while (i > 0) {
        const p = (i - 1) >> 1;
        if (!this.worse(items[i], items[p])) break;
        [items[i], items[p]] = [items[p], items[i]];
        i = p;
      }
      return;
    }
    if (!this.worse(items[0], h)) return;
    items[0] = h;
    let i = 0;
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let w = i;
      if (l < items.length && this.worse(items[l], items[w])) w = l;
      if (r < items.length && this.worse(items[r], items[w])) w = r;
      if (w === i) break;
      [items[i], items[w]] = [items[w], items[i]];
      i = w;
    }
  }

  /** Best first. */
  sorted(): ShardHit[] {
    return [...this.items].sort((a, b) => (this.worse(a, b) ? 1 : this.worse(b, a) ? -1 : 0));
  }
}

/**
 * Orders hits of different shards for the coordinator's merge: by score (desc) or sort values,
 * then by shard index, then by segment and doc — OpenSearch's tie-break.
 */
export function compareShardHits(a: ShardHit, aShard: number, b: ShardHit, bShard: number, sort?: SortSpec): number {
  if (!isScoreOrder(sort)) {
    const c = compareSortValues(sort!, a.sortValues ?? [], b.sortValues ?? []);
    if (c !== 0) return c;
  } else if (a.score !== b.score) {
    return b.score - a.score;
  }
  if (aShard !== bShard) return aShard - bShard;
  if (a.segmentOrd !== b.segmentOrd) return a.segmentOrd - b.segmentOrd;
  return a.doc - b.doc;
}
