import { describe, expect, it } from 'vitest';
import { prng } from '../../loadtest/lib/log-records.ts';
import { IdMap } from './id-map.ts';

describe('IdMap', () => {
  it('behaves as a Map under random sets, overwrites and deletes (long probe runs included)', () => {
    const rand = prng(3);
    for (const universe of [20, 300, 5000]) {
      const m = new IdMap<number>(16);
      const ref = new Map<string, number>();
      for (let op = 0; op < 40_000; op++) {
        const id = `doc-${Math.floor(rand() * universe)}`;
        const r = rand();
        if (r < 0.5) {
          m.set(id, op);
          ref.set(id, op);
        } else if (r < 0.8) {
          expect(m.delete(id)).toBe(ref.delete(id));
        } else {
          expect(m.get(id)).toBe(ref.get(id));
        }
        expect(m.size).toBe(ref.size);
      }
      for (let i = 0; i < universe; i++) expect(m.get(`doc-${i}`)).toBe(ref.get(`doc-${i}`));
    }
  });

  it('keeps every entry reachable through the churn of a version map (insert a batch, delete the oldest)', () => {
    const m = new IdMap<number>();
    let next = 0;
    let oldest = 0;
    for (let round = 0; round < 20; round++) {
      for (let i = 0; i < 5000; i++, next++) m.set(`req-${next}`, next);
      for (let i = 0; i < 4000; i++, oldest++) expect(m.delete(`req-${oldest}`)).toBe(true);
      expect(m.size).toBe(next - oldest);
      for (let i = oldest; i < next; i += 97) expect(m.get(`req-${i}`)).toBe(i);
      expect(m.get(`req-${oldest - 1}`)).toBeUndefined();
    }
  });
});
