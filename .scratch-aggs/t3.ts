import { runAggs } from '../index/aggs/test-support.ts';
const mapping = { properties: { date: { type: 'date' }, v: { type: 'long' }, k: { type: 'keyword' } } };
const docs = Array.from({ length: 50 }, (_, i) => ({ date: new Date(Date.UTC(2020, 0, 1) + i * 3600000 * 7).toISOString(), v: i, k: 'k' + (i % 3) }));
console.log(JSON.stringify(runAggs(mapping, docs, { a: { auto_date_histogram: { field: 'date', buckets: 5 }, aggs: { s: { sum: { field: 'v' } } } }, s: { sampler: { shard_size: 10 }, aggs: { t: { terms: { field: 'k' } } } } }, { shards: 2 })));
