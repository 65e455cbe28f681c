// Collects doc counts per (parent bucket, term) for terms-like aggregations: segment ordinals are
// mapped to shard-wide bucket ordinals lazily (strings are touched once per distinct term per segment),
// numeric values go through a Map. Sub-aggregations are fed with the bucket ordinal.

import type { Segment } from '../segment/segment.ts';
import { SubAggs } from './collect.ts';
import { numericColumn, ordinalColumn, isNumeric, type ValuesSource } from './values-source.ts';
import type { CollectContext, LeafCollector } from './types.ts';

/** Filters terms (include/exclude) — strings for keyword/ip sources, numbers otherwise. */
export type TermFilter = (term: string | number) => boolean;

/** Per-bucket state: key, count, owner. */
export class TermCollector {
  readonly keys: (string | number)[] = [];
  counts = new Float64Array(16);
  /** Bucket ordinals per owning ordinal, in creation order. */
  readonly byOwner: number[][] = [];
  private readonly index: Map<string | number, number>[] = [];
  /** Every term of every segment dictionary (for min_doc_count 0). */
  readonly allTerms = new Set<string | number>();

  constructor(
    readonly src: ValuesSource,
    readonly ctx: CollectContext,
    readonly subs: SubAggs,
    readonly filter: TermFilter | null,
    readonly wantAllTerms: boolean,
    /** Maps a numeric value to its bucket key (histogram rounding); NaN drops the value. */
    readonly keyOf: ((v: number) => number) | null = null,
    /** A plain fixed interval rounding (key = floor((v - offset) / interval) * interval + offset), inlined. */
    readonly fixed: { interval: number; offset: number } | null = null,
  ) {}

  /** The bucket ordinal of (owner, key), created on first use. */
  bucket(owner: number, key: string | number): number {
    let m = this.index[owner];
    if (!m) m = this.index[owner] = new Map();
    let b = m.get(key);
    if (b === undefined) {
      b = this.keys.length;
      this.keys.push(key);
      m.set(key, b);
      (this.byOwner[owner] ??= []).push(b);
      if (b >= this.counts.length) {
        const c = new Float64Array(this.counts.length * 2);
        c.set(this.counts);
        this.counts = c;
      }
      this.ctx.budget.addBytes(64);
    }
    return b;
  }

  /** A leaf collector for one segment. */
  leaf(segment: Segment, segmentOrd: number, docs: Uint32Array): LeafCollector {
    this.subs.leaf(segment, segmentOrd, docs);
    return isNumeric(this.src) ? this.numericLeaf(segment) : this.ordinalLeaf(segment);
  }

  private ordinalLeaf(segment: Segment): LeafCollector {
    const col = ordinalColumn(segment, this.src);
    if (!col) return { collect() {} };
    const { offsets, values } = col;
    const terms = col.terms!;
    if (this.wantAllTerms) for (const t of terms) if (!this.filter || this.filter(t)) this.allTerms.add(t);
    const accept = this.filter ? Uint8Array.from(terms, (t) => (this.filter!(t) ? 1 : 0)) : null;
    const maps: Int32Array[] = [];
    const subs = this.subs;
    const hasSubs = !subs.empty;
    const mapFor = (owner: number) => {
      let m = maps[owner];
      if (!m) m = maps[owner] = new Int32Array(terms.length).fill(-1);
      return m;
    };
    const self = this;
    return {
      collect(doc, owner) {
        const s = offsets[doc], e = offsets[doc + 1];
        if (s === e) return;
        const m = mapFor(owner);
        for (let i = s; i < e; i++) {
          const o = values[i];
          if (accept && !accept[o]) continue;
          let b = m[o];
          if (b < 0) b = m[o] = self.bucket(owner, terms[o]);
          self.counts[b]++;
          if (hasSubs) subs.collect(doc, b);
        }
      },
      collectAll: hasSubs ? undefined : (docs) => {
        // Count per segment ordinal in a typed array, then fold into buckets once.
        const local = new Float64Array(terms.length);
        if (col.singleValued) {
          for (let k = 0; k < docs.length; k++) {
            const d = docs[k];
            if (offsets[d] !== offsets[d + 1]) local[values[offsets[d]]]++;
          }
        } else {
          for (let k = 0; k < docs.length; k++) {
            const d = docs[k];
            for (let i = offsets[d]; i < offsets[d + 1]; i++) local[values[i]]++;
          }
        }
        for (let o = 0; o < local.length; o++) {
          if (local[o] === 0 || (accept && !accept[o])) continue;
          self.counts[self.bucket(0, terms[o])] += local[o];
        }
      },
    };
  }

  private numericLeaf(segment: Segment): LeafCollector {
    const col = numericColumn(segment, this.src);
    if (!col) return { collect() {} };
    const { offsets, values } = col;
    if (this.wantAllTerms) for (const v of values) if (!this.filter || this.filter(v)) this.allTerms.add(v);
    const subs = this.subs;
    const hasSubs = !subs.empty;
    const filter = this.filter;
    const keyOf = this.keyOf;
    const self = this;
    // Time-sorted data hits the same key for long runs: remember the last (owner, key) → bucket.
    let lastOwner = -1, lastKey = NaN, lastBucket = -1;
    const collect = (doc: number, owner: number) => {
      const s = offsets[doc], e = offsets[doc + 1];
      let prev = NaN;
      for (let i = s; i < e; i++) {
        const v = keyOf ? keyOf(values[i]) : values[i];
        if (Number.isNaN(v) || v === prev) continue; // a doc counts once per distinct value
        prev = v;
        if (filter && !filter(v)) continue;
        let b: number;
        if (v === lastKey && owner === lastOwner) b = lastBucket;
        else {
          b = lastBucket = self.bucket(owner, v);
          lastKey = v;
          lastOwner = owner;
        }
        self.counts[b]++;
        if (hasSubs) subs.collect(doc, b);
      }
    };
    const vals = values as Float64Array;
    return {
      collect,
      collectAll(docs) {
        if (!col.singleValued || filter) {
          for (let k = 0; k < docs.length; k++) collect(docs[k], 0);
          return;
        }
        // Single-valued top-level fast path: one read per doc, bucket cached across equal keys.
        let counts = self.counts;
        let key = NaN, b = -1;
        const sub = hasSubs ? subs.collect : null;
        const fixed = self.fixed;
        if (fixed) {
          const interval = fixed.interval, off = fixed.offset;
          let lo = Infinity, hi = -Infinity; // current bucket's [lo, hi) value range
          // Sub-aggregations get runs of consecutive docs of one bucket (long runs on time-sorted data).
          let runStart = 0;
          for (let k = 0; k < docs.length; k++) {
            const doc = docs[k];
            const at = offsets[doc];
            if (at === offsets[doc + 1]) {
              if (sub && runStart < k) subs.collectRun(docs, runStart, k, b);
              runStart = k + 1;
              continue;
            }
            const x = vals[at];
            if (!(x >= lo && x < hi)) {
              if (sub && runStart < k) subs.collectRun(docs, runStart, k, b);
              runStart = k;
              const v = Math.floor((x - off) / interval) * interval + off;
              if (v !== v) {
                runStart = k + 1;
                continue;
              }
              b = self.bucket(0, v);
              counts = self.counts;
              lo = v;
              hi = v + interval;
            }
            counts[b]++;
          }
          if (sub && runStart < docs.length) subs.collectRun(docs, runStart, docs.length, b);
          lastOwner = -1;
          return;
        }
        for (let k = 0; k < docs.length; k++) {
          const doc = docs[k];
          const at = offsets[doc];
          if (at === offsets[doc + 1]) continue;
          const v = keyOf ? keyOf(vals[at]) : vals[at];
          if (v !== key) {
            if (v !== v) continue;
            b = self.bucket(0, v);
            key = v;
            counts = self.counts;
          }
          counts[b]++;
          if (sub) sub(doc, b);
        }
        lastOwner = -1;
      },
    };
  }
}
