// Numbers, dates and booleans live only in doc values (Float64Array per segment), so their term,
// terms, range and exists queries are tight loops over the typed arrays feeding a run-aware
// bitmap builder (time-ordered logs turn date ranges into a few long runs).

import type { Bitmap, DocValuesField, Segment } from '../../segment/segment.ts';
import { allDocs, BitmapBuilder, emptyBitmap, temporary } from './bitmaps.ts';

/** Min and max of a numeric column, computed once per (immutable) segment column. */
const columnBounds = new WeakMap<DocValuesField, [number, number]>();
function boundsOf(dv: DocValuesField): [number, number] {
  let b = columnBounds.get(dv);
  if (!b) {
    let mn = Infinity, mx = -Infinity;
    const values = dv.values as Float64Array;
    for (let i = 0; i < values.length; i++) {
      const v = values[i];
      if (v < mn) mn = v;
      if (v > mx) mx = v;
    }
    columnBounds.set(dv, (b = [mn, mx]));
  }
  return b;
}

/** Docs with at least one value v, lo ≤ v ≤ hi (bounds already adjusted for exclusivity). */
export function numericRange(seg: Segment, field: string, lo: number, hi: number): Bitmap {
  const dv = seg.docValues.get(field);
  if (!dv || dv.kind !== 'numeric' || lo > hi) return emptyBitmap();
  // Segments hold time-ordered chunks of logs: a date range usually misses or covers whole segments.
  const [mn, mx] = boundsOf(dv);
  if (mx < lo || mn > hi) return emptyBitmap();
  if (mn >= lo && mx <= hi && dv.docCount === seg.maxDoc) return allDocs(seg.maxDoc);
  const { offsets } = dv;
  const values = dv.values as Float64Array;
  const out = new BitmapBuilder();
  const maxDoc = seg.maxDoc;
  if (dv.singleValued) {
    for (let d = 0; d < maxDoc; d++) {
      const o = offsets[d];
      if (o !== offsets[d + 1]) {
        const v = values[o];
        if (v >= lo && v <= hi) out.add(d);
      }
    }
  } else {
    for (let d = 0; d < maxDoc; d++) {
      for (let i = offsets[d], e = offsets[d + 1]; i < e; i++) {
        const v = values[i];
        if (v >= lo && v <= hi) {
          out.add(d);
          break;
        }
      }
    }
  }
  return temporary(out.build());
}

/** Docs having any of the given values. */
export function numericSet(seg: Segment, field: string, set: Set<number>): Bitmap {
  const dv = seg.docValues.get(field);
  if (!dv || dv.kind !== 'numeric' || set.size === 0) return emptyBitmap();
  if (set.size === 1) {
    const v = [...set][0];
    return numericRange(seg, field, v, v);
  }
  const { offsets } = dv;
  const values = dv.values as Float64Array;
  const out = new BitmapBuilder();
  for (let d = 0; d < seg.maxDoc; d++) {
    for (let i = offsets[d], e = offsets[d + 1]; i < e; i++) {
      if (set.has(values[i])) {
        out.add(d);
        break;
      }
    }
  }
  return temporary(out.build());
}

/** Docs with at least one doc value (numeric or ordinal). */
export function docsWithValues(dv: DocValuesField, maxDoc: number): Bitmap {
  const { offsets } = dv;
  const out = new BitmapBuilder();
  for (let d = 0; d < maxDoc; d++) if (offsets[d + 1] !== offsets[d]) out.add(d);
  return temporary(out.build());
}

/** The next float64 above/below x, for turning exclusive bounds into inclusive ones. */
export function nextUp(x: number): number {
  if (Number.isNaN(x) || x === Infinity) return x;
  if (x === 0) return Number.MIN_VALUE;
  const buf = new Float64Array([x]);
  const bits = new BigInt64Array(buf.buffer);
  bits[0] += x > 0 ? 1n : -1n;
  return buf[0];
}

export function nextDown(x: number): number {
  return -nextUp(-x);
}
