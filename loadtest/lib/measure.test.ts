import { describe, expect, it } from 'vitest';
import { sustainedRate } from './measure.ts';

describe('sustainedRate', () => {
  it('counts only what was acknowledged after the first `backlog` items, over the time after them', () => {
    // 10 requests of 100 items: a fast burst (one every 10 ms) for the first 300, then one every 100 ms.
    const acks = [10, 20, 30, 130, 230, 330, 430, 530, 630, 730].map((at) => ({ at, items: 100 }));
    // After the third ack (300 items at 30 ms): 700 items over 700 ms.
    expect(sustainedRate(acks, 300)).toBeCloseTo(1000);
    // Order of the array does not matter (concurrent requests complete out of order).
    expect(sustainedRate([...acks].reverse(), 300)).toBeCloseTo(1000);
  });

  it('is NaN when the run is not longer than the backlog', () => {
    expect(sustainedRate([{ at: 1, items: 100 }, { at: 2, items: 100 }], 200)).toBeNaN();
    expect(sustainedRate([], 10)).toBeNaN();
  });
});
