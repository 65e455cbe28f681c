// A small metrics registry: labelled counters, histograms and callback gauges, rendered in the
// Prometheus text exposition format (version 0.0.4) for `GET /_metrics`. Deliberately tiny — Lookout
// exposes a dozen series, so no client library is needed.

type Labels = readonly string[];

const key = (labels: Labels): string => labels.join('\u0000');

/** Escapes a label value as the exposition format requires (backslash, double quote, newline). */
function escapeLabel(v: string): string {
  return v.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');
}

function labelText(names: Labels, values: Labels, extra?: [string, string]): string {
  const parts = names.map((n, i) => `${n}="${escapeLabel(values[i])}"`);
  if (extra) parts.push(`${extra[0]}="${extra[1]}"`);
  return parts.length ? `{${parts.join(',')}}` : '';
}

/** Numbers as Prometheus writes them (`+Inf`, integers without a fraction). */
function num(v: number): string {
  if (v === Infinity) return '+Inf';
  if (v === -Infinity) return '-Inf';
  if (Number.isNaN(v)) return 'NaN';
  return String(v);
}

interface Metric {
  readonly name: string;
  render(out: string[]): void;
}

/** A monotonically increasing count per label set (name ends in `_total`). */
export class Counter implements Metric {
  private readonly series = new Map<string, { labels: Labels; value: number }>();
  constructor(readonly name: string, readonly help: string, readonly labelNames: Labels = []) {}

  inc(labels: Labels, by = 1): void {
    const k = key(labels);
    const s = this.series.get(k);
    if (s) s.value += by;
    else this.series.set(k, { labels: [...labels], value: by });
  }

  /** Every label set seen and its current value. */
  values(): { labels: Labels; value: number }[] {
    return [...this.series.values()];
  }

  render(out: string[]): void {
    out.push(`# HELP ${this.name} ${this.help}`, `# TYPE ${this.name} counter`);
    for (const s of this.series.values()) out.push(`${this.name}${labelText(this.labelNames, s.labels)} ${num(s.value)}`);
  }
}

/** A distribution per label set, in cumulative buckets (`_bucket{le}`, `_sum`, `_count`). */
export class Histogram implements Metric {
  private readonly series = new Map<string, { labels: Labels; buckets: Float64Array; sum: number; count: number }>();
  constructor(readonly name: string, readonly help: string, readonly labelNames: Labels, readonly bounds: readonly number[]) {}

  observe(labels: Labels, v: number): void {
    const k = key(labels);
    let s = this.series.get(k);
    if (!s) this.series.set(k, (s = { labels: [...labels], buckets: new Float64Array(this.bounds.length), sum: 0, count: 0 }));
    for (let i = 0; i < this.bounds.length; i++) if (v <= this.bounds[i]) s.buckets[i]++;
    s.sum += v;
    s.count++;
  }

  render(out: string[]): void {
    out.push(`# HELP ${this.name} ${this.help}`, `# TYPE ${this.name} histogram`);
    for (const s of this.series.values()) {
      for (let i = 0; i < this.bounds.length; i++) out.push(`${this.name}_bucket${labelText(this.labelNames, s.labels, ['le', num(this.bounds[i])])} ${num(s.buckets[i])}`);
      out.push(`${this.name}_bucket${labelText(this.labelNames, s.labels, ['le', '+Inf'])} ${num(s.count)}`);
      out.push(`${this.name}_sum${labelText(this.labelNames, s.labels)} ${num(s.sum)}`);
      out.push(`${this.name}_count${labelText(this.labelNames, s.labels)} ${num(s.count)}`);
    }
  }
}

/** A value read when scraped (memory, uptime). */
export class Gauge implements Metric {
  constructor(readonly name: string, readonly help: string, private readonly read: () => number) {}

  render(out: string[]): void {
    out.push(`# HELP ${this.name} ${this.help}`, `# TYPE ${this.name} gauge`, `${this.name} ${num(this.read())}`);
  }
}

/** The metrics of a process, in registration order. */
export class MetricsRegistry {
  private readonly metrics: Metric[] = [];

  register<M extends Metric>(m: M): M {
    if (this.metrics.some((x) => x.name === m.name)) throw new Error(`metric ${m.name} registered twice`);
    this.metrics.push(m);
    return m;
  }

  /** The Prometheus text exposition of every metric. */
  render(): string {
    const out: string[] = [];
    for (const m of this.metrics) m.render(out);
    return out.join('\n') + '\n';
  }
}
