// The `_bulk` response as JSON bytes. A bulk of 1,000 docs answers with ~200 KB of JSON, and the
// generic JSON.stringify walking 1,000 items of nested objects (then fastify measuring and encoding the
// string) cost the event loop ~1.5 µs per document. The usual item (a write's result, as
// `writeResponse` makes it, plus its status) is written from a template instead; any other item
// (errors, updates returning `_source`, forced refreshes) goes through JSON.stringify. The text is
// exactly JSON.stringify's.

/** The response body of a bulk, as `executeBulk` returns it. */
export interface BulkResponse {
  took: number;
  errors: boolean;
  items: Record<string, unknown>[];
}

/** The bulk response as UTF-8 JSON, byte for byte `JSON.stringify(out)`. */
export function bulkResponseBytes(out: BulkResponse): Buffer {
  const items = out.items;
  let text = `{"took":${JSON.stringify(out.took)},"errors":${out.errors},"items":[`;
  for (let i = 0; i < items.length; i++) {
    if (i > 0) text += ',';
    text += itemJson(items[i]);
  }
  return Buffer.from(text + ']}', 'utf8');
}

/** One `{ "<action>": { … } }` item. */
function itemJson(wrapper: Record<string, unknown>): string {
  let key: string | undefined;
  let n = 0;
  for (const k in wrapper) {
    key = k;
    n++;
  }
  if (n !== 1) return JSON.stringify(wrapper);
  const it = wrapper[key!] as Record<string, unknown>;
  return isWriteResult(it) ? `{${JSON.stringify(key)}:${writeResultJson(it)}}` : JSON.stringify(wrapper);
}

interface WriteResultItem {
  _index: string;
  _id: string;
  _version: number;
  result: string;
  _shards: { total: number; successful: number; failed: number };
  _seq_no: number;
  _primary_term: number;
  status: number;
}

const ITEM_KEYS = ['_index', '_id', '_version', 'result', '_shards', '_seq_no', '_primary_term', 'status'];
const SHARDS_KEYS = ['total', 'successful', 'failed'];

/** Whether an item has exactly the keys (in order) and value types the template writes. */
function isWriteResult(it: Record<string, unknown>): it is Record<string, unknown> & WriteResultItem {
  if (typeof it !== 'object' || it === null || !hasKeys(it, ITEM_KEYS)) return false;
  const sh = it._shards as Record<string, unknown> | null;
  return (
    typeof it._index === 'string' && typeof it._id === 'string' && typeof it.result === 'string' &&
    isFiniteNumber(it._version) && isFiniteNumber(it._seq_no) && isFiniteNumber(it._primary_term) && isFiniteNumber(it.status) &&
    typeof sh === 'object' && sh !== null && hasKeys(sh, SHARDS_KEYS) &&
    isFiniteNumber(sh.total) && isFiniteNumber(sh.successful) && isFiniteNumber(sh.failed)
  );
}

function hasKeys(o: Record<string, unknown>, keys: string[]): boolean {
  let i = 0;
  for (const k in o) {
    if (k !== keys[i]) return false;
    i++;
  }
  return i === keys.length;
}

const isFiniteNumber = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);

function writeResultJson(it: WriteResultItem): string {
  const sh = it._shards;
  return (
    `{"_index":${JSON.stringify(it._index)},"_id":${JSON.stringify(it._id)},"_version":${it._version},"result":${JSON.stringify(it.result)},` +
    `"_shards":{"total":${sh.total},"successful":${sh.successful},"failed":${sh.failed}},"_seq_no":${it._seq_no},"_primary_term":${it._primary_term},"status":${it.status}}`
  );
}
