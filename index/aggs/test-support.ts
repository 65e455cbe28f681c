// Test helpers: index plain documents into segments/shards (keyword, numeric, date, boolean, ip fields)
// and run a whole aggregation request across N shards, as the search coordinator will.

import { encodeIp } from '../mapping/ip.ts';
import type { IndexedField } from '../mapping/document-parser.ts';
import { parseDate } from './date-support.ts';
import { Mapping, type MappingJSON } from '../mapping/mapping.ts';
import { buildSegment, type BuildDoc } from '../segment/segment-builder.ts';
import { RoaringBitmap32, type Segment } from '../segment/segment.ts';
import { shardTermStatistics, type ShardSearchContext, type SegmentMatches } from '../search/shard-context.ts';
import { collectAggregations, parseAggregations, reduceAggregations, renderAggregations } from './index.ts';

const analyzers = {
  indexAnalyzer: () => { throw new Error('no text fields in aggregation tests'); },
  normalize: (_i: unknown, v: string) => v,
};

/** A shard over the given docs, split into `segments` segments. */
export function makeShard(mappingJson: MappingJSON, docs: Record<string, unknown>[], segments = 1, now = Date.UTC(2024, 0, 1)): ShardSearchContext {
  const mapping = Mapping.parse(mappingJson);
  const parsed: BuildDoc[] = docs.map((src, i) => {
    return { id: String(i), seqNo: i, version: 1, primaryTerm: 1, routing: null, source: Buffer.from(JSON.stringify(src)), fields: fieldsOf(mapping, src) };
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

/** Flat documents → indexed fields (the document parser needs index/dates, not landed yet). */
function fieldsOf(mapping: Mapping, src: Record<string, unknown>): IndexedField[] {
  const out: IndexedField[] = [];
  for (const [path, raw] of Object.entries(src)) {
    const info = mapping.field(path);
    if (!info || raw === null || raw === undefined) continue;
    const values = ([] as unknown[]).concat(raw).map((v): string | number => {
      switch (info.type) {
        case 'date': case 'date_nanos': return parseDate(v as string, info.format!, 0);
        case 'boolean': return v === true || v === 'true' ? 1 : 0;
        case 'ip': return encodeIp(String(v))!;
        case 'keyword': return String(v);
        default: return Number(v);
      }
    });
    if (values.length > 0) out.push({ info, values });
  }
  return out;
}
