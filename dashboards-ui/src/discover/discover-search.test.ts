import { describe, expect, it } from 'vitest';
import { fieldValuesBody, mainSearchBody, sortClause, tailBody } from './discover-search.ts';
import { histogramSpec } from './histogram-spec.ts';
import { autoInterval } from '../query/histogram-interval.ts';
import { parseQuery } from '../../../index/query/registry.ts';

describe('discover requests', () => {
  it('sorts by the chosen column with the time field as tiebreaker', () => {
    expect(sortClause(null, '@timestamp')).toEqual([{ '@timestamp': { order: 'desc', unmapped_type: 'date' } }]);
    expect(sortClause({ field: 'status', dir: 'asc' }, '@timestamp')).toEqual([
      { status: { order: 'asc', unmapped_type: 'keyword' } },
      { '@timestamp': { order: 'desc', unmapped_type: 'date' } },
    ]);
    expect(sortClause({ field: '@timestamp', dir: 'asc' }, '@timestamp')).toEqual([{ '@timestamp': { order: 'asc', unmapped_type: 'keyword' } }]);
  });

  it('asks for hits, the exact total and the histogram in one request', () => {
    const iv = autoInterval(3_600_000);
    const b = mainSearchBody({ query: { match_all: {} }, sort: null, timeField: 't', size: 50, interval: iv, bounds: { from: 0, to: 3_600_000 }, highlight: true });
    expect(b.track_total_hits).toBe(true);
    expect((b.aggs as any).histogram.date_histogram).toEqual({ field: 't', fixed_interval: '1m', min_doc_count: 0, extended_bounds: { min: 0, max: 3_600_000 } });
    expect(() => parseQuery(b.query)).not.toThrow();
  });

  it('re-reads the newest millisecond when tailing', () => {
    expect(tailBody({ match_all: {} }, 't', 1000).search_after).toEqual([999]);
  });

  it('aggregates a field over the whole query for its top values', () => {
    expect(fieldValuesBody({ match_all: {} }, 'host')).toMatchObject({ size: 0, aggs: { top: { terms: { field: 'host', size: 5 } } } });
  });
});

describe('histogramSpec', () => {
  it('draws one bar per bucket across the whole range, with a brush', () => {
    const iv = autoInterval(600_000);
    const spec = histogramSpec([{ key: 0, doc_count: 3 }, { key: iv.ms, doc_count: 0 }], iv, { from: 0, to: 600_000 }, 800) as any;
    expect(spec.data.values).toEqual([{ start: 0, end: iv.ms, count: 3 }, { start: iv.ms, end: 2 * iv.ms, count: 0 }]);
    expect(spec.encoding.x.scale.domain).toEqual([0, 600_000]);
    expect(spec.params[0].select).toEqual({ type: 'interval', encodings: ['x'] });
  });
});
