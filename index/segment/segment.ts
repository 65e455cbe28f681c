// An immutable segment: per-field inverted index (sorted terms → doc postings, with term frequencies,
// positions and norms for text), per-field columnar doc values, ids, versions and `_source` bytes.
// Only the deletes bitmap changes after a segment is built.

import type { PackedStrings } from './packed-strings.ts';
import RoaringModule from 'roaring';
import type { SourceStore } from './source-store.ts';
import { buildIdIndex, type IdIndex } from './id-index.ts';

const { RoaringBitmap32 } = RoaringModule;
export type Bitmap = InstanceType<typeof RoaringBitmap32>;
export { RoaringBitmap32 };

/** The inverted index of one field within a segment. Postings of term t are docs[docStart[t]..docStart[t+1]). */
export interface InvertedField {
  /** Sorted unique terms (UTF-16 code unit order, which equals Lucene's UTF-8 byte order for the BMP). */
  terms: string[];
  docStart: Uint32Array;
  docs: Uint32Array;
  /** Term frequency per posting (text fields). */
  freqs?: Uint32Array;
  /** Per term, the byte offset of its first posting's positions in `positions` (text fields). */
  posStart?: Float64Array;
  /** Positions as varint deltas, `freq` of them per posting, postings in order (text fields). */
  positions?: Uint8Array;
  /** Lucene norm byte per doc (text fields with norms); 0 for docs without the field. */
  norms?: Uint8Array;
  /** Docs that have at least one term in this field. */
  docCount: number;
  /** Sum over docs of the field length (tokens) — BM25's avgdl numerator. */
  sumTotalTermFreq: number;
  sumDocFreq: number;
}

/** Columnar doc values of one field: per doc, values[offsets[d]..offsets[d+1]) in ascending order. */
export interface DocValuesField {
  kind: 'numeric' | 'ordinal';
  offsets: Uint32Array;
  /** numeric: the values; ordinal: ordinals into `terms`. */
  values: Float64Array | Uint32Array;
  /** Sorted dictionary of an ordinal field. */
  terms?: string[];
  /** True when no doc has more than one value (fast paths may read values[offsets[d]]). */
  singleValued: boolean;
  /** Number of docs with at least one value. */
  docCount: number;
}

/**
 * A term dictionary as a segment file stores it: the terms' UTF-8 bytes, NUL-separated. Segments a
 * worker built or merged (and segments read from disk) keep their dictionaries this way until a search
 * reads them: an ingest-only index never turns its millions of unique terms (trace ids, request ids)
 * into strings on the event loop's heap, where every full collection would mark them again.
 */
export interface PackedTerms {
  blob: Uint8Array;
  count: number;
}

/** The strings of a packed dictionary. */
export function unpackTerms(p: PackedTerms): string[] {
  if (p.count === 0) return [];
  return Buffer.from(p.blob.buffer, p.blob.byteOffset, p.blob.byteLength).toString('utf8').split('\u0000');
}

/**
 * `field` with a `terms` property that unpacks `packed` the first time it is read (or calls it, when
 * it is a function: a field sharing another field's dictionary), then keeps the strings.
 */
export function withLazyTerms<T extends object>(field: T, packed: PackedTerms | (() => string[])): T & { terms: string[] } {
  let terms: string[] | null = null;
  let source: PackedTerms | (() => string[]) | null = packed;
  return Object.defineProperty(field, 'terms', {
    enumerable: true,
    get(): string[] {
      if (terms === null) {
        terms = typeof source === 'function' ? source() : unpackTerms(source!);
        source = null;
      }
      return terms;
    },
  }) as T & { terms: string[] };
}

/** Per-document metadata columns. */
export interface DocMeta {
  /** Packed (see PackedStrings): a string per doc was most of the event loop's heap. */
  ids: PackedStrings;
  seqNos: Float64Array;
  versions: Float64Array;
  primaryTerms: Float64Array;
  /**
   * Null when no doc has a routing (usually: an array of nulls per segment was a million slots for
   * the collector to visit after a million Firehose records); see routingOf.
   */
  routings: (string | null)[] | null;
}

/** Doc `d`'s routing, or null. */
export function routingOf(meta: DocMeta, d: number): string | null {
  return meta.routings === null ? null : meta.routings[d];
}

/** A routings column as DocMeta keeps it: null when every routing is null. */
export function routingsColumn(routings: (string | null)[]): (string | null)[] | null {
  return routings.some((r) => r !== null) ? routings : null;
}

/** A searchable, immutable unit of a shard. */
export class Segment {
  /** Deleted docs as seen by searches (swapped on refresh, never mutated in place). */
  deletes: Bitmap | null = null;
  /** Whether this segment's files are on disk (committed). */
  persisted = false;
  private termIndexCache = new Map<string, Map<string, number>>();

  constructor(
    readonly name: string,
    readonly maxDoc: number,
    readonly meta: DocMeta,
    readonly sources: SourceStore,
    readonly inverted: Map<string, InvertedField>,
    readonly docValues: Map<string, DocValuesField>,
  ) {}

  /**
   * The `_id` lookup table: built by the worker that built or merged the segment (and sent with it),
   * or here on first use.
   */
  idIndex: IdIndex | null = null;

  /**
   * The live doc whose id is `id` (`h` = idHash(id)) with the highest seqNo, or -1. A segment may hold
   * an id more than once (a doc replaced after its segment was built, then segments merged): the older
   * copies are deleted, or about to be (a pending delete), and have lower seqNos.
   */
  liveDocWithId(id: string, h: number): number {
    const slots = (this.idIndex ??= buildIdIndex(this.meta.ids)).slots;
    const mask = (slots.length >>> 1) - 1;
    const ids = this.meta.ids;
    const seqNos = this.meta.seqNos;
    let best = -1;
    for (let s = h & mask; ; s = (s + 1) & mask) {
      const d1 = slots[2 * s];
      if (d1 === 0) return best;
      const d = d1 - 1;
      if (slots[2 * s + 1] === h && this.isLive(d) && ids.get(d) === id && (best < 0 || seqNos[d] > seqNos[best])) best = d;
    }
  }

  /** Adds to `out` every doc (deleted ones too) whose id is `id` (`h` = idHash(id)). */
  docsWithId(id: string, h: number, out: Bitmap): void {
    const slots = (this.idIndex ??= buildIdIndex(this.meta.ids)).slots;
    const mask = (slots.length >>> 1) - 1;
    for (let s = h & mask; ; s = (s + 1) & mask) {
      const d1 = slots[2 * s];
      if (d1 === 0) return;
      if (slots[2 * s + 1] === h && this.meta.ids.get(d1 - 1) === id) out.add(d1 - 1);
    }
  }

  /** Live doc count. */
  get numDocs(): number {
    return this.maxDoc - (this.deletes?.size ?? 0);
  }

  isLive(doc: number): boolean {
    return this.deletes === null || !this.deletes.has(doc);
  }

  /** The ordinal of a term in a field's dictionary, or -1. */
  termOrd(field: string, term: string): number {
    const inv = this.inverted.get(field);
    if (!inv) return -1;
    return binarySearch(inv.terms, term);
  }

  /** The doc ids containing `term` in `field` (sorted ascending), or an empty array. */
  postings(field: string, term: string): Uint32Array {
    const inv = this.inverted.get(field);
    if (!inv) return EMPTY;
    const ord = binarySearch(inv.terms, term);
    if (ord < 0) return EMPTY;
    return inv.docs.subarray(inv.docStart[ord], inv.docStart[ord + 1]);
  }

  /** A term → ordinal map for fields probed many times (built lazily). */
  termIndex(field: string): Map<string, number> | undefined {
    let m = this.termIndexCache.get(field);
    if (m) return m;
    const inv = this.inverted.get(field);
    if (!inv) return undefined;
    m = new Map(inv.terms.map((t, i) => [t, i]));
    this.termIndexCache.set(field, m);
    return m;
  }

  /** The `_source` bytes of a doc. */
  source(doc: number): Buffer {
    return this.sources.get(doc);
  }
}

const EMPTY = new Uint32Array(0);

/** Index of `key` in a sorted string array, or -1. */
export function binarySearch(arr: string[], key: string): number {
  let lo = 0, hi = arr.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >>> 1;
    const v = arr[mid];
    if (v < key) lo = mid + 1;
    else if (v > key) hi = mid - 1;
    else return mid;
  }
  return -1;
}

/** The first index whose term is >= key (insertion point). */
export function lowerBound(arr: string[], key: string): number {
  let lo = 0, hi = arr.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (arr[mid] < key) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
