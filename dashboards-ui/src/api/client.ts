// The UI's one door to the server: the public OpenSearch REST API on the same origin, plus the
// dashboards' own saved-objects and export routes under /_dashboards/api. Every page goes through here,
// so errors reach the UI in one shape (ApiError with OpenSearch's type and reason).

/** A failed request, with OpenSearch's error type and reason when the server sent them. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly type: string,
    readonly reason: string,
  ) {
    super(reason);
  }
}

/** A search hit as OpenSearch renders it. */
export interface Hit {
  _index: string;
  _id: string;
  _score?: number | null;
  _source: Record<string, unknown>;
  sort?: unknown[];
  highlight?: Record<string, string[]>;
  fields?: Record<string, unknown[]>;
}

export interface SearchResponse {
  took: number;
  timed_out: boolean;
  hits: { total: { value: number; relation: 'eq' | 'gte' }; max_score: number | null; hits: Hit[] };
  aggregations?: Record<string, any>;
}

/** One field of an index pattern, as the field sidebar and query translator need it. */
export interface FieldSpec {
  name: string;
  /** OpenSearch mapping type: keyword, text, date, long, float, boolean, ip, … */
  type: string;
  /** Whether terms aggregations and sorting work on it (doc values). */
  aggregatable: boolean;
  /** For a text field with a keyword sub-field: the sub-field to aggregate on. */
  keywordSubField?: string;
}

/** A saved object as the API returns it (OpenSearch Dashboards' shape). */
export interface SavedObject<A = Record<string, unknown>> {
  id: string;
  type: string;
  attributes: A;
  references: Array<{ type: string; id: string; name: string }>;
  updated_at?: string;
  version?: string;
}

export interface FindResult<A = Record<string, unknown>> {
  page: number;
  per_page: number;
  total: number;
  saved_objects: Array<SavedObject<A>>;
}

async function request<T>(method: string, path: string, body?: unknown, signal?: AbortSignal): Promise<T> {
  const init: RequestInit = { method, signal, headers: {} };
  if (body !== undefined) {
    init.body = typeof body === 'string' ? body : JSON.stringify(body);
    (init.headers as Record<string, string>)['content-type'] = typeof body === 'string' ? 'application/x-ndjson' : 'application/json';
  }
  const r = await fetch(path, init);
  const text = await r.text();
  let parsed: any = undefined;
  try {
    parsed = text ? JSON.parse(text) : undefined;
  } catch {
    parsed = text;
  }
  if (!r.ok) {
    const err = parsed?.error;
    if (err && typeof err === 'object') {
      // OpenSearch nests the useful reason in caused_by for parsing errors (e.g. query_string syntax).
      const reason = err.caused_by?.reason && err.type === 'search_phase_execution_exception' ? err.caused_by.reason : err.reason;
      throw new ApiError(r.status, err.type ?? 'error', reason ?? JSON.stringify(err));
    }
    throw new ApiError(r.status, 'http_error', typeof parsed === 'string' && parsed ? parsed : `HTTP ${r.status}`);
  }
  return parsed as T;
}

const enc = encodeURIComponent;
const SO = '/_dashboards/api/saved_objects';

/** Runs `_search` over an index pattern. Missing indices are not errors (an empty pattern shows 0 hits). */
export function search(index: string, body: Record<string, unknown>, signal?: AbortSignal): Promise<SearchResponse> {
  return request('POST', `/${enc(index)}/_search?ignore_unavailable=true&allow_no_indices=true`, body, signal);
}

/** The fields of every index matching a pattern, merged and sorted by name (from `_mapping`). */
export async function fieldsOf(index: string, signal?: AbortSignal): Promise<FieldSpec[]> {
  const out = await request<Record<string, { mappings: { properties?: Record<string, any> } }>>(
    'GET', `/${enc(index)}/_mapping?ignore_unavailable=true&allow_no_indices=true`, undefined, signal);
  const fields = new Map<string, FieldSpec>();
  for (const idx of Object.values(out ?? {})) flattenMapping(idx.mappings?.properties ?? {}, '', fields);
  return [...fields.values()].sort((a, b) => a.name.localeCompare(b.name));
}

/** Flattens a mapping's properties into dotted field names (objects recurse; multi-fields become keyword sub-fields). */
export function flattenMapping(props: Record<string, any>, prefix: string, out: Map<string, FieldSpec>): void {
  for (const [name, def] of Object.entries(props)) {
    const path = prefix + name;
    if (def.properties) {
      flattenMapping(def.properties, path + '.', out);
      continue;
    }
    const type = def.type ?? 'object';
    const sub = Object.entries((def.fields ?? {}) as Record<string, any>).find(([, f]) => f.type === 'keyword');
    if (!out.has(path)) {
      out.set(path, {
        name: path,
        type,
        aggregatable: type !== 'text' && type !== 'object' && def.doc_values !== false,
        keywordSubField: sub ? `${path}.${sub[0]}` : undefined,
      });
    }
    if (sub && !out.has(`${path}.${sub[0]}`)) out.set(`${path}.${sub[0]}`, { name: `${path}.${sub[0]}`, type: 'keyword', aggregatable: true });
  }
}

/** Saved objects (index patterns, searches, visualizations, dashboards) stored by the server. */
export const savedObjects = {
  create<A>(type: string, attributes: A, opts: { id?: string; overwrite?: boolean; references?: SavedObject['references'] } = {}): Promise<SavedObject<A>> {
    const path = `${SO}/${enc(type)}${opts.id ? '/' + enc(opts.id) : ''}${opts.overwrite ? '?overwrite=true' : ''}`;
    return request('POST', path, { attributes, references: opts.references ?? [] });
  },
  get<A>(type: string, id: string): Promise<SavedObject<A>> {
    return request('GET', `${SO}/${enc(type)}/${enc(id)}`);
  },
  update<A>(type: string, id: string, attributes: Partial<A>, references?: SavedObject['references']): Promise<SavedObject<A>> {
    return request('PUT', `${SO}/${enc(type)}/${enc(id)}`, references ? { attributes, references } : { attributes });
  },
  delete(type: string, id: string): Promise<unknown> {
    return request('DELETE', `${SO}/${enc(type)}/${enc(id)}`);
  },
  find<A>(type: string, opts: { search?: string; perPage?: number; page?: number } = {}): Promise<FindResult<A>> {
    const q = new URLSearchParams({ type, per_page: String(opts.perPage ?? 100), page: String(opts.page ?? 1) });
    if (opts.search) q.set('search', opts.search);
    return request('GET', `${SO}/_find?${q}`);
  },
  /** NDJSON of the given objects (or of every object of the given types). */
  async exportNdjson(sel: { types?: string[]; objects?: Array<{ type: string; id: string }> }): Promise<string> {
    const r = await fetch(`${SO}/_export`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ type: sel.types, objects: sel.objects }) });
    if (!r.ok) throw new ApiError(r.status, 'http_error', await r.text());
    return r.text();
  },
  importNdjson(ndjson: string, overwrite = true): Promise<{ success: boolean; successCount: number; errors?: unknown[] }> {
    return request('POST', `${SO}/_import?overwrite=${overwrite}`, ndjson);
  },
};

/** What an export covers: the same request Discover runs, without paging. */
export interface ExportRequest {
  index: string;
  query: Record<string, unknown>;
  /** Sort field (the time field, newest first, by default). */
  timeField?: string;
  columns?: string[];
  format: 'csv' | 'ndjson';
}

/** URL that streams the whole result set as a download (the server pages with search_after, no 10,000 cap). */
export function exportUrl(req: ExportRequest): string {
  const q = new URLSearchParams({ index: req.index, format: req.format, query: JSON.stringify(req.query) });
  if (req.timeField) q.set('time_field', req.timeField);
  if (req.columns?.length) q.set('columns', req.columns.join(','));
  return `/_dashboards/api/export?${q}`;
}
