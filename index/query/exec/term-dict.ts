// Multi-term queries on keyword and text fields: walk the sorted term dictionary (binary-searched
// start for ranges and prefixes), collect matching term ordinals, and OR their postings. Terms with
// consecutive ordinals have contiguous postings, so a run of ordinals becomes one addMany.

import { idHash } from '../../segment/id-index.ts';
import { lowerBound, RoaringBitmap32, type Bitmap, type Segment } from '../../segment/segment.ts';
import { emptyBitmap, temporary } from './bitmaps.ts';

/** A term-dictionary selection: the ordinals [from, to) filtered by an optional predicate. */
export interface TermSelection {
  /** Inclusive lower bound on terms (undefined = first term). */
  lower?: string;
  lowerInclusive?: boolean;
  upper?: string;
  upperInclusive?: boolean;
  /** Every selected term starts with this (narrows the walk). */
  prefix?: string;
  /** Extra per-term test (wildcard, regexp, case-insensitive equality, fuzzy). */
  accept?: (term: string) => boolean;
}

/** Ordinals of the terms of `field` in `seg` selected by `sel`. */
export function selectOrds(seg: Segment, field: string, sel: TermSelection): number[] {
  const inv = seg.inverted.get(field);
  if (!inv) return [];
  const terms = inv.terms;
  let start = 0;
  let end = terms.length;
  if (sel.prefix) start = lowerBound(terms, sel.prefix);
  if (sel.lower !== undefined) {
    let s = lowerBound(terms, sel.lower);
    if (sel.lowerInclusive === false && s < terms.length && terms[s] === sel.lower) s++;
    start = Math.max(start, s);
  }
  if (sel.upper !== undefined) {
    let e = lowerBound(terms, sel.upper);
    if (sel.upperInclusive !== false && e < terms.length && terms[e] === sel.upper) e++;
    end = Math.min(end, e);
  }
  const out: number[] = [];
  const prefix = sel.prefix;
  for (let o = start; o < end; o++) {
    const t = terms[o];
    if (prefix && !t.startsWith(prefix)) break;
    if (!sel.accept || sel.accept(t)) out.push(o);
  }
  return out;
}

/** The union of the postings of the given (ascending) ordinals. */
export function ordsBitmap(seg: Segment, field: string, ords: number[]): Bitmap {
  const inv = seg.inverted.get(field);
  if (!inv || ords.length === 0) return emptyBitmap();
  const out = temporary(new RoaringBitmap32());
  let i = 0;
  while (i < ords.length) {
    let j = i + 1;
    while (j < ords.length && ords[j] === ords[j - 1] + 1) j++;
    out.addMany(inv.docs.subarray(inv.docStart[ords[i]], inv.docStart[ords[j - 1] + 1]));
    i = j;
  }
  return out;
}

/** Convenience: select and OR in one go. */
export function selectBitmap(seg: Segment, field: string, sel: TermSelection): Bitmap {
  return ordsBitmap(seg, field, selectOrds(seg, field, sel));
}

/** Docs whose `_id` is in `ids`, found through the segment's id table. */
export function idsBitmap(seg: Segment, ids: string[]): Bitmap {
  const out = new RoaringBitmap32();
  for (const id of ids) seg.docsWithId(id, idHash(id), out);
  return out;
}
