// A small keyed store of JSON documents kept in an internal index through the DocumentSink: channel
// configs, mute windows, monitors and alerts live here, so they persist with the engine's durability
// and can be searched with the query DSL. Reads come from an in-memory copy loaded at start.

import type { DocumentSink } from '../../ingest/document-sink.ts';
import { stringifyWithRaw } from '../../index/docs/raw-json.ts';

/** One stored document with the bookkeeping OpenSearch reports (`_version`, `_seq_no`). */
export interface Stored<T> {
  id: string;
  doc: T;
  version: number;
  seqNo: number;
}

/** Documents of one internal index by id, read from memory and written through the sink. */
export class InternalStore<T extends object> {
  private readonly docs = new Map<string, Stored<T>>();
  private seq = 0;
  private ensured = false;

  /**
   * @param index the internal index name (e.g. `.opendistro-alerting-config`)
   * @param mappings applied through an index template so free-form bodies (queries, templates) are not
   *   mapped field by field — a monitor's query DSL would otherwise clash across monitors.
   */
  constructor(
    private readonly sink: DocumentSink,
    readonly index: string,
    private readonly mappings: Record<string, unknown>,
    /**
     * `true` where an API searches the index right after a write (monitor `_search`); `false` where
     * reads come from memory only (alerts are written every run: no tiny segment per write).
     */
    private readonly refresh: 'true' | 'false' = 'true',
  ) {}

  /** Loads every document into memory. */
  async load(): Promise<void> {
    this.docs.clear();
    // The embedded engine splices stored `_source` bytes in as raw fragments: materialise them.
    const res = JSON.parse(stringifyWithRaw(await this.sink.search(this.index, { size: 10_000, seq_no_primary_term: true, version: true, query: { match_all: {} } }))) as {
      hits?: { hits?: Array<{ _id: string; _source: T; _version?: number; _seq_no?: number }> };
    };
    for (const h of res.hits?.hits ?? []) {
      const seqNo = h._seq_no ?? this.seq;
      this.seq = Math.max(this.seq, seqNo + 1);
      this.docs.set(h._id, { id: h._id, doc: h._source, version: h._version ?? 1, seqNo });
    }
  }

  /**
   * Installs the index template before the index is first created, lazily: a node with no monitors or
   * channels shows no extra templates (the OpenSearch conformance suite lists them).
   */
  private async ensureIndex(): Promise<void> {
    if (this.ensured) return;
    if ((await this.sink.listIndices(this.index)).length === 0) {
      await this.sink.putIndexTemplate(`lookout-internal${this.index}`, {
        index_patterns: [this.index],
        priority: 1000,
        template: { settings: { number_of_shards: 1, number_of_replicas: 0 }, mappings: this.mappings },
      });
    }
    this.ensured = true;
  }

  get(id: string): Stored<T> | undefined {
    return this.docs.get(id);
  }

  all(): Stored<T>[] {
    return [...this.docs.values()];
  }

  /** Writes durably (and searchably) before resolving. */
  async put(id: string, doc: T): Promise<Stored<T>> {
    const prev = this.docs.get(id);
    await this.ensureIndex();
    const res = await this.sink.write([{ index: this.index, id, source: doc as Record<string, unknown> }], { refresh: this.refresh });
    const item = res[0];
    if (item.error) throw new Error(`could not store [${id}] in [${this.index}]: ${item.error.reason}`);
    const stored = { id, doc, version: (prev?.version ?? 0) + 1, seqNo: this.seq++ };
    this.docs.set(id, stored);
    return stored;
  }

  /** Writes several documents in one durable batch. */
  async putMany(items: Array<{ id: string; doc: T }>): Promise<void> {
    if (items.length === 0) return;
    await this.ensureIndex();
    const res = await this.sink.write(items.map((i) => ({ index: this.index, id: i.id, source: i.doc as Record<string, unknown> })), { refresh: this.refresh });
    res.forEach((item, k) => {
      if (item.error) throw new Error(`could not store [${item.id}] in [${this.index}]: ${item.error.reason}`);
      const { id, doc } = items[k];
      this.docs.set(id, { id, doc, version: (this.docs.get(id)?.version ?? 0) + 1, seqNo: this.seq++ });
    });
  }

  /** Deletes a document; false when it did not exist. */
  async delete(id: string): Promise<boolean> {
    if (!this.docs.has(id)) return false;
    if (this.refresh === 'false') await this.sink.refresh(this.index);
    await this.sink.deleteByQuery(this.index, { ids: { values: [id] } });
    this.docs.delete(id);
    return true;
  }

  /** Deletes several documents in one request. */
  async deleteMany(ids: string[]): Promise<void> {
    const present = ids.filter((id) => this.docs.has(id));
    if (present.length === 0) return;
    if (this.refresh === 'false') await this.sink.refresh(this.index); // delete-by-query sees only refreshed docs
    await this.sink.deleteByQuery(this.index, { ids: { values: present } });
    for (const id of present) this.docs.delete(id);
  }

  /** Runs a search body over the index (the `_search` APIs of monitors and configs). */
  search(body: Record<string, unknown>): Promise<Record<string, unknown>> {
    return this.sink.search(this.index, body);
  }
}
