// The search requests Discover sends, as pure functions of its state: the main request (one round trip
// for the first page of hits, the exact hit count and the histogram), the field sidebar's top values,
// live-tail polls, and the surrounding-documents context.

import type { Dsl } from '../query/dql-to-dsl.ts';
import type { Interval } from '../query/histogram-interval.ts';
import type { SortSpec } from './discover-state.ts';

/** Page size of the document table; "load more" extends it up to MAX_ROWS (OpenSearch Dashboards' sample size). */
export const PAGE_SIZE = 50;
export const MAX_ROWS = 500;

/** Highlight tags that cannot occur in data; the table turns them into <mark>. */
export const HL_PRE = '@lookout-hl@';
export const HL_POST = '@/lookout-hl@';

export interface IndexPatternInfo {
  id: string;
  title: string;
  timeFieldName?: string;
}

/** The sort clause: the chosen column, then the time field (newest first) as tiebreaker. */
export function sortClause(sort: SortSpec | null, timeField: string | undefined): Dsl[] {
  const out: Dsl[] = [];
  if (sort) out.push({ [sort.field]: { order: sort.dir, unmapped_type: 'keyword' } });
  if (timeField && sort?.field !== timeField) out.push({ [timeField]: { order: 'desc', unmapped_type: 'date' } });
  return out;
}

/** Hits + exact total + histogram in one `_search`. */
export function mainSearchBody(opts: {
  query: Dsl;
  sort: SortSpec | null;
  timeField?: string;
  size: number;
  interval?: Interval;
  bounds?: { from: number; to: number };
  highlight: boolean;
}): Dsl {
  const body: Dsl = {
    query: opts.query,
    size: opts.size,
    sort: sortClause(opts.sort, opts.timeField),
    track_total_hits: true,
  };
  if (opts.timeField && opts.interval && opts.bounds) {
    body.aggs = {
      histogram: {
        date_histogram: {
          field: opts.timeField,
          [opts.interval.key]: opts.interval.value,
          min_doc_count: 0,
          extended_bounds: { min: opts.bounds.from, max: opts.bounds.to },
        },
      },
    };
  }
  if (opts.highlight) {
    body.highlight = { pre_tags: [HL_PRE], post_tags: [HL_POST], fields: { '*': {} }, fragment_size: 2147483647, number_of_fragments: 0 };
  }
  return body;
}

/** Top-5 values of a field over every matching document in the time range (not only the loaded rows). */
export function fieldValuesBody(query: Dsl, aggField: string): Dsl {
  return {
    query,
    size: 0,
    track_total_hits: true,
    aggs: { top: { terms: { field: aggField, size: 5 } }, present: { value_count: { field: aggField } } },
  };
}

/**
 * One live-tail poll: documents at or after the newest one seen, oldest first. search_after on the time
 * field with (newest − 1 ms) re-reads the newest millisecond, so a document that arrives late with the
 * same timestamp is not skipped; the caller drops ids it has already shown.
 */
export function tailBody(query: Dsl, timeField: string, newestSeen: number, size = 200): Dsl {
  return {
    query,
    size,
    sort: [{ [timeField]: { order: 'asc', unmapped_type: 'date' } }],
    search_after: [newestSeen - 1],
    track_total_hits: false,
  };
}

/** Documents just before (older) or just after (newer) an anchor time, nearest first. */
export function surroundingBody(filterQuery: Dsl, timeField: string, anchorMs: number, side: 'before' | 'after', size: number): Dsl {
  return {
    query: filterQuery,
    size,
    sort: [{ [timeField]: { order: side === 'before' ? 'desc' : 'asc', unmapped_type: 'date' } }],
    search_after: [anchorMs],
    track_total_hits: false,
  };
}

/** Documents with exactly the anchor's timestamp (other than the anchor), for the context view. */
export function sameTimeBody(filterQuery: Dsl, timeField: string, anchorMs: number, size: number): Dsl {
  const t = new Date(anchorMs).toISOString();
  return { query: { bool: { filter: [filterQuery, { range: { [timeField]: { gte: t, lte: t } } }] } }, size, track_total_hits: false };
}
