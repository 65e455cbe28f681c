// A column of strings (a segment's `_id`s) as one UTF-8 blob with a NUL after each string but the last
// (the segment file's layout for a string section) and where each starts. A string per document kept
// a million-document shard's event loop heap at ~1.25M strings plus their arrays, which every full
// collection marked one by one (100-130 ms of marking every 2-3 s under a sustained Firehose load);
// a blob and an offsets array are two objects the collector never looks into. A string is made when
// asked for (a search hit's `_id`, an id lookup's check), young and short-lived.

/** The blob and offsets, as they cross to and from a worker (structured clone drops the class). */
export interface PackedStringsData {
  blob: Uint8Array;
  starts: Uint32Array;
}

export class PackedStrings implements PackedStringsData {
  readonly blob: Buffer;

  /**
   * `blob`: the strings' UTF-8 bytes, each but the last followed by a NUL; `starts`: where string i
   * starts, `starts.length` is one more than the count, and `starts[i + 1] - 1` is where string i ends
   * (as if the last string had a NUL after it too).
   */
  constructor(blob: Uint8Array, readonly starts: Uint32Array) {
    this.blob = Buffer.isBuffer(blob) ? blob : Buffer.from(blob.buffer, blob.byteOffset, blob.byteLength);
  }

  /** The strings (none may contain a NUL, as in the segment file). */
  static from(strings: readonly string[]): PackedStrings {
    const n = strings.length;
    if (n === 0) return new PackedStrings(new Uint8Array(0), Uint32Array.of(1));
    const starts = new Uint32Array(n + 1);
    const joined = strings.join('\u0000');
    const blob = Buffer.from(joined, 'utf8');
    // All ASCII (ids usually are): bytes are chars, so the starts come from the lengths alone.
    const ascii = blob.length === joined.length;
    let at = 0;
    for (let i = 0; i < n; i++) {
      starts[i] = at;
      const s = strings[i];
      at += (ascii ? s.length : Buffer.byteLength(s, 'utf8')) + 1;
    }
    starts[n] = at;
    return new PackedStrings(blob, starts);
  }

  /** A section as the segment file stores it: `count` strings joined by NULs (read in place). */
  static ofBlob(blob: Uint8Array, count: number): PackedStrings {
    const starts = new Uint32Array(count + 1);
    if (count === 0) {
      starts[0] = 1;
      return new PackedStrings(blob, starts);
    }
    const buf = Buffer.from(blob.buffer, blob.byteOffset, blob.length);
    let at = 0;
    for (let i = 0; i < count - 1; i++) {
      starts[i] = at;
      const nul = buf.indexOf(0, at);
      if (nul < 0) throw new Error(`string section holds ${i + 1} strings, not ${count}`);
      at = nul + 1;
    }
    starts[count - 1] = at;
    starts[count] = blob.length + 1;
    return new PackedStrings(blob, starts);
  }

  /** Packed strings that came through a worker's message port. */
  static of(data: PackedStringsData): PackedStrings {
    return data instanceof PackedStrings ? data : new PackedStrings(data.blob, data.starts);
  }

  /** Several columns one after another. */
  static concat(parts: readonly PackedStrings[]): PackedStrings {
    const nonEmpty = parts.filter((p) => p.length > 0);
    if (nonEmpty.length === 1) return nonEmpty[0];
    let count = 0;
    let bytes = 0;
    for (const p of nonEmpty) {
      count += p.length;
      bytes += p.blob.length + 1;
    }
    if (count === 0) return PackedStrings.from([]);
    // Zero-filled: the NULs between the parts are already there.
    const blob = new Uint8Array(bytes - 1);
    const starts = new Uint32Array(count + 1);
    let at = 0;
    let i = 0;
    for (const p of nonEmpty) {
      blob.set(p.blob, at);
      for (let k = 0; k < p.length; k++) starts[i++] = at + p.starts[k];
      at += p.blob.length + 1;
    }
    starts[count] = at;
    return new PackedStrings(blob, starts);
  }

  get length(): number {
    return this.starts.length - 1;
  }

  /** String `i`. */
  get(i: number): string {
    return this.blob.utf8Slice(this.starts[i], this.starts[i + 1] - 1);
  }

  /** Every string, in order. */
  toArray(): string[] {
    const out = new Array<string>(this.length);
    for (let i = 0; i < out.length; i++) out[i] = this.get(i);
    return out;
  }

  /** The strings but those at `skip` (ascending indexes), copied a run of kept strings at a time. */
  without(skip: Uint32Array): PackedStrings {
    if (skip.length === 0) return this;
    const n = this.length;
    const keep: number[] = [];
    for (let i = 0, k = 0; i < n; i++) {
      while (k < skip.length && skip[k] < i) k++;
      if (k < skip.length && skip[k] === i) continue;
      keep.push(i);
    }
    if (keep.length === 0) return PackedStrings.from([]);
    const starts = new Uint32Array(keep.length + 1);
    let bytes = 0;
    for (const i of keep) bytes += this.starts[i + 1] - this.starts[i];
    // Zero-filled, so the NULs after the last string of each run are there; runs of consecutive kept
    // strings are one copy each (with their NULs), in the coordinates where the last string has one too.
    const blob = new Uint8Array(bytes - 1);
    let at = 0;
    for (let r = 0; r < keep.length; ) {
      let e = r + 1;
      while (e < keep.length && keep[e] === keep[e - 1] + 1) e++;
      const from = this.starts[keep[r]];
      const to = this.starts[keep[e - 1] + 1];
      for (let j = r; j < e; j++) starts[j] = at + this.starts[keep[j]] - from;
      blob.set(this.blob.subarray(from, Math.min(to - 1, this.blob.length)), at);
      at += to - from;
      r = e;
    }
    starts[keep.length] = at;
    return new PackedStrings(blob, starts);
  }
}

declare global {
  interface Buffer {
    /** Node's UTF-8 decoder without `toString`'s argument handling (present on every Buffer). */
    utf8Slice(start: number, end: number): string;
  }
}
