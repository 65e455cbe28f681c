import { runAggs } from '../index/aggs/test-support.ts';
const mapping = { properties: { ip: { type: 'ip' }, v: { type: 'long' }, date: { type: 'date', format: 'epoch_second' } } };
console.log(JSON.stringify(runAggs(mapping, [{ ip: '::1', v: 1 }, { ip: '192.168.0.1', v: 2 }, { ip: '192.168.0.7', v: 3 }], {
  range: { ip_range: { field: 'ip', ranges: [{ to: '192.168.0.0' }, { from: '192.168.0.0', to: '192.169.0.0' }, { from: '192.169.0.0' }] }, aggs: { v: { sum: { field: 'v' } } } },
  range_avg_v: { avg_bucket: { buckets_path: 'range.v' } },
})));
console.log(JSON.stringify(runAggs(mapping, [{ date: 1000 }, { date: 2000 }, { date: 3000 }], { date_range: { date_range: { field: 'date', ranges: [{ from: 1000, to: 3000 }, { from: 3000, to: 4000 }] } } })));
