import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isoMillis, utcDay } from './utc-time.ts';

describe('isoMillis', () => {
  it('equals Date#toISOString from 1970 to 9999', () => {
    fc.assert(fc.property(fc.integer({ min: 0, max: 253402300799999 }), (ms) => isoMillis(ms) === new Date(ms).toISOString()), { numRuns: 20000 });
    for (const ms of [0, 86_399_999, 86_400_000, 951_782_400_000, 1_704_067_199_999]) expect(isoMillis(ms)).toBe(new Date(ms).toISOString());
  });
});

describe('utcDay', () => {
  it('is the UTC calendar day, dotted', () => {
    expect(utcDay(Date.parse('2024-02-29T23:59:59.999Z'))).toBe('2024.02.29');
    expect(utcDay(Date.parse('2024-03-01T00:00:00Z'))).toBe('2024.03.01');
  });
});
