// A segment's `_id` lookup table, so a write with an explicit id finds the document it replaces in the
// segments (as OpenSearch looks ids up in each Lucene segment's `_id` terms) instead of the shard
// keeping a version-map entry for every document it ever indexed: such a map held a million entries
// after a million Firehose records, and every full collection of the event loop's heap marked them.
//
// Open addressing over (doc + 1, hash) pairs in one Int32Array, at most half full; typed memory, so
// the collector never traces it. Built where the segment is built or merged (a worker) and sent with
// it, or lazily for segments built or read on the event loop.

/** The table: `slots[2 * s]` = doc + 1 (0: empty), `slots[2 * s + 1]` = the id's hash. */
export interface IdIndex {
  slots: Int32Array;
}

/** FNV-1a over the id's UTF-16 code units, finished with murmur3's mix so the low bits spread well. */
export function idHash(id: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < id.length; i++) h = Math.imul(h ^ id.charCodeAt(i), 0x01000193);
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  return h ^ (h >>> 16);
}

/** The lookup table of a segment's ids (doc d has `ids[d]`). */
export function buildIdIndex(ids: readonly string[]): IdIndex {
  let size = 16;
  while (size < ids.length * 2) size *= 2;
  const slots = new Int32Array(size * 2);
  const mask = size - 1;
  for (let d = 0; d < ids.length; d++) {
    const h = idHash(ids[d]);
    let s = h & mask;
    while (slots[2 * s] !== 0) s = (s + 1) & mask;
    slots[2 * s] = d + 1;
    slots[2 * s + 1] = h;
  }
  return { slots };
}
