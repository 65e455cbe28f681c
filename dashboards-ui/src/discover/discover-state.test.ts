import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { DEFAULT_DISCOVER, decodeDiscoverState, encodeDiscoverState, type DiscoverState } from './discover-state.ts';
import type { Filter } from '../query/filters.ts';

const flags = { negate: fc.boolean(), disabled: fc.boolean(), pinned: fc.boolean() };
const filter: fc.Arbitrary<Filter> = fc.oneof(
  fc.record({ type: fc.constant('phrase' as const), field: fc.string({ minLength: 1 }), value: fc.oneof(fc.string(), fc.integer(), fc.boolean()), ...flags }),
  fc.record({ type: fc.constant('exists' as const), field: fc.string({ minLength: 1 }), ...flags }),
);
const state: fc.Arbitrary<DiscoverState> = fc.record({
  indexPattern: fc.string(),
  savedSearchId: fc.string(),
  time: fc.record({ from: fc.constantFrom('now-15m', 'now-7d', '2024-01-01T00:00:00.000Z', 'now/d'), to: fc.constantFrom('now', 'now/d', '2024-02-01T00:00:00.000Z') }),
  refreshMs: fc.constantFrom(0, 5000, 60000),
  query: fc.record({ language: fc.constantFrom('kuery' as const, 'lucene' as const), text: fc.string() }),
  filters: fc.array(filter, { maxLength: 3 }),
  columns: fc.array(fc.stringMatching(/^[a-z@._]{1,8}$/), { maxLength: 4 }),
  sort: fc.option(fc.record({ field: fc.stringMatching(/^[a-z@._:]{1,8}$/), dir: fc.constantFrom('asc' as const, 'desc' as const) }), { nil: null }),
  interval: fc.constantFrom('auto', '1m', '1h', 'week'),
});

describe('discover URL state', () => {
  it('round-trips any state through the query string', () => {
    fc.assert(fc.property(state, (s) => {
      expect(decodeDiscoverState(encodeDiscoverState(s))).toEqual(s);
    }), { numRuns: 300 });
  });

  it('leaves defaults out of the URL', () => {
    expect(encodeDiscoverState(DEFAULT_DISCOVER)).toBe('');
    expect(decodeDiscoverState('')).toEqual(DEFAULT_DISCOVER);
  });

  it('falls back to defaults for malformed values', () => {
    const s = decodeDiscoverState('f=%5Bnot-json&refresh=-5&lang=sql&sort=nodir');
    expect(s.filters).toEqual([]);
    expect(s.refreshMs).toBe(0);
    expect(s.query.language).toBe('kuery');
    expect(s.sort).toBeNull();
  });
});
