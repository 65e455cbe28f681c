// Sibling pipelines over the buckets of another aggregation: avg/sum/min/max/stats/extended_stats/
// percentiles _bucket. The path's first element names a multi-bucket sibling; the rest is resolved in
// each of its buckets with the gap policy (BucketMetricsPipelineAggregator).

import { gapValue, parseGapPolicy, parsePath, type GapPolicy } from './bucket-path.ts';
import { kahanSum } from './compensated-sum.ts';
import { formatNumber, hasString, javaDouble, type FormatSpec } from './doc-value-format.ts';
import { OpenSearchError, checkKeys, illegalArgument, num, str, type Json } from './parse-helpers.ts';
import { lookup } from './registry.ts';
import { extended } from './stats-agg.ts';
import type { AggregationRequest, PipelineInput, PipelineType } from './types.ts';

type Kind = 'avg_bucket' | 'sum_bucket' | 'min_bucket' | 'max_bucket' | 'stats_bucket' | 'extended_stats_bucket' | 'percentiles_bucket';

interface Params { buckets_path: string; gap_policy: GapPolicy; format?: string; sigma?: number; percents?: number[]; keyed?: boolean }

/** Collects (key, value) pairs along a sibling path. */
export function siblingValues(req: AggregationRequest, input: PipelineInput, path: string, gap: GapPolicy): { keys: unknown[]; values: number[] } {
  const { reqs, reduced } = input.siblings!;
  const [first, ...rest] = parsePath(path);
  const target = reqs.find((r) => r.name === first.name);
  if (!target) throw illegalArgument(`No aggregation found for path [${path}]`);
  const entry = lookup(target.type)!;
  if (entry.kind !== 'bucket' || !entry.buckets) {
    throw new OpenSearchError('illegal_argument_exception', `The first aggregation in buckets_path must be a multi-bucket aggregation for aggregation [${req.name}] found :${target.type} for buckets path: ${path}`, 400);
  }
  const keys: unknown[] = [];
  const values: number[] = [];
  const restPath = rest.length > 0 ? path.slice(path.indexOf('>') + 1) : first.key ?? '_count';
  for (const b of entry.buckets(reduced[first.name])) {
    const v = gapValue(b, restPath, target.subAggs, gap);
    if (v === undefined || v === null || Number.isNaN(v)) continue;
    keys.push(b.key_as_string ?? b.key);
    values.push(v);
  }
  return { keys, values };
}

function make(kind: Kind): PipelineType {
  return {
    kind: 'pipeline',
    scope: 'sibling',
    parse(name, body: Json): Params {
      const extra = kind === 'extended_stats_bucket' ? ['sigma'] : kind === 'percentiles_bucket' ? ['percents', 'keyed'] : [];
      checkKeys(kind, body, ['buckets_path', 'gap_policy', 'format', ...extra]);
      if (body.buckets_path === undefined) throw illegalArgument(`[buckets_path] must be set for aggregation [${name}]`);
      const p: Params = { buckets_path: str(kind, 'buckets_path', body.buckets_path), gap_policy: body.gap_policy === undefined ? 'skip' : parseGapPolicy(body.gap_policy) };
      if (body.format !== undefined) p.format = str(kind, 'format', body.format);
      if (body.sigma !== undefined) p.sigma = num(kind, 'sigma', body.sigma);
      if (kind === 'percentiles_bucket') {
        p.percents = body.percents === undefined ? [1, 5, 25, 50, 75, 95, 99] : (body.percents as unknown[]).map((x) => num(kind, 'percents', x));
        for (const x of p.percents) if (x < 0 || x > 100) throw illegalArgument(`[percents] must only contain non-null doubles from 0.0-100.0 for aggregation [${name}]`);
        p.keyed = body.keyed === undefined ? true : body.keyed === true;
      }
      return p;
    },
    run(req, input) {
      const p = req.params as Params;
      const { keys, values } = siblingValues(req, input, p.buckets_path, p.gap_policy);
      const format: FormatSpec = p.format ? { t: 'decimal', pattern: p.format } : { t: 'raw' };
      switch (kind) {
        case 'avg_bucket': return { value: values.length ? kahanSum(values) / values.length : null, format };
        case 'sum_bucket': return { value: kahanSum(values), format };
        case 'min_bucket':
        case 'max_bucket': {
          let best = kind === 'min_bucket' ? Infinity : -Infinity;
          let bestKeys: unknown[] = [];
          values.forEach((v, i) => {
            if (v === best) bestKeys.push(keys[i]);
            else if (kind === 'min_bucket' ? v < best : v > best) { best = v; bestKeys = [keys[i]]; }
          });
          return { value: Number.isFinite(best) ? best : null, keys: bestKeys.map(String), format };
        }
        case 'percentiles_bucket': {
          const sorted = [...values].sort((a, b) => a - b);
          const out = p.percents!.map((pc) => {
            if (sorted.length === 0) return null;
            const idx = Math.round((pc / 100) * (sorted.length - 1));
            return sorted[idx];
          });
          return { percents: p.percents, values: out, format };
        }
        default: {
          let min = Infinity, max = -Infinity, sq = 0;
          for (const v of values) { min = Math.min(min, v); max = Math.max(max, v); sq += v * v; }
          return { count: values.length, sum: kahanSum(values), min, max, sumSq: sq, format };
        }
      }
    },
    render(req, reduced) {
      const r = reduced as any;
      const f = r.format as FormatSpec;
      const str = hasString(f);
      switch (kind) {
        case 'min_bucket': case 'max_bucket':
          return { value: r.value, ...(str && r.value !== null ? { value_as_string: formatNumber(f, r.value) } : {}), keys: r.keys };
        case 'percentiles_bucket': {
          const p = req.params as Params;
          if (p.keyed) {
            const values: Record<string, unknown> = {};
            r.percents.forEach((pc: number, i: number) => (values[javaDouble(pc)] = r.values[i]));
            return { values };
          }
          return { values: r.percents.map((pc: number, i: number) => ({ key: pc, value: r.values[i] })) };
        }
        case 'stats_bucket': case 'extended_stats_bucket': {
          const e = extended(r, (req.params as Params).sigma ?? 2);
          const base: Record<string, unknown> = { count: e.count, min: e.min, max: e.max, avg: e.avg, sum: e.sum };
          if (kind === 'stats_bucket') return base;
          return {
            ...base, sum_of_squares: e.sum_of_squares, variance: e.variance, variance_population: e.variance_population,
            variance_sampling: e.variance_sampling, std_deviation: e.std_deviation, std_deviation_population: e.std_deviation_population,
            std_deviation_sampling: e.std_deviation_sampling,
            std_deviation_bounds: { upper: e.upper, lower: e.lower, upper_population: e.upper_population, lower_population: e.lower_population, upper_sampling: e.upper_sampling, lower_sampling: e.lower_sampling },
          };
        }
        default:
          return { value: r.value, ...(str && r.value !== null ? { value_as_string: formatNumber(f, r.value) } : {}) };
      }
    },
    typedName: () => (kind === 'min_bucket' || kind === 'max_bucket' ? 'bucket_metric_value'
      : kind === 'stats_bucket' ? 'stats_bucket' : kind === 'extended_stats_bucket' ? 'extended_stats_bucket'
        : kind === 'percentiles_bucket' ? 'percentiles_bucket' : 'simple_value'),
    value(req, reduced, key) {
      const r = reduced as any;
      if (kind === 'stats_bucket' || kind === 'extended_stats_bucket') return key ? extended(r, 2)[key] ?? null : null;
      if (kind === 'percentiles_bucket') {
        const i = r.percents.indexOf(Number(key));
        return i < 0 ? null : r.values[i];
      }
      void req;
      return r.value;
    },
  };
}

export const avgBucketAgg = make('avg_bucket');
export const sumBucketAgg = make('sum_bucket');
export const minBucketAgg = make('min_bucket');
export const maxBucketAgg = make('max_bucket');
export const statsBucketAgg = make('stats_bucket');
export const extendedStatsBucketAgg = make('extended_stats_bucket');
export const percentilesBucketAgg = make('percentiles_bucket');
