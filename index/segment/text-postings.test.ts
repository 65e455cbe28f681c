import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import type { Analyzer } from '../analysis/analyzer.ts';
import { StandardAnalyzer } from '../analysis/builtin-analyzers.ts';
import { PositionsReader } from './segment-builder.ts';
import { POSITION_INCREMENT_GAP, TermHash, TextAcc } from './text-postings.ts';
import type { InvertedField } from './segment.ts';

const standard = new StandardAnalyzer();

/** Brute force: term → doc → positions, from analyzer.terms() per value. */
function expected(docs: string[][]): Map<string, Map<number, number[]>> {
  const out = new Map<string, Map<number, number[]>>();
  docs.forEach((values, doc) => {
    let base = 0;
    for (const v of values) {
      const terms = standard.terms(v);
      terms.forEach((t, i) => {
        let byDoc = out.get(t);
        if (!byDoc) out.set(t, (byDoc = new Map()));
        const list = byDoc.get(doc) ?? [];
        list.push(base + i);
        byDoc.set(doc, list);
      });
      if (terms.length > 0) base += terms.length - 1 + POSITION_INCREMENT_GAP;
    }
  });
  return out;
}

function decode(inv: InvertedField): Map<string, Map<number, number[]>> {
  const out = new Map<string, Map<number, number[]>>();
  inv.terms.forEach((t, ti) => {
    const byDoc = new Map<number, number[]>();
    const reader = new PositionsReader(inv.positions!, inv.posStart![ti]);
    for (let k = inv.docStart[ti]; k < inv.docStart[ti + 1]; k++) byDoc.set(inv.docs[k], [...reader.next(inv.freqs![k])]);
    out.set(t, byDoc);
  });
  return out;
}

function build(docs: string[][], analyzer: Analyzer, expectedDocs = 0): InvertedField {
  const acc = new TextAcc(true, true, expectedDocs);
  docs.forEach((values, d) => acc.add(d, values, analyzer));
  return acc.finish(docs.length);
}

// The same analyzer without its span fast path (terms() per value).
const slow: Analyzer = { name: 'standard', sequentialPositions: true, analyze: (t) => standard.analyze(t), terms: (t) => standard.terms(t) };

const words = fc.constantFrom('Error', 'error', 'user', 'a', 'b1', 'x.y', "it's", 'Ünïcode', 'ΣΑΣ', '東京', '42', '3.14', ' ', ', ', 'node-7', 'αβγ', 'zz');
const text = fc.array(words, { maxLength: 30 }).map((w) => w.join(' '));

describe('text postings', () => {
  it('equal a brute-force inverted index, with and without the span fast path', () => {
    fc.assert(
      fc.property(fc.array(fc.array(text, { minLength: 0, maxLength: 3 }), { minLength: 1, maxLength: 40 }), (docs) => {
        const want = expected(docs);
        const fast = build(docs, standard);
        expect(decode(fast)).toEqual(want);
        expect(fast.terms).toEqual([...want.keys()].sort());
        expect(build(docs, slow)).toEqual(fast);
        const lengths = docs.map((values) => values.reduce((n, v) => n + standard.terms(v).length, 0));
        expect(fast.docCount).toBe(lengths.filter((l) => l > 0).length);
        expect(fast.sumTotalTermFreq).toBe(lengths.reduce((a, b) => a + b, 0));
      }),
      { numRuns: 200 },
    );
  });

  it('are the same whatever the expected doc count (buffers sized from the first docs, or doubled)', () => {
    // Enough occurrences (~90k) that the buffers grow several times past their initial size.
    const vocab = ['alpha', 'beta', 'Gamma', 'delta', 'x1', 'y.z', 'ΣΑΣ', 'node-7'];
    const docs = Array.from({ length: 3000 }, (_, d) => {
      const values = [Array.from({ length: (d * 7) % 41 }, (_, i) => vocab[(d + i * 3) % vocab.length]).join(' ')];
      if (d % 5 === 0) values.push('second value ' + vocab[d % vocab.length]);
      return d % 11 === 0 ? [] : values;
    });
    const plain = build(docs, standard);
    expect(decode(plain)).toEqual(expected(docs));
    for (const hint of [docs.length, 100, 50_000]) expect(build(docs, standard, hint)).toEqual(plain);
  });

  it('hash ids are dense, stable and survive growth', () => {
    const h = new TermHash();
    const terms = Array.from({ length: 20_000 }, (_, i) => `t${(i * 7919) % 20_000}`);
    const ids = terms.map((t) => h.idOf(`<${t}>`, 1, t.length + 1));
    expect(new Set(ids).size).toBe(20_000);
    expect(terms.map((t) => h.idOf(t, 0, t.length))).toEqual(ids);
    expect(h.strings[ids[123]]).toBe(terms[123]);
    const sorted = [...h.sortedIds()].map((id) => h.strings[id]);
    expect(sorted).toEqual([...terms].sort());
  });
});
