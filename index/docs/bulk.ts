// The _bulk API: NDJSON of action/metadata lines and sources. Each item succeeds or fails on its own;
// the translog of every touched shard is fsynced once at the end, before the response is sent.

import { OpenSearchError, illegalArgument } from '../errors.ts';
import { DocumentService, parseSourceObject, type PendingWrite } from './document-service.ts';
import { parseSourceFilter, filterSource } from './source-filter.ts';
import { writeResponse, type RefreshPolicy, type WriteParams } from './write-params.ts';

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

interface Line { start: number; end: number }

/** Splits an NDJSON buffer into line ranges (a final line without newline is rejected as OpenSearch does). */
function splitLines(body: Buffer): Line[] {
  const lines: Line[] = [];
  let start = 0;
  for (;;) {
    const nl = body.indexOf(10, start);
    if (nl < 0) {
      if (start < body.length && body.subarray(start).toString().trim() !== '') lines.push({ start, end: body.length });
      break;
    }
    let end = nl;
    if (end > start && body[end - 1] === 13) end--;
    lines.push({ start, end });
    start = nl + 1;
  }
  return lines;
}

/** Executes a bulk request and returns OpenSearch's bulk response. */
export async function executeBulk(docs: DocumentService, body: Buffer, defaults: BulkDefaults, refresh: RefreshPolicy): Promise<Record<string, unknown>> {
  const started = Date.now();
  const lines = splitLines(body);
  if (lines.length === 0) {
    throw new OpenSearchError('action_request_validation_exception', 'Validation Failed: 1: no requests added;', 400);
  }
  const items: Record<string, unknown>[] = [];
  const writes: PendingWrite[] = [];
  const pendingItems: Array<{ item: Record<string, unknown>; action: Action; write: PendingWrite; sourceFilter: ReturnType<typeof parseSourceFilter>; newSource: Buffer | null }> = [];
  let errors = false;
  for (let i = 0; i < lines.length; i++) {
    const text = body.toString('utf8', lines[i].start, lines[i].end).trim();
    if (text === '') continue;
    let meta: Record<string, unknown>;
    try {
      meta = JSON.parse(text);
    } catch {
      throw illegalArgument(`Malformed action/metadata line [${i + 1}], expected START_OBJECT or END_OBJECT but found [VALUE_STRING]`);
    }
    if (meta === null || typeof meta !== 'object' || Array.isArray(meta)) {
      throw illegalArgument(`Malformed action/metadata line [${i + 1}], expected START_OBJECT or END_OBJECT but found [${Array.isArray(meta) ? 'START_ARRAY' : 'VALUE_STRING'}]`);
    }
    const keys = Object.keys(meta);
    if (keys.length === 0) {
      throw illegalArgument(`Malformed action/metadata line [${i + 1}], expected FIELD_NAME but found [END_OBJECT]`);
    }
    if (keys.length !== 1 || !ACTIONS.has(keys[0] as Action)) {
      throw illegalArgument(`Malformed action/metadata line [${i + 1}], expected field [create], [delete], [index] or [update] but found [${keys[0]}]`);
    }
    const action = keys[0] as Action;
    const m = (meta[action] ?? {}) as Record<string, unknown>;
    for (const k of Object.keys(m)) {
      if (!['_index', '_id', 'routing', '_routing', 'if_seq_no', 'if_primary_term', 'version', 'version_type', 'retry_on_conflict', 'pipeline', 'require_alias', '_source', 'op_type', '_type'].includes(k)) {
        throw illegalArgument(`Action/metadata line [${i + 1}] contains an unknown parameter [${k}]`);
      }
    }
    const indexName = (m._index as string | undefined) ?? defaults.index;
    const id = m._id === undefined || m._id === null ? undefined : String(m._id);
    let source: Buffer | null = null;
    if (action !== 'delete') {
      i++;
      if (i >= lines.length) throw illegalArgument('The bulk request must be terminated by a newline [\\n]');
      source = body.subarray(lines[i].start, lines[i].end);
    }
    const item: Record<string, unknown> = { _index: indexName, _id: id ?? null };
    // An `index` action with `op_type: create` is reported as a create.
    items.push({ [action === 'index' && m.op_type === 'create' ? 'create' : action]: item });
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
      pendingItems.push({ item, action, write, sourceFilter, newSource });
    } catch (err) {
      if (!(err instanceof OpenSearchError)) throw err;
      errors = true;
      item.status = err.status;
      item.error = err.toJSON();
      if (item._index && (err.extra.index_uuid as string | undefined)) (item.error as Record<string, unknown>).index_uuid = err.extra.index_uuid;
    }
  }
  const forced = await docs.complete(writes, refresh);
  for (const { item, write, sourceFilter, newSource, action } of pendingItems) {
    const r = writeResponse(write.index, write.id, write.result, forced);
    Object.keys(item).forEach((k) => delete item[k]);
    Object.assign(item, r);
    item.status = write.result.result === 'created' ? 201 : write.result.result === 'not_found' ? 404 : 200;
    if (action === 'update' && sourceFilter && newSource) {
      item.get = { _seq_no: write.result.seqNo, _primary_term: write.result.primaryTerm, found: true, _source: filterSource(newSource, sourceFilter) };
    }
  }
  return { took: Date.now() - started, errors, items };
}
