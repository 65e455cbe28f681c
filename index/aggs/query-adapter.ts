// Filters inside aggregations (filter, filters): the query module parses the JSON at request parse
// time and compiles it per shard; each segment's matching docs become a byte mask so per-doc tests in
// collect loops are a typed-array read instead of a native bitmap call.

import { compileQuery, parseQuery, type Query } from '../query/index.ts';
import type { Segment } from '../segment/segment.ts';
import type { ShardSearchContext } from '../search/shard-context.ts';

/** A compiled filter: a doc mask (1 = matches) per segment. */
export type DocMask = (segment: Segment) => Uint8Array;

/** Parses a filter's JSON (OpenSearch's query errors on bad queries); the result is plain JSON. */
export function checkQuery(json: unknown): Query {
  return parseQuery(json);
}

/** Compiles a parsed query for a shard into a per-segment mask. */
export function compileFilter(query: unknown, shard: ShardSearchContext): DocMask {
  const compiled = compileQuery(query as Query, shard, { needsScores: false });
  const masks = new Map<Segment, Uint8Array>();
  return (segment) => {
    let m = masks.get(segment);
    if (!m) {
      m = new Uint8Array(segment.maxDoc);
      const segOrd = shard.segments.indexOf(segment);
      for (const d of compiled.matches(segment, segOrd).toUint32Array()) m[d] = 1;
      masks.set(segment, m);
    }
    return m;
  };
}
