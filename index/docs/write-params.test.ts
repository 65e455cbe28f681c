import { describe, expect, it } from 'vitest';
import { autoId, autoIdBytesForTest } from './write-params.ts';

describe('autoId', () => {
  it('spells 15 bytes of time, sequence and process as 20 base64url characters, unique and in sequence', () => {
    const before = Date.now();
    const ids = Array.from({ length: 100_000 }, () => autoId());
    const after = Date.now();
    expect(new Set(ids).size).toBe(ids.length);
    for (const id of ids) expect(id).toMatch(/^[A-Za-z0-9_-]{20}$/);
    const first = autoIdBytesForTest(ids[0]);
    const last = autoIdBytesForTest(ids[ids.length - 1]);
    expect(first.timeMs).toBeGreaterThanOrEqual(before);
    expect(last.timeMs).toBeLessThanOrEqual(after);
    expect((last.sequence - first.sequence + 0x1000000) % 0x1000000).toBe(ids.length - 1);
    // The same process part everywhere; re-encoding the bytes gives the id back.
    const tail = new Set(ids.map((id) => id.slice(12)));
    expect(tail.size).toBe(1);
    for (const id of ids.slice(0, 1000)) expect(Buffer.from(id, 'base64url').toString('base64url')).toBe(id);
  });
});
