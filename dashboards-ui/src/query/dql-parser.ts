// DQL (OpenSearch Dashboards Query Language) text → a typed tree. The grammar follows OpenSearch
// Dashboards' kuery grammar: `field:value`, `field:"a phrase"`, wildcards (`val*`), `and`/`or`/`not`
// (case-insensitive, `and` binds tighter than `or`), nested parentheses, value lists `field:(a or b)`,
// ranges `field >= 10`, and existence `field:*`. An unquoted value may span several words
// (`message:disk full` matches both words, like OpenSearch Dashboards). Translation to the query DSL
// lives in dql-to-dsl.ts; `renderDql` writes a tree back as canonical text (round-trip tested).

/** A value as typed: a quoted phrase, or an unquoted literal split at its unescaped `*` wildcards. */
export type DqlValue =
  | { kind: 'phrase'; text: string }
  /** `segments.length === 1` means no wildcard; `a*b` is ['a', 'b']. */
  | { kind: 'literal'; segments: string[] };

export type RangeOp = 'gt' | 'gte' | 'lt' | 'lte';

export type DqlNode =
  | { kind: 'or'; children: DqlNode[] }
  | { kind: 'and'; children: DqlNode[] }
  | { kind: 'not'; child: DqlNode }
  /** `field` null: free text over every field. */
  | { kind: 'match'; field: string | null; value: DqlValue }
  | { kind: 'range'; field: string; op: RangeOp; value: string }
  | { kind: 'exists'; field: string }
  /** The empty query (matches everything). */
  | { kind: 'all' };

/** A syntax error with the offset it was found at and a caret line for display. */
export class DqlSyntaxError extends Error {
  constructor(
    message: string,
    readonly offset: number,
    readonly input: string,
  ) {
    super(message);
  }

  /** The query with a caret under the error, as OpenSearch Dashboards shows it. */
  get pointer(): string {
    return `${this.input}\n${'-'.repeat(this.offset)}^`;
  }
}

type Token =
  | { t: 'word'; text: string; segments: string[]; escaped: boolean; start: number; end: number }
  | { t: 'phrase'; text: string; start: number; end: number }
  | { t: '(' | ')' | ':' | '{' | '}'; start: number; end: number }
  | { t: 'op'; op: RangeOp; start: number; end: number }
  | { t: 'kw'; kw: 'and' | 'or' | 'not'; start: number; end: number }
  | { t: 'end'; start: number; end: number };

/** Characters that end an unquoted word unless escaped with `\`. */
const SPECIAL = new Set(['\\', '(', ')', ':', '<', '>', '"', '*', '{', '}']);

function tokenize(input: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  const n = input.length;
  while (i < n) {
    const c = input[i];
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    const start = i;
    if (c === '(' || c === ')' || c === ':' || c === '{' || c === '}') {
      out.push({ t: c, start, end: ++i });
      continue;
    }
    if (c === '<' || c === '>') {
      const eq = input[i + 1] === '=';
      i += eq ? 2 : 1;
      out.push({ t: 'op', op: c === '<' ? (eq ? 'lte' : 'lt') : eq ? 'gte' : 'gt', start, end: i });
      continue;
    }
    if (c === '"') {
      let text = '';
      i++;
      for (;;) {
        if (i >= n) throw new DqlSyntaxError('Unterminated quoted phrase: expected a closing "', n, input);
        const d = input[i];
        if (d === '\\' && i + 1 < n) {
          text += input[i + 1];
          i += 2;
        } else if (d === '"') {
          i++;
          break;
        } else {
          text += d;
          i++;
        }
      }
      out.push({ t: 'phrase', text, start, end: i });
      continue;
    }
    if (c === '=') throw new DqlSyntaxError('Unexpected "=": DQL uses ":" for equality (field:value)', i, input);
    // An unquoted word: up to whitespace or a special character; `\x` escapes x; `*` is a wildcard.
    const segments = [''];
    let escaped = false;
    while (i < n) {
      const d = input[i];
      if (/\s/.test(d)) break;
      if (d === '\\') {
        if (i + 1 >= n) throw new DqlSyntaxError('Dangling "\\" at the end of the query', i, input);
        segments[segments.length - 1] += input[i + 1];
        escaped = true;
        i += 2;
        continue;
      }
      if (d === '*') {
        segments.push('');
        i++;
        continue;
      }
      if (SPECIAL.has(d)) break;
      segments[segments.length - 1] += d;
      i++;
    }
    const text = segments.join('*');
    const lower = text.toLowerCase();
    if (!escaped && segments.length === 1 && (lower === 'and' || lower === 'or' || lower === 'not')) {
      out.push({ t: 'kw', kw: lower, start, end: i });
    } else {
      out.push({ t: 'word', text, segments, escaped, start, end: i });
    }
  }
  out.push({ t: 'end', start: n, end: n });
  return out;
}

/** Parses DQL text; throws DqlSyntaxError. Blank text is `{kind: 'all'}`. */
export function parseDql(input: string): DqlNode {
  const toks = tokenize(input);
  let p = 0;
  const peek = () => toks[p];
  const describe = (t: Token) => (t.t === 'end' ? 'end of input' : `"${input.slice(t.start, t.end)}"`);
  const fail = (expected: string): never => {
    const t = peek();
    throw new DqlSyntaxError(`Expected ${expected} but ${describe(t)} found.`, t.start, input);
  };
  const isKw = (kw: string) => {
    const t = peek();
    return t.t === 'kw' && t.kw === kw;
  };

  if (toks.length === 1) return { kind: 'all' };

  // Generic boolean structure, shared by whole queries and by value lists `field:(a or b)`.
  function orOf(unit: () => DqlNode): DqlNode {
    const children = [andOf(unit)];
    while (isKw('or')) {
      p++;
      children.push(andOf(unit));
    }
    return children.length === 1 ? children[0] : { kind: 'or', children };
  }
  function andOf(unit: () => DqlNode): DqlNode {
    const children = [notOf(unit)];
    while (isKw('and')) {
      p++;
      children.push(notOf(unit));
    }
    return children.length === 1 ? children[0] : { kind: 'and', children };
  }
  function notOf(unit: () => DqlNode): DqlNode {
    if (isKw('not')) {
      p++;
      return { kind: 'not', child: notOf(unit) };
    }
    return unit();
  }

  /** Consecutive words (a multi-word unquoted value), or one phrase. */
  function value(): DqlValue {
    const t = peek();
    if (t.t === 'phrase') {
      p++;
      return { kind: 'phrase', text: t.text };
    }
    if (t.t !== 'word') return fail('a value');
    const segs = [...(t as Extract<Token, { t: 'word' }>).segments];
    p++;
    // A following word that starts a `field:` or `field >` ends the value (and is then reported as unexpected).
    for (let nx = peek(); nx.t === 'word' && toks[p + 1].t !== ':' && toks[p + 1].t !== 'op'; nx = peek()) {
      segs[segs.length - 1] += ' ' + nx.segments[0];
      segs.push(...nx.segments.slice(1));
      p++;
    }
    return { kind: 'literal', segments: segs };
  }

  function query(): DqlNode {
    const t = peek();
    if (t.t === '(') {
      p++;
      const inner = orOf(query);
      if (peek().t !== ')') fail('")", AND, OR');
      p++;
      return inner;
    }
    if (t.t === 'word' && toks[p + 1].t === ':') {
      const field = fieldName(t);
      p += 2;
      return fieldValues(field);
    }
    if (t.t === 'word' && toks[p + 1].t === 'op') {
      const field = fieldName(t);
      const op = (toks[p + 1] as Extract<Token, { t: 'op' }>).op;
      p += 2;
      const v = peek();
      if (v.t === 'phrase') {
        p++;
        return { kind: 'range', field, op, value: v.text };
      }
      if (v.t !== 'word' || v.segments.length > 1) return fail('a value without wildcards');
      p++;
      return { kind: 'range', field, op, value: v.text };
    }
    if (t.t === 'word' || t.t === 'phrase') return { kind: 'match', field: null, value: value() };
    return fail('a field, a value, "(" or NOT');
  }

  function fieldName(t: Extract<Token, { t: 'word' }>): string {
    if (t.text === '') throw new DqlSyntaxError('Expected a field name', t.start, input);
    return t.text;
  }

  function fieldValues(field: string): DqlNode {
    const t = peek();
    if (t.t === '(') {
      p++;
      const inner = orOf(() => fieldValue(field));
      if (peek().t !== ')') fail('")", AND, OR');
      p++;
      return inner;
    }
    if (t.t === '{') fail('a value (nested field queries are not supported)');
    return fieldValue(field);
  }

  function fieldValue(field: string): DqlNode {
    const t = peek();
    if (t.t === '(') {
      p++;
      const inner = orOf(() => fieldValue(field));
      if (peek().t !== ')') fail('")", AND, OR');
      p++;
      return inner;
    }
    const v = value();
    if (v.kind === 'literal' && v.segments.length === 2 && v.segments[0] === '' && v.segments[1] === '') return { kind: 'exists', field };
    return { kind: 'match', field, value: v };
  }

  const tree = orOf(query);
  if (peek().t !== 'end') fail('AND, OR, end of input');
  return tree;
}

const escapeLiteral = (s: string) => s.replace(/[\\():<>"*{}]/g, (c) => '\\' + c);
/** A literal with its keyword words escaped too (`\or`), so a field or value named `or` stays a word. */
const escapeWord = (s: string) => escapeLiteral(s).replace(/(^|\s)(and|or|not)(?=\s|$)/gi, (_m, sp, kw) => `${sp}\\${kw}`);

/** Writes a tree back as DQL (canonical spacing, minimal parentheses). */
export function renderDql(node: DqlNode): string {
  switch (node.kind) {
    case 'all':
      return '';
    case 'or':
      return node.children.map((c) => renderDql(c)).join(' or ');
    case 'and':
      return node.children.map((c) => (c.kind === 'or' ? `(${renderDql(c)})` : renderDql(c))).join(' and ');
    case 'not': {
      const inner = renderDql(node.child);
      return node.child.kind === 'or' || node.child.kind === 'and' ? `not (${inner})` : `not ${inner}`;
    }
    case 'exists':
      return `${escapeWord(node.field)}:*`;
    case 'range': {
      const op = { gt: '>', gte: '>=', lt: '<', lte: '<=' }[node.op];
      return `${escapeWord(node.field)} ${op} ${/[\s]/.test(node.value) || node.value === '' ? JSON.stringify(node.value) : escapeWord(node.value)}`;
    }
    case 'match': {
      const v = renderValue(node.value);
      return node.field === null ? v : `${escapeWord(node.field)}:${v}`;
    }
    default: {
      const never: never = node;
      return never;
    }
  }
}

function renderValue(v: DqlValue): string {
  if (v.kind === 'phrase') return `"${v.text.replace(/[\\"]/g, (c) => '\\' + c)}"`;
  // Words that are keywords get escaped so they stay values (`\and`).
  return v.segments.map(escapeWord).join('*');
}
