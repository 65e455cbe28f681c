// Test helpers: index plain documents into segments/shards (keyword, numeric, date, boolean, ip fields)
// and run a whole aggregation request across N shards, as the search coordinator will.

import { parseDocument } from '../mapping/document-parser.ts';
import { Mapping, type MappingJSON } from '../mapping/mapping.ts';
import { buildSegment, type BuildDoc } from '../segment/segment-builder.ts';
import { RoaringBitmap32, type Segment } from '../segment/segment.ts';
import { shardTermStatistics, type ShardSearchContext, type SegmentMatches } from '../search/shard-context.ts';
import { collectAggregations, parseAggregations, reduceAggregations, renderAggregations } from './index.ts';

/** A lower-casing word tokenizer standing in for the standard analyzer in these tests. */
const simple = {
  name: 'simple',
  terms: (text: string) => text.toLowerCase().split(/[^\p{L}\p{N}]+/u).filter(Boolean),
  analyze(text: string) {
    return this.terms(text).map((term, position) => ({ term, position, startOffset: 0, endOffset: 0 }));
  },
};
const analyzers = { indexAnalyzer: () => simple, normalize: (_i: unknown, v: string) => v };

/** A shard over the given docs, split into `segments` segments. */
export function makeShard(mappingJson: MappingJSON, docs: Record<string, unknown>[], segments = 1, now = Date.UTC(2024, 0, 1)): ShardSearchContext {
  let mapping = Mapping.parse(mappingJson);
  const parsed: BuildDoc[] = docs.map((src, i) => {
    const p = parseDocument(mapping, src, String(i));
    mapping = p.mapping;
    return { id: String(i), seqNo: i, version: 1, primaryTerm: 1, routing: null, source: Buffer.from(JSON.stringify(src)), fields: p.fields };
  });
  const segs: Segment[] = [];
  const per = Math.max(1, Math.ceil(parsed.length / segments));
  for (let i = 0; i < parsed.length || segs.length === 0; i += per) {
    segs.push(buildSegment(`s${segs.length}`, parsed.slice(i, i + per), analyzers as never));
    if (parsed.length === 0) break;
  }
  return {
    indexName: 'test', indexUuid: 'uuid', shardId: 0, mapping, analyzers: {} as never, segments: segs,
    stats: shardTermStatistics(segs), now, settings: {},
  };
}

/** Every live doc of every segment as matches (a match_all query). */
export function matchAll(shard: ShardSearchContext, keep: (seg: Segment, doc: number) => boolean = () => true): SegmentMatches[] {
  return shard.segments.map((segment, segmentOrd) => {
    const docs: number[] = [];
    for (let d = 0; d < segment.maxDoc; d++) if (segment.isLive(d) && keep(segment, d)) docs.push(d);
    return { segment, segmentOrd, docs: new RoaringBitmap32(docs) };
  });
}

/** Runs `aggs` over docs split round-robin into `shards` shards; returns the rendered aggregations. */
export function runAggs(
  mapping: MappingJSON, docs: Record<string, unknown>[], aggs: unknown,
  opts: { shards?: number; segments?: number; typedKeys?: boolean; maxBuckets?: number } = {},
): Record<string, unknown> {
  const n = opts.shards ?? 1;
  const reqs = parseAggregations(aggs);
  const partials = [];
  for (let s = 0; s < n; s++) {
    const shardDocs = docs.filter((_, i) => i % n === s);
    const shard = makeShard(mapping, shardDocs, opts.segments ?? 1);
    const limits = { maxBuckets: opts.maxBuckets ?? 65535, memoryBudgetBytes: 1 << 30 };
    partials.push(JSON.parse(JSON.stringify(collectAggregations(reqs, shard, matchAll(shard), limits))));
  }
  const reduced = reduceAggregations(reqs, partials, { maxBuckets: opts.maxBuckets ?? 65535 });
  return renderAggregations(reqs, reduced, { typedKeys: opts.typedKeys ?? false });
}

