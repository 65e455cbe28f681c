// In-process benchmark: 1M synthetic log docs in one segment; aggregation vs plain typed-array loop.
import { Mapping } from '../index/mapping/mapping.ts';
import { Segment, RoaringBitmap32, type DocValuesField } from '../index/segment/segment.ts';
import { shardTermStatistics, type ShardSearchContext } from '../index/search/shard-context.ts';
import { collectAggregations, parseAggregations, reduceAggregations, renderAggregations } from '../index/aggs/index.ts';

const N = 1_000_000;
let seed = 42;
const rnd = () => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff);
function ordinal(card: number): DocValuesField {
  const terms = Array.from({ length: card }, (_, i) => `v${String(i).padStart(4, '0')}`);
  const values = new Uint32Array(N);
  for (let i = 0; i < N; i++) values[i] = Math.floor(rnd() * card);
  return { kind: 'ordinal', offsets: Uint32Array.from({ length: N + 1 }, (_, i) => i), values, terms, singleValued: true, docCount: N };
}
function numeric(f: (i: number) => number): DocValuesField {
  const values = new Float64Array(N);
  for (let i = 0; i < N; i++) values[i] = f(i);
  return { kind: 'numeric', offsets: Uint32Array.from({ length: N + 1 }, (_, i) => i), values, singleValued: true, docCount: N };
}
const t0 = Date.UTC(2024, 0, 1);
const dv = new Map<string, DocValuesField>([
  ['status', ordinal(20)], ['host', ordinal(200)],
  ['@timestamp', numeric((i) => t0 + Math.floor((i / N) * 7 * 86400000))],
  ['latency', numeric(() => Math.round(rnd() * 100000) / 100)],
]);
const meta = { ids: [], seqNos: new Float64Array(0), versions: new Float64Array(0), primaryTerms: new Float64Array(0), routings: [] };
const seg = new Segment('s0', N, meta as never, {} as never, new Map(), dv);
const mapping = new Mapping({ properties: { status: { type: 'keyword' }, host: { type: 'keyword' }, '@timestamp': { type: 'date' }, latency: { type: 'float' } } });
const shard: ShardSearchContext = { indexName: 'logs', indexUuid: 'u', shardId: 0, mapping, analyzers: {} as never, segments: [seg], stats: shardTermStatistics([seg]), now: Date.now(), settings: {} };
const all = new RoaringBitmap32(); all.addRange(0, N);
const tenth = new RoaringBitmap32(); for (let i = 0; i < N; i += 10) tenth.add(i + (i % 7));

function time(fn: () => unknown, runs = 7): number {
  const ts: number[] = [];
  for (let r = 0; r < runs; r++) { const s = performance.now(); fn(); ts.push(performance.now() - s); }
  ts.sort((a, b) => a - b);
  return +ts[Math.floor(runs / 2)].toFixed(1);
}
function agg(body: unknown, docs: InstanceType<typeof RoaringBitmap32>) {
  const reqs = parseAggregations(body);
  const p = collectAggregations(reqs, shard, [{ segment: seg, segmentOrd: 0, docs }], { maxBuckets: 65535, memoryBudgetBytes: 1 << 30 });
  return renderAggregations(reqs, reduceAggregations(reqs, [p], { maxBuckets: 65535 }), { typedKeys: false });
}
const status = dv.get('status')!, ts = dv.get('@timestamp')!, lat = dv.get('latency')!, host = dv.get('host')!;
const baselines: Record<string, (docs: Uint32Array) => unknown> = {
  terms: (d) => { const c = new Float64Array(20); for (let i = 0; i < d.length; i++) c[status.values[d[i]]]++; return c; },
  date_histogram: (d) => { const c = new Float64Array(200), s = new Float64Array(200); for (let i = 0; i < d.length; i++) { const k = Math.floor((ts.values[d[i]] - t0) / 3600000); c[k]++; s[k] += lat.values[d[i]]; } return c; },
  cardinality: (d) => { const seen = new Uint8Array(200); for (let i = 0; i < d.length; i++) seen[host.values[d[i]]] = 1; return seen; },
  percentiles: (d) => { const a = new Float64Array(d.length); for (let i = 0; i < d.length; i++) a[i] = lat.values[d[i]]; return a.sort(); },
};
const bodies: Record<string, unknown> = {
  terms: { t: { terms: { field: 'status', size: 10 } } },
  date_histogram: { h: { date_histogram: { field: '@timestamp', fixed_interval: '1h' }, aggs: { a: { avg: { field: 'latency' } } } } },
  cardinality: { c: { cardinality: { field: 'host' } } },
  percentiles: { p: { percentiles: { field: 'latency' } } },
};
const reqs = parseAggregations({ h: { date_histogram: { field: '@timestamp', fixed_interval: '1h' } } });
console.log('collect', time(() => collectAggregations(reqs, shard, [{ segment: seg, segmentOrd: 0, docs: all }], { maxBuckets: 65535, memoryBudgetBytes: 1 << 30 })));
const reqs2 = parseAggregations({ h: { histogram: { field: '@timestamp', interval: 3600000 } } });
console.log('collect histo', time(() => collectAggregations(reqs2, shard, [{ segment: seg, segmentOrd: 0, docs: all }], { maxBuckets: 65535, memoryBudgetBytes: 1 << 30 })));
if (false) for (const [label, docs] of [] as [string, never][]) {
  for (const name of Object.keys(bodies)) {
    const arr = docs.toUint32Array();
    console.log(`${label.padEnd(12)} ${name.padEnd(15)} agg p50 ${String(time(() => agg(bodies[name], docs))).padStart(7)} ms   plain loop p50 ${time(() => baselines[name](arr))} ms`);
  }
}
