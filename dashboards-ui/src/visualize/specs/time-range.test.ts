import { describe, expect, it } from 'vitest';
import { autoInterval, intervalMs, resolveDateMath, resolveTimeRange, TimeRangeError } from './time-range.ts';

const NOW = Date.UTC(2026, 10, 28, 10, 17, 42, 123);

describe('resolveDateMath', () => {
  it('resolves now with offsets and rounding', () => {
    expect(resolveDateMath('now', NOW)).toBe(NOW);
    expect(resolveDateMath('now-15m', NOW)).toBe(NOW - 15 * 60_000);
    expect(resolveDateMath('now-1d/d', NOW)).toBe(Date.UTC(2026, 10, 27));
    expect(resolveDateMath('now/d', NOW, true)).toBe(Date.UTC(2026, 10, 29) - 1);
    expect(resolveDateMath('now-1h+30m', NOW)).toBe(NOW - 30 * 60_000);
    expect(resolveDateMath('now/M', NOW)).toBe(Date.UTC(2026, 10, 1));
  });
  it('accepts ISO strings, anchored date math and epoch millis', () => {
    expect(resolveDateMath('2026-11-28T00:00:00Z', NOW)).toBe(Date.UTC(2026, 10, 28));
    expect(resolveDateMath('2026-11-28T00:00:00Z||+1h', NOW)).toBe(Date.UTC(2026, 10, 28, 1));
    expect(resolveDateMath('1700000000000', NOW)).toBe(1700000000000);
  });
  it('rejects garbage', () => {
    expect(() => resolveDateMath('yesterday', NOW)).toThrow(TimeRangeError);
    expect(() => resolveDateMath('now-5x', NOW)).toThrow(TimeRangeError);
  });
  it('rejects a range that ends before it starts', () => {
    expect(() => resolveTimeRange({ from: 'now', to: 'now-1h' }, NOW)).toThrow(/starts after it ends/);
  });
});

describe('autoInterval', () => {
  it('keeps ranges near 50 buckets with nice intervals', () => {
    expect(autoInterval(0, 15 * 60_000)).toBe('30s');
    expect(autoInterval(0, 3_600_000)).toBe('5m');
    expect(autoInterval(0, 24 * 3_600_000)).toBe('30m');
    expect(autoInterval(0, 7 * 86_400_000)).toBe('12h');
  });
  it('parses intervals and rejects calendar words', () => {
    expect(intervalMs('5m')).toBe(300_000);
    expect(intervalMs('250ms')).toBe(250);
    expect(() => intervalMs('1M')).toThrow(TimeRangeError);
  });
});
