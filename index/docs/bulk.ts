// The _bulk API: NDJSON of action/metadata lines and sources. Each item succeeds or fails on its own;
// the translog of every touched shard is fsynced once at the end, before the response is sent.

import { OpenSearchError, illegalArgument } from '../errors.ts';
import { DocumentService, parseSourceObject, type PendingWrite } from './document-service.ts';
import { parseSourceFilter, filterSource } from './source-filter.ts';
import { writeResponse, type RefreshPolicy, type WriteParams } from './write-params.ts';
import type { BulkResponse } from './bulk-response.ts';

type Action = 'index' | 'create' | 'delete' | 'update';
const ACTIONS = new Set<Action>(['index', 'create', 'delete', 'update']);

/** Defaults from the URL (`/{index}/_bulk?routing=…&pipeline=…`). */
export interface BulkDefaults {
  index?: string;
  routing?: string;
  requireAlias?: boolean;
  source?: unknown;
  pipeline?: string;
}

/**
 * Splits an NDJSON buffer into line ranges, as pairs in one typed array (a final line without newline
 * is kept unless blank, as OpenSearch does).
 */
function splitLines(body: Buffer): { bounds: Uint32Array; count: number } {
  let bounds = new Uint32Array(2048);
  let count = 0;
  let start = 0;
  const push = (s: number, e: number) => {
    if (count * 2 === bounds.length) {
      const next = new Uint32Array(bounds.length * 2);
      next.set(bounds);
      bounds = next;
    }
    bounds[count * 2] = s;
    bounds[count * 2 + 1] = e;
    count++;
  };
  for (;;) {
    const nl = body.indexOf(10, start);
    if (nl < 0) {
      if (start < body.length && body.subarray(start).toString().trim() !== '') push(start, body.length);
      break;
    }
    let end = nl;
    if (end > start && body[end - 1] === 13) end--;
    push(start, end);
    start = nl + 1;
  }
  return { bounds, count };
}

/** The most common action line, recognised by its bytes (no JSON.parse, no object). */
const PLAIN_INDEX = Buffer.from('{"index":{}}');
const EMPTY_META: Record<string, unknown> = Object.freeze({}) as Record<string, unknown>;
const META_KEYS = new Set(['_index', '_id', 'routing', '_routing', 'if_seq_no', 'if_primary_term', 'version', 'version_type', 'retry_on_conflict', 'pipeline', 'require_alias', '_source', 'op_type', '_type']);

/** A parsed action line. */
function parseAction(body: Buffer, start: number, end: number, line: number): { action: Action; m: Record<string, unknown> } | null {
  if (end - start === PLAIN_INDEX.length && body.compare(PLAIN_INDEX, 0, PLAIN_INDEX.length, start, end) === 0) {
    return { action: 'index', m: EMPTY_META };
  }
  const text = body.toString('utf8', start, end).trim();
  if (text === '') return null;
  let meta: Record<string, unknown>;
  try {
    meta = JSON.parse(text);
  } catch {
    throw illegalArgument(`Malformed action/metadata line [${line}], expected START_OBJECT or END_OBJECT but found [VALUE_STRING]`);
  }
  if (meta === null || typeof meta !== 'object' || Array.isArray(meta)) {
    throw illegalArgument(`Malformed action/metadata line [${line}], expected START_OBJECT or END_OBJECT but found [${Array.isArray(meta) ? 'START_ARRAY' : 'VALUE_STRING'}]`);
  }
  const keys = Object.keys(meta);
  if (keys.length === 0) {
    throw illegalArgument(`Malformed action/metadata line [${line}], expected FIELD_NAME but found [END_OBJECT]`);
  }
  if (keys.length !== 1 || !ACTIONS.has(keys[0] as Action)) {
    throw illegalArgument(`Malformed action/metadata line [${line}], expected field [create], [delete], [index] or [update] but found [${keys[0]}]`);
  }
  const action = keys[0] as Action;
  const m = (meta[action] ?? {}) as Record<string, unknown>;
  for (const k of Object.keys(m)) {
    if (!META_KEYS.has(k)) throw illegalArgument(`Action/metadata line [${line}] contains an unknown parameter [${k}]`);
  }
  return { action, m };
}

/** Executes a bulk request and returns OpenSearch's bulk response. */
export async function executeBulk(docs: DocumentService, body: Buffer, defaults: BulkDefaults, refresh: RefreshPolicy): Promise<BulkResponse> {
  const started = Date.now();
  const { bounds, count } = splitLines(body);
  if (count === 0) {
    throw new OpenSearchError('action_request_validation_exception', 'Validation Failed: 1: no requests added;', 400);
  }
  const items: Record<string, unknown>[] = [];
  const writes: PendingWrite[] = [];
  const pendingItems: Array<{ at: number; key: string; action: Action; write: PendingWrite; sourceFilter: ReturnType<typeof parseSourceFilter>; newSource: Buffer | null }> = [];
  let errors = false;
  for (let i = 0; i < count; i++) {
    const parsed = parseAction(body, bounds[i * 2], bounds[i * 2 + 1], i + 1);
    if (parsed === null) continue;
    const { action, m } = parsed;
    const indexName = (m._index as string | undefined) ?? defaults.index;
    const id = m._id === undefined || m._id === null ? undefined : String(m._id);
    let source: Buffer | null = null;
    if (action !== 'delete') {
      i++;
      if (i >= count) throw illegalArgument('The bulk request must be terminated by a newline [\\n]');
      source = body.subarray(bounds[i * 2], bounds[i * 2 + 1]);
    }
    const item: Record<string, unknown> = { _index: indexName, _id: id ?? null };
    // An `index` action with `op_type: create` is reported as a create.
    const key = action === 'index' && m.op_type === 'create' ? 'create' : action;
    const at = items.length;
    items.push({ [key]: item });
    const p: WriteParams = {
      routing: (m.routing ?? m._routing ?? defaults.routing) as string | undefined,
      ifSeqNo: m.if_seq_no === undefined ? undefined : Number(m.if_seq_no),
      ifPrimaryTerm: m.if_primary_term === undefined ? undefined : Number(m.if_primary_term),
      version: m.version === undefined ? undefined : Number(m.version),
      versionType: m.version_type as WriteParams['versionType'],
      opType: action === 'create' ? 'create' : (m.op_type as 'index' | 'create' | undefined) ?? 'index',
      requireAlias: m.require_alias === undefined ? defaults.requireAlias : m.require_alias === true || m.require_alias === 'true',
      pipeline: (m.pipeline as string | undefined) ?? defaults.pipeline,
    };
    try {
      if (!indexName) throw new OpenSearchError('action_request_validation_exception', 'Validation Failed: 1: index is missing;', 400);
      if (p.pipeline && p.pipeline !== '_none') {
        throw illegalArgument(`pipeline with id [${p.pipeline}] does not exist`);
      }
      let write: PendingWrite;
      let newSource: Buffer | null = null;
      let sourceFilter = null;
      if (action === 'delete') {
        if (id === undefined) throw new OpenSearchError('action_request_validation_exception', 'Validation Failed: 1: id is missing;', 400);
        write = docs.deleteDoc(indexName, id, p);
      } else if (action === 'update') {
        if (id === undefined) throw new OpenSearchError('action_request_validation_exception', 'Validation Failed: 1: id is missing;', 400);
        const upd = parseSourceObject(source!);
        sourceFilter = parseSourceFilter(upd._source ?? m._source ?? defaults.source);
        delete upd._source;
        const r = docs.updateDoc(indexName, id, upd, p);
        write = r.write;
        newSource = r.newSource;
      } else {
        write = docs.indexDoc(indexName, id, source!, null, p);
      }
      writes.push(write);
      pendingItems.push({ at, key, action, write, sourceFilter, newSource });
    } catch (err) {
      if (!(err instanceof OpenSearchError)) throw err;
      errors = true;
      item.status = err.status;
      item.error = err.toJSON();
      if (item._index && (err.extra.index_uuid as string | undefined)) (item.error as Record<string, unknown>).index_uuid = err.extra.index_uuid;
    }
  }
  const forced = await docs.complete(writes, refresh);
  for (const { at, key, write, sourceFilter, newSource, action } of pendingItems) {
    // A fresh item object (deleting the placeholder's keys would turn it into a slow dictionary).
    const item = writeResponse(write.index, write.id, write.result, forced);
    item.status = write.result.result === 'created' ? 201 : write.result.result === 'not_found' ? 404 : 200;
    if (action === 'update' && sourceFilter && newSource) {
      item.get = { _seq_no: write.result.seqNo, _primary_term: write.result.primaryTerm, found: true, _source: filterSource(newSource, sourceFilter) };
    }
    items[at] = { [key]: item };
  }
  return { took: Date.now() - started, errors, items };
}
