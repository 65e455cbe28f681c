// A small, safe expression language for bucket_script / bucket_selector and alarm conditions:
// numbers, strings, booleans, null, `params.x` (and bare `x`), arithmetic, comparisons, &&, ||, !,
// ternaries and Math functions. Painless-like syntax; no assignment, loops or general scripting.

/** A compiled expression: evaluate it against a params object. */
export interface Expression {
  readonly source: string;
  evaluate(params: Record<string, unknown>): unknown;
}

/** A syntax or evaluation error, with the position in the source. */
export class ExpressionError extends Error {}

type Node =
  | { t: 'lit'; v: unknown }
  | { t: 'var'; path: string[] }
  | { t: 'un'; op: string; a: Node }
  | { t: 'bin'; op: string; a: Node; b: Node }
  | { t: 'cond'; c: Node; a: Node; b: Node }
  | { t: 'call'; fn: string; args: Node[] };

const MATH: Record<string, (...a: number[]) => number> = {
  abs: Math.abs, ceil: Math.ceil, floor: Math.floor, round: Math.round, sqrt: Math.sqrt, cbrt: Math.cbrt,
  pow: Math.pow, exp: Math.exp, log: Math.log, log10: Math.log10, min: Math.min, max: Math.max,
  sin: Math.sin, cos: Math.cos, tan: Math.tan, asin: Math.asin, acos: Math.acos, atan: Math.atan,
  atan2: Math.atan2, signum: Math.sign, hypot: Math.hypot, random: () => NaN,
};
const CONSTS: Record<string, number> = { 'Math.PI': Math.PI, 'Math.E': Math.E, 'Double.NaN': NaN, 'Double.MAX_VALUE': Number.MAX_VALUE, 'Double.POSITIVE_INFINITY': Infinity, 'Double.NEGATIVE_INFINITY': -Infinity };

const TOKEN = /\s*(?:(\d+(?:\.\d*)?(?:[eE][+-]?\d+)?|\.\d+(?:[eE][+-]?\d+)?)[dDfFlL]?|("(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*')|([A-Za-z_$][\w$]*(?:\s*\.\s*[A-Za-z_$][\w$]*)*)|(==|!=|<=|>=|&&|\|\||[-+*/%<>!?:(),\[\]]))/y;

function tokenize(src: string): string[] {
  const out: string[] = [];
  TOKEN.lastIndex = 0;
  let pos = 0;
  while (pos < src.length) {
    if (/^\s*$/.test(src.slice(pos))) break;
    TOKEN.lastIndex = pos;
    const m = TOKEN.exec(src);
    if (!m) throw new ExpressionError(`unexpected character at ${pos} in [${src}]`);
    out.push(m[0].trim().replace(/\s*\.\s*/g, '.'));
    pos = TOKEN.lastIndex;
  }
  return out;
}

/** Compiles an expression; throws ExpressionError on bad syntax. Trailing `;` and `return` are accepted. */
export function compileExpression(source: string): Expression {
  const cleaned = source.trim().replace(/;\s*$/, '').replace(/^return\s+/, '');
  const toks = tokenize(cleaned);
  let i = 0;
  const peek = () => toks[i];
  const next = () => toks[i++];
  const expect = (t: string) => {
    if (toks[i] !== t) throw new ExpressionError(`expected [${t}] but found [${toks[i] ?? 'end'}] in [${source}]`);
    i++;
  };
  const BIN: string[][] = [['||'], ['&&'], ['==', '!='], ['<', '<=', '>', '>='], ['+', '-'], ['*', '/', '%']];
  const ternary = (): Node => {
    const c = binary(0);
    if (peek() === '?') {
      next();
      const a = ternary();
      expect(':');
      const b = ternary();
      return { t: 'cond', c, a, b };
    }
    return c;
  };
  const binary = (level: number): Node => {
    if (level === BIN.length) return unary();
    let a = binary(level + 1);
    while (BIN[level].includes(peek())) {
      const op = next();
      a = { t: 'bin', op, a, b: binary(level + 1) };
    }
    return a;
  };
  const unary = (): Node => {
    if (peek() === '-' || peek() === '!' || peek() === '+') {
      const op = next();
      return { t: 'un', op, a: unary() };
    }
    return postfix(primary());
  };
  const postfix = (n: Node): Node => {
    while (peek() === '[') {
      next();
      const k = ternary();
      expect(']');
      if (n.t !== 'var' || k.t !== 'lit') throw new ExpressionError(`unsupported index expression in [${source}]`);
      n = { t: 'var', path: [...n.path, String(k.v)] };
    }
    return n;
  };
  const primary = (): Node => {
    const tok = next();
    if (tok === undefined) throw new ExpressionError(`unexpected end of expression [${source}]`);
    if (tok === '(') {
      const e = ternary();
      expect(')');
      return e;
    }
    if (/^[\d.]/.test(tok)) return { t: 'lit', v: Number(tok.replace(/[dDfFlL]$/, '')) };
    if (tok[0] === '"' || tok[0] === "'") return { t: 'lit', v: tok.slice(1, -1).replace(/\\(.)/g, '$1') };
    if (tok === 'true' || tok === 'false') return { t: 'lit', v: tok === 'true' };
    if (tok === 'null') return { t: 'lit', v: null };
    if (tok in CONSTS) return { t: 'lit', v: CONSTS[tok] };
    if (/^[A-Za-z_$]/.test(tok)) {
      if (peek() === '(') {
        next();
        const fn = tok.replace(/^Math\./, '');
        if (!tok.startsWith('Math.') || !(fn in MATH)) throw new ExpressionError(`unknown function [${tok}] in [${source}]`);
        const args: Node[] = [];
        if (peek() !== ')') {
          args.push(ternary());
          while (peek() === ',') { next(); args.push(ternary()); }
        }
        expect(')');
        return { t: 'call', fn, args };
      }
      const path = tok.split('.');
      return { t: 'var', path: path[0] === 'params' ? path.slice(1) : path };
    }
    throw new ExpressionError(`unexpected token [${tok}] in [${source}]`);
  };
  const root = ternary();
  if (i < toks.length) throw new ExpressionError(`unexpected token [${toks[i]}] in [${source}]`);
  return { source, evaluate: (params) => evaluate(root, params) };
}

function evaluate(n: Node, params: Record<string, unknown>): unknown {
  switch (n.t) {
    case 'lit': return n.v;
    case 'var': {
      let v: unknown = params;
      for (const k of n.path) v = v === null || v === undefined ? undefined : (v as Record<string, unknown>)[k];
      return v === undefined ? null : v;
    }
    case 'un': {
      const a = evaluate(n.a, params);
      return n.op === '!' ? !truthy(a) : n.op === '-' ? -toNum(a) : toNum(a);
    }
    case 'cond': return truthy(evaluate(n.c, params)) ? evaluate(n.a, params) : evaluate(n.b, params);
    case 'call': return MATH[n.fn](...n.args.map((x) => toNum(evaluate(x, params))));
    case 'bin': {
      if (n.op === '&&') return truthy(evaluate(n.a, params)) && truthy(evaluate(n.b, params));
      if (n.op === '||') return truthy(evaluate(n.a, params)) || truthy(evaluate(n.b, params));
      const a = evaluate(n.a, params), b = evaluate(n.b, params);
      switch (n.op) {
        case '==': return a === b || (typeof a === 'number' && typeof b === 'number' && a === b);
        case '!=': return a !== b;
        case '+': return typeof a === 'string' || typeof b === 'string' ? `${a}${b}` : toNum(a) + toNum(b);
        case '-': return toNum(a) - toNum(b);
        case '*': return toNum(a) * toNum(b);
        case '/': return toNum(a) / toNum(b);
        case '%': return toNum(a) % toNum(b);
        case '<': return toNum(a) < toNum(b);
        case '<=': return toNum(a) <= toNum(b);
        case '>': return toNum(a) > toNum(b);
        case '>=': return toNum(a) >= toNum(b);
      }
    }
  }
  throw new ExpressionError('bad expression node');
}

function toNum(v: unknown): number {
  if (typeof v === 'number') return v;
  if (typeof v === 'boolean') return v ? 1 : 0;
  if (v === null || v === undefined) throw new ExpressionError('cannot use null in arithmetic');
  const n = Number(v);
  if (Number.isNaN(n)) throw new ExpressionError(`not a number: [${String(v)}]`);
  return n;
}

function truthy(v: unknown): boolean {
  if (typeof v === 'boolean') return v;
  throw new ExpressionError(`cannot cast ${v === null ? 'null' : typeof v} to boolean`);
}
