// Segment files on disk: a JSON directory of sections followed by each typed array's bytes, compressed
// (`block-codec.ts`); loading decompresses each section into its own typed array.

import { PackedStrings } from './packed-strings.ts';
import { closeSync, fsyncSync, openSync, readFileSync, renameSync, writeSync, writeFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { compress, decompress, WRITE_CODEC, type Codec } from './block-codec.ts';
import { compressBlocksInBackground } from './compress-worker.ts';
import { Segment, RoaringBitmap32, withLazyTerms, type Bitmap, type DocValuesField, type InvertedField, type PackedTerms } from './segment.ts';
import { BlockSourceStore } from './source-store.ts';

type Arr = Uint8Array | Uint32Array | Float64Array;
type Kind = 'u8' | 'u32' | 'u32d' | 'f64' | 'f64d' | 'strings';

/** Uint32 sections that are (mostly) ascending: stored as deltas (mod 2^32), which compress far better. */
const DELTA_SECTIONS = /(\.docs|\.docStart|\.offsets|docOffsets)$/;

function deltaEncode(a: Uint32Array): Uint32Array {
  const out = new Uint32Array(a.length);
  let prev = 0;
  for (let i = 0; i < a.length; i++) {
    out[i] = (a[i] - prev) >>> 0;
    prev = a[i];
  }
  return out;
}

/** Integer-valued float64 columns (dates, counts) as float64 deltas: exact below 2^53, and mostly small. */
function integerDeltas(a: Float64Array): Float64Array | null {
  const out = new Float64Array(a.length);
  let prev = 0;
  for (let i = 0; i < a.length; i++) {
    const v = a[i];
    if (!Number.isSafeInteger(v)) return null;
    out[i] = v - prev;
    prev = v;
  }
  return out;
}

function deltaDecodeInPlace(a: Uint32Array): void {
  let acc = 0;
  for (let i = 0; i < a.length; i++) {
    acc = (acc + a[i]) >>> 0;
    a[i] = acc;
  }
}

/**
 * A section: `length` elements (bytes for strings), stored compressed as `stored` bytes at `offset`;
 * `raw: true` when stored as is (already-compressed source blocks: compressing them again costs CPU
 * and gains nothing).
 */
interface SectionRef { name: string; kind: Kind; offset: number; length: number; stored: number; raw?: boolean }

/** Sections written uncompressed. */
const RAW_SECTIONS = new Set(['src.blockData']);

// Sections are compressed on disk (postings, positions and offsets shrink 2-4x for little CPU) and
// decompressed into fresh, aligned buffers on load. The header names the codec; files without one
// (written before zstd) are deflate.
const MAGIC = 'LKSEG4';

interface EncodedSection { name: string; kind: Kind; data: Arr }

/** A segment laid out as file sections (typed arrays, delta-coded where it pays) plus field metadata. */
interface EncodedSegment { sections: EncodedSection[]; fieldsMeta: Record<string, unknown> }

/** Strings arrays become one UTF-8 blob each; ascending Uint32 and integer float64 arrays become deltas. */
function encodeSegment(seg: Segment): EncodedSegment {
  const sections: EncodedSection[] = [];
  const add = (name: string, data: Arr | undefined) => {
    if (!data) return;
    if (data instanceof Uint32Array && DELTA_SECTIONS.test(name)) {
      sections.push({ name, kind: 'u32d', data: deltaEncode(data) });
      return;
    }
    if (data instanceof Float64Array) {
      const deltas = integerDeltas(data);
      if (deltas) {
        sections.push({ name, kind: 'f64d', data: deltas });
        return;
      }
    }
    const kind: Kind = data instanceof Uint8Array ? 'u8' : data instanceof Uint32Array ? 'u32' : 'f64';
    sections.push({ name, kind, data });
  };
  const addStrings = (name: string, strings: string[]) => {
    const blob = Buffer.from(strings.join('\u0000'), 'utf8');
    sections.push({ name, kind: 'strings', data: new Uint8Array(blob.buffer, blob.byteOffset, blob.length) });
  };
  const fieldsMeta: Record<string, unknown> = {};
  // Packed ids are the section's layout already.
  sections.push({ name: 'ids', kind: 'strings', data: seg.meta.ids.blob });
  add('seqNos', seg.meta.seqNos);
  add('versions', seg.meta.versions);
  add('primaryTerms', seg.meta.primaryTerms);
  add('src.blockOffsets', seg.sources.blockOffsets);
  add('src.blockData', seg.sources.blockData);
  add('src.docOffsets', seg.sources.docOffsets);
  const inverted: Record<string, unknown> = {};
  for (const [f, inv] of seg.inverted) {
    const p = `inv.${f}.`;
    addStrings(p + 'terms', inv.terms);
    add(p + 'docStart', inv.docStart);
    add(p + 'docs', inv.docs);
    add(p + 'freqs', inv.freqs);
    add(p + 'posStart', inv.posStart);
    add(p + 'positions', inv.positions);
    add(p + 'norms', inv.norms);
    inverted[f] = { docCount: inv.docCount, sumTotalTermFreq: inv.sumTotalTermFreq, sumDocFreq: inv.sumDocFreq, numTerms: inv.terms.length };
  }
  const dv: Record<string, unknown> = {};
  for (const [f, d] of seg.docValues) {
    const p = `dv.${f}.`;
    add(p + 'offsets', d.offsets);
    add(p + 'values', d.values);
    // A keyword field's ordinal dictionary is usually its term dictionary: stored once, shared on load.
    const invTerms = seg.inverted.get(f)?.terms;
    const shared = d.terms !== undefined && invTerms !== undefined && sameStrings(d.terms, invTerms);
    if (d.terms && !shared) addStrings(p + 'terms', d.terms);
    dv[f] = { kind: d.kind, singleValued: d.singleValued, docCount: d.docCount, numTerms: d.terms?.length, ...(shared ? { termsOfInverted: true } : {}) };
  }
  fieldsMeta.inverted = inverted;
  fieldsMeta.docValues = dv;
  return { sections, fieldsMeta };
}

const bytesOfSection = (s: EncodedSection): Buffer => Buffer.from(s.data.buffer, s.data.byteOffset, s.data.byteLength);

/** An encoded segment with every section's stored bytes (compressed unless raw). */
interface PackedSegment extends EncodedSegment { packed: Uint8Array[] }

/** Segments whose sections were compressed in the background, waiting for the flush that writes them. */
const prepared = new WeakMap<Segment, PackedSegment>();
/** Segments whose background compression (of `_source` or sections) has not come back yet. */
const preparing = new WeakSet<Segment>();

/**
 * Compresses a new segment's file sections on the background thread, so the flush that later writes it
 * only does I/O on the event loop. Waits for the segment's own background `_source` compression first
 * (the source sections describe the compressed layout). Without a background thread, does nothing.
 */
export function prepareSegmentFile(seg: Segment): void {
  if (seg.persisted || prepared.has(seg)) return;
  const sources = seg.sources as { compressed?: boolean; whenCompressed?: (cb: () => void) => void };
  preparing.add(seg);
  if (sources.compressed === false && sources.whenCompressed) {
    // Later, not inside the call that compressed the sources (a flush writing this very segment).
    sources.whenCompressed(() => setImmediate(() => prepareSegmentFile(seg)));
    return;
  }
  const enc = encodeSegment(seg);
  const compressed = enc.sections.filter((s) => !RAW_SECTIONS.has(s.name));
  let total = 0;
  for (const s of compressed) total += s.data.byteLength;
  const data = new Uint8Array(total);
  const ends = new Uint32Array(compressed.length);
  let pos = 0;
  compressed.forEach((s, i) => {
    data.set(bytesOfSection(s), pos);
    pos += s.data.byteLength;
    ends[i] = pos;
  });
  compressBlocksInBackground(data, ends, (r) => {
    preparing.delete(seg);
    if (!r || seg.persisted) return;
    let k = 0;
    const packed = enc.sections.map((s) => (RAW_SECTIONS.has(s.name) ? bytesOfSection(s) : (k++, r.packed.subarray(r.offsets[k - 1], r.offsets[k]))));
    prepared.set(seg, { ...enc, packed });
  });
}

/** Whether this segment's background compression is still running (a flush now would redo it on the event loop). */
export function isPreparing(seg: Segment): boolean {
  return preparing.has(seg) && !seg.persisted;
}

/** Whether a background-compressed layout is waiting for this segment's flush. */
export function isPrepared(seg: Segment): boolean {
  return prepared.has(seg);
}

/** Encodes and compresses a segment on the calling thread (when no background result is ready). */
function packNow(seg: Segment): PackedSegment {
  const enc = encodeSegment(seg);
  const packed = enc.sections.map((s) => (RAW_SECTIONS.has(s.name) ? bytesOfSection(s) : compress(bytesOfSection(s))));
  return { ...enc, packed };
}

/**
 * Writes a segment file (and fsyncs it). Strings arrays are stored as one UTF-8 blob + offsets.
 * Returns the term dictionaries as written (`inv.<field>.terms`, `dv.<field>.terms`: UTF-8 blobs), which
 * a worker sends back instead of the strings.
 */
export function writeSegment(dir: string, seg: Segment): Map<string, Uint8Array> {
  const { sections, fieldsMeta, packed } = prepared.get(seg) ?? packNow(seg);
  prepared.delete(seg);
  let offset = 0;
  const refs: SectionRef[] = sections.map((s, i) => {
    const ref: SectionRef = { name: s.name, kind: s.kind, offset, length: s.kind === 'strings' ? s.data.byteLength : s.data.length, stored: packed[i].length };
    if (RAW_SECTIONS.has(s.name)) ref.raw = true;
    offset += packed[i].length;
    return ref;
  });
  // Routings are almost always all null: then the header says so instead of listing a null per doc.
  const routings = seg.meta.routings?.some((r) => r != null) ? seg.meta.routings : null;
  const header = Buffer.from(JSON.stringify({ magic: MAGIC, codec: WRITE_CODEC, name: seg.name, maxDoc: seg.maxDoc, routings, fields: fieldsMeta, sections: refs }));
  const prefix = Buffer.alloc(8);
  prefix.writeUInt32LE(header.length, 0);
  const dataStart = 8 + header.length;
  const tmp = join(dir, `${seg.name}.seg.tmp`);
  const fd = openSync(tmp, 'w');
  try {
    writeAll(fd, prefix, 0);
    writeAll(fd, header, 8);
    packed.forEach((bytes, i) => writeAll(fd, bytes, dataStart + refs[i].offset));
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(tmp, join(dir, `${seg.name}.seg`));
  const dictionaries = new Map<string, Uint8Array>();
  for (const sec of sections) if (sec.kind === 'strings' && sec.name.endsWith('.terms')) dictionaries.set(sec.name, sec.data as Uint8Array);
  return dictionaries;
}

/** Writes a segment's deletes bitmap (or nothing when there are none); returns the file name. */
export function writeDeletes(dir: string, segName: string, deletes: Bitmap | null, generation: number): string | null {
  if (!deletes || deletes.size === 0) return null;
  const file = `${segName}_${generation}.del`;
  writeFileSync(join(dir, file), deletes.serialize('portable'));
  const fd = openSync(join(dir, file), 'r');
  fsyncSync(fd);
  closeSync(fd);
  return file;
}

/** Loads a segment file written by writeSegment, with its deletes file if any. */
export function readSegment(dir: string, name: string, deletesFile: string | null): Segment {
  const buf = readFileSync(join(dir, `${name}.seg`));
  const hlen = buf.readUInt32LE(0);
  const header = JSON.parse(buf.subarray(8, 8 + hlen).toString('utf8'));
  if (header.magic !== MAGIC) throw new Error(`not a segment file: ${name}`);
  const codec: Codec = header.codec ?? 'deflate';
  const dataStart = 8 + hlen;
  const secs = new Map<string, SectionRef>((header.sections as SectionRef[]).map((s) => [s.name, s]));
  const bytesOf = (s: SectionRef): Buffer => {
    const stored = buf.subarray(dataStart + s.offset, dataStart + s.offset + s.stored);
    // A raw section is copied so the segment does not keep the whole file buffer alive.
    if (s.raw) return Buffer.from(Uint8Array.prototype.slice.call(stored).buffer);
    const size = s.kind === 'strings' || s.kind === 'u8' ? s.length : s.length * (s.kind === 'f64' || s.kind === 'f64d' ? 8 : 4);
    return decompress(stored, size, codec);
  };
  const get = <T extends Arr>(n: string): T | undefined => {
    const s = secs.get(n);
    if (!s) return undefined;
    // Typed views need aligned offsets; small decompressed buffers may sit in Node's pool unaligned: copy those.
    let raw: Uint8Array = bytesOf(s);
    if (raw.byteOffset % 8 !== 0) raw = Uint8Array.from(raw);
    if (s.kind === 'u8') return raw as T;
    if (s.kind === 'u32') return new Uint32Array(raw.buffer, raw.byteOffset, s.length) as T;
    if (s.kind === 'u32d') {
      const a = new Uint32Array(raw.buffer, raw.byteOffset, s.length);
      deltaDecodeInPlace(a);
      return a as T;
    }
    if (s.kind === 'f64d') {
      const a = new Float64Array(raw.buffer, raw.byteOffset, s.length);
      for (let i = 1; i < a.length; i++) a[i] += a[i - 1];
      return a as T;
    }
    return new Float64Array(raw.buffer, raw.byteOffset, s.length) as T;
  };
  const strings = (n: string, count: number): string[] => {
    const s = secs.get(n)!;
    if (count === 0) return [];
    return bytesOf(s).toString('utf8').split('\u0000');
  };
  // Term dictionaries stay packed until read (see PackedTerms).
  const packedTerms = (n: string, count: number): PackedTerms => ({ blob: count === 0 ? new Uint8Array(0) : bytesOf(secs.get(n)!), count });
  const inverted = new Map<string, InvertedField>();
  for (const [f, m] of Object.entries(header.fields.inverted as Record<string, { docCount: number; sumTotalTermFreq: number; sumDocFreq: number; numTerms: number }>)) {
    const p = `inv.${f}.`;
    inverted.set(f, withLazyTerms({
      docStart: get<Uint32Array>(p + 'docStart')!,
      docs: get<Uint32Array>(p + 'docs')!,
      freqs: get<Uint32Array>(p + 'freqs'),
      posStart: get<Float64Array>(p + 'posStart'),
      positions: get<Uint8Array>(p + 'positions'),
      norms: get<Uint8Array>(p + 'norms'),
      docCount: m.docCount,
      sumTotalTermFreq: m.sumTotalTermFreq,
      sumDocFreq: m.sumDocFreq,
    }, packedTerms(p + 'terms', m.numTerms)));
  }
  const docValues = new Map<string, DocValuesField>();
  for (const [f, m] of Object.entries(header.fields.docValues as Record<string, { kind: 'numeric' | 'ordinal'; singleValued: boolean; docCount: number; numTerms?: number; termsOfInverted?: boolean }>)) {
    const p = `dv.${f}.`;
    const field: DocValuesField = {
      kind: m.kind,
      offsets: get<Uint32Array>(p + 'offsets')!,
      values: m.kind === 'numeric' ? get<Float64Array>(p + 'values')! : get<Uint32Array>(p + 'values')!,
      singleValued: m.singleValued,
      docCount: m.docCount,
    };
    if (m.kind !== 'ordinal') docValues.set(f, field);
    else if (m.termsOfInverted) docValues.set(f, withLazyTerms(field, () => inverted.get(f)!.terms));
    else docValues.set(f, withLazyTerms(field, packedTerms(p + 'terms', m.numTerms ?? 0)));
  }
  const maxDoc: number = header.maxDoc;
  const meta = {
    ids: PackedStrings.ofBlob(maxDoc === 0 ? new Uint8Array(0) : bytesOf(secs.get('ids')!), maxDoc),
    seqNos: get<Float64Array>('seqNos')!,
    versions: get<Float64Array>('versions')!,
    primaryTerms: get<Float64Array>('primaryTerms')!,
    routings: (header.routings as (string | null)[] | null) ?? null,
  };
  const sources = new BlockSourceStore(get<Float64Array>('src.blockOffsets')!, get<Uint8Array>('src.blockData')!, get<Uint32Array>('src.docOffsets')!, codec);
  const seg = new Segment(name, maxDoc, meta, sources, inverted, docValues);
  seg.persisted = true;
  if (deletesFile && existsSync(join(dir, deletesFile))) {
    seg.deletes = RoaringBitmap32.deserialize(readFileSync(join(dir, deletesFile)), 'portable');
  }
  return seg;
}

function sameStrings(a: string[], b: string[]): boolean {
  if (a === b) return true;
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

function writeAll(fd: number, buf: Uint8Array, position: number): void {
  let off = 0;
  while (off < buf.length) off += writeSync(fd, buf, off, buf.length - off, position + off);
}
