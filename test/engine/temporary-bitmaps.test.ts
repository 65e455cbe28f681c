// A search frees the roaring bitmaps it made for itself when it ends (index/query/exec/bitmaps.ts), so
// searches do not pile up native memory that only a major collection would return. Cached bitmaps
// (frequent terms' postings) are shared between searches and must survive: repeated searches over
// frequent and rare terms, alone and combined, keep giving the brute-force answer.

import { afterAll, describe, expect, it } from 'vitest';
import RoaringModule from 'roaring';
import { IndicesService } from '../../index/indices/indices-service.ts';
import { DocumentService } from '../../index/docs/document-service.ts';
import { SearchService } from '../../index/search/search-service.ts';
import { tempDataDir } from '../helpers/server-process.ts';

const { getRoaringUsedMemory } = RoaringModule;

describe('bitmaps a search makes are freed when it ends', () => {
  const indices = new IndicesService(tempDataDir('lookout-tmp-bitmaps-'));
  indices.start();
  const docs = new DocumentService(indices);
  const search = new SearchService(indices);
  afterAll(() => indices.stop());

  // 6,000 docs in 3 segments: `common` in every doc (cached postings), `half` in every other doc, `rare<k>` in one doc each.
  const sources = Array.from({ length: 6000 }, (_, i) => ({ message: `common ${i % 2 === 0 ? 'half' : 'odd'} rare${i % 500}`, n: i }));
  const expected = (pred: (s: (typeof sources)[number]) => boolean) => sources.filter(pred).length;

  it('keeps answering exactly while its native memory stays flat', async () => {
    indices.createIndex('logs', { settings: { number_of_shards: 1, number_of_replicas: 0 } });
    for (let seg = 0; seg < 3; seg++) {
      const writes = sources.slice(seg * 2000, (seg + 1) * 2000).map((s, i) => docs.indexDoc('logs', String(seg * 2000 + i), Buffer.from(JSON.stringify(s)), null, {}));
      await docs.complete(writes, 'true');
    }
    // Deletes make the per-segment matches an and-not instead of a clone.
    await docs.complete([docs.deleteDoc('logs', '4', {})], 'true');
    const live = sources.filter((_, i) => i !== 4);
    const cases: Array<{ query: unknown; count: number }> = [
      { query: { match: { message: 'common' } }, count: live.length },
      { query: { match: { message: 'rare7 rare9' } }, count: live.filter((s) => / rare(7|9)$/.test(s.message)).length },
      { query: { match: { message: { query: 'half rare4', operator: 'and' } } }, count: live.filter((s) => s.message.includes('half') && s.message.endsWith(' rare4')).length },
      { query: { bool: { must: [{ match: { message: 'common' } }], must_not: [{ match: { message: 'odd' } }], filter: [{ range: { n: { lt: 3000 } } }] } }, count: live.filter((s) => s.n < 3000 && s.n % 2 === 0).length },
      { query: { match_phrase: { message: 'common half' } }, count: live.filter((s) => s.message.startsWith('common half')).length },
      { query: { prefix: { 'message.keyword': 'common odd rare1' } }, count: live.filter((s) => s.message.startsWith('common odd rare1')).length },
    ];
    expect(expected((s) => s.message.endsWith(' rare7'))).toBe(12);
    const runAll = () => {
      for (const c of cases) {
        const r = search.search('logs', { query: c.query, size: 5, track_total_hits: true }, {}, {}) as { hits: { total: { value: number } } };
        expect(r.hits.total.value, JSON.stringify(c.query)).toBe(c.count);
      }
    };
    runAll(); // warms the caches (frequent terms' bitmaps stay allocated, as they should)
    const before = getRoaringUsedMemory();
    for (let i = 0; i < 50; i++) runAll();
    // 300 searches. Without freeing they leave ~3 MB behind (a clone of every segment's matches, unions,
    // rare terms' postings); freed, ~1 KB per search remains (empty and all-docs bitmaps, left to GC).
    expect(getRoaringUsedMemory() - before).toBeLessThan(640 * 1024);
  });
});
