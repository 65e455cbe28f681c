// Single-document operations (index, create, get, delete, update, mget) over the indices service:
// concurrency checks, routing, durability (translog fsync before acknowledging) and refresh policies.

import { OpenSearchError, documentMissing, mapperParsing, illegalArgument, indexNotFound } from '../errors.ts';
import type { Index } from '../indices/index.ts';
import type { IndicesService } from '../indices/indices-service.ts';
import type { Shard, WriteResult } from '../shard/shard.ts';
import { filterSource, type SourceFilter } from './source-filter.ts';
import { autoId, nextVersion, writeResponse, type RefreshPolicy, type WriteParams } from './write-params.ts';

/** A write's outcome before durability/refresh: which shard to sync, and the response. */
export interface PendingWrite {
  index: Index;
  shard: Shard;
  id: string;
  result: WriteResult;
}

/** Parses a JSON document body into an object, with OpenSearch's error for junk. */
export function parseSourceObject(bytes: Buffer | string): Record<string, unknown> {
  let obj: unknown;
  try {
    obj = JSON.parse(typeof bytes === 'string' ? bytes : bytes.toString('utf8'));
  } catch (err) {
    throw mapperParsing('failed to parse', new OpenSearchError('json_parse_exception', (err as Error).message, 400));
  }
  if (obj === null || typeof obj !== 'object' || Array.isArray(obj)) {
    throw mapperParsing('failed to parse', new OpenSearchError('not_x_content_exception', 'Compressor detection can only be called on some xcontent bytes or compressed xcontent bytes', 400));
  }
  return obj as Record<string, unknown>;
}

export class DocumentService {
  constructor(readonly indices: IndicesService) {}

  /** Indexes one document (synchronous part: validation, translog append, buffer). */
  /** `source` is the document's bytes, or its JSON text (an ingest API that wrote it); `parsed` its parse, when known. */
  indexDoc(indexName: string, id: string | undefined, source: Buffer | string, parsed: Record<string, unknown> | null, p: WriteParams): PendingWrite {
    if (id !== undefined) checkId(id);
    if (p.opType === 'create' && p.versionType !== undefined && p.versionType !== 'internal') {
      throw new OpenSearchError('action_request_validation_exception', 'Validation Failed: 1: create operations only support internal versioning. use index instead;', 400);
    }
    const index = this.writeTarget(indexName, p);
    const docId = id ?? autoId();
    const opType = id === undefined ? 'create' : (p.opType ?? 'index');
    const routing = this.routingFor(index, indexName, p.routing);
    if (index.mapping.routingRequired && routing == null) {
      throw new OpenSearchError('routing_missing_exception', `routing is required for [${index.name}]/[${docId}]`, 400, { index_uuid: index.uuid, index: index.name });
    }
    const shard = index.shardFor(docId, routing);
    // An auto-generated id has no previous version (and must not make the shard load its version map).
    const current = id === undefined ? undefined : shard.current(docId);
    const version = nextVersion(index, shard.shardId, docId, current, p.opType === opType ? p : { ...p, opType }, false);
    const obj = parsed ?? parseSourceObject(source);
    // Checked here for its errors and mapping updates; the segment build parses the source again.
    index.check(obj, docId);
    const result = shard.index(docId, source, routing ?? null, version, id === undefined, id === undefined ? undefined : { prev: current });
    return { index, shard, id: docId, result };
  }

  /** Deletes one document. */
  deleteDoc(indexName: string, id: string, p: WriteParams): PendingWrite {
    const index = this.indices.writeIndex(indexName, false);
    const routing = this.routingFor(index, indexName, p.routing);
    if (index.mapping.routingRequired && routing == null) {
      throw new OpenSearchError('routing_missing_exception', `routing is required for [${index.name}]/[${id}]`, 400, { index_uuid: index.uuid, index: index.name });
    }
    const shard = index.shardFor(id, routing);
    const current = shard.current(id);
    const version = nextVersion(index, shard.shardId, id, current, p, true);
    const result = shard.delete(id, version);
    return { index, shard, id, result };
  }

  /** Makes writes durable and visible as the request asked; returns whether a refresh was forced. */
  async complete(writes: PendingWrite[], refresh: RefreshPolicy): Promise<boolean> {
    // Each shard written, with how many documents this request gave it (indexing pressure paces by them).
    const shards = new Map<Shard, number>();
    for (const w of writes) if (w.result.result !== 'noop') shards.set(w.shard, (shards.get(w.shard) ?? 0) + 1);
    await Promise.all([...shards.keys()].map((s) => s.sync()));
    // Durable now; a shard whose segment builds fall behind makes the writer wait (indexing pressure).
    await Promise.all([...shards].map(([s, docs]) => s.indexingPressure(docs)));
    if (refresh === 'true') {
      for (const s of shards.keys()) s.refresh();
      return shards.size > 0;
    }
    if (refresh === 'wait_for') await Promise.all([...shards.keys()].map((s) => s.waitForRefresh()));
    return false;
  }

  /** Index + durability + refresh, rendered as the index API responds. */
  async index(indexName: string, id: string | undefined, source: Buffer, p: WriteParams, refresh: RefreshPolicy): Promise<{ status: number; body: Record<string, unknown> }> {
    const w = this.indexDoc(indexName, id, source, null, p);
    const forced = await this.complete([w], refresh);
    return { status: w.result.result === 'created' ? 201 : 200, body: writeResponse(w.index, w.id, w.result, forced) };
  }

  async delete(indexName: string, id: string, p: WriteParams, refresh: RefreshPolicy): Promise<{ status: number; body: Record<string, unknown> }> {
    const w = this.deleteDoc(indexName, id, p);
    const forced = await this.complete([w], refresh);
    return { status: w.result.result === 'not_found' ? 404 : 200, body: writeResponse(w.index, w.id, w.result, forced) };
  }

  /** Real-time get; returns null when the document does not exist. */
  get(indexName: string, id: string, routing: string | undefined, opts: { realtime?: boolean; refresh?: boolean } = {}): { index: Index; doc: ReturnType<Shard['get']> } {
    const resolved = this.indices.resolveOpen(indexName, {});
    if (resolved.length === 0) throw indexNotFound(indexName);
    if (resolved.length > 1) {
      throw illegalArgument(`alias [${indexName}] has more than one index associated with it [${resolved.map((r) => r.index.name).join(', ')}], can't execute a single index op`);
    }
    const index = resolved[0].index;
    const r = this.routingFor(index, indexName, routing, 'search');
    if (index.mapping.routingRequired && r == null) {
      throw new OpenSearchError('routing_missing_exception', `routing is required for [${index.name}]/[${id}]`, 400, { index_uuid: index.uuid, index: index.name });
    }
    const shard = index.shardFor(id, r);
    if (opts.refresh) shard.refresh();
    return { index, doc: opts.realtime === false ? shard.getRefreshed(id) : shard.get(id) };
  }

  /** The GET document response body (found or not). */
  renderGet(index: Index, id: string, doc: ReturnType<Shard['get']>, filter: SourceFilter | null, storedFields?: string[]): Record<string, unknown> {
    if (!doc) return { _index: index.name, _id: id, found: false };
    const body: Record<string, unknown> = {
      _index: index.name,
      _id: id,
      _version: doc.version,
      _seq_no: doc.seqNo,
      _primary_term: doc.primaryTerm,
    };
    if (doc.routing != null) body._routing = doc.routing;
    body.found = true;
    if (storedFields === undefined || filter) {
      const src = filterSource(doc.source, filter);
      if (src !== undefined) body._source = src;
    }
    return body;
  }

  /** Partial update / upsert (scripts are not supported). */
  async update(indexName: string, id: string, body: Record<string, unknown>, p: WriteParams & { retryOnConflict?: number }, refresh: RefreshPolicy, sourceFilter: SourceFilter | null): Promise<{ status: number; body: Record<string, unknown> }> {
    const w = this.updateDoc(indexName, id, body, p);
    const forced = await this.complete([w.write], refresh);
    const out = writeResponse(w.write.index, id, w.write.result, forced);
    if (sourceFilter && w.newSource) {
      out.get = { _seq_no: w.write.result.seqNo, _primary_term: w.write.result.primaryTerm, found: true, _source: filterSource(w.newSource, sourceFilter) };
    }
    return { status: w.write.result.result === 'created' ? 201 : 200, body: out };
  }

  /** The synchronous part of an update (shared with bulk). */
  updateDoc(indexName: string, id: string, body: Record<string, unknown>, p: WriteParams): { write: PendingWrite; newSource: Buffer | null } {
    for (const k of Object.keys(body)) {
      if (!['doc', 'upsert', 'doc_as_upsert', 'detect_noop', 'script', 'scripted_upsert', '_source', 'lang', 'params'].includes(k)) {
        throw new OpenSearchError('x_content_parse_exception', `[1:2] [UpdateRequest] unknown field [${k}]`, 400);
      }
    }
    if (body.script !== undefined) {
      throw illegalArgument('scripts are not supported by Lookout; use a partial `doc` or `upsert`');
    }
    if (body.doc === undefined && body.upsert === undefined) {
      throw new OpenSearchError('action_request_validation_exception', 'Validation Failed: 1: script or doc is missing;', 400);
    }
    const index = this.writeTarget(indexName, p);
    const routing = this.routingFor(index, indexName, p.routing);
    const shard = index.shardFor(id, routing);
    const current = shard.get(id);
    if (!current) {
      const upsert = body.doc_as_upsert === true ? body.doc : body.upsert;
      if (upsert === undefined) throw documentMissing(id, index.name, index.uuid, shard.shardId);
      const src = Buffer.from(JSON.stringify(upsert));
      return { write: this.indexDoc(indexName, id, src, upsert as Record<string, unknown>, { ...p, opType: 'create' }), newSource: src };
    }
    if (p.ifSeqNo !== undefined && (current.seqNo !== p.ifSeqNo || current.primaryTerm !== p.ifPrimaryTerm)) {
      nextVersion(index, shard.shardId, id, shard.current(id), p, false);
    }
    const existing = JSON.parse(current.source.toString('utf8')) as Record<string, unknown>;
    const merged = structuredClone(existing);
    const changed = deepMerge(merged, (body.doc ?? {}) as Record<string, unknown>);
    if (!changed && body.detect_noop !== false) {
      return {
        write: { index, shard, id, result: { result: 'noop', seqNo: current.seqNo, primaryTerm: current.primaryTerm, version: current.version } },
        newSource: current.source,
      };
    }
    const src = Buffer.from(JSON.stringify(merged));
    const w = this.indexDoc(indexName, id, src, merged, { routing: p.routing, ifSeqNo: current.seqNo, ifPrimaryTerm: current.primaryTerm });
    return { write: w, newSource: src };
  }

  /** The index a write goes to; with `require_alias` the name must be an alias (no auto-create). */
  private writeTarget(indexName: string, p: WriteParams): Index {
    if (p.requireAlias && !this.indices.aliasExists(indexName)) {
      throw new OpenSearchError('index_not_found_exception', `no such index [${indexName}] and [require_alias] request flag is [true] and [${indexName}] is not an alias`, 404, {
        'resource.type': 'index_or_alias', 'resource.id': indexName, index_uuid: '_na_', index: indexName,
      });
    }
    return this.indices.writeIndex(indexName);
  }

  /** Routing for an operation: explicit, else the alias's index/search routing. */
  routingFor(index: Index, requested: string, routing: string | null | undefined, kind: 'index' | 'search' = 'index'): string | null | undefined {
    if (routing != null) return routing;
    const alias = index.meta.aliases[requested];
    if (!alias) return routing;
    return (kind === 'index' ? alias.index_routing : alias.search_routing?.split(',')[0]) ?? routing;
  }
}

/** Deep-merges `update` into `target` (objects merge, everything else replaces); true if anything changed. */
export function deepMerge(target: Record<string, unknown>, update: Record<string, unknown>): boolean {
  let changed = false;
  for (const [k, v] of Object.entries(update)) {
    const cur = target[k];
    if (v !== null && typeof v === 'object' && !Array.isArray(v) && cur !== null && typeof cur === 'object' && !Array.isArray(cur)) {
      changed = deepMerge(cur as Record<string, unknown>, v as Record<string, unknown>) || changed;
    } else if (JSON.stringify(cur) !== JSON.stringify(v)) {
      target[k] = v;
      changed = true;
    }
  }
  return changed;
}

function checkId(id: string): void {
  if (Buffer.byteLength(id) > 512) {
    throw new OpenSearchError('action_request_validation_exception', `Validation Failed: 1: id [${id}] is too long, must be no longer than 512 bytes but was: ${Buffer.byteLength(id)};`, 400);
  }
  if (id === '') throw illegalArgument('if _id is specified it must not be empty');
}
