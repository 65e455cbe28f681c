// `stats`: rows grouped by the `by` expressions, each aggregate call (count, count_distinct, sum, avg,
// min, max, pct, stddev, earliest, latest) accumulated per group, then every output column evaluated
// with the aggregate results in place (so `sum(a) / count(*)` works).

import { AGGREGATES, type Column, type Expr } from './insights-ast.ts';
import { evaluate, isTimeExpr, toNumber } from './insights-eval.ts';
import { Row } from './insights-row.ts';

interface Accumulator {
  add(row: Row): void;
  result(): unknown;
}

function accumulator(call: Extract<Expr, { k: 'call' }>): Accumulator {
  const arg = call.args[0];
  const value = (row: Row) => (arg === undefined ? undefined : evaluate(arg, row));
  switch (call.fn) {
    case 'count': {
      let n = 0;
      return { add: (r) => void (call.star || arg === undefined || (value(r) !== undefined && value(r) !== null) ? n++ : 0), result: () => n };
    }
    case 'count_distinct': {
      const seen = new Set<string>();
      return { add: (r) => { const v = value(r); if (v !== undefined && v !== null) seen.add(String(v)); }, result: () => seen.size };
    }
    case 'sum':
    case 'avg': {
      // Kahan summation: long runs of small values keep their precision.
      let sum = 0;
      let c = 0;
      let n = 0;
      return {
        add: (r) => {
          const v = toNumber(value(r));
          if (v === undefined) return;
          const y = v - c;
          const t = sum + y;
          c = t - sum - y;
          sum = t;
          n++;
        },
        result: () => (n === 0 ? undefined : call.fn === 'sum' ? sum : sum / n),
      };
    }
    case 'min':
    case 'max': {
      let best: number | undefined;
      return {
        add: (r) => {
          const v = toNumber(value(r));
          if (v !== undefined && (best === undefined || (call.fn === 'min' ? v < best : v > best))) best = v;
        },
        result: () => best,
      };
    }
    case 'earliest':
    case 'latest': {
      let bestTs: number | undefined;
      let best: unknown;
      return {
        add: (r) => {
          const ts = toNumber(r.get('@timestamp'));
          const v = value(r);
          if (ts === undefined || v === undefined || v === null) return;
          if (bestTs === undefined || (call.fn === 'earliest' ? ts < bestTs : ts > bestTs)) (bestTs = ts), (best = v);
        },
        result: () => best,
      };
    }
    case 'pct':
    case 'percentile': {
      const vals: number[] = [];
      const p = call.args[1] && call.args[1].k === 'num' ? call.args[1].v : 50;
      return {
        add: (r) => {
          const v = toNumber(value(r));
          if (v !== undefined) vals.push(v);
        },
        result: () => {
          if (vals.length === 0) return undefined;
          vals.sort((a, b) => a - b);
          // Nearest rank.
          return vals[Math.min(vals.length - 1, Math.max(0, Math.ceil((p / 100) * vals.length) - 1))];
        },
      };
    }
    case 'stddev': {
      // Welford's online variance (sample standard deviation).
      let n = 0;
      let mean = 0;
      let m2 = 0;
      return {
        add: (r) => {
          const v = toNumber(value(r));
          if (v === undefined) return;
          n++;
          const d = v - mean;
          mean += d / n;
          m2 += d * (v - mean);
        },
        result: () => (n < 2 ? (n === 1 ? 0 : undefined) : Math.sqrt(m2 / (n - 1))),
      };
    }
  }
  throw new Error(`not an aggregate: ${call.fn}`);
}

function aggregateCalls(e: Expr, out: Map<string, Extract<Expr, { k: 'call' }>>): void {
  switch (e.k) {
    case 'call':
      if (AGGREGATES.has(e.fn)) out.set(e.text, e);
      else e.args.forEach((a) => aggregateCalls(a, out));
      return;
    case 'bin':
    case 'and':
    case 'or':
      aggregateCalls(e.l, out);
      aggregateCalls(e.r, out);
      return;
    case 'not':
    case 'neg':
      aggregateCalls(e.e, out);
      return;
    default:
      return;
  }
}

interface Group {
  keys: unknown[];
  accs: Map<string, Accumulator>;
}

/** Streams rows into groups; `rows()` produces one row per group, in first-seen order. */
export class StatsCollector {
  private readonly groups = new Map<string, Group>();
  private readonly calls = new Map<string, Extract<Expr, { k: 'call' }>>();

  constructor(
    private readonly aggs: Column[],
    private readonly by: Column[],
  ) {
    for (const a of aggs) aggregateCalls(a.expr, this.calls);
  }

  add(row: Row): void {
    const keys = this.by.map((b) => evaluate(b.expr, row));
    const id = JSON.stringify(keys);
    let g = this.groups.get(id);
    if (!g) {
      g = { keys, accs: new Map([...this.calls].map(([text, call]) => [text, accumulator(call)])) };
      this.groups.set(id, g);
    }
    for (const acc of g.accs.values()) acc.add(row);
  }

  rows(): Row[] {
    // A query without `by` still answers one row (count() of nothing is 0).
    if (this.groups.size === 0 && this.by.length === 0) {
      this.groups.set('[]', { keys: [], accs: new Map([...this.calls].map(([text, call]) => [text, accumulator(call)])) });
    }
    const out: Row[] = [];
    for (const g of this.groups.values()) {
      const row = new Row(null);
      this.by.forEach((b, i) => row.set(b.name, g.keys[i]));
      // `stats … by bin(5m) | sort @timestamp` sorts by the time bucket, as in CloudWatch.
      const timeKey = this.by.findIndex((b) => isTimeExpr(b.expr));
      if (timeKey >= 0 && !this.by.some((b) => b.name === '@timestamp')) row.set('@timestamp', g.keys[timeKey]);
      for (const [text, acc] of g.accs) row.set(text, acc.result());
      for (const a of this.aggs) row.set(a.name, evaluate(a.expr, row));
      out.push(row);
    }
    return out;
  }
}
