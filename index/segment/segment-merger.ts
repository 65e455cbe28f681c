// Segment merging: folds several segments of a shard into one without re-analysing anything. Live docs
// are renumbered in segment order, term dictionaries are k-way merged, and postings, positions, norms,
// doc values, metadata and `_source` blocks are copied, so a merge costs O(postings + docs).

import { PackedStrings } from './packed-strings.ts';
import { LENGTH_TABLE } from './norms.ts';
import { routingOf, routingsColumn, Segment, type DocMeta, type DocValuesField, type InvertedField } from './segment.ts';
import { BlockPacker, WRITE_CODEC } from './block-codec.ts';
import { BlockSourceStore, blockBytes, DOCS_PER_BLOCK } from './source-store.ts';

/** One input segment and where its live docs land in the merged segment. */
interface SegmentMap {
  seg: Segment;
  /** Merged id of this segment's first live doc. */
  base: number;
  /** Old doc id → merged doc id, or -1 for deleted docs. */
  map: Int32Array;
  /** True when the segment has no deletes (merged id = base + old id), enabling bulk copies. */
  clean: boolean;
}

/**
 * Merges `segments` into one new segment named `name`: live docs only, renumbered in order (segment 0's
 * live docs first, then segment 1's, …). The result has no deletes and equals the segment that
 * `buildSegment` would produce from the surviving documents, except that a field left without any live
 * term or value is dropped, and that a text field's `sumTotalTermFreq` subtracts deleted docs' lengths
 * estimated from their postings (exact unless an analyzer stacks several tokens at one position).
 */
export function mergeSegments(name: string, segments: Segment[]): Segment {
  const maps: SegmentMap[] = [];
  let maxDoc = 0;
  for (const seg of segments) {
    const map = new Int32Array(seg.maxDoc);
    const clean = seg.deletes === null || seg.deletes.size === 0;
    if (!clean) for (const d of seg.deletes!.toUint32Array()) if (d < seg.maxDoc) map[d] = -1;
    let next = maxDoc;
    for (let d = 0; d < seg.maxDoc; d++) if (map[d] === 0) map[d] = next++;
    maps.push({ seg, base: maxDoc, map, clean });
    maxDoc = next;
  }

  const inverted = new Map<string, InvertedField>();
  for (const field of fieldNames(segments, (s) => s.inverted.keys())) {
    const parts = maps.flatMap((m) => {
      const inv = m.seg.inverted.get(field);
      return inv ? [{ m, inv }] : [];
    });
    const merged = mergeInverted(parts, maxDoc);
    if (merged) inverted.set(field, merged);
  }
  const docValues = new Map<string, DocValuesField>();
  for (const field of fieldNames(segments, (s) => s.docValues.keys())) {
    const parts = maps.map((m) => ({ m, dv: m.seg.docValues.get(field) }));
    const merged = mergeDocValues(field, parts, maxDoc);
    if (merged) docValues.set(field, merged);
  }
  return new Segment(name, maxDoc, mergeMeta(maps, maxDoc), mergeSources(maps, maxDoc), inverted, docValues);
}

/** Field names in first-seen order across segments. */
function fieldNames(segments: Segment[], keys: (s: Segment) => Iterable<string>): string[] {
  const out = new Set<string>();
  for (const s of segments) for (const k of keys(s)) out.add(k);
  return [...out];
}

/**
 * K-way merge of sorted dictionaries, keeping only terms whose `counts` entry is non-zero. Returns the
 * merged sorted dictionary and, per input, old ordinal → merged ordinal (-1 for dropped terms). Ties
 * between equal terms are broken by input index so the heap order is total.
 */
export function mergeDictionaries(dicts: string[][], counts: Uint32Array[]): { terms: string[]; ordMaps: Int32Array[] } {
  const k = dicts.length;
  const cur = new Int32Array(k);
  const ordMaps = dicts.map((d) => new Int32Array(d.length).fill(-1));
  const skipDead = (p: number) => {
    const c = counts[p], n = dicts[p].length;
    let i = cur[p];
    while (i < n && c[i] === 0) i++;
    cur[p] = i;
  };
  const less = (a: number, b: number): boolean => {
    const ta = dicts[a][cur[a]], tb = dicts[b][cur[b]];
    return ta < tb || (ta === tb && a < b);
  };
  const heap: number[] = [];
  const siftDown = (i: number) => {
    const n = heap.length;
    for (;;) {
      const l = 2 * i + 1, r = l + 1;
      let m = i;
      if (l < n && less(heap[l], heap[m])) m = l;
      if (r < n && less(heap[r], heap[m])) m = r;
      if (m === i) return;
      [heap[i], heap[m]] = [heap[m], heap[i]];
      i = m;
    }
  };
  for (let p = 0; p < k; p++) {
    skipDead(p);
    if (cur[p] < dicts[p].length) heap.push(p);
  }
  for (let i = (heap.length >> 1) - 1; i >= 0; i--) siftDown(i);
  const terms: string[] = [];
  let last: string | undefined;
  while (heap.length > 0) {
    const p = heap[0];
    const dict = dicts[p];
    const term = dict[cur[p]];
    if (term !== last) {
      terms.push(term);
      last = term;
    }
    ordMaps[p][cur[p]] = terms.length - 1;
    cur[p]++;
    skipDead(p);
    if (cur[p] >= dict.length) {
      const tail = heap.pop()!;
      if (heap.length === 0) break;
      heap[0] = tail;
    }
    siftDown(0);
  }
  return { terms, ordMaps };
}

interface InvertedPart { m: SegmentMap; inv: InvertedField }

/** Per-term live posting counts of one input field, plus what its deleted docs took from the field stats. */
interface LiveStats { df: Uint32Array; deletedDocs: number; deletedLength: number }

/**
 * Scans one input field's docs and freqs (not positions). For deleted docs it sums their freqs (1 per
 * posting without freqs), which is their field length when each position holds one token; for text with
 * norms the sum is clamped to the range the doc's norm byte encodes, so stacked tokens (synonyms) cannot
 * inflate it far. The builder's raw lengths are not stored, so this is the best available estimate.
 */
function liveStats({ m, inv }: InvertedPart): LiveStats {
  const n = inv.terms.length;
  const { docStart, docs, freqs, norms } = inv;
  const df = new Uint32Array(n);
  if (m.clean) {
    for (let t = 0; t < n; t++) df[t] = docStart[t + 1] - docStart[t];
    return { df, deletedDocs: 0, deletedLength: 0 };
  }
  const map = m.map;
  const deletedLen = new Uint32Array(m.seg.maxDoc);
  for (let t = 0; t < n; t++) {
    let live = 0;
    for (let i = docStart[t]; i < docStart[t + 1]; i++) {
      const d = docs[i];
      if (map[d] >= 0) live++;
      else deletedLen[d] += freqs ? freqs[i] : 1;
    }
    df[t] = live;
  }
  let deletedDocs = 0;
  let deletedLength = 0;
  for (let d = 0; d < deletedLen.length; d++) {
    const len = deletedLen[d];
    if (len === 0) continue;
    deletedDocs++;
    if (norms) {
      const b = norms[d];
      const lo = LENGTH_TABLE[b];
      const hi = b < 255 ? LENGTH_TABLE[b + 1] - 1 : Infinity;
      deletedLength += Math.min(Math.max(len, lo), hi);
    } else {
      deletedLength += len;
    }
  }
  return { df, deletedDocs, deletedLength };
}

/** Merges one inverted field; undefined when no live doc has a term in it. */
function mergeInverted(parts: InvertedPart[], maxDoc: number): InvertedField | undefined {
  // Freqs, positions and norms follow the field mapping, so inputs agree; keep each only if all have it.
  const withFreqs = parts.every((p) => p.inv.freqs !== undefined);
  const withPositions = withFreqs && parts.every((p) => p.inv.positions !== undefined && p.inv.posStart !== undefined);
  const withNorms = parts.every((p) => p.inv.norms !== undefined);
  const stats = parts.map((p) => liveStats(p));
  const { terms, ordMaps } = mergeDictionaries(parts.map((p) => p.inv.terms), stats.map((s) => s.df));
  const numTerms = terms.length;
  if (numTerms === 0) return undefined;

  let total = 0;
  let posBound = 0;
  for (let p = 0; p < parts.length; p++) {
    for (const x of stats[p].df) total += x;
    if (withPositions) posBound += parts[p].inv.positions!.length;
  }
  const docStart = new Uint32Array(numTerms + 1);
  const docs = new Uint32Array(total);
  const freqs = withFreqs ? new Uint32Array(total) : undefined;
  const posStart = withPositions ? new Float64Array(numTerms + 1) : undefined;
  let positions = withPositions ? new Uint8Array(posBound) : undefined;

  // Walk merged terms in order; for each, append the live postings of every input holding it, in segment
  // order, so docs stay ascending and every output array is written sequentially.
  const cur = new Int32Array(parts.length);
  let w = 0; // next posting
  let pw = 0; // next positions byte
  for (let o = 0; o < numTerms; o++) {
    docStart[o] = w;
    if (posStart) posStart[o] = pw;
    for (let p = 0; p < parts.length; p++) {
      const om = ordMaps[p];
      let t = cur[p];
      while (t < om.length && om[t] < 0) t++;
      if (t >= om.length || om[t] !== o) {
        cur[p] = t;
        continue;
      }
      cur[p] = t + 1;
      const { m, inv } = parts[p];
      const srcDocs = inv.docs, srcFreqs = inv.freqs, srcPos = inv.positions!, srcPosStart = inv.posStart!;
      const from = inv.docStart[t], to = inv.docStart[t + 1];
      if (m.clean) {
        const base = m.base;
        for (let i = from; i < to; i++) docs[w + i - from] = srcDocs[i] + base;
        if (freqs) freqs.set(srcFreqs!.subarray(from, to), w);
        w += to - from;
        if (positions) {
          positions.set(srcPos.subarray(srcPosStart[t], srcPosStart[t + 1]), pw);
          pw += srcPosStart[t + 1] - srcPosStart[t];
        }
        continue;
      }
      const map = m.map;
      let bp = positions ? srcPosStart[t] : 0;
      for (let i = from; i < to; i++) {
        const nd = map[srcDocs[i]];
        const f = srcFreqs ? srcFreqs[i] : 1;
        if (nd >= 0) {
          if (freqs) freqs[w] = f;
          docs[w++] = nd;
          if (positions) {
            for (let c = 0; c < f; ) {
              const b = srcPos[bp++];
              positions[pw++] = b;
              if (b < 0x80) c++;
            }
          }
        } else if (positions) {
          for (let c = 0; c < f; ) if (srcPos[bp++] < 0x80) c++;
        }
      }
    }
  }
  docStart[numTerms] = w;
  if (posStart) posStart[numTerms] = pw;
  if (positions && pw < positions.length) positions = positions.slice(0, pw);

  let docCount = 0;
  let sumTotalTermFreq = 0;
  for (let p = 0; p < parts.length; p++) {
    docCount += parts[p].inv.docCount - stats[p].deletedDocs;
    sumTotalTermFreq += parts[p].inv.sumTotalTermFreq - stats[p].deletedLength;
  }
  let norms: Uint8Array | undefined;
  if (withNorms) {
    norms = new Uint8Array(maxDoc);
    for (const { m, inv } of parts) {
      const src = inv.norms!;
      if (m.clean) norms.set(src, m.base);
      else for (let d = 0; d < src.length; d++) if (m.map[d] >= 0) norms[m.map[d]] = src[d];
    }
  }
  return { terms, docStart, docs, freqs, posStart, positions, norms, docCount, sumTotalTermFreq, sumDocFreq: total };
}

/** Merges one doc-values field (numeric values copied, ordinals remapped); undefined when no live doc has a value. */
function mergeDocValues(field: string, parts: Array<{ m: SegmentMap; dv: DocValuesField | undefined }>, maxDoc: number): DocValuesField | undefined {
  const kinds = new Set(parts.flatMap((p) => (p.dv ? [p.dv.kind] : [])));
  if (kinds.size > 1) throw new Error(`cannot merge doc values of [${field}]: both numeric and ordinal`);
  const kind = [...kinds][0];

  // Count live values (and, for ordinals, which dictionary entries live docs still use).
  let total = 0;
  const used: Uint32Array[] = [];
  for (const { m, dv } of parts) {
    if (!dv) {
      used.push(new Uint32Array(0));
      continue;
    }
    const u = new Uint32Array(dv.terms?.length ?? 0);
    const { offsets, values } = dv;
    for (let d = 0; d < m.seg.maxDoc; d++) {
      if (m.map[d] < 0) continue;
      total += offsets[d + 1] - offsets[d];
      if (kind === 'ordinal') for (let i = offsets[d]; i < offsets[d + 1]; i++) u[values[i]]++;
    }
    used.push(u);
  }
  if (total === 0) return undefined;

  let terms: string[] | undefined;
  let ordMaps: Int32Array[] = [];
  if (kind === 'ordinal') {
    ({ terms, ordMaps } = mergeDictionaries(parts.map((p) => p.dv?.terms ?? []), used));
  }
  const offsets = new Uint32Array(maxDoc + 1);
  const values = kind === 'ordinal' ? new Uint32Array(total) : new Float64Array(total);
  let w = 0;
  let docCount = 0;
  let singleValued = true;
  let next = 0; // next merged doc whose offset is unset
  for (let p = 0; p < parts.length; p++) {
    const { m, dv } = parts[p];
    if (!dv) continue;
    const om = ordMaps[p];
    const src = dv.values, srcOffsets = dv.offsets;
    for (let d = 0; d < m.seg.maxDoc; d++) {
      const nd = m.map[d];
      if (nd < 0) continue;
      while (next <= nd) offsets[next++] = w;
      const from = srcOffsets[d], to = srcOffsets[d + 1];
      if (to === from) continue;
      docCount++;
      if (to - from > 1) singleValued = false;
      if (om) for (let i = from; i < to; i++) values[w++] = om[src[i]];
      else for (let i = from; i < to; i++) values[w++] = src[i];
    }
  }
  while (next <= maxDoc) offsets[next++] = w;
  return kind === 'ordinal'
    ? { kind, offsets, values, terms, singleValued, docCount }
    : { kind, offsets, values, singleValued, docCount };
}

/** Copies the metadata columns of live docs. */
function mergeMeta(maps: SegmentMap[], maxDoc: number): DocMeta {
  const ids = new Array<string>(maxDoc);
  const meta: Omit<DocMeta, 'ids'> = {
    seqNos: new Float64Array(maxDoc),
    versions: new Float64Array(maxDoc),
    primaryTerms: new Float64Array(maxDoc),
    routings: maps.every(({ seg }) => seg.meta.routings === null) ? null : new Array<string | null>(maxDoc).fill(null),
  };
  for (const { seg, map } of maps) {
    const src = seg.meta;
    for (let d = 0; d < seg.maxDoc; d++) {
      const nd = map[d];
      if (nd < 0) continue;
      ids[nd] = src.ids.get(d);
      meta.seqNos[nd] = src.seqNos[d];
      meta.versions[nd] = src.versions[d];
      meta.primaryTerms[nd] = src.primaryTerms[d];
      if (meta.routings !== null) meta.routings[nd] = routingOf(src, d);
    }
  }
  // The docs that had a routing may all be gone: then no column, as a build of the survivors has none.
  return { ...meta, ids: PackedStrings.from(ids), routings: meta.routings && routingsColumn(meta.routings) };
}

/**
 * Rebuilds the block-compressed `_source` store in the layout `buildSourceStore` produces. A merged
 * block whose docs are exactly one whole input block (same docs, block-aligned) reuses the compressed
 * bytes as they are — the common case for segments without deletes whose sizes are multiples of
 * DOCS_PER_BLOCK; other blocks (and blocks of segments written with another codec) are decompressed
 * and compressed again.
 */
function mergeSources(maps: SegmentMap[], maxDoc: number): BlockSourceStore {
  const srcPart = new Uint32Array(maxDoc);
  const srcDoc = new Uint32Array(maxDoc);
  maps.forEach(({ seg, map }, p) => {
    for (let d = 0; d < seg.maxDoc; d++) {
      const nd = map[d];
      if (nd < 0) continue;
      srcPart[nd] = p;
      srcDoc[nd] = d;
    }
  });
  const numBlocks = Math.ceil(maxDoc / DOCS_PER_BLOCK);
  const docOffsets = new Uint32Array(maxDoc + numBlocks);
  let rawBytes = 0;
  for (const { seg } of maps) rawBytes += seg.sources.blockData.length * 3;
  const packer = new BlockPacker(rawBytes);
  // Inputs are read in order, so caching the last decompressed input block decompresses each at most once or twice.
  let cachedPart = -1, cachedBlock = -1;
  let inflated: Buffer = Buffer.alloc(0);
  let raw = Buffer.allocUnsafe(64 * 1024);
  for (let b = 0; b < numBlocks; b++) {
    const start = b * DOCS_PER_BLOCK;
    const end = Math.min(start + DOCS_PER_BLOCK, maxDoc);
    const n = end - start;
    const seg = maps[srcPart[start]].seg;
    const first = srcDoc[start];
    const reusable =
      srcPart[end - 1] === srcPart[start] &&
      srcDoc[end - 1] - first === n - 1 &&
      first % DOCS_PER_BLOCK === 0 &&
      Math.min(DOCS_PER_BLOCK, seg.maxDoc - first) === n &&
      seg.sources.codec === WRITE_CODEC;
    if (reusable) {
      const src = seg.sources;
      const ib = first / DOCS_PER_BLOCK;
      packer.addCompressed(src.blockData.subarray(src.blockOffsets[ib], src.blockOffsets[ib + 1]));
      docOffsets.set(src.docOffsets.subarray(first + ib, first + ib + n + 1), start + b);
    } else {
      let off = 0;
      for (let d = start; d < end; d++) {
        const p = srcPart[d], local = srcDoc[d];
        const ib = Math.floor(local / DOCS_PER_BLOCK);
        const src = maps[p].seg.sources;
        if (p !== cachedPart || ib !== cachedBlock) {
          inflated = blockBytes(src, ib);
          cachedPart = p;
          cachedBlock = ib;
        }
        const from = src.docOffsets[local + ib], to = src.docOffsets[local + ib + 1];
        if (off + to - from > raw.length) {
          const next = Buffer.allocUnsafe(Math.max(raw.length * 2, off + to - from));
          raw.copy(next, 0, 0, off);
          raw = next;
        }
        docOffsets[d + b] = off;
        off += inflated.copy(raw, off, from, to);
      }
      docOffsets[end + b] = off;
      // Same compression as buildSourceStore, so a merged store is byte-identical to a freshly built one.
      packer.add(raw.subarray(0, off));
    }
  }
  const { packed, offsets } = packer.finish();
  return new BlockSourceStore(offsets, packed, docOffsets, WRITE_CODEC);
}
