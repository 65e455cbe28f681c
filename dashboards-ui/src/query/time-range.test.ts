import { describe, expect, it } from 'vitest';
import { isRelative, rangeLabel, resolveRange, resolveTime } from './time-range.ts';
import { autoInterval, chooseInterval } from './histogram-interval.ts';
import { addFilter, phraseFilter } from './filters.ts';

const NOW = Date.parse('2024-05-15T13:45:30.500Z'); // a Wednesday

describe('resolveTime', () => {
  it('applies date math', () => {
    expect(resolveTime('now', NOW, false)).toBe(NOW);
    expect(resolveTime('now-15m', NOW, false)).toBe(NOW - 15 * 60_000);
    expect(resolveTime('now-1d+2h', NOW, false)).toBe(NOW - 22 * 3_600_000);
    expect(new Date(resolveTime('now-1M', NOW, false)).toISOString()).toBe('2024-04-15T13:45:30.500Z');
  });

  it('rounds down for from and up for to', () => {
    expect(new Date(resolveTime('now/d', NOW, false)).toISOString()).toBe('2024-05-15T00:00:00.000Z');
    expect(new Date(resolveTime('now/d', NOW, true)).toISOString()).toBe('2024-05-15T23:59:59.999Z');
    expect(new Date(resolveTime('now/w', NOW, false)).toISOString()).toBe('2024-05-13T00:00:00.000Z');
    expect(new Date(resolveTime('now/M', NOW, true)).toISOString()).toBe('2024-05-31T23:59:59.999Z');
    expect(new Date(resolveTime('now-1d/d', NOW, false)).toISOString()).toBe('2024-05-14T00:00:00.000Z');
  });

  it('reads absolute times and rejects garbage', () => {
    expect(resolveTime('2024-01-02T03:04:05Z', NOW, false)).toBe(Date.parse('2024-01-02T03:04:05Z'));
    expect(resolveTime('1700000000000', NOW, false)).toBe(1700000000000);
    expect(() => resolveTime('yesterday-ish', NOW, false)).toThrow(/cannot read the time/);
    expect(() => resolveRange({ from: 'now', to: 'now-1h' }, NOW)).toThrow(/after its end/);
  });

  it('labels and classifies ranges', () => {
    expect(rangeLabel({ from: 'now-15m', to: 'now' })).toBe('Last 15 minutes');
    expect(rangeLabel({ from: '2024-01-01T00:00:00.000Z', to: 'now' })).toBe('2024-01-01 00:00:00 → now');
    expect(isRelative({ from: '2024-01-01T00:00:00Z', to: '2024-01-02T00:00:00Z' })).toBe(false);
  });
});

describe('histogram interval', () => {
  it('keeps the bar count at or under the target', () => {
    for (const span of [1_000, 60_000, 15 * 60_000, 3_600_000, 86_400_000, 7 * 86_400_000, 365 * 86_400_000]) {
      const iv = autoInterval(span);
      expect(span / iv.ms).toBeLessThanOrEqual(60);
    }
    expect(autoInterval(15 * 60_000).value).toBe('30s');
    expect(autoInterval(86_400_000).value).toBe('30m');
    expect(autoInterval(7 * 86_400_000).value).toBe('3h');
  });

  it('scales up a chosen interval that would draw too many bars', () => {
    expect(chooseInterval('1m', 3_600_000).value).toBe('1m');
    expect(chooseInterval('1m', 30 * 86_400_000).ms).toBeGreaterThan(60_000);
  });
});

describe('filters', () => {
  it('replaces a filter on the same condition instead of stacking', () => {
    const a = addFilter([], phraseFilter('host', 'a'));
    const b = addFilter(a, phraseFilter('host', 'a', true));
    expect(b).toHaveLength(1);
    expect(b[0].negate).toBe(true);
    expect(addFilter(b, phraseFilter('host', 'b'))).toHaveLength(2);
  });
});
