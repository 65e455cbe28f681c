import { describe, expect, it } from 'vitest';
import { ByteArena } from './byte-arena.ts';

describe('ByteArena', () => {
  it('cuts records from shared chunks, decodes base64 as Buffer.from does, and gives its chunks to the next delivery', () => {
    const a = new ByteArena();
    const x = a.decodeBase64(Buffer.from('{"a":1}').toString('base64'));
    const y = a.take(100);
    expect(x.toString()).toBe('{"a":1}');
    expect(y.buffer).toBe(x.buffer);
    expect(a.decodeBase64('eyJhIjox fQ==')).toEqual(Buffer.from('eyJhIjox fQ==', 'base64'));
    a.release();
    expect(() => a.take(1)).toThrow(/after release/);
    const b = new ByteArena();
    expect(b.take(10).buffer).toBe(x.buffer);
    b.release();
  });

  it('gives large records a buffer of their own, and keeps delivering past one chunk', () => {
    const a = new ByteArena();
    const big = a.take(100_000);
    expect(big.length).toBe(100_000);
    const parts = Array.from({ length: 200 }, (_, i) => {
      const p = a.take(1000);
      p.fill(i);
      return p;
    });
    expect(new Set(parts.map((p) => p.buffer)).size).toBeGreaterThan(1);
    parts.forEach((p, i) => expect(p.every((v) => v === i)).toBe(true));
    expect(parts.every((p) => p.buffer !== big.buffer)).toBe(true);
    a.release();
  });
});
