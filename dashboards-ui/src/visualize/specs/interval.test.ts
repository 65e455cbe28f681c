import { describe, expect, it } from 'vitest';
import { autoInterval, IntervalError, intervalMs } from './interval.ts';

describe('autoInterval', () => {
  it('keeps ranges near 50 buckets with nice intervals', () => {
    expect(autoInterval(0, 15 * 60_000)).toBe('30s');
    expect(autoInterval(0, 3_600_000)).toBe('5m');
    expect(autoInterval(0, 24 * 3_600_000)).toBe('30m');
    expect(autoInterval(0, 7 * 86_400_000)).toBe('12h');
    expect(autoInterval(0, 20 * 365 * 86_400_000)).toBe('365d');
  });
  it('parses intervals and rejects calendar words', () => {
    expect(intervalMs('5m')).toBe(300_000);
    expect(intervalMs('250ms')).toBe(250);
    expect(() => intervalMs('1M')).toThrow(IntervalError);
  });
});
