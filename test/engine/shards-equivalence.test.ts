// Invariant: an index with 1 shard and one with 5 shards over the same documents give the same hits
// and totals for every query (and, with dfs_query_then_fetch, the same scores).

import { describe, it, expect, afterAll } from 'vitest';
import fc from 'fast-check';
import { IndicesService } from '../../index/indices/indices-service.ts';
import { DocumentService } from '../../index/docs/document-service.ts';
import { SearchService } from '../../index/search/search-service.ts';
import { tempDataDir } from '../helpers/server-process.ts';

const WORDS = ['alpha', 'beta', 'gamma', 'delta', 'error', 'timeout', 'ok', 'slow'];
const docArb = fc.record({
  level: fc.constantFrom('INFO', 'WARN', 'ERROR'),
  status: fc.constantFrom(200, 201, 404, 500),
  latency: fc.double({ min: 0, max: 1000, noNaN: true }),
  message: fc.array(fc.constantFrom(...WORDS), { minLength: 1, maxLength: 8 }).map((w) => w.join(' ')),
});
const queryArb = fc.oneof(
  fc.constantFrom(...WORDS).map((w) => ({ match: { message: w } })),
  fc.constantFrom('INFO', 'WARN', 'ERROR').map((l) => ({ term: { 'level.keyword': l } })),
  fc.integer({ min: 0, max: 1000 }).map((n) => ({ range: { latency: { gte: n } } })),
  fc.tuple(fc.constantFrom(...WORDS), fc.constantFrom(200, 500)).map(([w, s]) => ({ bool: { must: [{ match: { message: w } }], must_not: [{ term: { status: s } }] } })),
  fc.tuple(fc.constantFrom(...WORDS), fc.constantFrom(...WORDS)).map(([a, b]) => ({ bool: { should: [{ match: { message: a } }, { match: { message: b } }] } })),
);

describe('1 shard equals 5 shards', () => {
  const dir = tempDataDir('lookout-shards-');
  const indices = new IndicesService(dir);
  indices.start();
  const docs = new DocumentService(indices);
  const search = new SearchService(indices);
  afterAll(() => indices.stop());

  it('returns the same hits, totals and (with dfs) scores', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(docArb, { minLength: 1, maxLength: 60 }), fc.array(queryArb, { minLength: 1, maxLength: 5 }), async (sources, queries) => {
        for (const name of ['one', 'five']) if (indices.metas.has(name)) indices.deleteIndices(name);
        indices.createIndex('one', { settings: { number_of_shards: 1, number_of_replicas: 0 } });
        indices.createIndex('five', { settings: { number_of_shards: 5, number_of_replicas: 0 } });
        for (const name of ['one', 'five']) {
          const writes = sources.map((s, i) => docs.indexDoc(name, String(i), Buffer.from(JSON.stringify(s)), null, {}));
          await docs.complete(writes, 'true');
        }
        for (const query of queries) {
          const run = (index: string) =>
            search.search(index, { query, size: 100 }, { search_type: 'dfs_query_then_fetch' }, { searchType: 'dfs_query_then_fetch' }) as {
              hits: { total: { value: number }; hits: Array<{ _id: string; _score: number }> };
            };
          const a = run('one');
          const b = run('five');
          expect(b.hits.total.value).toBe(a.hits.total.value);
          const byId = (r: typeof a) => new Map(r.hits.hits.map((h) => [h._id, h._score]));
          const ma = byId(a);
          const mb = byId(b);
          expect([...mb.keys()].sort()).toEqual([...ma.keys()].sort());
          for (const [id, score] of ma) expect(mb.get(id)).toBeCloseTo(score, 5);
        }
      }),
      { numRuns: 25 },
    );
  }, 120_000);
});
