import { PackedStrings } from './packed-strings.ts';
import { describe, expect, it } from 'vitest';
import { buildIdIndex, IdFilter, idHash } from './id-index.ts';
import { RoaringBitmap32, Segment } from './segment.ts';
import { BlockSourceStore } from './source-store.ts';

/** A segment with only ids and seqNos (all a lookup reads). */
function segmentOf(ids: string[], seqNos: number[]): Segment {
  const n = ids.length;
  const meta = { ids: PackedStrings.from(ids), seqNos: Float64Array.from(seqNos), versions: new Float64Array(n).fill(1), primaryTerms: new Float64Array(n).fill(1), routings: new Array<string | null>(n).fill(null) };
  return new Segment('_t', n, meta, new BlockSourceStore(new Float64Array(1), new Uint8Array(0), new Uint32Array(n + 1), 'zstd'), new Map(), new Map());
}

describe('segment id lookup', () => {
  it('finds every id, and only ids the segment holds', () => {
    const ids = Array.from({ length: 5000 }, (_, i) => `req-${Math.floor(i / 500)}-${i % 500}`);
    const seg = segmentOf(ids, ids.map((_, i) => i));
    seg.idIndex = buildIdIndex(seg.meta.ids);
    ids.forEach((id, d) => expect(seg.liveDocWithId(id, idHash(id))).toBe(d));
    for (const id of ['req-10-0', 'req-0-500', '', 'req-0-1 ']) expect(seg.liveDocWithId(id, idHash(id))).toBe(-1);
  });

  it('skips deleted copies and prefers the copy with the highest seqNo', () => {
    // "a" written three times (a merge of segments where the older copies' deletes were pending).
    const seg = segmentOf(['a', 'b', 'a', 'a'], [1, 2, 7, 4]);
    expect(seg.liveDocWithId('a', idHash('a'))).toBe(2);
    seg.deletes = RoaringBitmap32.from([2]);
    expect(seg.liveDocWithId('a', idHash('a'))).toBe(3);
    seg.deletes = RoaringBitmap32.from([0, 2, 3]);
    expect(seg.liveDocWithId('a', idHash('a'))).toBe(-1);
    expect(seg.liveDocWithId('b', idHash('b'))).toBe(1);
  });

  it('builds the table on first use when none was sent with the segment', () => {
    const seg = segmentOf(['x', 'y'], [0, 1]);
    expect(seg.idIndex).toBeNull();
    expect(seg.liveDocWithId('y', idHash('y'))).toBe(1);
    expect(seg.idIndex).not.toBeNull();
  });
});

describe('segment id filter', () => {
  it('never misses an id of a segment added, as it grows, and rules out most other ids', () => {
    const segs: Segment[] = [];
    const filter = new IdFilter();
    for (let k = 0; k < 12; k++) {
      const ids = Array.from({ length: 40_000 }, (_, i) => `${k}-${i}`);
      segs.push(segmentOf(ids, ids.map((_, i) => i)));
      filter.add(segs[k], () => segs);
    }
    for (const seg of segs) for (const id of seg.meta.ids.toArray()) if (!filter.mayContain(idHash(id))) throw new Error(`missed ${id}`);
    let maybe = 0;
    for (let i = 0; i < 100_000; i++) if (filter.mayContain(idHash(`new-${i}`))) maybe++;
    expect(maybe).toBeLessThan(5_000);
  });
});
