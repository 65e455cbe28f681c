// Saved objects of the dashboards UI (index patterns, saved searches, visualizations, dashboards) in
// one hidden internal index, reached only through the DocumentSink, so a remote cluster can hold them
// too. The shape mirrors OpenSearch Dashboards' saved-objects API: {id, type, attributes, references}.

import { randomUUID } from 'node:crypto';
import { RawJson } from '../../index/docs/raw-json.ts';
import { OpenSearchError, illegalArgument } from '../../index/errors.ts';
import type { DocumentSink } from '../../ingest/document-sink.ts';

/** The internal index (hidden: `*` patterns in Discover never see it). */
export const SAVED_OBJECTS_INDEX = '.lookout-dashboards';

export interface SavedObjectReference {
  type: string;
  id: string;
  name: string;
}

export interface SavedObject {
  id: string;
  type: string;
  attributes: Record<string, unknown>;
  references: SavedObjectReference[];
  updated_at: string;
}

/** Index patterns every fresh install has (log events and metric datapoints). */
export const DEFAULT_INDEX_PATTERNS: Array<{ id: string; title: string; timeFieldName: string }> = [
  { id: 'cwl', title: 'cwl-*', timeFieldName: '@timestamp' },
  { id: 'cwm', title: 'cwm-*', timeFieldName: '@timestamp' },
];

const TEMPLATE = {
  index_patterns: [SAVED_OBJECTS_INDEX],
  priority: 1000,
  template: {
    settings: { number_of_shards: 1, number_of_replicas: 0, 'index.hidden': true },
    // Attributes are kept in _source but not indexed: visualization states are large and free-form.
    mappings: {
      dynamic: false,
      properties: {
        type: { type: 'keyword' },
        id: { type: 'keyword' },
        title: { type: 'text', fields: { keyword: { type: 'keyword' } } },
        updated_at: { type: 'date' },
      },
    },
  },
};

const TYPE_RE = /^[a-z][a-z0-9_-]{0,63}$/;

/** A saved object that does not exist (404). */
export const notFound = (type: string, id: string) =>
  new OpenSearchError('saved_object_not_found_exception', `Saved object [${type}/${id}] not found`, 404);

export class SavedObjectsService {
  constructor(private readonly sink: DocumentSink) {}

  /** Installs the index template and the default index patterns (never overwriting the user's edits). */
  async setup(): Promise<void> {
    await this.sink.putIndexTemplate('lookout-dashboards', TEMPLATE);
    for (const p of DEFAULT_INDEX_PATTERNS) {
      const existing = await this.sink.get(SAVED_OBJECTS_INDEX, docId('index-pattern', p.id));
      if (!existing) await this.create('index-pattern', { title: p.title, timeFieldName: p.timeFieldName }, { id: p.id });
    }
  }

  async create(type: string, attributes: unknown, opts: { id?: string; overwrite?: boolean; references?: unknown } = {}): Promise<SavedObject> {
    checkType(type);
    const obj: SavedObject = {
      id: opts.id ?? randomUUID(),
      type,
      attributes: checkAttributes(attributes),
      references: checkReferences(opts.references),
      updated_at: new Date().toISOString(),
    };
    if (!opts.id && opts.overwrite) throw illegalArgument('[overwrite] needs an id');
    const [item] = await this.sink.write([{ index: SAVED_OBJECTS_INDEX, id: docId(type, obj.id), opType: opts.overwrite ? 'index' : 'create', source: toSource(obj) }], { refresh: 'true' });
    if (item.status === 409) throw new OpenSearchError('version_conflict_engine_exception', `Saved object [${type}/${obj.id}] conflict: it already exists (use overwrite=true)`, 409);
    if (item.error) throw new OpenSearchError(item.error.type, item.error.reason, item.status);
    return obj;
  }

  async get(type: string, id: string): Promise<SavedObject> {
    checkType(type);
    const src = await this.sink.get(SAVED_OBJECTS_INDEX, docId(type, id));
    if (!src) throw notFound(type, id);
    return fromSource(src);
  }

  /** Merges attributes into an existing object (as OpenSearch Dashboards' update does). */
  async update(type: string, id: string, attributes: unknown, references?: unknown): Promise<SavedObject> {
    const cur = await this.get(type, id);
    const next: SavedObject = {
      ...cur,
      attributes: { ...cur.attributes, ...checkAttributes(attributes) },
      references: references === undefined ? cur.references : checkReferences(references),
      updated_at: new Date().toISOString(),
    };
    await this.sink.write([{ index: SAVED_OBJECTS_INDEX, id: docId(type, id), source: toSource(next) }], { refresh: 'true' });
    return next;
  }

  async delete(type: string, id: string): Promise<void> {
    await this.get(type, id);
    await this.sink.deleteByQuery(SAVED_OBJECTS_INDEX, { ids: { values: [docId(type, id)] } });
  }

  /** Objects of some types, optionally matching a title search (simple query string), newest first. */
  async find(opts: { types: string[]; search?: string; page?: number; perPage?: number }): Promise<{ page: number; per_page: number; total: number; saved_objects: SavedObject[] }> {
    opts.types.forEach(checkType);
    const page = Math.max(1, opts.page ?? 1);
    const perPage = Math.min(10_000, Math.max(0, opts.perPage ?? 20));
    const filter: unknown[] = [{ terms: { type: opts.types } }];
    const must: unknown[] = opts.search ? [{ simple_query_string: { query: opts.search, fields: ['title'], default_operator: 'and' } }] : [];
    const res = (await this.sink.search(SAVED_OBJECTS_INDEX, {
      query: { bool: { filter, must } },
      from: (page - 1) * perPage,
      size: perPage,
      sort: [{ updated_at: { order: 'desc', unmapped_type: 'date' } }],
      track_total_hits: true,
    })) as { hits: { total: { value: number }; hits: Array<{ _source: Record<string, unknown> | RawJson }> } };
    return { page, per_page: perPage, total: res.hits.total.value, saved_objects: res.hits.hits.map((h) => fromSource(h._source)) };
  }

  /** Export: the given objects, or every object of the given types; missing ones are listed, not fatal. */
  async export(sel: { types?: string[]; objects?: Array<{ type: string; id: string }> }): Promise<{ objects: SavedObject[]; missing: Array<{ type: string; id: string }> }> {
    const objects: SavedObject[] = [];
    const missing: Array<{ type: string; id: string }> = [];
    for (const o of sel.objects ?? []) {
      try {
        objects.push(await this.get(o.type, o.id));
      } catch (err) {
        if (!(err instanceof OpenSearchError) || err.status !== 404) throw err;
        missing.push(o);
      }
    }
    if (sel.types?.length) objects.push(...(await this.find({ types: sel.types, perPage: 10_000 })).saved_objects);
    return { objects, missing };
  }

  /** Import: each object is created (or overwritten); failures are reported per object. */
  async import(objects: unknown[], overwrite: boolean): Promise<{ success: boolean; successCount: number; errors: unknown[] }> {
    const errors: unknown[] = [];
    let successCount = 0;
    for (const raw of objects) {
      const o = raw as Partial<SavedObject>;
      try {
        if (typeof o?.type !== 'string' || typeof o.id !== 'string') throw illegalArgument('each object needs a string [type] and [id]');
        await this.create(o.type, o.attributes ?? {}, { id: o.id, overwrite, references: o.references ?? [] });
        successCount++;
      } catch (err) {
        if (!(err instanceof OpenSearchError)) throw err;
        errors.push({ id: o?.id, type: o?.type, error: { type: err.status === 409 ? 'conflict' : err.type, message: err.reason, statusCode: err.status } });
      }
    }
    return { success: errors.length === 0, successCount, errors };
  }
}

function docId(type: string, id: string): string {
  return `${type}:${id}`;
}

function toSource(o: SavedObject): Record<string, unknown> {
  const title = typeof o.attributes.title === 'string' ? o.attributes.title : undefined;
  return { type: o.type, id: o.id, title, attributes: o.attributes, references: o.references, updated_at: o.updated_at };
}

/** A stored object; search hits carry `_source` as the raw stored bytes (RawJson). */
function fromSource(stored: Record<string, unknown> | RawJson): SavedObject {
  const s = stored instanceof RawJson ? (JSON.parse(stored.text) as Record<string, unknown>) : stored;
  return {
    id: s.id as string,
    type: s.type as string,
    attributes: (s.attributes ?? {}) as Record<string, unknown>,
    references: (s.references ?? []) as SavedObjectReference[],
    updated_at: s.updated_at as string,
  };
}

function checkType(type: string): void {
  if (!TYPE_RE.test(type)) throw illegalArgument(`invalid saved object type [${type}]: lower-case letters, digits, '_' and '-'`);
}

function checkAttributes(a: unknown): Record<string, unknown> {
  if (a === null || typeof a !== 'object' || Array.isArray(a)) throw illegalArgument('[attributes] must be an object');
  return a as Record<string, unknown>;
}

function checkReferences(r: unknown): SavedObjectReference[] {
  if (r === undefined) return [];
  if (!Array.isArray(r) || r.some((x) => !x || typeof x.type !== 'string' || typeof x.id !== 'string')) {
    throw illegalArgument('[references] must be an array of {type, id, name}');
  }
  return r.map((x) => ({ type: x.type, id: x.id, name: typeof x.name === 'string' ? x.name : '' }));
}
