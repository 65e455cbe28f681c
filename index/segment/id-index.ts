// A segment's `_id` lookup table, so a write with an explicit id finds the document it replaces in the
// segments (as OpenSearch looks ids up in each Lucene segment's `_id` terms) instead of the shard
// keeping a version-map entry for every document it ever indexed: such a map held a million entries
// after a million Firehose records, and every full collection of the event loop's heap marked them.
//
// Open addressing over (doc + 1, hash) pairs in one Int32Array, at most half full; typed memory, so
// the collector never traces it. Built where the segment is built or merged (a worker) and sent with
// it, or lazily for segments built or read on the event loop.

import { termHash } from '../analysis/standard-tokenizer.ts';
import type { PackedStrings } from './packed-strings.ts';

/** The table: `slots[2 * s]` = doc + 1 (0: empty), `slots[2 * s + 1]` = the id's hash. */
export interface IdIndex {
  slots: Int32Array;
}

/** The term dictionaries' FNV-1a (termHash) over the id, finished with murmur3's mix so the low bits spread well. */
export function idHash(id: string): number {
  let h = termHash(id, 0, id.length);
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  return h ^ (h >>> 16);
}

/** The lookup table of a segment's ids (doc d has `ids.get(d)`). */
export function buildIdIndex(ids: PackedStrings): IdIndex {
  let size = 16;
  while (size < ids.length * 2) size *= 2;
  const slots = new Int32Array(size * 2);
  const mask = size - 1;
  for (let d = 0; d < ids.length; d++) {
    const h = idHash(ids.get(d));
    let s = h & mask;
    while (slots[2 * s] !== 0) s = (s + 1) & mask;
    slots[2 * s] = d + 1;
    slots[2 * s + 1] = h;
  }
  return { slots };
}

/**
 * A Bloom filter over the ids of a shard's segments (two bits per id, at least 8 bits per id), so a
 * write with a new explicit id (every Firehose record: its id comes from the request id) learns with
 * one probe that no segment holds it, instead of probing every segment's table (2 us a record with
 * 20-odd segments). Bits are only added: a deleted or merged-away id may still answer "maybe", which
 * costs the probes it would have cost anyway. Grows (rebuilt from the segments) when full.
 */
export class IdFilter {
  private bits = new Uint32Array(1 << 16);
  private mask = (1 << 21) - 1;
  private ids = 0;

  /** Adds a segment's ids; when the filter is past 8 bits per id it is rebuilt from `all` (the shard's segments). */
  add(seg: { maxDoc: number; idIndex: IdIndex | null; meta: { ids: PackedStrings } }, all: () => Iterable<{ maxDoc: number; idIndex: IdIndex | null; meta: { ids: PackedStrings } }>): void {
    this.ids += seg.maxDoc;
    if (this.ids * 8 > this.mask + 1) {
      let total = 0;
      const segs = [...all()];
      for (const s of segs) total += s.maxDoc;
      let bits = 1 << 21;
      while (bits < total * 16) bits *= 2;
      this.bits = new Uint32Array(bits >>> 5);
      this.mask = bits - 1;
      this.ids = total;
      for (const s of segs) this.addHashes(s);
      return;
    }
    this.addHashes(seg);
  }

  /** Whether some segment may hold the id whose idHash is `h` (false: none does). */
  mayContain(h: number): boolean {
    const a = h & this.mask;
    const b = secondProbe(h) & this.mask;
    return (this.bits[a >>> 5] & (1 << (a & 31))) !== 0 && (this.bits[b >>> 5] & (1 << (b & 31))) !== 0;
  }

  private addHashes(seg: { idIndex: IdIndex | null; meta: { ids: PackedStrings } }): void {
    const slots = (seg.idIndex ??= buildIdIndex(seg.meta.ids)).slots;
    for (let s = 0; s < slots.length; s += 2) {
      if (slots[s] === 0) continue;
      const h = slots[s + 1];
      const a = h & this.mask;
      const b = secondProbe(h) & this.mask;
      this.bits[a >>> 5] |= 1 << (a & 31);
      this.bits[b >>> 5] |= 1 << (b & 31);
    }
  }
}

/** The filter's second bit for an id hash (the first is the hash itself): a multiplicative remix. */
function secondProbe(h: number): number {
  return Math.imul(h, 0x9e3779b1) >>> 7;
}
