// percentiles and percentile_ranks over a t-digest per bucket (OpenSearch 2.x numbers), and
// median_absolute_deviation (a t-digest of values, then of deviations from its median). Shard partials
// are the compressed centroids; reduce re-adds them into a fresh digest as TDigestState does.

import { formatNumber, hasString, javaDouble, type FormatSpec } from './doc-value-format.ts';
import { OpenSearchError, bool, illegalArgument, num, type Json, asObject, checkKeys } from './parse-helpers.ts';
import { TDigest, digestFrom } from './tdigest.ts';
import { HdrHistogram, type HdrPartial } from './hdr-histogram.ts';
import { numericColumn, parseSource, resolveSource, type SourceParams } from './values-source.ts';
import type { AggregationType, Aggregator, CollectContext, LeafCollector } from './types.ts';

interface Params extends SourceParams {
  values: number[];
  keyed: boolean;
  compression: number;
  method: 'tdigest' | 'hdr';
  digits: number;
}

interface Partial {
  compression: number;
  centroids: [number, number][];
  format: FormatSpec;
  hdr?: HdrPartial;
}

const DEFAULT_PERCENTS = [1, 5, 25, 50, 75, 95, 99];

function parsePercentiles(type: 'percentiles' | 'percentile_ranks', name: string, body: Json): Params {
  const valuesKey = type === 'percentiles' ? 'percents' : 'values';
  const p = parseSource(type, body, [valuesKey, 'keyed', 'tdigest', 'hdr', 'compression', 'method', 'number_of_significant_value_digits']) as Params;
  const raw = body[valuesKey];
  if (raw !== undefined) {
    if (!Array.isArray(raw)) throw illegalArgument(`[${valuesKey}] must be an array`);
    p.values = raw.map((v) => num(type, valuesKey, v));
    if (p.values.length === 0) throw illegalArgument(`[${valuesKey}] must not be empty: [${name}]`);
    if (type === 'percentiles') {
      for (const v of p.values) if (v < 0 || v > 100) throw illegalArgument(`percent must be in [0,100], got [${v}]: [${name}]`);
    }
  } else if (type === 'percentile_ranks') {
    throw illegalArgument(`[values] must not be null: [${name}]`);
  } else p.values = DEFAULT_PERCENTS;
  if (type === 'percentiles') p.values = [...new Set(p.values)].sort((a, b) => a - b);
  p.keyed = body.keyed === undefined ? true : bool(type, 'keyed', body.keyed);
  p.method = 'tdigest';
  p.compression = 100;
  p.digits = 3;
  if (body.tdigest !== undefined) {
    const t = asObject(body.tdigest, 'tdigest');
    checkKeys('tdigest', t, ['compression']);
    if (t.compression !== undefined) p.compression = num('tdigest', 'compression', t.compression);
  }
  if (body.hdr !== undefined) {
    const h = asObject(body.hdr, 'hdr');
    checkKeys('hdr', h, ['number_of_significant_value_digits']);
    p.method = 'hdr';
    if (h.number_of_significant_value_digits !== undefined) p.digits = num('hdr', 'number_of_significant_value_digits', h.number_of_significant_value_digits);
    if (p.digits < 0 || p.digits > 5) throw illegalArgument(`[numberOfSignificantValueDigits] must be between 0 and 5: [${name}]`);
  }
  if (body.tdigest !== undefined && body.hdr !== undefined) {
    throw new OpenSearchError('parsing_exception', `Field [hdr] cannot be used with [tdigest]`, 400, { line: 1, col: 1 });
  }
  if (p.compression < 0) throw illegalArgument(`[compression] must be greater than or equal to 0. Found [${javaDouble(p.compression)}] in [${name}]`);
  return p;
}

/** A t-digest per parent bucket ordinal over a numeric field. */
export function digestAggregator(type: string, params: SourceParams, compression: number, ctx: CollectContext): Aggregator & { format: FormatSpec } {
  const src = resolveSource(params, ctx.shard, type, 'numeric');
  const digests: (TDigest | undefined)[] = [];
  const get = (ord: number) => {
    let d = digests[ord];
    if (!d) {
      d = digests[ord] = new TDigest(compression);
      ctx.budget.addBytes(compression * 160);
    }
    return d;
  };
  return {
    format: src.format,
    leaf(segment): LeafCollector {
      const col = numericColumn(segment, src);
      if (!col) return { collect() {} };
      const { offsets, values } = col;
      return {
        collect(doc, ord) {
          const s = offsets[doc], e = offsets[doc + 1];
          if (s === e) return;
          const d = get(ord);
          for (let i = s; i < e; i++) d.add(values[i]);
        },
      };
    },
    build(ord): Partial {
      const d = digests[ord];
      return { compression, centroids: d ? d.centroids() : [], format: src.format };
    },
  };
}

/** An HDR histogram per parent bucket ordinal. */
function hdrAggregator(type: string, params: SourceParams, digits: number, ctx: CollectContext): Aggregator {
  const src = resolveSource(params, ctx.shard, type, 'numeric');
  const hists: (HdrHistogram | undefined)[] = [];
  return {
    leaf(segment): LeafCollector {
      const col = numericColumn(segment, src);
      if (!col) return { collect() {} };
      const { offsets, values } = col;
      return {
        collect(doc, ord) {
          const s = offsets[doc], e = offsets[doc + 1];
          if (s === e) return;
          const h = (hists[ord] ??= new HdrHistogram(digits));
          for (let i = s; i < e; i++) {
            if (values[i] < 0) throw new OpenSearchError('array_index_out_of_bounds_exception', `Negative values are not supported by HDR: [${values[i]}]`, 400);
            h.record(values[i]);
          }
        },
      };
    },
    build(ord): Partial {
      const h = hists[ord];
      return { compression: 0, centroids: [], format: src.format, hdr: h ? h.toJSON() : { digits, emin: null, buckets: [] } };
    },
  };
}

function reduceDigest(partials: Partial[], compression: number): { digest: TDigest; format: FormatSpec } {
  const format = partials.find((p) => p.format.t !== 'raw')?.format ?? partials[0]?.format ?? { t: 'raw' };
  return { digest: digestFrom(partials[0]?.compression ?? compression, partials.map((p) => p.centroids)), format };
}

interface Reduced { keys: number[]; values: (number | null)[]; format: FormatSpec }

function renderKeyed(p: Params, r: Reduced): Record<string, unknown> {
  const str = hasString(r.format);
  if (p.keyed) {
    const values: Record<string, unknown> = {};
    r.keys.forEach((k, i) => {
      values[javaDouble(k)] = r.values[i];
      if (str && r.values[i] !== null) values[`${javaDouble(k)}_as_string`] = formatNumber(r.format, r.values[i]!);
    });
    return { values };
  }
  return {
    values: r.keys.map((k, i) => {
      const e: Record<string, unknown> = { key: k, value: r.values[i] };
      if (str && r.values[i] !== null) e.value_as_string = formatNumber(r.format, r.values[i]!);
      return e;
    }),
  };
}

function finite(v: number): number | null {
  return Number.isFinite(v) ? v : null;
}

function make(type: 'percentiles' | 'percentile_ranks'): AggregationType {
  return {
    kind: 'metric',
    parse: (name, body) => parsePercentiles(type, name, body),
    create: (req, ctx) => (req.params.method === 'hdr'
      ? hdrAggregator(type, req.params, req.params.digits, ctx)
      : digestAggregator(type, req.params, req.params.compression, ctx)),
    reduce(req, partials): Reduced {
      const p = req.params as Params;
      if (p.method === 'hdr') {
        const list = partials as Partial[];
        const h = new HdrHistogram(p.digits);
        for (const x of list) if (x.hdr) h.merge(x.hdr);
        const format = list.find((x) => x.format.t !== 'raw')?.format ?? list[0]?.format ?? { t: 'raw' };
        const values = p.values.map((v) => (h.count === 0 ? null : type === 'percentiles' ? h.valueAtPercentile(v) : h.percentileAtOrBelow(v)));
        return { keys: p.values, values, format };
      }
      const { digest, format } = reduceDigest(partials as Partial[], p.compression);
      const empty = digest.size() === 0;
      const values = p.values.map((v) => {
        if (empty) return null;
        if (type === 'percentiles') return finite(digest.quantile(v / 100));
        const rank = digest.cdf(v);
        return finite(Math.min(1, Math.max(0, rank)) * 100);
      });
      return { keys: p.values, values, format };
    },
    render: (req, reduced) => renderKeyed(req.params, reduced as Reduced),
    typedName: (req) => `${req.params.method === 'hdr' ? 'hdr' : 'tdigest'}_${type === 'percentiles' ? 'percentiles' : 'percentile_ranks'}`,
    value(req, reduced, key) {
      const r = reduced as Reduced;
      const k = Number(key);
      const i = r.keys.findIndex((x) => x === k);
      if (i < 0) {
        if (type === 'percentiles') throw illegalArgument(`Invalid percentile key [${key}] for [${req.name}]`);
        throw illegalArgument(`Invalid value key [${key}] for [${req.name}]`);
      }
      return r.values[i];
    },
  };
}

export const percentilesAgg = make('percentiles');
export const percentileRanksAgg = make('percentile_ranks');

/** median_absolute_deviation (compression default 1000). */
export const madAgg: AggregationType = {
  kind: 'metric',
  parse(name, body) {
    const p = parseSource('median_absolute_deviation', body, ['compression']) as SourceParams & { compression: number };
    p.compression = body.compression === undefined ? 1000 : num('median_absolute_deviation', 'compression', body.compression);
    if (p.compression <= 0) throw illegalArgument(`[compression] must be greater than 0. Found [${javaDouble(p.compression)}] in [${name}]`);
    return p;
  },
  create: (req, ctx) => digestAggregator('median_absolute_deviation', req.params, req.params.compression, ctx),
  reduce(req, partials) {
    const { digest, format } = reduceDigest(partials as Partial[], req.params.compression);
    if (digest.size() === 0) return { value: null, format };
    const median = digest.quantile(0.5);
    const dev = new TDigest(digest.publicCompression);
    for (const [m, c] of digest.centroids()) dev.add(Math.abs(median - m), c);
    return { value: finite(dev.quantile(0.5)), format };
  },
  render(_req, reduced) {
    const r = reduced as { value: number | null; format: FormatSpec };
    const out: Record<string, unknown> = { value: r.value };
    if (r.value !== null && hasString(r.format)) out.value_as_string = formatNumber(r.format, r.value);
    return out;
  },
  typedName: () => 'median_absolute_deviation',
  value: (_req, reduced) => (reduced as { value: number | null }).value,
};
