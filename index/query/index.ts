// The query DSL's public surface (re-exports only).
//
//   parseQuery(json) → Query            wire JSON → typed tree; throws OpenSearch parsing errors
//   renderQuery(q) → JSON               typed tree → wire JSON (parse → render → parse is stable)
//   compileQuery(q, ctx, {needsScores}) → CompiledQuery
//       .matches(seg, segOrd): Bitmap   matching docs, deletes removed (a fresh bitmap)
//       .scorer(seg, segOrd): SegmentScorer   score(doc) for matching docs in ascending doc order,
//                                             blockMax(block) upper bounds (blocks of 2^BLOCK_SHIFT docs)
//   calculateMinShouldMatch(n, spec)    OpenSearch's minimum_should_match arithmetic
//
// The query phase (top-k, sorting, totals) lives in index/search/query-phase.ts and sort.ts.

export type * from './query.ts';
export { parseQuery, renderQuery } from './registry.ts';
export { compileQuery, type CompiledQuery } from './compile-query.ts';
export { calculateMinShouldMatch } from './min-should-match.ts';
export { BLOCK_SHIFT, type SegmentScorer } from './exec/exec.ts';
