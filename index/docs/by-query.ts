// _delete_by_query and _update_by_query (without scripts): snapshot the matching documents, then
// delete or re-index each one with its seq_no as a concurrency check, counting conflicts.

import { OpenSearchError } from '../errors.ts';
import { compileQuery } from '../query/index.ts';
import type { SearchService, SearchOptions } from '../search/search-service.ts';
import type { DocumentService, PendingWrite } from './document-service.ts';
import type { RefreshPolicy } from './write-params.ts';

/** Options of the by-query APIs. */
export interface ByQueryOptions extends SearchOptions {
  conflicts?: 'abort' | 'proceed';
  maxDocs?: number;
  refresh: RefreshPolicy;
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
    if (!['query', 'max_docs', 'conflicts', 'slice', 'script', 'size', 'sort', '_source'].includes(k)) {
      throw new OpenSearchError('parsing_exception', `[${kind === 'delete' ? 'delete_by_query' : 'update_by_query'}] unknown field [${k}]`, 400);
    }
  }
  if (body?.script !== undefined) throw new OpenSearchError('illegal_argument_exception', 'scripts are not supported by Lookout', 400);
  const conflicts = (opts.conflicts ?? (body?.conflicts as string | undefined) ?? 'abort') as 'abort' | 'proceed';
  if (conflicts !== 'abort' && conflicts !== 'proceed') {
    throw new OpenSearchError('action_request_validation_exception', `Validation Failed: 1: conflicts may only be "proceed" or "abort" but was [${conflicts}];`, 400);
  }
  const maxDocs = opts.maxDocs ?? (body?.max_docs as number | undefined) ?? Infinity;
  const targets = search.shardTargets(indexExpr, body?.query ?? { match_all: {} }, opts);
  const matches: Array<{ index: string; id: string; seqNo: number; primaryTerm: number; routing: string | null; source: Buffer }> = [];
  for (const t of targets) {
    const q = compileQuery(t.query, t.ctx, { needsScores: false });
    t.ctx.segments.forEach((seg, ord) => {
      for (const doc of q.matches(seg, ord)) {
        matches.push({ index: t.index.name, id: seg.meta.ids[doc], seqNo: seg.meta.seqNos[doc], primaryTerm: seg.meta.primaryTerms[doc], routing: seg.meta.routings[doc], source: seg.source(doc) });
      }
    });
  }
  let done = 0, conflictsCount = 0, noops = 0;
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
  await docs.complete(writes, opts.refresh === 'wait_for' ? 'wait_for' : opts.refresh);
  if (opts.refresh !== 'true' && opts.refresh !== 'wait_for' && writes.length > 0) {
    // by-query APIs refresh only when asked, like OpenSearch.
  }
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
    batches: matches.length > 0 ? Math.ceil((done + conflictsCount) / 1000) || 1 : 0,
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
