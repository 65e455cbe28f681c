// Discover: pick an index pattern, query it (DQL or Lucene) over a time range, and read the hits — count,
// histogram, table, field sidebar, filters, live tail, saved searches and export. The URL holds the
// view's state (discover-state.ts); this component turns that state into requests and renders results.

import { useCallback, useEffect, useMemo, useState } from 'react';
import { exportUrl, fieldsOf, savedObjects, search, type FieldSpec, type Hit, type SavedObject } from '../api/client.ts';
import { navigate, useLocation } from '../app/router.ts';
import { FilterBar } from '../components/FilterBar.tsx';
import { QueryBar } from '../components/QueryBar.tsx';
import { TimePicker, useInterval } from '../components/TimePicker.tsx';
import { DqlSyntaxError } from '../query/dql-parser.ts';
import type { Dsl } from '../query/dql-to-dsl.ts';
import { addFilter, phraseFilter } from '../query/filters.ts';
import { INTERVAL_CHOICES, chooseInterval, type Interval } from '../query/histogram-interval.ts';
import { buildQuery } from '../query/search-query.ts';
import { isRelative, resolveRange } from '../query/time-range.ts';
import { DocTable } from './DocTable.tsx';
import { FieldSidebar, type TopValues } from './FieldSidebar.tsx';
import { Histogram, prefetchVega } from './Histogram.tsx';
import { IndexPatternPicker } from './IndexPatternPicker.tsx';
import { SavedSearches, type SavedSearchAttributes } from './SavedSearches.tsx';
import { SurroundingDocs } from './SurroundingDocs.tsx';
import { DEFAULT_DISCOVER, decodeDiscoverState, encodeDiscoverState, type DiscoverState } from './discover-state.ts';
import { MAX_ROWS, PAGE_SIZE, fieldValuesBody, mainSearchBody, type IndexPatternInfo } from './discover-search.ts';
import { useLiveTail } from './useLiveTail.ts';
import { flattenSource } from './format.tsx';

const LAST_PATTERN_KEY = 'lookout:discover:indexPattern';
const NO_FIELDS: FieldSpec[] = [];

interface Results {
  hits: Hit[];
  total: number;
  relation: string;
  took: number;
  buckets?: Array<{ key: number; doc_count: number }>;
  interval?: Interval;
  bounds?: { from: number; to: number };
}

export default function DiscoverPage() {
  const loc = useLocation();
  const state = useMemo(() => decodeDiscoverState(loc.search), [loc.search]);
  const setState = useCallback(
    (patch: Partial<DiscoverState>) => navigate('discover', encodeDiscoverState({ ...decodeDiscoverState(window.location.search.slice(1)), ...patch })),
    [],
  );

  const [patterns, setPatterns] = useState<IndexPatternInfo[] | null>(null);
  const [loadedFields, setFields] = useState<FieldSpec[] | null>(null);
  const fields = useMemo(() => loadedFields ?? [], [loadedFields]);
  const [results, setResults] = useState<Results | null>(null);
  const [loading, setLoading] = useState(false);
  const [queryError, setQueryError] = useState('');
  const [error, setError] = useState('');
  const [size, setSize] = useState(PAGE_SIZE);
  const [tick, setTick] = useState(0);
  const [tail, setTail] = useState(false);
  const [anchor, setAnchor] = useState<Hit | null>(null);
  const [savedTitle, setSavedTitle] = useState('');

  // Index patterns (saved objects); the URL's, else the last used, else cwl-*, else the first.
  useEffect(() => {
    void prefetchVega();
    savedObjects.find<{ title: string; timeFieldName?: string }>('index-pattern', { perPage: 1000 }).then(
      (r) => setPatterns(r.saved_objects.map((o) => ({ id: o.id, title: o.attributes.title, timeFieldName: o.attributes.timeFieldName || undefined })).sort((a, b) => a.title.localeCompare(b.title))),
      (err: Error) => setError(`Could not load index patterns: ${err.message}`),
    );
  }, []);
  const pattern = useMemo(() => {
    if (!patterns?.length) return undefined;
    const want = state.indexPattern || localStorage.getItem(LAST_PATTERN_KEY) || 'cwl';
    return patterns.find((p) => p.id === want) ?? patterns[0];
  }, [patterns, state.indexPattern]);
  useEffect(() => {
    if (pattern) localStorage.setItem(LAST_PATTERN_KEY, pattern.id);
  }, [pattern]);

  // Saved search title (when opened from one).
  useEffect(() => {
    if (!state.savedSearchId) return setSavedTitle('');
    savedObjects.get<SavedSearchAttributes>('search', state.savedSearchId).then((o) => setSavedTitle(o.attributes.title), () => setSavedTitle(''));
  }, [state.savedSearchId]);

  useEffect(() => {
    if (!pattern) return;
    const ctrl = new AbortController();
    setFields(null);
    fieldsOf(pattern.title, ctrl.signal).then(setFields, (err: Error) => err.name !== 'AbortError' && setError(err.message));
    return () => ctrl.abort();
  }, [pattern]);

  const timeField = pattern?.timeFieldName;
  const queryKey = JSON.stringify([state.query, state.filters]);
  // Field types only matter to DQL text (wildcard field names, date values): an empty query bar does not
  // wait for the mapping, so the first search goes out in parallel with it.
  const needFields = state.query.language === 'kuery' && state.query.text.trim() !== '';
  const queryFields = needFields ? loadedFields : NO_FIELDS;
  // The query without the time range (for live tail, field values share the ranged one).
  const { baseQuery, barError } = useMemo(() => {
    try {
      return { baseQuery: buildQuery({ query: state.query, filters: state.filters, fields }), barError: '' };
    } catch (err) {
      const msg = err instanceof DqlSyntaxError ? `DQL syntax error: ${err.message}\n${err.pointer}` : (err as Error).message;
      return { baseQuery: null as Dsl | null, barError: msg };
    }
  }, [queryKey, fields]);

  const runSearch = useCallback(
    (signal: AbortSignal) => {
      if (!pattern || queryFields === null) return;
      setError('');
      if (barError) {
        setQueryError(barError);
        return;
      }
      let bounds: { from: number; to: number } | undefined;
      try {
        if (timeField) bounds = resolveRange(state.time, Date.now());
      } catch (err) {
        setError((err as Error).message);
        return;
      }
      const query = buildQuery({ query: state.query, filters: state.filters, fields: queryFields, time: bounds && timeField ? { field: timeField, ...bounds } : undefined });
      const interval = bounds ? chooseInterval(state.interval, bounds.to - bounds.from) : undefined;
      setLoading(true);
      search(pattern.title, mainSearchBody({ query, sort: state.sort, timeField, size, interval, bounds, highlight: state.query.text.trim() !== '' }), signal).then(
        (r) => {
          setQueryError('');
          setResults({ hits: r.hits.hits, total: r.hits.total.value, relation: r.hits.total.relation, took: r.took, buckets: r.aggregations?.histogram?.buckets, interval, bounds });
          setLoading(false);
        },
        (err: Error & { type?: string }) => {
          if (err.name === 'AbortError') return;
          setLoading(false);
          // A query the server could not parse (Lucene syntax, bad field) belongs under the query bar.
          if (err.type && /pars|query_shard|search_phase/.test(err.type)) setQueryError(err.message);
          else setError(err.message);
        },
      );
    },
    [pattern, barError, queryKey, queryFields, state.time.from, state.time.to, state.sort?.field, state.sort?.dir, state.interval, size, timeField],
  );

  useEffect(() => {
    const ctrl = new AbortController();
    runSearch(ctrl.signal);
    return () => ctrl.abort();
  }, [runSearch, tick]);
  useEffect(() => setSize(PAGE_SIZE), [queryKey, state.time.from, state.time.to, pattern]);
  useInterval(tail ? 0 : state.refreshMs, useCallback(() => setTick((t) => t + 1), []));

  const newest = useMemo(() => {
    if (!results?.hits.length || !timeField) return Date.now();
    const times = results.hits.map((h) => Date.parse(String(flattenSource(h._source)[timeField]))).filter(Number.isFinite);
    return times.length ? Math.max(...times) : Date.now();
  }, [results, timeField]);
  const [tailSince, setTailSince] = useState(0);
  useLiveTail({
    on: tail && !!baseQuery,
    index: pattern?.title ?? '',
    timeField,
    query: baseQuery ?? { match_all: {} },
    since: tailSince,
    onHits: (fresh) =>
      setResults((r) => {
        if (!r) return r;
        const shown = new Set(r.hits.map((h) => `${h._index}/${h._id}`));
        const add = fresh.filter((h) => !shown.has(`${h._index}/${h._id}`));
        return { ...r, hits: [...add, ...r.hits].slice(0, MAX_ROWS), total: r.total + add.length };
      }),
    onError: setError,
  });
  const toggleTail = () => {
    if (!tail) setTailSince(Math.min(newest, Date.now()));
    setTail(!tail);
  };

  const loadTopValues = useCallback(
    async (aggField: string): Promise<TopValues> => {
      if (!pattern || !baseQuery) throw new Error('no query');
      const bounds = timeField ? resolveRange(state.time, Date.now()) : undefined;
      const query = buildQuery({ query: state.query, filters: state.filters, fields, time: bounds && timeField ? { field: timeField, ...bounds } : undefined });
      const r = await search(pattern.title, fieldValuesBody(query, aggField));
      return { total: r.hits.total.value, present: r.aggregations?.present?.value ?? 0, buckets: r.aggregations?.top?.buckets ?? [] };
    },
    [pattern, baseQuery, queryKey, fields, state.time.from, state.time.to, timeField],
  );

  const toggleColumn = (f: string) => setState({ columns: state.columns.includes(f) ? state.columns.filter((c) => c !== f) : [...state.columns, f] });
  const filterOn = (field: string, value: unknown, negate: boolean) => {
    const v = Array.isArray(value) ? value[0] : value;
    if (v === null || v === undefined || typeof v === 'object') return;
    setState({ filters: addFilter(state.filters, phraseFilter(field, v as string | number | boolean, negate)) });
  };
  const openSaved = (o: SavedObject<SavedSearchAttributes>) => {
    const a = o.attributes;
    const pinned = state.filters.filter((f) => f.pinned);
    setState({ ...DEFAULT_DISCOVER, time: state.time, refreshMs: state.refreshMs, savedSearchId: o.id, indexPattern: a.indexPattern, query: a.query, filters: [...pinned, ...(a.filters ?? [])], columns: a.columns ?? [], sort: a.sort ?? null, interval: a.interval ?? 'auto' });
  };

  const exportHref = (format: 'csv' | 'ndjson') => {
    if (!pattern || !baseQuery) return undefined;
    let bounds;
    try {
      bounds = timeField ? resolveRange(state.time, Date.now()) : undefined;
    } catch {
      return undefined;
    }
    const query = buildQuery({ query: state.query, filters: state.filters, fields, time: bounds && timeField ? { field: timeField, ...bounds } : undefined });
    return exportUrl({ index: pattern.title, query, timeField, columns: state.columns.length ? (timeField ? [timeField, ...state.columns] : state.columns) : undefined, format });
  };

  if (patterns && patterns.length === 0) return <div className="empty-state">No index patterns yet.</div>;
  return (
    <>
      <QueryBar query={state.query} error={queryError || barError} onSubmit={(q) => setState({ query: q })}>
        <TimePicker
          value={state.time}
          refreshMs={state.refreshMs}
          busy={loading}
          onChange={(time) => setState({ time })}
          onRefreshChange={(refreshMs) => setState({ refreshMs })}
          onRefresh={() => setTick((t) => t + 1)}
        />
      </QueryBar>
      <FilterBar filters={state.filters} fields={fields.map((f) => f.name)} onChange={(filters) => setState({ filters })} />
      <div className="discover">
        <div className="sidebar" style={{ display: 'flex', flexDirection: 'column', padding: 0 }}>
          <IndexPatternPicker
            patterns={patterns ?? []}
            current={pattern}
            onSelect={(id) => setState({ indexPattern: id, columns: [], sort: null })}
            onCreated={(p) => (setPatterns((list) => [...(list ?? []), p].sort((a, b) => a.title.localeCompare(b.title))), setState({ indexPattern: p.id, columns: [], sort: null }))}
          />
          <FieldSidebar key={pattern?.id} fields={fields} columns={state.columns} onToggleColumn={toggleColumn} onFilter={filterOn} loadTopValues={loadTopValues} />
        </div>
        <section className="results">
          <div className="results-head">
            <span className="hit-count" data-testid="hit-count">
              {results ? `${results.total.toLocaleString()}${results.relation === 'gte' ? '+' : ''} hits` : '…'}
            </span>
            {savedTitle && <span className="muted">· {savedTitle}</span>}
            {results && <span className="muted small">{results.took} ms</span>}
            <span className="grow" />
            {timeField && (
              <button className={`btn small ${tail ? 'on' : ''}`} onClick={toggleTail} data-testid="live-tail" title={isRelative(state.time) ? 'Stream new matching documents' : 'Stream new matching documents (from the newest one shown)'}>
                {tail && <span className="live-dot" />}
                {tail ? 'Live — stop' : 'Live tail'}
              </button>
            )}
            <a className="btn small" href={exportHref('csv')} download data-testid="export-csv">CSV</a>
            <a className="btn small" href={exportHref('ndjson')} download data-testid="export-ndjson">NDJSON</a>
            <SavedSearches key={state.savedSearchId} state={state} title={savedTitle} onOpen={openSaved} onSaved={(id, t) => (setSavedTitle(t), setState({ savedSearchId: id }))} onNew={() => setState({ ...DEFAULT_DISCOVER, indexPattern: state.indexPattern, time: state.time, filters: state.filters.filter((f) => f.pinned) })} />
          </div>
          {error && <div className="callout danger" style={{ margin: '0 16px' }} role="alert">{error}</div>}
          {results?.buckets && results.interval && results.bounds && (
            <>
              <Histogram buckets={results.buckets} interval={results.interval} bounds={results.bounds} onZoom={(a, b) => setState({ time: { from: new Date(a).toISOString(), to: new Date(b).toISOString() } })} />
              <div className="histogram-meta">
                {new Date(results.bounds.from).toLocaleString()} – {new Date(results.bounds.to).toLocaleString()} · per{' '}
                <select className="select small" value={state.interval} onChange={(e) => setState({ interval: e.target.value })} aria-label="histogram interval">
                  {INTERVAL_CHOICES.map((c) => (
                    <option key={c} value={c}>{c === 'auto' ? `auto (${results.interval!.label})` : c}</option>
                  ))}
                </select>{' '}
                · drag across the bars to zoom
              </div>
            </>
          )}
          {results && (
            <DocTable hits={results.hits} columns={state.columns} timeField={timeField} fields={fields} sort={state.sort} onSort={(sort) => setState({ sort })} onToggleColumn={toggleColumn} onFilter={filterOn} onSurrounding={setAnchor} />
          )}
          {results && results.hits.length === 0 && <div className="empty-state">No results match your search criteria. Widen the time range or change the query.</div>}
          {results && results.hits.length > 0 && (
            <div className="load-more">
              {results.hits.length < Math.min(results.total, MAX_ROWS) ? (
                <button className="btn" onClick={() => setSize((s) => Math.min(MAX_ROWS, s + PAGE_SIZE))}>Load more</button>
              ) : results.total > results.hits.length ? (
                <span className="muted">These are the first {results.hits.length} of {results.total.toLocaleString()} documents. Refine the search, or export them all (CSV / NDJSON).</span>
              ) : null}
            </div>
          )}
        </section>
      </div>
      {anchor && pattern && timeField && (
        <SurroundingDocs anchor={anchor} index={pattern.title} timeField={timeField} filterQuery={buildQuery({ query: { language: 'kuery', text: '' }, filters: state.filters })} columns={state.columns} fields={fields} onClose={() => setAnchor(null)} />
      )}
    </>
  );
}
