import { describe, expect, it } from 'vitest';
import { prng } from '../../loadtest/lib/log-records.ts';
import { PackedStrings } from './packed-strings.ts';

const ALPHABET = ['a', 'Z', '0', '-', '_', 'é', '日', '😀', ' ', '/'];

function randomStrings(rand: () => number, n: number): string[] {
  return Array.from({ length: n }, () => {
    const len = Math.floor(rand() * 12);
    let s = '';
    for (let i = 0; i < len; i++) s += ALPHABET[Math.floor(rand() * (rand() < 0.8 ? 5 : ALPHABET.length))];
    return s;
  });
}

/** The segment file's layout of a string section. */
const fileBlob = (strings: string[]): Buffer => Buffer.from(strings.join('\u0000'), 'utf8');

describe('packed strings', () => {
  it('gives back what it was made from, ASCII or not, empty strings included', () => {
    const rand = prng(7);
    for (let round = 0; round < 200; round++) {
      const strings = randomStrings(rand, Math.floor(rand() * 30));
      const p = PackedStrings.from(strings);
      expect(p.length).toBe(strings.length);
      expect(p.toArray()).toEqual(strings);
      expect(Buffer.from(p.blob).equals(fileBlob(strings))).toBe(true);
      // Read back from the file's bytes, and after a trip through a worker's message (a plain object).
      expect(PackedStrings.ofBlob(fileBlob(strings), strings.length).toArray()).toEqual(strings);
      const cloned = structuredClone({ blob: p.blob, starts: p.starts });
      expect(PackedStrings.of(cloned).toArray()).toEqual(strings);
    }
  });

  it('concatenates columns and leaves out indexes, as the array operations would', () => {
    const rand = prng(11);
    for (let round = 0; round < 200; round++) {
      const parts = Array.from({ length: 1 + Math.floor(rand() * 4) }, () => randomStrings(rand, Math.floor(rand() * 10)));
      const joined = PackedStrings.concat(parts.map((s) => PackedStrings.from(s)));
      expect(joined.toArray()).toEqual(parts.flat());
      expect(Buffer.from(joined.blob).equals(fileBlob(parts.flat()))).toBe(true);
      const all = parts.flat();
      const skip = Uint32Array.from(all.map((_, i) => i).filter(() => rand() < 0.4));
      const kept = PackedStrings.from(all).without(skip);
      expect(kept.toArray()).toEqual(all.filter((_, i) => !skip.includes(i)));
      expect(Buffer.from(kept.blob).equals(fileBlob(kept.toArray()))).toBe(true);
    }
  });

  it('refuses a section with fewer strings than its header says', () => {
    expect(() => PackedStrings.ofBlob(fileBlob(['a', 'b']), 3)).toThrow(/2 strings, not 3/);
  });
});
