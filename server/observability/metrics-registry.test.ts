import { describe, expect, it } from 'vitest';
import { Counter, Gauge, Histogram, MetricsRegistry } from './metrics-registry.ts';

describe('MetricsRegistry', () => {
  it('renders counters, cumulative histograms and gauges in the exposition format, escaping label values', () => {
    const r = new MetricsRegistry();
    const c = r.register(new Counter('x_total', 'Things.', ['api']));
    const h = r.register(new Histogram('lat_seconds', 'Latency.', ['api'], [0.1, 1]));
    r.register(new Gauge('g', 'A gauge.', () => 7));
    c.inc(['a "quoted"\\path\nline']);
    c.inc(['b'], 2.5);
    h.observe(['s'], 0.05);
    h.observe(['s'], 0.5);
    h.observe(['s'], 3);
    expect(r.render()).toBe([
      '# HELP x_total Things.', '# TYPE x_total counter',
      'x_total{api="a \\"quoted\\"\\\\path\\nline"} 1', 'x_total{api="b"} 2.5',
      '# HELP lat_seconds Latency.', '# TYPE lat_seconds histogram',
      'lat_seconds_bucket{api="s",le="0.1"} 1', 'lat_seconds_bucket{api="s",le="1"} 2', 'lat_seconds_bucket{api="s",le="+Inf"} 3',
      'lat_seconds_sum{api="s"} 3.55', 'lat_seconds_count{api="s"} 3',
      '# HELP g A gauge.', '# TYPE g gauge', 'g 7', '',
    ].join('\n'));
  });

  it('refuses a metric name twice', () => {
    const r = new MetricsRegistry();
    r.register(new Counter('a_total', 'A.'));
    expect(() => r.register(new Counter('a_total', 'A.'))).toThrow(/twice/);
  });
});
