// value_count (values, not docs, of any field kind), weighted_avg (compensated sums of value × weight
// and of weights) and cardinality (exact distinct values under precision_threshold, HyperLogLog above).

import { CompensatedSum } from './compensated-sum.ts';
import { type FormatSpec } from './doc-value-format.ts';
import { HyperLogLog, precisionFromThreshold } from './hyperloglog.ts';
import { aggExecution, asObject, checkKeys, illegalArgument, int, type Json } from './parse-helpers.ts';
import { valueBody } from './render.ts';
import { numericColumn, ordinalColumn, parseSource, resolveSource, type SourceParams, isNumeric } from './values-source.ts';
import type { AggregationType, LeafCollector } from './types.ts';

const NO_LEAF: LeafCollector = { collect() {} };

/** value_count: the number of values per bucket. */
export const valueCountAgg: AggregationType = {
  kind: 'metric',
  parse: (_n, body) => parseSource('value_count', body, []),
  create(req, ctx) {
    const src = resolveSource(req.params, ctx.shard, 'value_count');
    let counts = new Float64Array(1);
    return {
      leaf(segment) {
        const col = isNumeric(src) ? numericColumn(segment, src) : ordinalColumn(segment, src);
        if (!col) return NO_LEAF;
        const off = col.offsets;
        return {
          collect(doc, ord) {
            if (ord >= counts.length) {
              const c = new Float64Array(Math.max(ord + 1, counts.length * 2));
              c.set(counts);
              counts = c;
            }
            counts[ord] += off[doc + 1] - off[doc];
          },
          collectAll(docs) {
            let n = 0;
            for (let i = 0; i < docs.length; i++) n += off[docs[i] + 1] - off[docs[i]];
            counts[0] += n;
          },
        };
      },
      build: (ord) => ({ value: ord < counts.length ? counts[ord] : 0 }),
    };
  },
  reduce: (_r, parts) => ({ value: (parts as { value: number }[]).reduce((a, p) => a + p.value, 0) }),
  render: (_r, reduced) => ({ value: (reduced as { value: number }).value }),
  typedName: () => 'value_count',
  value: (_r, reduced) => (reduced as { value: number }).value,
};

interface WeightedParams {
  value: SourceParams;
  weight: SourceParams;
  format?: string;
}

/** weighted_avg: Σ(value × weight) / Σ weight. */
export const weightedAvgAgg: AggregationType = {
  kind: 'metric',
  parse(_n, body: Json): WeightedParams {
    checkKeys('weighted_avg', body, ['value', 'weight', 'format', 'value_type']);
    if (body.value === undefined) throw illegalArgument('[value] must not be null: [weighted_avg]');
    if (body.weight === undefined) throw illegalArgument('[weight] must not be null: [weighted_avg]');
    const value = parseSource('value', asObject(body.value, 'value'), []);
    const weight = parseSource('weight', asObject(body.weight, 'weight'), []);
    return { value, weight, ...(typeof body.format === 'string' ? { format: body.format } : {}) };
  },
  create(req, ctx) {
    const p = req.params as WeightedParams;
    const vs = resolveSource({ ...p.value, format: p.format }, ctx.shard, 'weighted_avg', 'numeric');
    const ws = resolveSource(p.weight, ctx.shard, 'weighted_avg', 'numeric');
    const sums: CompensatedSum[] = [];
    const weights: CompensatedSum[] = [];
    return {
      leaf(segment) {
        const vc = numericColumn(segment, vs);
        const wc = numericColumn(segment, ws);
        if (!vc || !wc) return NO_LEAF;
        return {
          collect(doc, ord) {
            const ws0 = wc.offsets[doc], we = wc.offsets[doc + 1];
            const vs0 = vc.offsets[doc], ve = vc.offsets[doc + 1];
            if (ws0 === we || vs0 === ve) return;
            if (we - ws0 > 1) {
              throw aggExecution('Encountered more than one weight for a single document. Use a script to combine multiple weights-per-doc into a single value.');
            }
            const w = wc.values[ws0];
            const s = (sums[ord] ??= new CompensatedSum());
            const t = (weights[ord] ??= new CompensatedSum());
            for (let i = vs0; i < ve; i++) {
              s.add(vc.values[i] * w);
              t.add(w);
            }
          },
        };
      },
      build: (ord) => ({ sum: sums[ord]?.value ?? 0, weight: weights[ord]?.value ?? 0, format: vs.format }),
    };
  },
  reduce(_r, parts) {
    const s = new CompensatedSum(), w = new CompensatedSum();
    const list = parts as { sum: number; weight: number; format: FormatSpec }[];
    for (const p of list) { s.add(p.sum); w.add(p.weight); }
    return { sum: s.value, weight: w.value, format: list[0]?.format ?? { t: 'raw' } };
  },
  render(_r, reduced) {
    const r = reduced as { sum: number; weight: number; format: FormatSpec };
    return valueBody(r.weight !== 0 ? r.sum / r.weight : null, r.format);
  },
  typedName: () => 'weighted_avg',
  value: (_r, reduced) => {
    const r = reduced as { sum: number; weight: number };
    return r.weight !== 0 ? r.sum / r.weight : null;
  },
};

interface CardinalityParams extends SourceParams {
  precision_threshold: number;
}

/** cardinality partial: the exact distinct values (as strings) or HLL registers. */
interface CardinalityPartial {
  p: number;
  values?: string[];
  registers?: number[];
}

/** cardinality: exact under precision_threshold (OpenSearch's linear counting), HLL above it. */
export const cardinalityAgg: AggregationType = {
  kind: 'metric',
  parse(name, body) {
    const p = parseSource('cardinality', body, ['precision_threshold', 'rehash', 'execution_hint']) as CardinalityParams;
    p.precision_threshold = body.precision_threshold === undefined ? 3000 : int('cardinality', 'precision_threshold', body.precision_threshold);
    if (p.precision_threshold < 0) {
      throw illegalArgument(`[precisionThreshold] must be greater than or equal to 0. Found [${p.precision_threshold}] in [${name}]`);
    }
    return p;
  },
  create(req, ctx) {
    const p = req.params as CardinalityParams;
    const src = resolveSource(p, ctx.shard, 'cardinality');
    const precision = precisionFromThreshold(p.precision_threshold);
    const sets: HyperLogLog[] = [];
    const get = (ord: number) => (sets[ord] ??= new HyperLogLog(precision));
    const pending: (() => void)[] = [];
    return {
      leaf(segment) {
        if (isNumeric(src)) {
          const col = numericColumn(segment, src);
          if (!col) return NO_LEAF;
          const { offsets, values } = col;
          return {
            collect(doc, ord) {
              const s = offsets[doc], e = offsets[doc + 1];
              if (s === e) return;
              const h = get(ord);
              for (let i = s; i < e; i++) h.addNumber(values[i]);
            },
          };
        }
        const col = ordinalColumn(segment, src);
        if (!col) return NO_LEAF;
        const { offsets, values, terms } = col;
        // Ordinals seen per bucket in this segment; mapped to strings once, at the next segment or build.
        const seen: Uint8Array[] = [];
        const flushers: (() => void)[] = [];
        const flushOrd = (ord: number) => () => {
          const bits = seen[ord];
          const h = get(ord);
          for (let o = 0; o < bits.length; o++) if (bits[o]) h.addString(terms![o]);
        };
        for (const f of pending) f();
        pending.length = 0;
        pending.push(() => flushers.forEach((f) => f()));
        return {
          collect(doc, ord) {
            const s = offsets[doc], e = offsets[doc + 1];
            if (s === e) return;
            let bits = seen[ord];
            if (!bits) {
              bits = seen[ord] = new Uint8Array(terms!.length);
              ctx.budget.addBytes(terms!.length);
              flushers.push(flushOrd(ord));
            }
            for (let i = s; i < e; i++) bits[values[i]] = 1;
          },
        };
      },
      finish() {
        for (const f of pending) f();
        pending.length = 0;
      },
      build(ord): CardinalityPartial {
        const h = sets[ord];
        if (!h) return { p: precision, values: [] };
        return h.toJSON();
      },
    };
  },
  reduce(req, parts) {
    const list = parts as CardinalityPartial[];
    const precision = list[0]?.p ?? precisionFromThreshold(req.params.precision_threshold);
    const h = new HyperLogLog(precision);
    for (const p of list) h.merge(p);
    return { value: h.cardinality() };
  },
  render: (_r, reduced) => ({ value: (reduced as { value: number }).value }),
  typedName: () => 'cardinality',
  value: (_r, reduced) => (reduced as { value: number }).value,
};

