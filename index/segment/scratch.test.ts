import { describe, expect, it } from 'vitest';
import { releaseScratch, takeScratch, takeScratchBytes } from './scratch.ts';

describe('scratch arrays', () => {
  it('gives a released large array to the next request it fits, and small requests new arrays', () => {
    const a = takeScratch(200_000);
    releaseScratch(a);
    const b = takeScratch(150_000);
    expect(b).toBe(a);
    const small = takeScratch(100);
    releaseScratch(small);
    expect(takeScratch(100)).not.toBe(small);
    releaseScratch(b);
  });

  it('does not hand out an array over four times too large', () => {
    const big = takeScratch(1_000_000);
    releaseScratch(big);
    const other = takeScratch(100_000);
    expect(other).not.toBe(big);
    expect(other.length).toBeGreaterThanOrEqual(100_000);
    expect(takeScratch(400_000)).toBe(big);
  });

  it('keeps no more than its byte limit', () => {
    // Three 64 MB arrays: the 160 MB limit keeps two.
    const arrays = [takeScratch(16 << 20), takeScratch(16 << 20), takeScratch(16 << 20)];
    for (const a of arrays) releaseScratch(a);
    const again = [takeScratch(16 << 20), takeScratch(16 << 20), takeScratch(16 << 20)];
    expect(again.filter((a) => arrays.includes(a))).toHaveLength(2);
  });

  it('views an array as bytes', () => {
    const { bytes, words } = takeScratchBytes(300_000);
    expect(bytes.buffer).toBe(words.buffer);
    expect(bytes.length).toBeGreaterThanOrEqual(300_000);
  });
});
