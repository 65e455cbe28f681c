// Metric math of GetMetricData expressions: query ids, numbers, `+ - * /`, parentheses, unary minus,
// and the functions SUM, AVG, MIN, MAX (`SUM([m1, m2])`, `AVG(METRICS())` per timestamp; `SUM(m1)` a number). Series combine
// per timestamp: a binary operation keeps the timestamps both sides have; the functions use whatever
// series have a value at a timestamp. Non-finite results (x / 0) are dropped, as CloudWatch does.

import { cloudWatchErrors } from '../aws/aws-error.ts';

/** A time series: timestamp (ms) → value. */
export type Series = Map<number, number>;
type Value = { kind: 'scalar'; v: number } | { kind: 'series'; s: Series } | { kind: 'list'; items: Value[] };

type Node =
  | { t: 'num'; v: number }
  | { t: 'id'; id: string }
  | { t: 'neg'; e: Node }
  | { t: 'bin'; op: string; l: Node; r: Node }
  | { t: 'call'; fn: string; args: Node[] }
  | { t: 'list'; items: Node[] };

const FUNCTIONS = new Set(['SUM', 'AVG', 'MIN', 'MAX', 'METRICS']);

/** Parses an expression; throws InvalidParameterValue (naming `param`) on syntax errors. */
export function parseExpression(src: string, param: string): Node {
  const tokens = src.match(/\s*(\d+(?:\.\d+)?(?:[eE][+-]?\d+)?|[A-Za-z_][A-Za-z0-9_]*|[-+*/(),\[\]]|\S)/g) ?? [];
  const toks = tokens.map((t) => t.trim());
  let i = 0;
  const fail = (msg: string): never => {
    throw cloudWatchErrors.invalidParameterValue(`Error in expression ${param}: ${msg}`);
  };
  const peek = () => toks[i];
  const expect = (t: string) => (toks[i] === t ? i++ : fail(`expected '${t}' at token ${i + 1}`));
  const expr = (): Node => {
    let l = term();
    while (peek() === '+' || peek() === '-') {
      const op = toks[i++];
      l = { t: 'bin', op, l, r: term() };
    }
    return l;
  };
  const term = (): Node => {
    let l = unary();
    while (peek() === '*' || peek() === '/') {
      const op = toks[i++];
      l = { t: 'bin', op, l, r: unary() };
    }
    return l;
  };
  const unary = (): Node => {
    if (peek() === '-') {
      i++;
      return { t: 'neg', e: unary() };
    }
    if (peek() === '+') i++;
    return primary();
  };
  const primary = (): Node => {
    const t = toks[i++];
    if (t === undefined) return fail('unexpected end of expression');
    if (/^\d/.test(t)) return { t: 'num', v: Number(t) };
    if (t === '(') {
      const e = expr();
      expect(')');
      return e;
    }
    if (t === '[') {
      const items: Node[] = [];
      if (peek() !== ']') for (;;) {
        items.push(expr());
        if (peek() !== ',') break;
        i++;
      }
      expect(']');
      return { t: 'list', items };
    }
    if (/^[A-Za-z_]/.test(t)) {
      if (peek() === '(') {
        const fn = t.toUpperCase();
        if (!FUNCTIONS.has(fn)) fail(`unsupported function ${t}`);
        i++;
        const args: Node[] = [];
        if (peek() !== ')') for (;;) {
          args.push(expr());
          if (peek() !== ',') break;
          i++;
        }
        expect(')');
        return { t: 'call', fn, args };
      }
      return { t: 'id', id: t };
    }
    return fail(`unexpected '${t}'`);
  };
  const node = expr();
  if (i < toks.length) fail(`unexpected '${toks[i]}'`);
  return node;
}

/** The query ids an expression refers to (METRICS() refers to every stat query). */
export function referencedIds(node: Node, out = new Set<string>()): Set<string> {
  switch (node.t) {
    case 'id':
      out.add(node.id);
      break;
    case 'neg':
      referencedIds(node.e, out);
      break;
    case 'bin':
      referencedIds(node.l, out);
      referencedIds(node.r, out);
      break;
    case 'call':
    case 'list':
      for (const a of node.t === 'call' ? node.args : node.items) referencedIds(a, out);
      break;
  }
  return out;
}

/**
 * Evaluates an expression. `lookup` returns another query's series; `metrics` lists every stat query's
 * series; `timestamps` are the period starts a scalar-only expression is reported at.
 */
export function evaluate(node: Node, lookup: (id: string) => Series, metrics: () => Series[], timestamps: number[]): Series {
  const v = ev(node, lookup, metrics);
  if (v.kind === 'series') return v.s;
  if (v.kind === 'scalar') return new Map(Number.isFinite(v.v) ? timestamps.map((t) => [t, v.v]) : []);
  throw cloudWatchErrors.invalidParameterValue('An expression must produce a single time series; wrap lists in SUM, AVG, MIN or MAX.');
}

function ev(node: Node, lookup: (id: string) => Series, metrics: () => Series[]): Value {
  switch (node.t) {
    case 'num':
      return { kind: 'scalar', v: node.v };
    case 'id':
      return { kind: 'series', s: lookup(node.id) };
    case 'neg':
      return apply('*', { kind: 'scalar', v: -1 }, ev(node.e, lookup, metrics));
    case 'bin':
      return apply(node.op, ev(node.l, lookup, metrics), ev(node.r, lookup, metrics));
    case 'list':
      return { kind: 'list', items: node.items.map((x) => ev(x, lookup, metrics)) };
    case 'call': {
      if (node.fn === 'METRICS') return { kind: 'list', items: metrics().map((s) => ({ kind: 'series', s }) as Value) };
      const args = node.args.map((a) => ev(a, lookup, metrics));
      // Of one time series the functions give one number (SUM(m1) is m1's total); of several, a series.
      if (args.length === 1 && args[0].kind === 'series') return reduceAcross(node.fn, [...args[0].s.values()].map((v) => ({ kind: 'scalar', v }) as Value));
      return reduceAcross(node.fn, args.flatMap(flatten));
    }
  }
}

function flatten(v: Value): Value[] {
  return v.kind === 'list' ? v.items.flatMap(flatten) : [v];
}

/** SUM/AVG/MIN/MAX across items: per timestamp across series (scalars join every timestamp), or of scalars. */
function reduceAcross(fn: string, items: Value[]): Value {
  const series = items.filter((x): x is { kind: 'series'; s: Series } => x.kind === 'series').map((x) => x.s);
  const scalars = items.filter((x): x is { kind: 'scalar'; v: number } => x.kind === 'scalar').map((x) => x.v);
  const combine = (vals: number[]): number => {
    switch (fn) {
      case 'SUM':
        return vals.reduce((a, b) => a + b, 0);
      case 'AVG':
        return vals.reduce((a, b) => a + b, 0) / vals.length;
      case 'MIN':
        return Math.min(...vals);
      default:
        return Math.max(...vals);
    }
  };
  if (series.length === 0) return { kind: 'scalar', v: scalars.length ? combine(scalars) : NaN };
  const byTs = new Map<number, number[]>();
  for (const s of series) for (const [t, v] of s) (byTs.get(t) ?? byTs.set(t, []).get(t)!).push(v);
  const out: Series = new Map();
  for (const t of [...byTs.keys()].sort((a, b) => a - b)) {
    const r = combine([...byTs.get(t)!, ...scalars]);
    if (Number.isFinite(r)) out.set(t, r);
  }
  return { kind: 'series', s: out };
}

function apply(op: string, a: Value, b: Value): Value {
  if (a.kind === 'list' || b.kind === 'list') {
    const [list, other, listLeft] = a.kind === 'list' ? [a, b, true] : [b as Value & { kind: 'list' }, a, false];
    return { kind: 'list', items: (list as { items: Value[] }).items.map((x) => (listLeft ? apply(op, x, other) : apply(op, other, x))) };
  }
  const f = (x: number, y: number) => (op === '+' ? x + y : op === '-' ? x - y : op === '*' ? x * y : x / y);
  if (a.kind === 'scalar' && b.kind === 'scalar') return { kind: 'scalar', v: f(a.v, b.v) };
  const out: Series = new Map();
  if (a.kind === 'series' && b.kind === 'series') {
    for (const [t, x] of a.s) {
      const y = b.s.get(t);
      if (y === undefined) continue;
      const r = f(x, y);
      if (Number.isFinite(r)) out.set(t, r);
    }
  } else if (a.kind === 'series') {
    const y = (b as { v: number }).v;
    for (const [t, x] of a.s) {
      const r = f(x, y);
      if (Number.isFinite(r)) out.set(t, r);
    }
  } else {
    const x = (a as { v: number }).v;
    for (const [t, y] of (b as { s: Series }).s) {
      const r = f(x, y);
      if (Number.isFinite(r)) out.set(t, r);
    }
  }
  return { kind: 'series', s: out };
}

export type { Node as ExpressionNode };
