// The embedded engine behind ingest/'s DocumentSink (and alarms' query evaluator): the same services the
// REST routes call, so documents written here behave exactly as documents sent to `_bulk`.

import { OpenSearchError } from '../index/errors.ts';
import { byQuery } from '../index/docs/by-query.ts';
import type { PendingWrite } from '../index/docs/document-service.ts';
import type { WriteParams } from '../index/docs/write-params.ts';
import { parseComposableTemplate, putIndexTemplate } from '../index/indices/templates.ts';
import type { DocumentSink, SinkDocument, SinkIndexInfo, SinkItemResult, SinkRefresh, StagedWrite, WriteMark } from '../ingest/document-sink.ts';
import type { Index } from '../index/indices/index.ts';
import type { Shard } from '../index/shard/shard.ts';
import type { ResolveOptions } from '../index/indices/expressions.ts';
import type { LookoutNode } from './node.ts';
import { diskBytes } from './routes/cat.ts';

/** Write parameters, one object for every document (an auto id is always a create). */
const CREATE: WriteParams = Object.freeze({ opType: 'create' });
const INDEX: WriteParams = Object.freeze({ opType: 'index' });

/** Index expressions that match nothing are empty, not errors: ingest and alarms probe freely. */
const LENIENT: ResolveOptions = { ignoreUnavailable: true, allowNoIndices: true };

/** DocumentSink over a LookoutNode's own services. */
export class EngineSink implements DocumentSink {
  constructor(private readonly node: LookoutNode) {}

  // Not `async`: the engine takes the documents synchronously, and a suspended async frame would keep
  // `docs` (every parsed source) alive until the fsync, through young-generation collections that copy it.
  write(docs: SinkDocument[], opts: { refresh?: SinkRefresh } = {}): Promise<SinkItemResult[]> {
    try {
      const { items, pending } = this.indexAll(docs);
      return this.node.docs.complete(pending, opts.refresh ?? 'false').then(() => items);
    } catch (err) {
      return Promise.reject(err);
    }
  }

  stage(docs: SinkDocument[]): StagedWrite {
    const { items, pending } = this.indexAll(docs);
    const top = new Map<Shard, { uuid: string; seqNo: number }>();
    for (const w of pending) {
      const t = top.get(w.shard);
      if (!t) top.set(w.shard, { uuid: w.index.uuid, seqNo: w.result.seqNo });
      else if (w.result.seqNo > t.seqNo) t.seqNo = w.result.seqNo;
    }
    const marks: WriteMark[] = [...top].map(([shard, t]) => [t.uuid, shard.shardId, t.seqNo]);
    return { items, marks, durable: this.node.docs.complete(pending, 'false').then(() => undefined) };
  }

  survived(marks: WriteMark[]): boolean {
    for (const [uuid, shardId, seqNo] of marks) {
      let index: Index | undefined;
      for (const idx of this.node.indices.indices.values()) if (idx.uuid === uuid) index = idx;
      // A deleted or closed index says nothing against the write.
      const shard = index?.shards[shardId];
      if (shard && shard.maxSeqNo < seqNo) return false;
    }
    return true;
  }

  private indexAll(docs: SinkDocument[]): { items: SinkItemResult[]; pending: PendingWrite[] } {
    const items: SinkItemResult[] = [];
    const pending: PendingWrite[] = [];
    let failures = 0;
    let lastError: unknown;
    for (const d of docs) {
      try {
        const w = this.node.docs.indexDoc(d.index, d.id, d.bytes ?? d.json ?? JSON.stringify(d.source), d.source, d.id === undefined || d.opType === 'create' ? CREATE : INDEX);
        pending.push(w);
        items.push({ index: w.index.name, id: w.id, status: w.result.result === 'created' ? 201 : 200, result: w.result.result as SinkItemResult['result'] });
      } catch (err) {
        if (!(err instanceof OpenSearchError)) throw err; // an engine fault (disk, bug): the caller retries the batch
        failures++;
        lastError = err;
        items.push({ index: d.index, id: d.id ?? '', status: err.status, error: { type: err.type, reason: err.reason } });
      }
    }
    if (failures === docs.length && docs.length > 0 && lastError instanceof OpenSearchError && lastError.status >= 500) throw lastError;
    return { items, pending };
  }

  async search(index: string, body: Record<string, unknown>): Promise<Record<string, unknown>> {
    return this.node.search.search(index, body, {}, LENIENT);
  }

  async count(index: string, query?: Record<string, unknown>): Promise<number> {
    const out = this.node.search.count(index, query ? { query } : null, {}, LENIENT);
    return out.count as number;
  }

  async get(index: string, id: string): Promise<Record<string, unknown> | null> {
    try {
      const { doc } = this.node.docs.get(index, id, undefined);
      return doc ? (JSON.parse(doc.source.toString('utf8')) as Record<string, unknown>) : null;
    } catch (err) {
      if (err instanceof OpenSearchError && err.type === 'index_not_found_exception') return null;
      throw err;
    }
  }

  async deleteByQuery(index: string, query: Record<string, unknown>): Promise<number> {
    const out = await byQuery('delete', this.node.search, this.node.docs, index, { query }, { ...LENIENT, conflicts: 'proceed', refresh: 'true' });
    return (out.deleted as number) ?? 0;
  }

  /**
   * Installs or replaces a template. Ingest reinstalls its templates before its first write in each
   * process: an unchanged template is not written again (persisting the cluster state fsyncs on the
   * event loop: 10-80 ms that stalled the Firehose benchmark's deliveries when Lookout's own metrics
   * were first recorded).
   */
  async putIndexTemplate(name: string, body: Record<string, unknown>): Promise<void> {
    const templates = this.node.indices.templates.indexTemplates;
    const before = JSON.stringify(templates[name] ?? null);
    putIndexTemplate(this.node.indices.templates, name, parseComposableTemplate(body), false);
    if (JSON.stringify(templates[name]) !== before) this.node.indices.persist();
  }

  async listIndices(expr: string): Promise<SinkIndexInfo[]> {
    const metas = this.node.indices.resolveMetas(expr, { ...LENIENT, expandWildcards: 'open' });
    return metas.map((meta) => {
      const idx = this.node.indices.indices.get(meta.name);
      return {
        name: meta.name,
        docs: idx ? idx.shards.reduce((n, s) => n + s.docCount, 0) : 0,
        bytes: idx ? diskBytes(idx.dir) : 0,
        creationDate: meta.creationDate,
      };
    });
  }

  async deleteIndices(expr: string): Promise<void> {
    if (this.node.indices.resolveMetas(expr, LENIENT).length === 0) return;
    this.node.indices.deleteIndices(expr, LENIENT);
  }

  async refresh(expr: string): Promise<void> {
    for (const { index } of this.node.indices.resolveOpen(expr, LENIENT)) {
      for (const s of index.shards) s.refresh();
    }
  }
}
