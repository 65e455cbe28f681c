// avg, sum, min, max, stats and extended_stats: one collector (stats-collector.ts), six renderings
// as InternalAvg / InternalSum / InternalMin / InternalMax / InternalStats / InternalExtendedStats print them.

import { formatNumber, hasString } from './doc-value-format.ts';
import { illegalArgument, num, type Json } from './parse-helpers.ts';
import { valueBody } from './render.ts';
import { reduceStats, statsAggregator, type StatsPartial } from './stats-collector.ts';
import { parseSource, type SourceParams } from './values-source.ts';
import type { AggregationRequest, AggregationType } from './types.ts';

type Kind = 'avg' | 'sum' | 'min' | 'max' | 'stats' | 'extended_stats';

interface Params extends SourceParams {
  sigma?: number;
}

function valueOf(kind: Kind, s: StatsPartial): number | null {
  switch (kind) {
    case 'avg': return s.count === 0 ? null : s.sum / s.count;
    case 'sum': return s.sum;
    case 'min': return s.count === 0 ? null : s.min;
    case 'max': return s.count === 0 ? null : s.max;
    default: return null;
  }
}

/** The numbers of extended_stats (population and sampling variance, clamped at 0). */
export function extended(s: StatsPartial, sigma: number): Record<string, number | null> {
  const c = s.count;
  const avg = c === 0 ? null : s.sum / c;
  const varPop = c === 0 ? null : Math.max(0, (s.sumSq - (s.sum * s.sum) / c) / c);
  const varSamp = c <= 1 ? null : Math.max(0, (s.sumSq - (s.sum * s.sum) / c) / (c - 1));
  const sdPop = varPop === null ? null : Math.sqrt(varPop);
  const sdSamp = varSamp === null ? null : Math.sqrt(varSamp);
  return {
    count: c, min: c === 0 ? null : s.min, max: c === 0 ? null : s.max, avg, sum: s.sum,
    sum_of_squares: c === 0 ? null : s.sumSq,
    variance: varPop, variance_population: varPop, variance_sampling: varSamp,
    std_deviation: sdPop, std_deviation_population: sdPop, std_deviation_sampling: sdSamp,
    upper: avg === null || sdPop === null ? null : avg + sigma * sdPop,
    lower: avg === null || sdPop === null ? null : avg - sigma * sdPop,
    upper_population: avg === null || sdPop === null ? null : avg + sigma * sdPop,
    lower_population: avg === null || sdPop === null ? null : avg - sigma * sdPop,
    upper_sampling: avg === null || sdSamp === null ? null : avg + sigma * sdSamp,
    lower_sampling: avg === null || sdSamp === null ? null : avg - sigma * sdSamp,
  };
}

function renderStats(kind: Kind, s: StatsPartial, sigma: number): Record<string, unknown> {
  const e = extended(s, sigma);
  const out: Record<string, unknown> = { count: e.count, min: e.min, max: e.max, avg: e.avg, sum: e.sum };
  const str = s.count > 0 && hasString(s.format);
  if (str) {
    out.min_as_string = formatNumber(s.format, s.min!);
    out.max_as_string = formatNumber(s.format, s.max!);
    out.avg_as_string = formatNumber(s.format, e.avg!);
    out.sum_as_string = formatNumber(s.format, s.sum);
  }
  if (kind === 'stats') return out;
  Object.assign(out, {
    sum_of_squares: e.sum_of_squares, variance: e.variance, variance_population: e.variance_population,
    variance_sampling: e.variance_sampling, std_deviation: e.std_deviation,
    std_deviation_population: e.std_deviation_population, std_deviation_sampling: e.std_deviation_sampling,
    std_deviation_bounds: {
      upper: e.upper, lower: e.lower, upper_population: e.upper_population, lower_population: e.lower_population,
      upper_sampling: e.upper_sampling, lower_sampling: e.lower_sampling,
    },
  });
  if (str) {
    const f = (k: string) => (e[k] === null ? undefined : formatNumber(s.format, e[k]!));
    Object.assign(out, {
      sum_of_squares_as_string: f('sum_of_squares'), variance_as_string: f('variance'),
      variance_population_as_string: f('variance_population'), variance_sampling_as_string: f('variance_sampling'),
      std_deviation_as_string: f('std_deviation'), std_deviation_population_as_string: f('std_deviation_population'),
      std_deviation_sampling_as_string: f('std_deviation_sampling'),
      std_deviation_bounds_as_string: {
        upper: f('upper'), lower: f('lower'), upper_population: f('upper_population'), lower_population: f('lower_population'),
        upper_sampling: f('upper_sampling'), lower_sampling: f('lower_sampling'),
      },
    });
  }
  return out;
}

function make(kind: Kind): AggregationType {
  return {
    kind: 'metric',
    parse(_name, body: Json): Params {
      const p: Params = parseSource(kind, body, kind === 'extended_stats' ? ['sigma'] : []);
      if (body.sigma !== undefined) {
        p.sigma = num(kind, 'sigma', body.sigma);
        if (p.sigma < 0) throw illegalArgument(`[sigma] must be greater than or equal to 0. Found [${p.sigma}] in [${_name}]`);
      }
      return p;
    },
    create: (req, ctx) => statsAggregator(kind, req.params, ctx, kind === 'extended_stats'),
    reduce: (_req, partials) => reduceStats(partials as StatsPartial[]),
    render(req: AggregationRequest, reduced) {
      const s = reduced as StatsPartial;
      if (kind === 'stats' || kind === 'extended_stats') return renderStats(kind, s, req.params.sigma ?? 2);
      return valueBody(valueOf(kind, s), s.format);
    },
    typedName: () => kind,
    value(req, reduced, key) {
      const s = reduced as StatsPartial;
      if (kind !== 'stats' && kind !== 'extended_stats') return valueOf(kind, s);
      if (key === undefined) return null;
      const e = extended(s, req.params.sigma ?? 2);
      const k = key === 'std_upper' ? 'upper' : key === 'std_lower' ? 'lower' : key;
      if (!(k in e)) throw illegalArgument(`Unknown value key [${key}] for ${kind} aggregation [${req.name}]`);
      return e[k];
    },
  };
}

export const avgAgg = make('avg');
export const sumAgg = make('sum');
export const minAgg = make('min');
export const maxAgg = make('max');
export const statsAgg = make('stats');
export const extendedStatsAgg = make('extended_stats');
