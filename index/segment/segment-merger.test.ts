import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { builtinAnalyzer } from '../analysis/index.ts';
import type { FieldInfo } from '../mapping/field-types.ts';
import type { IndexedField } from '../mapping/document-parser.ts';
import { buildSegment, type AnalyzerResolver, type BuildDoc } from './segment-builder.ts';
import { RoaringBitmap32, type Segment } from './segment.ts';
import { mergeDictionaries, mergeSegments } from './segment-merger.ts';

const field = (path: string, storage: FieldInfo['storage'], extra: Partial<FieldInfo> = {}): FieldInfo => ({
  path, type: storage, storage, index: true, docValues: true, store: false, coerce: false, norms: storage === 'text', raw: {}, ...extra,
});

/** Text with norms and positions (sequential standard analyzer), text with stop-word gaps, text with freqs only, keywords, numbers. */
const FIELDS = {
  body: field('body', 'text', { indexOptions: 'positions' }),
  note: field('note', 'text', { analyzer: 'stop', indexOptions: 'positions' }),
  msg: field('msg', 'text', { norms: false, indexOptions: 'freqs' }),
  tag: field('tag', 'keyword'),
  label: field('label', 'keyword', { index: false }),
  n: field('n', 'numeric'),
  rare: field('rare', 'keyword'),
};
type FieldName = keyof typeof FIELDS;
type Doc = Partial<Record<FieldName, (string | number)[]>>;

const resolver: AnalyzerResolver = {
  indexAnalyzer: (info) => builtinAnalyzer(info.analyzer ?? 'standard'),
  normalize: (_info, v) => v,
};

const WORDS = ['error', 'warn', 'the', 'a', 'disk', 'full', 'timeout', 'user', 'login', 'of', 'z', 'café', 'GET', 'post'];
const word = fc.oneof(fc.constantFrom(...WORDS), fc.integer({ min: 0, max: 500 }).map((i) => `w${i}`));
const sentence = fc.tuple(fc.array(word, { maxLength: 8 }), fc.constantFrom('error', 'disk', 'login')).map(([ws, last]) => [...ws, last].join(' '));
const texts = fc.array(sentence, { minLength: 1, maxLength: 3 });
const keywords = fc.array(fc.oneof(fc.constantFrom('a', 'b', 'c', 'dd'), fc.integer({ min: 0, max: 200 }).map(String)), { minLength: 1, maxLength: 3 });
const numbers = fc.array(fc.oneof(fc.integer({ min: -5, max: 5 }), fc.double({ noNaN: true })), { minLength: 1, maxLength: 3 });

/** `rare` is in about one doc in ten, so many segments lack it. */
const docArb: fc.Arbitrary<Doc> = fc.tuple(
  fc.record({ body: texts, note: texts, msg: texts, tag: keywords, label: keywords, n: numbers, rare: keywords }, { requiredKeys: [] }),
  fc.integer({ min: 0, max: 9 }),
).map(([d, dice]) => (dice > 0 ? (({ rare: _r, ...rest }) => rest)(d) : d));

/** A segment's docs, each with a deleted flag; sizes 32 and 64 exercise `_source` block reuse. */
const segmentArb = fc.oneof(fc.integer({ min: 0, max: 70 }), fc.constantFrom(32, 64)).chain((size) =>
  fc.array(fc.tuple(docArb, fc.oneof(fc.constant(false), fc.boolean())), { minLength: size, maxLength: size }),
);

let nextId = 0;
function toBuildDoc(doc: Doc): BuildDoc {
  const id = nextId++;
  const fields: IndexedField[] = Object.entries(doc).map(([k, values]) => ({ info: FIELDS[k as FieldName], values: values! }));
  return { id: `id${id}`, seqNo: id, version: 1 + (id % 3), primaryTerm: 1 + (id % 2), routing: id % 5 === 0 ? 'r' : null, source: Buffer.from(JSON.stringify(doc)), fields };
}

function withDeletes(seg: Segment, deleted: boolean[]): Segment {
  const del = new RoaringBitmap32();
  deleted.forEach((x, d) => x && del.add(d));
  seg.deletes = del.size > 0 ? del : null;
  return seg;
}

type Column = Uint8Array | Uint32Array | Float64Array | undefined;

/** Typed arrays compared as bytes (deep toEqual is slow on long arrays); re-checked with toEqual for a readable diff. */
function expectSameColumn(label: string, actual: Column, expected: Column): void {
  const bytes = (c: NonNullable<Column>) => Buffer.from(c.buffer, c.byteOffset, c.byteLength);
  const same = actual === undefined || expected === undefined
    ? actual === expected
    : actual.constructor === expected.constructor && bytes(actual).equals(bytes(expected));
  if (!same) expect({ label, actual }).toEqual({ label, actual: expected });
}

/** Checks every column of `actual` against `expected`, field by field so failures name the field. */
function expectSameSegment(actual: Segment, expected: Segment): void {
  expect(actual.maxDoc).toBe(expected.maxDoc);
  expect(actual.meta.ids.toArray()).toEqual(expected.meta.ids.toArray());
  expect(actual.meta.routings).toEqual(expected.meta.routings);
  for (const k of ['seqNos', 'versions', 'primaryTerms'] as const) expectSameColumn(k, actual.meta[k], expected.meta[k]);
  for (const k of ['blockOffsets', 'docOffsets', 'blockData'] as const) expectSameColumn(k, actual.sources[k], expected.sources[k]);
  for (let d = 0; d < actual.maxDoc; d++) expectSameColumn(`source ${d}`, actual.source(d), expected.source(d));
  expect([...actual.inverted.keys()].sort()).toEqual([...expected.inverted.keys()].sort());
  for (const [f, e] of expected.inverted) {
    const a = actual.inverted.get(f)!;
    expect({ f, terms: a.terms, docCount: a.docCount, sumTotalTermFreq: a.sumTotalTermFreq, sumDocFreq: a.sumDocFreq })
      .toEqual({ f, terms: e.terms, docCount: e.docCount, sumTotalTermFreq: e.sumTotalTermFreq, sumDocFreq: e.sumDocFreq });
    for (const k of ['docStart', 'docs', 'freqs', 'posStart', 'positions', 'norms'] as const) expectSameColumn(`${f}.${k}`, a[k], e[k]);
  }
  expect([...actual.docValues.keys()].sort()).toEqual([...expected.docValues.keys()].sort());
  for (const [f, e] of expected.docValues) {
    const a = actual.docValues.get(f)!;
    expect({ f, kind: a.kind, terms: a.terms, singleValued: a.singleValued, docCount: a.docCount })
      .toEqual({ f, kind: e.kind, terms: e.terms, singleValued: e.singleValued, docCount: e.docCount });
    expectSameColumn(`${f}.offsets`, a.offsets, e.offsets);
    expectSameColumn(`${f}.values`, a.values, e.values);
  }
}

describe('mergeDictionaries', () => {
  it('unions sorted dictionaries, dropping terms with a zero count', () => {
    const { terms, ordMaps } = mergeDictionaries(
      [['a', 'c', 'e'], [], ['b', 'c', 'f']],
      [Uint32Array.of(1, 1, 0), new Uint32Array(0), Uint32Array.of(2, 1, 1)],
    );
    expect(terms).toEqual(['a', 'b', 'c', 'f']);
    expect(ordMaps.map((m) => [...m])).toEqual([[0, 2, -1], [], [1, 2, 3]]);
  });
});

describe('mergeSegments', () => {
  it('equals a segment built from the surviving docs, in order', () => {
    fc.assert(
      fc.property(fc.array(segmentArb, { minLength: 1, maxLength: 5 }), (segs) => {
        const built = segs.map((s) => s.map(([doc]) => toBuildDoc(doc)));
        const inputs = built.map((docs, i) => withDeletes(buildSegment(`_${i}`, docs, resolver), segs[i].map(([, del]) => del)));
        const survivors = built.flatMap((docs, i) => docs.filter((_, d) => !segs[i][d][1]));
        expectSameSegment(mergeSegments('_m', inputs), buildSegment('_m', survivors, resolver));
      }),
      { numRuns: 150 },
    );
  });

  it('merges merged segments again (deletes applied to a merge result)', () => {
    fc.assert(
      fc.property(fc.array(segmentArb, { minLength: 2, maxLength: 4 }), fc.array(fc.boolean(), { maxLength: 400 }), (segs, later) => {
        const built = segs.map((s) => s.map(([doc]) => toBuildDoc(doc)));
        const inputs = built.map((docs, i) => withDeletes(buildSegment(`_${i}`, docs, resolver), segs[i].map(([, del]) => del)));
        let survivors = built.flatMap((docs, i) => docs.filter((_, d) => !segs[i][d][1]));
        const first = withDeletes(mergeSegments('_m1', inputs.slice(1)), []);
        const head = survivors.length - first.maxDoc;
        withDeletes(first, Array.from({ length: first.maxDoc }, (_, d) => later[d] ?? false));
        survivors = [...survivors.slice(0, head), ...survivors.slice(head).filter((_, d) => !later[d])];
        expectSameSegment(mergeSegments('_m2', [inputs[0], first]), buildSegment('_m2', survivors, resolver));
      }),
      { numRuns: 60 },
    );
  });

  it('drops terms, values and fields whose docs are all deleted', () => {
    const a = buildSegment('_a', [toBuildDoc({ body: ['gone only'], rare: ['x'], n: [1] }), toBuildDoc({ body: ['kept'] })], resolver);
    const b = buildSegment('_b', [toBuildDoc({ tag: ['t'], body: ['kept too'] })], resolver);
    withDeletes(a, [true, false]);
    const m = mergeSegments('_m', [a, b]);
    expect(m.maxDoc).toBe(2);
    expect(m.inverted.get('body')!.terms).toEqual(['kept', 'too']);
    expect(m.inverted.has('rare')).toBe(false);
    expect(m.docValues.has('n')).toBe(false);
    expect([...m.postings('tag', 't')]).toEqual([1]);
    expect(m.meta.ids.toArray()).toEqual([a.meta.ids.get(1), b.meta.ids.get(0)]);
    expect(m.deletes).toBeNull();
  });

  it('merges no segments, or only empty ones, into an empty segment', () => {
    const empty = buildSegment('_e', [], resolver);
    for (const m of [mergeSegments('_m', []), mergeSegments('_m', [empty, empty])]) {
      expect(m.maxDoc).toBe(0);
      expect(m.inverted.size).toBe(0);
      expect(m.docValues.size).toBe(0);
    }
  });
});
