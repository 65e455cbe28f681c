import { describe, it, expect } from 'vitest';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildSegment, type AnalyzerResolver } from './segment-builder.ts';
import { isPrepared, prepareSegmentFile, readSegment, writeSegment } from './segment-file.ts';
import { builtinAnalyzer } from '../analysis/index.ts';
import { Mapping } from '../mapping/mapping.ts';
import { parseDocument } from '../mapping/document-parser.ts';

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
    expect(back.meta.ids).toEqual(seg.meta.ids);
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
    expect(back.meta.routings).toEqual(new Array(100).fill(null));
    expect(back.docValues.get('tag')!.terms).toEqual(seg.docValues.get('tag')!.terms);
    expect(back.docValues.get('tag')!.terms).toBe(back.inverted.get('tag')!.terms);
    expect(back.docValues.get('dvonly')!.terms).toEqual(['d0', 'd1', 'd2', 'd3', 'd4', 'd5', 'd6']);
    expect(back.inverted.has('dvonly')).toBe(false);
  });

  it('write the same bytes whether the sections were deflated in the background or at write time', async () => {
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
});
