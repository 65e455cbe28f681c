// A parser for Lucene's classic query syntax as query_string uses it: `field:value`, AND/OR/NOT,
// && || !, +/-, "phrases"~slop, wildcards, /regexps/, ranges ([a TO b], {a TO b}, >=x), grouping,
// ^boosts, ~fuzzy, `_exists_:field` and backslash escapes. Produces an AST; compiling is elsewhere.

/** A node of a parsed query string. */
export type QsNode =
  | { k: 'bool'; clauses: QsClause[]; boost?: number }
  | { k: 'term'; field?: string; text: string; fuzzy?: string; boost?: number }
  | { k: 'phrase'; field?: string; text: string; slop?: number; boost?: number }
  | { k: 'wildcard'; field?: string; text: string; boost?: number }
  | { k: 'regexp'; field?: string; text: string; boost?: number }
  | { k: 'range'; field?: string; lower?: string; upper?: string; incLo: boolean; incHi: boolean; boost?: number }
  | { k: 'exists'; field: string; boost?: number }
  | { k: 'all'; boost?: number };

export interface QsClause {
  occur: 'must' | 'should' | 'must_not';
  node: QsNode;
}

/** A syntax error (rendered by the caller as OpenSearch's parse_exception). */
export class QuerySyntaxError extends Error {}

const SPECIAL = new Set([...' \t\n\r+-!(){}[]^"~:\\/']);

/** Parses query_string text; `defaultAnd` is default_operator AND. */
export function parseLuceneQuery(text: string, defaultAnd: boolean): QsNode {
  const p = new Parser(text, defaultAnd);
  const node = p.parseQuery(undefined);
  p.skipWs();
  if (p.i < text.length) throw new QuerySyntaxError(`Cannot parse '${text}': Encountered " ")" ") "" at line 1, column ${p.i}.`);
  return node;
}

class Parser {
  i = 0;
  constructor(readonly s: string, readonly defaultAnd: boolean) {}

  skipWs(): void {
    while (this.i < this.s.length && /\s/.test(this.s[this.i])) this.i++;
  }

  private word(w: string): boolean {
    if (this.s.startsWith(w, this.i)) {
      const after = this.s[this.i + w.length];
      if (after === undefined || /\s/.test(after) || after === '(' || after === '"') {
        this.i += w.length;
        return true;
      }
    }
    return false;
  }

  parseQuery(field: string | undefined): QsNode {
    const clauses: QsClause[] = [];
    for (;;) {
      this.skipWs();
      if (this.i >= this.s.length || this.s[this.i] === ')') break;
      let conj: 'and' | 'or' | null = null;
      if (clauses.length > 0) {
        if (this.word('AND') || this.s.startsWith('&&', this.i) && (this.i += 2)) conj = 'and';
        else if (this.word('OR') || this.s.startsWith('||', this.i) && (this.i += 2)) conj = 'or';
        this.skipWs();
      }
      let mod: 'req' | 'not' | null = null;
      if (this.s[this.i] === '+') { mod = 'req'; this.i++; }
      else if (this.s[this.i] === '-' || this.s[this.i] === '!') { mod = 'not'; this.i++; }
      else if (this.word('NOT')) mod = 'not';
      this.skipWs();
      if (this.i >= this.s.length) throw new QuerySyntaxError(`Cannot parse '${this.s}': Encountered "<EOF>" at line 1, column ${this.i}.`);
      const node = this.parseClause(field);
      this.addClause(clauses, conj, mod, node);
    }
    if (clauses.length === 1 && clauses[0].occur !== 'must_not') return clauses[0].node;
    return { k: 'bool', clauses };
  }

  /** QueryParserBase.addClause: how conjunctions and modifiers turn into occurs. */
  private addClause(clauses: QsClause[], conj: 'and' | 'or' | null, mod: 'req' | 'not' | null, node: QsNode): void {
    const last = clauses[clauses.length - 1];
    if (last && conj === 'and' && last.occur !== 'must_not') last.occur = 'must';
    if (last && this.defaultAnd && conj === 'or' && last.occur !== 'must_not') last.occur = 'should';
    let required: boolean;
    const prohibited = mod === 'not';
    if (!this.defaultAnd) {
      required = mod === 'req' || (conj === 'and' && !prohibited);
    } else {
      required = !prohibited && conj !== 'or';
    }
    clauses.push({ node, occur: prohibited ? 'must_not' : required ? 'must' : 'should' });
  }

  private parseClause(field: string | undefined): QsNode {
    const start = this.i;
    if (this.s[this.i] !== '(' && this.s[this.i] !== '"' && this.s[this.i] !== '[' && this.s[this.i] !== '{') {
      const name = this.readTerm();
      if (this.s[this.i] === ':' && name.raw.length > 0) {
        this.i++;
        this.skipWs();
        return this.parseValue(name.text);
      }
      this.i = start;
    }
    return this.parseValue(field);
  }

  private parseValue(field: string | undefined): QsNode {
    const c = this.s[this.i];
    let node: QsNode;
    if (c === '(') {
      this.i++;
      node = this.parseQuery(field);
      this.skipWs();
      if (this.s[this.i] !== ')') throw new QuerySyntaxError(`Cannot parse '${this.s}': Encountered "<EOF>" at line 1, column ${this.i}.`);
      this.i++;
      if (node.k !== 'bool') node = { k: 'bool', clauses: [{ occur: 'must', node }] };
    } else if (c === '"') {
      const end = this.findQuote(this.i + 1);
      const text = unescape(this.s.slice(this.i + 1, end));
      this.i = end + 1;
      node = { k: 'phrase', field, text };
      if (this.s[this.i] === '~') {
        this.i++;
        const n = this.readNumber();
        if (n !== undefined) node.slop = Math.trunc(n);
      }
    } else if (c === '[' || c === '{') {
      node = this.parseRange(field);
    } else if (c === '>' || c === '<') {
      const op = this.s[this.i + 1] === '=' ? this.s.slice(this.i, this.i + 2) : c;
      this.i += op.length;
      const v = this.readTerm().text;
      node = op.startsWith('>')
        ? { k: 'range', field, lower: v, incLo: op === '>=', incHi: true }
        : { k: 'range', field, upper: v, incLo: true, incHi: op === '<=' };
    } else if (c === '/') {
      let j = this.i + 1;
      while (j < this.s.length && this.s[j] !== '/') j += this.s[j] === '\\' ? 2 : 1;
      if (j >= this.s.length) throw new QuerySyntaxError(`Cannot parse '${this.s}': Lexical error at line 1, column ${this.s.length}.  Encountered: <EOF> after : "${this.s.slice(this.i)}"`);
      node = { k: 'regexp', field, text: this.s.slice(this.i + 1, j) };
      this.i = j + 1;
    } else {
      const t = this.readTerm();
      if (t.raw.length === 0) {
        throw new QuerySyntaxError(`Cannot parse '${this.s}': Encountered " "${this.s[this.i] ?? '<EOF>'}" "" at line 1, column ${this.i}.`);
      }
      if (field === '_exists_') node = { k: 'exists', field: t.text };
      else if (t.raw === '*' && (field === undefined || field === '*')) node = { k: 'all' };
      else if (t.raw === '*') node = { k: 'exists', field: field! };
      else if (t.wild) node = { k: 'wildcard', field, text: t.wildText };
      else {
        node = { k: 'term', field, text: t.text };
        if (this.s[this.i] === '~') {
          this.i++;
          const n = this.readNumber();
          node.fuzzy = n === undefined ? 'AUTO' : String(n);
        }
      }
    }
    if (this.s[this.i] === '^') {
      this.i++;
      const b = this.readNumber();
      if (b === undefined) throw new QuerySyntaxError(`Cannot parse '${this.s}': Encountered "^" at line 1, column ${this.i}.`);
      node.boost = Math.fround(b);
    }
    return node;
  }

  private parseRange(field: string | undefined): QsNode {
    const incLo = this.s[this.i] === '[';
    this.i++;
    this.skipWs();
    const lo = this.readRangeValue();
    this.skipWs();
    if (!this.s.startsWith('TO', this.i)) throw new QuerySyntaxError(`Cannot parse '${this.s}': Encountered "<RANGE_GOOP>" at line 1, column ${this.i}.`);
    this.i += 2;
    this.skipWs();
    const hi = this.readRangeValue();
    this.skipWs();
    const close = this.s[this.i];
    if (close !== ']' && close !== '}') throw new QuerySyntaxError(`Cannot parse '${this.s}': Encountered "<EOF>" at line 1, column ${this.i}.`);
    this.i++;
    return { k: 'range', field, lower: lo === '*' ? undefined : lo, upper: hi === '*' ? undefined : hi, incLo, incHi: close === ']' };
  }

  private readRangeValue(): string {
    if (this.s[this.i] === '"') {
      const end = this.findQuote(this.i + 1);
      const v = unescape(this.s.slice(this.i + 1, end));
      this.i = end + 1;
      return v;
    }
    let out = '';
    while (this.i < this.s.length && !/[\s\]}]/.test(this.s[this.i])) {
      if (this.s[this.i] === '\\') this.i++;
      out += this.s[this.i++] ?? '';
    }
    return out;
  }

  private findQuote(from: number): number {
    for (let j = from; j < this.s.length; j++) {
      if (this.s[j] === '\\') j++;
      else if (this.s[j] === '"') return j;
    }
    throw new QuerySyntaxError(`Cannot parse '${this.s}': Lexical error at line 1, column ${this.s.length}.  Encountered: <EOF> after : "${this.s.slice(from - 1)}"`);
  }

  private readNumber(): number | undefined {
    const m = /^\d+(\.\d+)?/.exec(this.s.slice(this.i));
    if (!m) return undefined;
    this.i += m[0].length;
    return Number(m[0]);
  }

  /** A bare term: text with escapes resolved, whether it has unescaped wildcards, and the wildcard form. */
  private readTerm(): { raw: string; text: string; wild: boolean; wildText: string } {
    let raw = '';
    let text = '';
    let wildText = '';
    let wild = false;
    while (this.i < this.s.length) {
      const c = this.s[this.i];
      if (c === '\\' && this.i + 1 < this.s.length) {
        const n = this.s[this.i + 1];
        raw += c + n;
        text += n;
        wildText += n === '*' || n === '?' || n === '\\' ? '\\' + n : n;
        this.i += 2;
        continue;
      }
      if (c === '*' || c === '?') {
        wild = true;
        raw += c;
        text += c;
        wildText += c;
        this.i++;
        continue;
      }
      if (SPECIAL.has(c) && !((c === '-' || c === '+') && raw.length > 0)) break;
      raw += c;
      text += c;
      wildText += c;
      this.i++;
    }
    return { raw, text, wild, wildText };
  }
}

function unescape(s: string): string {
  return s.replace(/\\(.)/g, '$1');
}
