import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { IdleReclaimer } from './idle-reclaim.ts';

describe('idle reclaimer', () => {
  beforeEach(() => vi.useFakeTimers({ now: 1_000_000 }));
  afterEach(() => vi.useRealTimers());

  it('collects once no write arrived for the idle time', () => {
    const collect = vi.fn();
    const r = new IdleReclaimer(250, collect);
    r.request();
    vi.advanceTimersByTime(249);
    expect(collect).not.toHaveBeenCalled();
    vi.advanceTimersByTime(1);
    expect(collect).toHaveBeenCalledTimes(1);
  });

  it('waits while writes go on, whichever shard reported them', () => {
    const collect = vi.fn();
    const r = new IdleReclaimer(250, collect);
    r.request();
    // A write every 100 ms for 2 s (another index under load): no collection.
    for (let t = 0; t < 2000; t += 100) {
      r.wrote(Date.now());
      vi.advanceTimersByTime(100);
    }
    expect(collect).not.toHaveBeenCalled();
    vi.advanceTimersByTime(150);
    expect(collect).toHaveBeenCalledTimes(1);
  });

  it('serves several requests with one collection, and collects again for a later one', () => {
    const collect = vi.fn();
    const r = new IdleReclaimer(250, collect);
    r.request();
    r.request();
    vi.advanceTimersByTime(1000);
    expect(collect).toHaveBeenCalledTimes(1);
    r.request();
    vi.advanceTimersByTime(250);
    expect(collect).toHaveBeenCalledTimes(2);
  });
});
