// Streams a Discover result set (every hit of a query, not capped at 10,000) as CSV or NDJSON.
// Each index is paged on its own with search_after on [time field, _doc] — `_doc` is a unique tiebreaker
// within an index's shard but not across indices — and the per-index cursors are merged newest first.

import { RawJson } from '../../index/docs/raw-json.ts';
import { illegalArgument } from '../../index/errors.ts';
import type { DocumentSink } from '../../ingest/document-sink.ts';

export interface ExportOptions {
  index: string;
  query: Record<string, unknown>;
  /** Sort newest first on this field; without it, index order. */
  timeField?: string;
  /** CSV columns (dotted source paths); default: the time field then every field of the first page. */
  columns?: string[];
  format: 'csv' | 'ndjson';
  pageSize?: number;
}

interface RawHit {
  _index: string;
  _id: string;
  _source: RawJson | Record<string, unknown>;
  sort: unknown[];
}

/** One index's hits in sort order, fetched a page at a time. */
class IndexCursor {
  private page: RawHit[] = [];
  private pos = 0;
  private done = false;
  private after: unknown[] | undefined;

  constructor(
    private readonly sink: DocumentSink,
    private readonly index: string,
    private readonly opts: ExportOptions,
  ) {}

  /** The next hit without consuming it (null at the end). */
  async peek(): Promise<RawHit | null> {
    if (this.pos < this.page.length) return this.page[this.pos];
    if (this.done) return null;
    const size = this.opts.pageSize ?? 2000;
    const sort = this.opts.timeField
      ? [{ [this.opts.timeField]: { order: 'desc', unmapped_type: 'date' } }, { _doc: 'asc' }]
      : [{ _doc: 'asc' }];
    const body: Record<string, unknown> = { query: this.opts.query, size, sort, track_total_hits: false };
    if (this.after) body.search_after = this.after;
    const res = (await this.sink.search(this.index, body)) as { hits: { hits: RawHit[] } };
    this.page = res.hits.hits;
    this.pos = 0;
    if (this.page.length < size) this.done = true;
    if (this.page.length > 0) this.after = this.page[this.page.length - 1].sort;
    return this.page.length > 0 ? this.page[0] : null;
  }

  take(): void {
    this.pos++;
  }
}

/** Validates an export request's parameters (from the route's query string). */
export function parseExportParams(q: Record<string, string | undefined>): ExportOptions {
  if (!q.index) throw illegalArgument('[index] is required');
  const format = q.format ?? 'ndjson';
  if (format !== 'csv' && format !== 'ndjson') throw illegalArgument(`[format] must be csv or ndjson, got [${format}]`);
  let query: Record<string, unknown> = { match_all: {} };
  if (q.query) {
    try {
      query = JSON.parse(q.query);
    } catch (err) {
      throw illegalArgument(`[query] is not valid JSON: ${(err as Error).message}`);
    }
    if (!query || typeof query !== 'object' || Array.isArray(query)) throw illegalArgument('[query] must be a query DSL object');
  }
  const columns = q.columns ? q.columns.split(',').filter(Boolean) : undefined;
  return { index: q.index, format, query, timeField: q.time_field || undefined, columns };
}

/** Yields the export in chunks (one per page of hits), so the response streams with bounded memory. */
export async function* exportResults(sink: DocumentSink, opts: ExportOptions): AsyncGenerator<string> {
  const indices = (await sink.listIndices(opts.index)).map((i) => i.name).sort();
  const cursors = indices.map((name) => new IndexCursor(sink, name, opts));
  let columns = opts.columns;
  let out: string[] = [];
  let headerDone = false;
  for (;;) {
    // Pick the newest head among the cursors (k-way merge; k is the number of indices, usually small).
    let best: IndexCursor | null = null;
    let bestHit: RawHit | null = null;
    for (const c of cursors) {
      const h = await c.peek();
      if (h && (!bestHit || (opts.timeField && compareDesc(h.sort[0], bestHit.sort[0]) < 0))) {
        best = c;
        bestHit = h;
      }
    }
    if (!best || !bestHit) break;
    best.take();
    if (opts.format === 'ndjson') {
      const src = bestHit._source instanceof RawJson ? bestHit._source.text : JSON.stringify(bestHit._source);
      out.push(`{"_index":${JSON.stringify(bestHit._index)},"_id":${JSON.stringify(bestHit._id)},"_source":${src}}\n`);
    } else {
      const flat = flatten(sourceObject(bestHit._source));
      if (!columns) {
        columns = Object.keys(flat).sort();
        if (opts.timeField && columns.includes(opts.timeField)) columns = [opts.timeField, ...columns.filter((c) => c !== opts.timeField)];
      }
      if (!headerDone) {
        out.push(csvRow(columns, true));
        headerDone = true;
      }
      out.push(csvRow(columns.map((c) => flat[c])));
    }
    if (out.length >= 2000) {
      yield out.join('');
      out = [];
    }
  }
  if (opts.format === 'csv' && !headerDone && columns) out.push(csvRow(columns, true));
  if (out.length) yield out.join('');
}

/** Sort values from the engine: numbers (epoch millis) for dates; missing values sort last. */
function compareDesc(a: unknown, b: unknown): number {
  const x = typeof a === 'number' ? a : Number.NEGATIVE_INFINITY;
  const y = typeof b === 'number' ? b : Number.NEGATIVE_INFINITY;
  return y - x;
}

export function sourceObject(s: RawJson | Record<string, unknown>): Record<string, unknown> {
  return s instanceof RawJson ? (JSON.parse(s.text) as Record<string, unknown>) : s;
}

/** Flattens nested objects into dotted keys; arrays of scalars stay arrays. */
export function flatten(obj: Record<string, unknown>, prefix = '', out: Record<string, unknown> = {}): Record<string, unknown> {
  for (const [k, v] of Object.entries(obj)) {
    const key = prefix + k;
    if (v && typeof v === 'object' && !Array.isArray(v)) flatten(v as Record<string, unknown>, key + '.', out);
    else out[key] = v;
  }
  return out;
}

/**
 * One CSV line (RFC 4180 quoting). Data cells that a spreadsheet would run as a formula (`=`, `+`, `-`,
 * `@` first) are prefixed with `'`; header cells are field names and stay as they are.
 */
export function csvRow(values: unknown[], header = false): string {
  return values.map((v) => csvCell(v, header)).join(',') + '\r\n';
}

function csvCell(v: unknown, header: boolean): string {
  if (v === undefined || v === null) return '';
  let s = typeof v === 'string' ? v : Array.isArray(v) ? v.map((x) => (typeof x === 'string' ? x : JSON.stringify(x))).join(', ') : typeof v === 'object' ? JSON.stringify(v) : String(v);
  if (!header && typeof v === 'string' && /^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}
