// A saved search on a dashboard: its newest documents in the dashboard's time range and query, with the
// saved columns (or the message) shown as a compact table.

import { useEffect, useState } from 'react';
import { search } from '../api/client.ts';
import type { Hit } from '../api/client.ts';
import { queryBarClause } from '../query/search-query.ts';
import { translateQuery } from '../visualize/dql.ts';
import { resolveRange } from '../query/time-range.ts';
import type { Dsl } from '../visualize/specs/aggs-request.ts';
import type { SavedSearch } from './saved-dashboards.ts';
import type { TimeRange } from '../query/time-range.ts';

export function SavedSearchPanel(props: { saved: SavedSearch; timeRange: TimeRange; query: string; filters: Dsl[]; refreshKey: number }) {
  const { saved, timeRange, query, filters, refreshKey } = props;
  const [hits, setHits] = useState<Hit[] | null>(null);
  const [total, setTotal] = useState(0);
  const [error, setError] = useState<string | null>(null);
  // Re-run when the inputs change by value: parents rebuild these objects on every render.
  const key = JSON.stringify([saved, timeRange, query, filters]);
  useEffect(() => {
    const ac = new AbortController();
    const clauses: Dsl[] = [...filters];
    try {
      if (saved.timeField) {
        const r = resolveRange(timeRange, Date.now());
        clauses.push({ range: { [saved.timeField]: { gte: r.from, lte: r.to, format: 'epoch_millis' } } });
      }
      if (saved.query.text.trim()) clauses.push(queryBarClause(saved.query));
      clauses.push(...saved.filters.filter);
      if (query.trim()) clauses.push(translateQuery(query.trim()));
    } catch (e) {
      setError((e as Error).message);
      return;
    }
    search(saved.index, {
      size: 50, track_total_hits: true, query: { bool: { filter: clauses, ...(saved.filters.must_not.length ? { must_not: saved.filters.must_not } : {}) } },
      ...(saved.timeField ? { sort: [{ [saved.timeField]: 'desc' }] } : {}),
    }, ac.signal).then((r) => { setHits(r.hits.hits); setTotal(r.hits.total.value); setError(null); }, (e: Error) => { if (!ac.signal.aborted) setError(e.message); });
    return () => ac.abort();
  }, [key, refreshKey]);
  if (error) return <div className="callout danger vis-error">{error}</div>;
  if (!hits) return <div className="vis-message">Loading…</div>;
  if (!hits.length) return <div className="vis-message">No results found</div>;
  const columns = saved.columns.length ? saved.columns : ['message'];
  return (
    <div className="vis-table-wrap">
      <div className="small muted">{total.toLocaleString()} hits</div>
      <table className="vis-table">
        <thead><tr>{saved.timeField && <th>{saved.timeField}</th>}{columns.map((c) => <th key={c}>{c}</th>)}</tr></thead>
        <tbody>
          {hits.map((h) => (
            <tr key={h._index + h._id}>
              {saved.timeField && <td className="nowrap">{String(get(h._source, saved.timeField) ?? '')}</td>}
              {columns.map((c) => <td key={c}>{show(get(h._source, c))}</td>)}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function get(src: Record<string, unknown>, path: string): unknown {
  if (path in src) return src[path];
  return path.split('.').reduce<unknown>((o, k) => (o && typeof o === 'object' ? (o as Record<string, unknown>)[k] : undefined), src);
}

function show(v: unknown): string {
  if (v === undefined || v === null) return '–';
  return typeof v === 'object' ? JSON.stringify(v) : String(v);
}
