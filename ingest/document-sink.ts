// The narrow interface through which ingest/ (and alarms/) reach the engine. The embedded engine
// implements it in server/engine-sink.ts; a remote OpenSearch cluster can stand behind it later.

/** Refresh policy of a write, as OpenSearch's `refresh` parameter. */
export type SinkRefresh = 'true' | 'false' | 'wait_for';

/** One document to write. */
export interface SinkDocument {
  index: string;
  /** The `_id`; auto-generated when absent. */
  id?: string;
  /** `create` fails (409) when the id already exists; `index` overwrites. Default `index`. */
  opType?: 'index' | 'create';
  /** The document; serialised once, and the object itself is used for parsing (no re-parse). */
  source: Record<string, unknown>;
  /** The document exactly as received, when `source` is its unchanged parse: stored byte for byte as
   * `_source` (as `_bulk` stores it), and not serialised again. */
  bytes?: Buffer;
  /** `JSON.stringify(source)`, when the caller wrote it already (stored as `_source`, not serialised again). */
  json?: string;
}

/** The outcome of one document, in the order given. */
export interface SinkItemResult {
  index: string;
  id: string;
  /** HTTP-like status: 200/201 on success, 409 version conflict, 400 mapping errors, … */
  status: number;
  result?: 'created' | 'updated' | 'noop';
  error?: { type: string; reason: string };
}

/** An index as listed by `listIndices`. */
export interface SinkIndexInfo {
  name: string;
  docs: number;
  bytes: number;
  creationDate: number;
}

/**
 * Where a write's operations went: an index (by uuid, so a recreated index of the same name is another),
 * a shard, and the highest sequence number the write got there. After a crash, `survived` tells whether
 * the shard recovered that far.
 */
export type WriteMark = [indexUuid: string, shard: number, seqNo: number];

/** A write whose documents the engine has taken, not yet durable (see DocumentSink.stage). */
export interface StagedWrite {
  items: SinkItemResult[];
  /** One mark per shard written. */
  marks: WriteMark[];
  /** Resolves once every successful write is durable; rejects on an engine fault (disk full, I/O error). */
  durable: Promise<void>;
}

/** The engine as ingest/ and alarms/ see it (EngineSink over the embedded engine). */
export interface DocumentSink {
  /**
   * Writes documents. Resolves only once every successful write is durable (translog fsynced).
   * A bad document fails alone (its item carries the error); the promise rejects only when nothing
   * could be written at all (e.g. disk full), which callers report as a retryable server error.
   * The documents are read before `write` returns: callers may drop them (or their parsed `source`)
   * while the promise is pending, so nothing large waits for the fsync, and reuse the memory of their
   * `bytes` once it has settled.
   */
  write(docs: SinkDocument[], opts?: { refresh?: SinkRefresh }): Promise<SinkItemResult[]>;
  /**
   * `write` in two steps: the items (and where they went) now, durability as a promise, so a caller can
   * make a record of its own durable at the same time (Firehose's request ids). Throws when nothing
   * could be written at all; the documents are read before it returns, as with `write`.
   */
  stage(docs: SinkDocument[]): StagedWrite;
  /** Whether writes so marked survived a restart: false only when a shard still there did not recover that far. */
  survived(marks: WriteMark[]): boolean;
  /** Runs an OpenSearch `_search` body over an index expression; resolves with the response body. */
  search(index: string, body: Record<string, unknown>): Promise<Record<string, unknown>>;
  /** `_count` of a query over an index expression (0 when nothing matches the expression). */
  count(index: string, query?: Record<string, unknown>): Promise<number>;
  /** Fetches one document's source by id, or null. */
  get(index: string, id: string): Promise<Record<string, unknown> | null>;
  /** Deletes the documents matching a query; resolves with how many were deleted. */
  deleteByQuery(index: string, query: Record<string, unknown>): Promise<number>;
  /** Creates or replaces a composable index template (the `_index_template` body). */
  putIndexTemplate(name: string, body: Record<string, unknown>): Promise<void>;
  /** Indices matching an expression (wildcards allowed; missing → empty list). */
  listIndices(expr: string): Promise<SinkIndexInfo[]>;
  /** Deletes indices matching an expression; a missing index is not an error. */
  deleteIndices(expr: string): Promise<void>;
  /** Makes recent writes searchable now. */
  refresh(expr: string): Promise<void>;
}
