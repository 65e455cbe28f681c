// What a shard-level search step sees: a point-in-time list of segments plus the index's mapping,
// analyzers and term statistics. Query execution and aggregations both run against this.

import type { Analyzer } from '../analysis/analyzer.ts';
import type { FieldInfo } from '../mapping/field-types.ts';
import type { Mapping } from '../mapping/mapping.ts';
import type { Bitmap, Segment } from '../segment/segment.ts';

/** BM25 collection statistics (per shard for query_then_fetch, global for dfs_query_then_fetch). */
export interface TermStatistics {
  /** Docs (including deleted, as Lucene counts) containing the term. */
  docFreq(field: string, term: string): number;
  /** Docs with the field, and the sum of their field lengths. */
  fieldStats(field: string): { docCount: number; sumTotalTermFreq: number };
  /** maxDoc across segments (Lucene's fallback docCount). */
  maxDoc(): number;
}

/** Analyzer lookup for queries (search-time analyzers, normalizers). */
export interface SearchAnalyzers {
  /** The search analyzer of a text field (search_analyzer, else analyzer, else the index default). */
  searchAnalyzer(info: FieldInfo): Analyzer;
  /** The search_quote_analyzer for phrases (falls back to searchAnalyzer). */
  searchQuoteAnalyzer(info: FieldInfo): Analyzer;
  /** A named analyzer (query `analyzer` parameter); throws OpenSearchError if unknown. */
  named(name: string): Analyzer;
  /** Applies a keyword field's normalizer. */
  normalize(info: FieldInfo, value: string): string;
}

/** A shard as searches see it. */
export interface ShardSearchContext {
  indexName: string;
  indexUuid: string;
  shardId: number;
  mapping: Mapping;
  analyzers: SearchAnalyzers;
  /** Segments as of the last refresh; `segment.deletes` are the deletes visible to this search. */
  segments: Segment[];
  stats: TermStatistics;
  /** Request time (epoch millis) for `now` in date math; fixed for the whole request. */
  now: number;
  /** Index settings, flattened (`index.max_result_window`, …). */
  settings: Record<string, string>;
}

/** Computes per-shard term statistics from its segments (Lucene counts deleted docs too). */
export function shardTermStatistics(segments: Segment[]): TermStatistics {
  const cache = new Map<string, { docCount: number; sumTotalTermFreq: number }>();
  return {
    docFreq(field, term) {
      let df = 0;
      for (const s of segments) df += s.postings(field, term).length;
      return df;
    },
    fieldStats(field) {
      let st = cache.get(field);
      if (!st) {
        st = { docCount: 0, sumTotalTermFreq: 0 };
        for (const s of segments) {
          const inv = s.inverted.get(field);
          if (inv) {
            st.docCount += inv.docCount;
            st.sumTotalTermFreq += inv.sumTotalTermFreq;
          }
        }
        cache.set(field, st);
      }
      return st;
    },
    maxDoc() {
      return segments.reduce((n, s) => n + s.maxDoc, 0);
    },
  };
}

/** Matching docs of one segment (deleted docs already removed). */
export interface SegmentMatches {
  segment: Segment;
  /** Index of the segment within the shard's segment list. */
  segmentOrd: number;
  docs: Bitmap;
}
