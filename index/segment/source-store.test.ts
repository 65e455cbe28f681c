import { describe, it, expect } from 'vitest';
import { buildSourceStore, DeferredSourceStore, DOCS_PER_BLOCK } from './source-store.ts';

const sources = (n: number): Buffer[] => Array.from({ length: n }, (_, i) => Buffer.from(JSON.stringify({ i, text: 'lorem ipsum '.repeat(i % 9), ü: 'ß' })));

function sameLayout(a: { blockOffsets: Float64Array; blockData: Uint8Array; docOffsets: Uint32Array }, b: typeof a): void {
  expect([...a.blockOffsets]).toEqual([...b.blockOffsets]);
  expect(Buffer.from(a.blockData).equals(Buffer.from(b.blockData))).toBe(true);
  expect([...a.docOffsets]).toEqual([...b.docOffsets]);
}

describe('deferred source store', () => {
  for (const n of [0, 1, DOCS_PER_BLOCK, DOCS_PER_BLOCK * 3 + 5]) {
    it(`serves every source before and after its blocks are compressed on the thread pool (${n} docs)`, async () => {
      const src = sources(n);
      const store = new DeferredSourceStore(src);
      for (let d = 0; d < n; d++) expect(store.get(d).equals(src[d])).toBe(true);
      for (let i = 0; i < 200 && !store.compressed; i++) await new Promise((r) => setTimeout(r, 5));
      expect(store.compressed).toBe(true);
      for (let d = 0; d < n; d++) expect(store.get(d).equals(src[d])).toBe(true);
      sameLayout(store, buildSourceStore(src));
    });
  }

  it('compresses the missing blocks synchronously when the layout is needed at once', () => {
    const src = sources(DOCS_PER_BLOCK * 2 + 1);
    const store = new DeferredSourceStore(src);
    expect(store.compressed).toBe(false);
    sameLayout(store, buildSourceStore(src));
    expect(store.compressed).toBe(true);
    for (let d = 0; d < src.length; d++) expect(store.get(d).equals(src[d])).toBe(true);
  });
});
