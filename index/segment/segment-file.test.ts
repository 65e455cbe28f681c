import { describe, it, expect } from 'vitest';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { deflateRawSync } from 'node:zlib';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildSegment, type AnalyzerResolver } from './segment-builder.ts';
import { isPrepared, prepareSegmentFile, readSegment, writeSegment } from './segment-file.ts';
import { builtinAnalyzer } from '../analysis/index.ts';
import { Mapping } from '../mapping/mapping.ts';
import { parseDocument } from '../mapping/document-parser.ts';
import { decompress } from './block-codec.ts';
import { mergeSegments } from './segment-merger.ts';
import { DOCS_PER_BLOCK } from './source-store.ts';
import { routingOf } from './segment.ts';

/**
 * Rewrites a segment file as the engine wrote it before zstd: no `codec` in the header, every
 * compressed section and every `_source` block raw-deflated (level 1), the block offsets to match.
 */
function rewriteAsDeflate(dir: string, name: string): void {
  const file = join(dir, `${name}.seg`);
  const buf = readFileSync(file);
  const hlen = buf.readUInt32LE(0);
  const header = JSON.parse(buf.subarray(8, 8 + hlen).toString('utf8'));
  const dataStart = 8 + hlen;
  type Ref = { name: string; kind: string; offset: number; length: number; stored: number; raw?: boolean };
  const refs = header.sections as Ref[];
  const sizeOf = (r: Ref) => (r.kind === 'strings' || r.kind === 'u8' ? r.length : r.length * (r.kind.startsWith('f64') ? 8 : 4));
  const plain = new Map(refs.map((r) => {
    const stored = buf.subarray(dataStart + r.offset, dataStart + r.offset + r.stored);
    return [r.name, r.raw ? Buffer.from(stored) : decompress(stored, sizeOf(r), 'zstd')];
  }));
  // Source block offsets are stored as float64 deltas (integers): decode, recompress each block, encode.
  const offRef = refs.find((r) => r.name === 'src.blockOffsets')!;
  const deltas = new Float64Array(plain.get('src.blockOffsets')!.buffer.slice(0), plain.get('src.blockOffsets')!.byteOffset, offRef.length);
  const offsets = Float64Array.from(deltas);
  for (let i = 1; i < offsets.length; i++) offsets[i] += offsets[i - 1];
  const lastOf = (docOffsets: Uint32Array, b: number) => Math.min(docOffsets.length - 1, (b + 1) * (DOCS_PER_BLOCK + 1) - 1);
  const docRef = refs.find((r) => r.name === 'src.docOffsets')!;
  const docOffsets = new Uint32Array(Uint8Array.from(plain.get('src.docOffsets')!).buffer, 0, docRef.length);
  for (let i = 1; i < docOffsets.length; i++) docOffsets[i] = (docOffsets[i] + docOffsets[i - 1]) >>> 0;
  const blocks: Buffer[] = [];
  const newOffsets = new Float64Array(offsets.length);
  const data = plain.get('src.blockData')!;
  for (let b = 0; b + 1 < offsets.length; b++) {
    const raw = decompress(data.subarray(offsets[b], offsets[b + 1]), docOffsets[lastOf(docOffsets, b)], 'zstd');
    blocks.push(deflateRawSync(raw, { level: 1 }));
    newOffsets[b + 1] = newOffsets[b] + blocks[b].length;
  }
  const newDeltas = Float64Array.from(newOffsets, (v, i) => (i === 0 ? v : v - newOffsets[i - 1]));
  plain.set('src.blockOffsets', Buffer.from(newDeltas.buffer));
  plain.set('src.blockData', Buffer.concat(blocks));
  let offset = 0;
  const stored = refs.map((r) => {
    const bytes = r.raw ? plain.get(r.name)! : deflateRawSync(plain.get(r.name)!, { level: 1 });
    r.offset = offset;
    r.stored = bytes.length;
    if (r.raw) r.length = bytes.length;
    offset += bytes.length;
    return bytes;
  });
  delete header.codec;
  const head = Buffer.from(JSON.stringify(header));
  const prefix = Buffer.alloc(8);
  prefix.writeUInt32LE(head.length, 0);
  writeFileSync(file, Buffer.concat([prefix, head, ...stored]));
}

const analyzers: AnalyzerResolver = { indexAnalyzer: () => builtinAnalyzer('standard'), normalize: (_i, v) => v };

describe('segment files', () => {
  it('read back every array exactly (delta-coded postings, offsets and integer columns included)', () => {
    let mapping = Mapping.parse({ properties: { ts: { type: 'date' }, n: { type: 'long' }, f: { type: 'double' }, tag: { type: 'keyword' }, msg: { type: 'text' } } });
    const docs = Array.from({ length: 500 }, (_, i) => {
      const src = { ts: 1700000000000 + i * 997, n: [i % 7, -i], f: i / 3, tag: [`t${i % 13}`, `u${i % 5}`], msg: `word${i % 11} shared text ${i % 3 ? 'odd' : ''}` };
      const parsed = parseDocument(mapping, src, String(i));
      mapping = parsed.mapping;
      return { id: String(i), seqNo: i, version: 1, primaryTerm: 1, routing: i % 50 ? null : 'r', source: Buffer.from(JSON.stringify(src)), fields: parsed.fields };
    });
    const seg = buildSegment('_t', docs, analyzers);
    const dir = mkdtempSync(join(tmpdir(), 'lookout-segfile-'));
    writeSegment(dir, seg);
    const back = readSegment(dir, '_t', null);
    expect(back.meta.ids.toArray()).toEqual(seg.meta.ids.toArray());
    expect(back.meta.routings).toEqual(seg.meta.routings);
    expect([...back.meta.seqNos]).toEqual([...seg.meta.seqNos]);
    for (const [f, inv] of seg.inverted) {
      const b = back.inverted.get(f)!;
      expect(b.terms).toEqual(inv.terms);
      for (const k of ['docStart', 'docs', 'freqs', 'posStart', 'positions', 'norms'] as const) {
        expect(b[k] ? [...b[k]!] : undefined).toEqual(inv[k] ? [...inv[k]!] : undefined);
      }
      expect([b.docCount, b.sumTotalTermFreq, b.sumDocFreq]).toEqual([inv.docCount, inv.sumTotalTermFreq, inv.sumDocFreq]);
    }
    for (const [f, dv] of seg.docValues) {
      const b = back.docValues.get(f)!;
      expect([...b.offsets]).toEqual([...dv.offsets]);
      expect([...b.values]).toEqual([...dv.values]);
      expect(b.terms).toEqual(dv.terms);
    }
    for (let d = 0; d < seg.maxDoc; d++) expect(back.source(d).equals(seg.source(d))).toBe(true);
  });

  it('store all-null routings and a keyword dictionary shared by terms and ordinals once, and read them back', () => {
    let mapping = Mapping.parse({ properties: { tag: { type: 'keyword' }, dvonly: { type: 'keyword', index: false } } });
    const docs = Array.from({ length: 100 }, (_, i) => {
      const src = { tag: `t${i % 13}`, dvonly: `d${i % 7}` };
      const parsed = parseDocument(mapping, src, String(i));
      mapping = parsed.mapping;
      return { id: String(i), seqNo: i, version: 1, primaryTerm: 1, routing: null, source: Buffer.from(JSON.stringify(src)), fields: parsed.fields };
    });
    const seg = buildSegment('_u', docs, analyzers);
    const dir = mkdtempSync(join(tmpdir(), 'lookout-segfile-'));
    writeSegment(dir, seg);
    const header = readFileSync(join(dir, '_u.seg')).toString('latin1');
    expect(header).not.toContain('dv.tag.terms');
    expect(header).toContain('dv.dvonly.terms');
    const back = readSegment(dir, '_u', null);
    // No column at all when no doc has a routing.
    expect(seg.meta.routings).toBeNull();
    expect(back.meta.routings).toBeNull();
    for (let d = 0; d < 100; d++) expect(routingOf(back.meta, d)).toBeNull();
    expect(back.docValues.get('tag')!.terms).toEqual(seg.docValues.get('tag')!.terms);
    expect(back.docValues.get('tag')!.terms).toBe(back.inverted.get('tag')!.terms);
    expect(back.docValues.get('dvonly')!.terms).toEqual(['d0', 'd1', 'd2', 'd3', 'd4', 'd5', 'd6']);
    expect(back.inverted.has('dvonly')).toBe(false);
  });

  it('write the same bytes whether the sections were compressed in the background or at write time', async () => {
    let mapping = Mapping.parse({ properties: { tag: { type: 'keyword' }, msg: { type: 'text' }, n: { type: 'long' } } });
    const docs = Array.from({ length: 300 }, (_, i) => {
      const src = { tag: `t${i % 13}`, msg: `message ${i} of ${i % 17} words`, n: i * 3 };
      const parsed = parseDocument(mapping, src, String(i));
      mapping = parsed.mapping;
      return { id: String(i), seqNo: i, version: 1, primaryTerm: 1, routing: null, source: Buffer.from(JSON.stringify(src)), fields: parsed.fields };
    });
    const early = buildSegment('_p', docs, analyzers);
    const late = buildSegment('_p', docs, analyzers);
    prepareSegmentFile(early);
    for (let i = 0; i < 400 && !isPrepared(early); i++) await new Promise((r) => setTimeout(r, 5));
    expect(isPrepared(early)).toBe(true);
    const a = mkdtempSync(join(tmpdir(), 'lookout-segfile-'));
    const b = mkdtempSync(join(tmpdir(), 'lookout-segfile-'));
    writeSegment(a, early);
    writeSegment(b, late);
    expect(isPrepared(early)).toBe(false);
    expect(readFileSync(join(a, '_p.seg')).equals(readFileSync(join(b, '_p.seg')))).toBe(true);
    const back = readSegment(a, '_p', null);
    for (let d = 0; d < docs.length; d++) expect(back.source(d).equals(docs[d].source)).toBe(true);
  });

  it('read files written with deflate before zstd, and merge them with new ones into zstd', () => {
    let mapping = Mapping.parse({ properties: { tag: { type: 'keyword' }, msg: { type: 'text' }, n: { type: 'long' } } });
    const docsOf = (from: number, count: number) =>
      Array.from({ length: count }, (_, k) => {
        const i = from + k;
        const src = { tag: `t${i % 13}`, msg: `message ${i} of ${i % 17} words`, n: i * 3 };
        const parsed = parseDocument(mapping, src, String(i));
        mapping = parsed.mapping;
        return { id: String(i), seqNo: i, version: 1, primaryTerm: 1, routing: null, source: Buffer.from(JSON.stringify(src)), fields: parsed.fields };
      });
    const oldDocs = docsOf(0, 150);
    const newDocs = docsOf(150, 90);
    const dir = mkdtempSync(join(tmpdir(), 'lookout-segfile-'));
    writeSegment(dir, buildSegment('_old', oldDocs, analyzers));
    writeSegment(dir, buildSegment('_new', newDocs, analyzers));
    rewriteAsDeflate(dir, '_old');
    expect(readFileSync(join(dir, '_old.seg')).toString('latin1')).not.toContain('"codec"');
    const old = readSegment(dir, '_old', null);
    expect(old.sources.codec).toBe('deflate');
    for (let d = 0; d < oldDocs.length; d++) expect(old.source(d).equals(oldDocs[d].source)).toBe(true);
    expect(old.inverted.get('tag')!.terms).toEqual(Array.from({ length: 13 }, (_, i) => `t${i}`).sort());
    const merged = mergeSegments('_m', [old, readSegment(dir, '_new', null)]);
    expect(merged.sources.codec).toBe('zstd');
    writeSegment(dir, merged);
    const back = readSegment(dir, '_m', null);
    const all = [...oldDocs, ...newDocs];
    expect(back.maxDoc).toBe(all.length);
    for (let d = 0; d < all.length; d++) expect(back.source(d).equals(all[d].source)).toBe(true);
  });
});
