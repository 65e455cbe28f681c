// _delete_by_query and _update_by_query (without scripts): snapshot the matching documents, then
// delete or re-index each one with its seq_no as a concurrency check, counting conflicts.

import { OpenSearchError } from '../errors.ts';
import { compileQuery } from '../query/index.ts';
import { routingOf } from '../segment/segment.ts';
import type { SearchService, SearchOptions } from '../search/search-service.ts';
import type { DocumentService, PendingWrite } from './document-service.ts';
import type { RefreshPolicy } from './write-params.ts';

/** Options of the by-query APIs. */
export interface ByQueryOptions extends SearchOptions {
  conflicts?: 'abort' | 'proceed';
  maxDocs?: number;
  /** Documents per batch (`scroll_size`, default 1000), reported as `batches`. */
  scrollSize?: number;
  /** `wait_for_active_shards`: one node has one active copy per shard. */
  waitForActiveShards?: number;
  timeoutMs?: number;
  refresh: RefreshPolicy;
}

/** Validates URL parameters and body of a by-query request before anything runs (as OpenSearch's request validation does). */
export function validateByQuery(params: Record<string, string>, body: Record<string, unknown> | null): { maxDocs?: number; scrollSize: number } {
  const bad = (reason: string) => new OpenSearchError('action_request_validation_exception', `Validation Failed: 1: ${reason};`, 400);
  const intOf = (name: string, v: string) => {
    const n = Number(v);
    if (v.trim() === '' || !Number.isInteger(n)) throw new OpenSearchError('illegal_argument_exception', `Failed to parse int parameter [${name}] with value [${v}]`, 400);
    return n;
  };
  if (body?.stored_fields !== undefined) throw bad('stored_fields is not supported in this context');
  const sizes = [params.size, params.max_docs, body?.size, body?.max_docs].filter((v) => v !== undefined).map((v) => (typeof v === 'number' ? v : intOf('max_docs', String(v))));
  for (const n of sizes) if (n < 0) throw bad(`[max_docs] parameter cannot be negative, found [${n}]`);
  if (sizes.length > 1 && sizes.some((n) => n !== sizes[0])) throw bad(`[max_docs] set to two different values [${sizes[0]}] and [${sizes[1]}]`);
  const rps = params.requests_per_second;
  if (rps !== undefined && rps !== '-1') {
    const n = Number(rps);
    if (rps.trim() === '' || !Number.isFinite(n) || n <= 0) {
      throw new OpenSearchError('illegal_argument_exception', `[requests_per_second] must be a float greater than 0. Use -1 to disable throttling.`, 400);
    }
  }
  if (params.slices !== undefined && params.slices !== 'auto') {
    const n = Number(params.slices);
    if (!Number.isInteger(n) || n < 1) throw new OpenSearchError('illegal_argument_exception', `[slices] must be a positive integer or the string "auto", but was [${params.slices}]`, 400);
    if (sizes.length > 0 && sizes[0] < n) throw bad('[max_docs] should be >= [slices]');
  }
  const scrollSize = params.scroll_size === undefined ? 1000 : intOf('scroll_size', params.scroll_size);
  return { maxDocs: sizes[0], scrollSize };
}

/** Runs a delete- or update-by-query and returns OpenSearch's response body. */
export async function byQuery(
  kind: 'delete' | 'update',
  search: SearchService,
  docs: DocumentService,
  indexExpr: string | undefined,
  body: Record<string, unknown> | null,
  opts: ByQueryOptions,
): Promise<Record<string, unknown>> {
  const started = Date.now();
  for (const k of Object.keys(body ?? {})) {
    if (!['query', 'max_docs', 'conflicts', 'slice', 'script', 'size', 'sort', '_source', 'stored_fields'].includes(k)) {
      throw new OpenSearchError('parsing_exception', `[${kind === 'delete' ? 'delete_by_query' : 'update_by_query'}] unknown field [${k}]`, 400);
    }
  }
  if (body?.script !== undefined) throw new OpenSearchError('illegal_argument_exception', 'scripts are not supported by Lookout', 400);
  const conflicts = (opts.conflicts ?? (body?.conflicts as string | undefined) ?? 'abort') as 'abort' | 'proceed';
  if (conflicts !== 'abort' && conflicts !== 'proceed') {
    throw new OpenSearchError('action_request_validation_exception', `Validation Failed: 1: conflicts may only be "proceed" or "abort" but was [${conflicts}];`, 400);
  }
  const maxDocs = opts.maxDocs ?? Infinity;
  const scrollSize = Math.max(1, opts.scrollSize ?? 1000);
  const targets = search.shardTargets(indexExpr, body?.query ?? { match_all: {} }, opts);
  const matches: Array<{ index: string; id: string; seqNo: number; primaryTerm: number; routing: string | null; source: Buffer }> = [];
  for (const t of targets) {
    const q = compileQuery(t.query, t.ctx, { needsScores: false });
    t.ctx.segments.forEach((seg, ord) => {
      for (const doc of q.matches(seg, ord)) {
        matches.push({ index: t.index.name, id: seg.meta.ids.get(doc), seqNo: seg.meta.seqNos[doc], primaryTerm: seg.meta.primaryTerms[doc], routing: routingOf(seg.meta, doc), source: seg.source(doc) });
      }
    });
  }
  if ((opts.waitForActiveShards ?? 1) > 1 && matches.length > 0) {
    // Only the primary is active on one node: wait out the timeout, then fail every write as OpenSearch does.
    const need = opts.waitForActiveShards!;
    const timeout = opts.timeoutMs ?? 60_000;
    await new Promise((r) => setTimeout(r, timeout));
    const reason = (m: (typeof matches)[number]) =>
      `[${m.index}][0] Not enough active copies to meet shard count of [${need}] (have 1, needed ${need}). Timeout: [${timeout / 1000}s], request: [BulkShardRequest [[${m.index}][0]] containing [1] requests]`;
    return {
      took: Date.now() - started, timed_out: false, total: matches.length, updated: 0, deleted: 0, batches: 1, version_conflicts: 0, noops: 0,
      retries: { bulk: 0, search: 0 }, throttled_millis: 0, requests_per_second: -1.0, throttled_until_millis: 0,
      failures: matches.map((m) => ({ index: m.index, id: m.id, cause: { type: 'unavailable_shards_exception', reason: reason(m) }, status: 503 })),
    };
  }
  let done = 0, conflictsCount = 0;
  const noops = 0;
  const failures: unknown[] = [];
  const writes: PendingWrite[] = [];
  for (const m of matches) {
    if (done >= maxDocs) break;
    try {
      const p = { ifSeqNo: m.seqNo, ifPrimaryTerm: m.primaryTerm, routing: m.routing };
      const w = kind === 'delete' ? docs.deleteDoc(m.index, m.id, p) : docs.indexDoc(m.index, m.id, Buffer.from(m.source), null, p);
      writes.push(w);
      done++;
    } catch (err) {
      if (!(err instanceof OpenSearchError) || err.type !== 'version_conflict_engine_exception') throw err;
      conflictsCount++;
      if (conflicts === 'abort') {
        failures.push({ index: m.index, id: m.id, cause: err.toJSON(), status: 409 });
        break;
      }
    }
  }
  await docs.complete(writes, opts.refresh);
  const out: Record<string, unknown> = {
    took: Date.now() - started,
    timed_out: false,
    total: done + conflictsCount,
  };
  if (kind === 'delete') out.deleted = done;
  else {
    out.updated = done;
    out.deleted = 0;
  }
  Object.assign(out, {
    batches: Math.max(1, Math.ceil((done + conflictsCount) / scrollSize)),
    version_conflicts: conflictsCount,
    noops,
    retries: { bulk: 0, search: 0 },
    throttled_millis: 0,
    requests_per_second: -1.0,
    throttled_until_millis: 0,
    failures,
  });
  return out;
}
