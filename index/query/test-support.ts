// Test fixtures for the query engine: builds a ShardSearchContext from source objects with a tiny
// lower-casing whitespace analyzer, several segments and optional deletes (no parseDocument, so
// these tests do not depend on date parsing).

import type { Analyzer, Token } from '../analysis/analyzer.ts';
import type { FieldInfo } from '../mapping/field-types.ts';
import { Mapping, type MappingJSON } from '../mapping/mapping.ts';
import type { IndexedField } from '../mapping/document-parser.ts';
import { buildSegment, type BuildDoc } from '../segment/segment-builder.ts';
import { RoaringBitmap32, type Segment } from '../segment/segment.ts';
import { shardTermStatistics, type ShardSearchContext } from '../search/shard-context.ts';

/** Splits on whitespace and lower-cases (positions 0, 1, 2, …). */
export const whitespaceLower: Analyzer = {
  name: 'test_ws',
  analyze(text: string): Token[] {
    const out: Token[] = [];
    const re = /\S+/g;
    let m: RegExpExecArray | null;
    let pos = 0;
    while ((m = re.exec(text))) out.push({ term: m[0].toLowerCase(), position: pos++, startOffset: m.index, endOffset: m.index + m[0].length });
    return out;
  },
  terms(text: string): string[] {
    return this.analyze(text).map((t) => t.term);
  },
  normalize: (t: string) => t.toLowerCase(),
};

function fieldsOf(mapping: Mapping, source: Record<string, unknown>): IndexedField[] {
  const out: IndexedField[] = [];
  for (const [key, raw] of Object.entries(source)) {
    const values = (Array.isArray(raw) ? raw : [raw]).filter((v) => v !== null && v !== undefined);
    if (values.length === 0) continue;
    const infos: FieldInfo[] = [...mapping.fields.values()].filter((f) => f.path === key || f.parentPath === key);
    for (const info of infos) {
      const conv = values.map((v) => (info.type === 'boolean' ? (v ? 1 : 0) : info.storage === 'numeric' ? Number(v) : String(v)));
      out.push({ info, values: conv });
    }
  }
  return out;
}

/**
 * Builds a shard context over `segmentsDocs` (each an array of sources; a `_routing` key becomes the
 * doc's routing), with ids 0, 1, 2, … across segments; `deleted` lists [segment, doc] pairs.
 */
export function buildShard(mappingJson: MappingJSON, segmentsDocs: Record<string, unknown>[][], deleted: Array<[number, number]> = []): ShardSearchContext {
  const mapping = new Mapping(mappingJson);
  const resolver = { indexAnalyzer: () => whitespaceLower, normalize: (_i: FieldInfo, v: string) => v };
  let id = 0;
  const segments: Segment[] = segmentsDocs.map((docs, s) => {
    const build: BuildDoc[] = docs.map(({ _routing, ...src }) => ({
      id: String(id++), seqNo: id, version: 1, primaryTerm: 1, routing: typeof _routing === 'string' ? _routing : null,
      source: Buffer.from(JSON.stringify(src)), fields: fieldsOf(mapping, src),
    }));
    return buildSegment(`_${s}`, build, resolver);
  });
  for (const [s, d] of deleted) {
    const seg = segments[s];
    const del = seg.deletes ? seg.deletes.clone() : new RoaringBitmap32();
    del.add(d);
    seg.deletes = del;
  }
  return {
    indexName: 'test', indexUuid: 'uuid', shardId: 0, mapping,
    analyzers: {
      searchAnalyzer: () => whitespaceLower,
      searchQuoteAnalyzer: () => whitespaceLower,
      named: () => whitespaceLower,
      normalize: (_i, v) => v,
    },
    segments, stats: shardTermStatistics(segments), now: Date.UTC(2025, 0, 1), settings: {},
  };
}
