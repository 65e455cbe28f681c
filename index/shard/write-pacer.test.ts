import { describe, expect, it } from 'vitest';
import { BURST_DOCS, WritePacer } from './write-pacer.ts';

describe('write pacer', () => {
  it('lets writes through below the paced backlog, and before any build has landed', () => {
    const p = new WritePacer(1000, 3000, 1);
    expect(p.delay(500, 999, 0)).toBe(0);
    expect(p.delay(500, 5000, 0)).toBe(0); // no rate known yet
  });

  it('spaces writes past the paced backlog by the rate builds landed, times a factor falling with the backlog', () => {
    const p = new WritePacer(1000, 3000, 1);
    // Builds of 1,000 docs one after another, 100 ms each: 10 docs/ms.
    for (let t = 0; t < 400; t += 100) p.landed(t + 100, t, 1000);
    expect(p.rate()).toBeCloseTo(10);
    expect(p.factor(1000)).toBeCloseTo(1.2);
    expect(p.factor(2000)).toBeCloseTo(1);
    expect(p.factor(3000)).toBeCloseTo(0.8);
    expect(p.factor(9000)).toBeCloseTo(0.8);
    const slot = 500 / 10;
    expect(p.delay(BURST_DOCS, 2000, 1000)).toBe(0); // on credit (see the next test)
    expect(p.delay(500, 2000, 1000)).toBe(0); // goes at once, and claims its slot
    expect(p.delay(500, 2000, 1000)).toBeCloseTo(slot); // the next waits for it
    expect(p.delay(500, 2000, 1000)).toBeCloseTo(2 * slot);
    // Time passes: a write after the claimed slots goes at once again.
    expect(p.delay(500, 2000, 1000 + 10 * slot)).toBe(0);
  });

  it('lets a burst of up to BURST_DOCS through at once after time no write claimed', () => {
    const p = new WritePacer(1000, 3000, 1);
    for (let t = 0; t < 400; t += 100) p.landed(t + 100, t, 1000); // 10 docs/ms
    p.delay(500, 2000, 1000);
    // A second later (a stall, or the first landing of a burst) ten writes of 500 arrive together.
    const waits = Array.from({ length: 10 }, () => p.delay(500, 2000, 2000));
    expect(waits.slice(0, 9)).toEqual(new Array(9).fill(0));
    expect(waits[9]).toBeCloseTo(500 / 10);
  });

  it('paces at the rate of a build in flight that runs longer than the recent ones', () => {
    const running = { docs: 1000, startedAt: 1000 };
    const p = new WritePacer(1000, 3000, 2);
    for (let t = 0; t < 400; t += 100) p.landed(t + 200, t, 1000); // 200 ms builds, two at once: 10 docs/ms
    // 100 ms into the running build: no sign of a slowdown, the landed builds' rate holds.
    p.delay(BURST_DOCS, 2000, 1100, running);
    p.delay(500, 2000, 1100, running);
    expect(p.delay(500, 2000, 1100, running)).toBeCloseTo(500 / 10);
    // 400 ms into it: at most 1,000 docs per 400 ms on each of two workers, 5 docs/ms.
    const q = new WritePacer(1000, 3000, 2);
    for (let t = 0; t < 400; t += 100) q.landed(t + 200, t, 1000);
    q.delay(BURST_DOCS, 2000, 1400, running);
    q.delay(500, 2000, 1400, running);
    expect(q.delay(500, 2000, 1400, running)).toBeCloseTo(500 / 5);
  });

  it('sizes a build beside another so that it lands half a build after it', () => {
    const p = new WritePacer(1000, 3000, 2);
    expect(p.staggeredSize(0, 1000, 0, 1000)).toBe(1000); // nothing landed yet: a full build
    p.landed(1000, 0, 1000);
    p.landed(2000, 1000, 1000); // 1 ms per doc
    // Posted together with a full build: one and a half builds, landing 500 ms after it.
    expect(p.staggeredSize(3000, 1000, 3000, 1000)).toBe(1500);
    // The other is half way: a full build.
    expect(p.staggeredSize(3000, 1000, 3500, 1000)).toBe(1000);
    // The other is nearly done, or late: at least half a build.
    expect(p.staggeredSize(3000, 1000, 3900, 1000)).toBe(600);
    expect(p.staggeredSize(3000, 1000, 5000, 1000)).toBe(500);
  });

  it('forgets claimed slots once the backlog is below the paced size', () => {
    const p = new WritePacer(1000, 3000, 1);
    p.landed(100, 0, 1000);
    for (let i = 0; i < 5; i++) p.delay(1000, 2000, 0);
    expect(p.delay(1000, 2000, 0)).toBeGreaterThan(0);
    expect(p.delay(1000, 10, 0)).toBe(0);
    expect(p.delay(1000, 2000, 0)).toBe(0);
  });

  it('counts each build for its own running time, times the builds that run side by side', () => {
    // Two workers; builds of 1,000 docs taking 200 ms each, posted at 0 and 100: 10 docs/ms together,
    // already known when the first lands (the second still running).
    const p = new WritePacer(1000, 3000, 2);
    p.landed(200, 0, 1000);
    expect(p.rate()).toBeCloseTo(10);
    p.landed(300, 100, 1000);
    expect(p.rate()).toBeCloseTo(10);
    // Idle for 10 s, then builds of 1,000 docs taking 100 ms each: 10 docs/ms, not 0.2.
    const q = new WritePacer(1000, 3000, 1);
    q.landed(100, 0, 1000);
    q.landed(10_200, 10_100, 1000);
    expect(q.rate()).toBeCloseTo(10);
  });

  it('measures the rate over the last four landings only', () => {
    const p = new WritePacer(1000, 3000, 1);
    p.landed(1000, 0, 1000); // a slow build at first (1 doc/ms)…
    for (let t = 1000; t < 1400; t += 100) p.landed(t + 100, t, 1000); // …then 10 docs/ms
    expect(p.rate()).toBeCloseTo(10);
  });
});
