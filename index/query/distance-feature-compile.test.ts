import { describe, expect, it } from 'vitest';
import { executeQueryPhase } from '../search/query-phase.ts';
import { compileQuery } from './compile-query.ts';
import { parseQuery } from './registry.ts';
import { buildShard } from './test-support.ts';

const H = 3600000;
const T = Date.UTC(2018, 1, 1, 10);
const ctx = buildShard({ properties: { ts: { type: 'date' }, geo: { type: 'geo_point' } } }, [
  [{ ts: T, geo: [-71.34, 41.13] }, { ts: T + H, geo: '41.14,-71.34' }, { ts: T - H, geo: { lat: 41.12, lon: -71.34 } }, {}],
]);
const run = (json: unknown) => executeQueryPhase(ctx, { query: compileQuery(parseQuery(json), ctx, { needsScores: true }), size: 10 });

describe('distance_feature', () => {
  it('scores dates by boost · pivot / (pivot + distance) and skips docs without the field', () => {
    const r = run({ distance_feature: { field: 'ts', origin: '2018-02-01T08:00:30Z', pivot: '1h', boost: 2 } });
    expect(r.hits.map((h) => h.doc)).toEqual([2, 0, 1]);
    expect(r.hits[1].score).toBe(Math.fround(2 * (H / (H + 2 * H - 30000))));
  });

  it('scores geo points by haversine distance to the origin', () => {
    const r = run({ distance_feature: { field: 'geo', origin: [-71.35, 41.12], pivot: '1km' } });
    expect(r.hits.map((h) => h.doc)).toEqual([2, 0, 1]);
  });
});
