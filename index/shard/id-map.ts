// A map from document ids to values for the shard's version map: open addressing with linear probing
// over typed arrays, and deletion by backward shift. A JS Map under the version map's churn (every
// buffered doc inserted, then deleted once its build lands: ~45k each way per landing) rebuilt its
// whole table whenever inserts met the slots deleted entries still held, 7-28 ms on the event loop at
// 150-200k entries (a new multi-megabyte backing store each time); here a delete frees its slot, so
// the table is rebuilt only to grow.

import { idHash } from '../segment/id-index.ts';

const EMPTY = 0;

export class IdMap<V> {
  /** Slot → entry index + 1 (0: empty). */
  private slots: Int32Array;
  /** Slot → the id hash of its entry (saves a string comparison per probe). */
  private hashes: Int32Array;
  private mask: number;
  /** Entries by index; freed indices are reused. */
  private keys: (string | undefined)[] = [];
  private vals: (V | undefined)[] = [];
  private freeIdx: number[] = [];
  private count = 0;
  /** The last id hashed and its hash: a write looks its id up, then sets it (and the shard asks for the hash in between). */
  private lastId: string | undefined;
  private lastHash = 0;

  constructor(capacity = 1 << 12) {
    let size = 16;
    while (size < capacity) size *= 2;
    this.slots = new Int32Array(size);
    this.hashes = new Int32Array(size);
    this.mask = size - 1;
  }

  get size(): number {
    return this.count;
  }

  /** `idHash(id)`, remembered for the next call with the same id. */
  hashOf(id: string): number {
    if (id !== this.lastId) {
      this.lastHash = idHash(id);
      this.lastId = id;
    }
    return this.lastHash;
  }

  get(id: string): V | undefined {
    const s = this.find(id, this.hashOf(id));
    return s < 0 ? undefined : this.vals[this.slots[s] - 1];
  }

  set(id: string, v: V): void {
    const h = this.hashOf(id);
    const s = this.find(id, h);
    if (s >= 0) {
      this.vals[this.slots[s] - 1] = v;
      return;
    }
    if ((this.count + 1) * 2 > this.slots.length) this.grow();
    const idx = this.freeIdx.length > 0 ? this.freeIdx.pop()! : this.keys.length;
    this.keys[idx] = id;
    this.vals[idx] = v;
    this.place(idx + 1, h);
    this.count++;
  }

  delete(id: string): boolean {
    let s = this.find(id, this.hashOf(id));
    if (s < 0) return false;
    const idx = this.slots[s] - 1;
    this.keys[idx] = undefined;
    this.vals[idx] = undefined;
    this.freeIdx.push(idx);
    this.count--;
    // Backward shift: move later entries of the probe run into the hole when their home slot is at
    // or before it, so every entry stays reachable from its home slot without tombstones.
    const slots = this.slots, hashes = this.hashes, mask = this.mask;
    let j = s;
    for (;;) {
      j = (j + 1) & mask;
      if (slots[j] === EMPTY) break;
      const home = hashes[j] & mask;
      // Is `home` cyclically in (s, j]? Then the entry at j must stay.
      if (s <= j ? s < home && home <= j : s < home || home <= j) continue;
      slots[s] = slots[j];
      hashes[s] = hashes[j];
      s = j;
    }
    slots[s] = EMPTY;
    hashes[s] = 0;
    return true;
  }

  /** The slot holding `id`, or -1. */
  private find(id: string, h: number): number {
    const slots = this.slots, hashes = this.hashes, mask = this.mask, keys = this.keys;
    let s = h & mask;
    for (;;) {
      const e = slots[s];
      if (e === EMPTY) return -1;
      if (hashes[s] === h && keys[e - 1] === id) return s;
      s = (s + 1) & mask;
    }
  }

  private place(entry: number, h: number): void {
    const slots = this.slots, mask = this.mask;
    let s = h & mask;
    while (slots[s] !== EMPTY) s = (s + 1) & mask;
    slots[s] = entry;
    this.hashes[s] = h;
  }

  private grow(): void {
    const oldSlots = this.slots, oldHashes = this.hashes;
    const size = oldSlots.length * 2;
    this.slots = new Int32Array(size);
    this.hashes = new Int32Array(size);
    this.mask = size - 1;
    for (let s = 0; s < oldSlots.length; s++) if (oldSlots[s] !== EMPTY) this.place(oldSlots[s], oldHashes[s]);
  }
}
