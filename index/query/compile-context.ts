// What every compile step shares: the shard, whether scores are needed, and helpers to build
// BM25 scorers from the shard's term statistics and to raise OpenSearch's query_shard_exception.

import { OpenSearchError } from '../errors.ts';
import type { FieldInfo } from '../mapping/field-types.ts';
import type { ShardSearchContext } from '../search/shard-context.ts';
import { avgFieldLength, bm25Idf, Bm25 } from './exec/bm25.ts';
import type { Exec } from './exec/exec.ts';
import type { Query } from './query.ts';

/** State threaded through compilation. `boost` is the product of enclosing boosts (Lucene propagates them into weights). */
export interface CompileContext {
  shard: ShardSearchContext;
  /** Compiles a child query with the given accumulated boost, in scoring or filter context. */
  build(q: Query, boost: number, scoring: boolean): Exec;
}

/** The BM25 scorer for one or more terms of a field (phrases sum the terms' idf, as Lucene's idfExplain). */
export function bm25For(shard: ShardSearchContext, field: string, terms: string[], boost: number, docFreqOverride?: number): Bm25 {
  const fs = shard.stats.fieldStats(field);
  // Lucene falls back to maxDoc when a field reports no doc count.
  const docCount = fs.docCount > 0 ? fs.docCount : shard.stats.maxDoc();
  let idf = 0;
  for (const t of terms) {
    const df = docFreqOverride ?? shard.stats.docFreq(field, t);
    idf += bm25Idf(df, docCount);
  }
  const sttf = fs.sumTotalTermFreq > 0 ? fs.sumTotalTermFreq : docCount;
  return new Bm25(boost, Math.fround(idf), avgFieldLength(sttf, docCount));
}

/** `query_shard_exception` ("failed to create query: …"), OpenSearch's wrapper for shard-level query errors. */
export function queryShardError(shard: ShardSearchContext, reason: string, causedBy?: OpenSearchError): OpenSearchError {
  return new OpenSearchError('query_shard_exception', reason, 400, { index: shard.indexName, index_uuid: shard.indexUuid }, causedBy);
}

/** Wraps an error raised while turning a query into Lucene terms, the way AbstractQueryBuilder.toQuery does. */
export function failedToCreate(shard: ShardSearchContext, err: unknown): OpenSearchError {
  if (err instanceof OpenSearchError && err.type === 'query_shard_exception') return err;
  const cause = err instanceof OpenSearchError ? err : new OpenSearchError('illegal_argument_exception', String((err as Error)?.message ?? err), 400);
  return queryShardError(shard, `failed to create query: ${cause.reason}`, cause);
}

/** Whether a field is a text-like field searched through analysis. */
export function isText(info: FieldInfo): boolean {
  return info.storage === 'text';
}

/** Multiplies boosts as Java floats. */
export function mulBoost(a: number, b: number | undefined): number {
  return b === undefined ? a : Math.fround(a * b);
}

/** An integer index setting of the shard (`index.max_terms_count`, …), or its default. */
export function indexIntSetting(shard: ShardSearchContext, key: string, dflt: number): number {
  const v = shard.settings[key];
  const n = v === undefined || v === null ? NaN : Number(v);
  return Number.isInteger(n) ? n : dflt;
}

/**
 * The `search.allow_expensive_queries` guard (a cluster setting the coordinator copies into the
 * shard's settings). `what` completes OpenSearch's message, e.g. `[fuzzy] queries`.
 */
export function checkExpensiveAllowed(shard: ShardSearchContext, what: string, hint = ''): void {
  if (shard.settings['search.allow_expensive_queries'] === 'false') {
    throw queryShardError(shard, `${what} cannot be executed when 'search.allow_expensive_queries' is set to false.${hint}`);
  }
}
