// Parses a Logs Insights (CWLI) query string into the typed pipeline of insights-ast.ts: commands
// separated by `|`, expressions by precedence climbing (or < and < not < comparison/like/in <
// + - < * / % < ^ < unary). Errors carry character offsets for MalformedQueryException.

import { AGGREGATES, InsightsSyntaxError, type Column, type Command, type Expr, type InsightsQuery, type LogGroupSource } from './insights-ast.ts';
import { tokenize, type Tok } from './insights-lexer.ts';

/** Parses a query; throws InsightsSyntaxError. */
export function parseInsightsQuery(query: string): InsightsQuery {
  const p = new Parser(query, tokenize(query));
  const source = p.source();
  if (source && p.atEnd()) return { commands: [], source };
  if (source) p.expectOp('|');
  const commands: Command[] = [];
  for (;;) {
    commands.push(p.command(commands.some((c) => c.cmd === 'dedup')));
    if (p.atEnd()) break;
    p.expectOp('|');
  }
  return source ? { commands, source } : { commands };
}

/** The keys of `logGroups(...)`, with the most values each may list (CWL_QuerySyntax-Source). */
const SOURCE_KEYS: Record<string, { field: keyof LogGroupSource; max: number }> = {
  namePrefix: { field: 'namePrefix', max: 5 },
  accountIdentifiers: { field: 'accountIdentifiers', max: 20 },
  // The examples write `class`; the keyword list calls it logGroupClass.
  class: { field: 'classes', max: 2 },
  logGroupClass: { field: 'classes', max: 2 },
};
const SOURCE_CLASSES = new Set(['STANDARD', 'INFREQUENT_ACCESS']);

class Parser {
  private pos = 0;
  constructor(
    private readonly q: string,
    private readonly toks: Tok[],
  ) {}

  atEnd(): boolean {
    return this.pos >= this.toks.length;
  }
  private peek(): Tok | undefined {
    return this.toks[this.pos];
  }
  private fail(message: string, tok = this.peek()): never {
    throw new InsightsSyntaxError(message, tok?.start ?? this.q.length, tok?.end ?? this.q.length);
  }
  private isOp(v: string): boolean {
    const t = this.peek();
    return t?.kind === 'op' && t.v === v;
  }
  private isWord(w: string): boolean {
    const t = this.peek();
    return t?.kind === 'ident' && t.v.toLowerCase() === w;
  }
  expectOp(v: string): Tok {
    if (!this.isOp(v)) this.fail(`Expected '${v}'${this.peek() ? ` but found '${this.peek()!.v}'` : ' at end of query'}`);
    return this.toks[this.pos++];
  }
  private ident(what: string): string {
    const t = this.peek();
    if (t?.kind !== 'ident') this.fail(`Expected ${what}`);
    this.pos++;
    return t.v;
  }
  private endOfCommand(): boolean {
    return this.atEnd() || this.isOp('|');
  }
  private list<T>(item: () => T): T[] {
    const out = [item()];
    while (this.isOp(',')) {
      this.pos++;
      out.push(item());
    }
    return out;
  }

  /** A leading `SOURCE logGroups(key: ['v', …], …)`, or undefined when the query does not start with one. */
  source(): LogGroupSource | undefined {
    if (!this.isWord('source')) return undefined;
    this.pos++;
    if (!this.isWord('loggroups')) this.fail('SOURCE needs logGroups(...)');
    this.pos++;
    this.expectOp('(');
    const out: LogGroupSource = { namePrefix: [], classes: [], accountIdentifiers: [] };
    const seen = new Set<string>();
    while (!this.isOp(')')) {
      if (seen.size > 0) this.expectOp(',');
      const keyTok = this.peek();
      const key = this.ident('namePrefix, class or accountIdentifiers');
      const spec = SOURCE_KEYS[key];
      if (spec === undefined) this.fail(`Unknown logGroups key '${key}'; use namePrefix, class or accountIdentifiers`, keyTok);
      if (seen.has(spec.field)) this.fail(`logGroups lists '${key}' twice`, keyTok);
      seen.add(spec.field);
      this.expectOp(':');
      this.expectOp('[');
      const values = this.isOp(']') ? [] : this.list(() => {
        const v = this.peek();
        if (v?.kind !== 'str') this.fail(`${key} takes a list of quoted strings`);
        this.pos++;
        if (spec.field === 'classes' && !SOURCE_CLASSES.has(v.v)) this.fail(`Unknown log group class '${v.v}'; use STANDARD or INFREQUENT_ACCESS`, v);
        return v.v;
      });
      this.expectOp(']');
      if (values.length > spec.max) this.fail(`${key} takes at most ${spec.max} values`, keyTok);
      out[spec.field] = values;
    }
    this.expectOp(')');
    return out;
  }

  /** One command; `afterDedup` when a `dedup` came earlier, which only `limit` may follow (CWL_QuerySyntax-Dedup). */
  command(afterDedup: boolean): Command {
    const t = this.peek();
    if (t?.kind !== 'ident') this.fail('Expected a command (fields, filter, stats, sort, limit, parse, display, dedup, unmask)');
    this.pos++;
    const name = t.v.toLowerCase();
    if (afterDedup && name !== 'limit' && name !== 'head') this.fail(`Only the limit command can follow dedup, found '${t.v}'`, t);
    let c: Command;
    switch (name) {
      case 'fields':
        c = { cmd: 'fields', columns: this.list(() => this.column()) };
        break;
      case 'display':
        c = { cmd: 'display', names: this.list(() => this.ident('a field name')) };
        break;
      case 'filter':
        c = { cmd: 'filter', expr: this.expr() };
        break;
      case 'stats': {
        const aggs = this.list(() => this.column());
        for (const a of aggs) if (!containsAggregate(a.expr)) this.fail(`stats needs an aggregate function such as count(), found '${a.expr.text}'`, t);
        let by: Column[] = [];
        if (this.isWord('by')) {
          this.pos++;
          by = this.list(() => this.column());
        }
        c = { cmd: 'stats', aggs, by };
        break;
      }
      case 'sort':
        c = {
          cmd: 'sort',
          keys: this.list(() => {
            const expr = this.expr();
            let desc = false;
            if (this.isWord('desc')) (desc = true), this.pos++;
            else if (this.isWord('asc')) this.pos++;
            return { expr, desc };
          }),
        };
        break;
      case 'limit':
      case 'head': {
        // `limit any N` stops the scan at N matches; `head` is the deprecated spelling of plain limit.
        const any = name === 'limit' && this.isWord('any') && this.toks[this.pos + 1]?.kind === 'num';
        if (any) this.pos++;
        const n = this.peek();
        if (n?.kind !== 'num' || !/^\d+$/.test(n.v) || Number(n.v) < 1) this.fail('limit needs a positive integer');
        this.pos++;
        c = { cmd: 'limit', n: Number(n.v), any };
        break;
      }
      case 'unmask':
        // Unmasking needs the logs:Unmask permission in CloudWatch; Lookout applies no data protection
        // policies, so there is nothing masked to reveal. Its optional field names are read and dropped.
        if (!this.endOfCommand()) this.list(() => this.expr());
        c = { cmd: 'unmask' };
        break;
      case 'parse':
        c = this.parseCommand();
        break;
      case 'dedup':
        c = { cmd: 'dedup', names: this.list(() => this.ident('a field name')) };
        break;
      case 'source':
        this.fail('SOURCE must be the first command of the query', t);
      // eslint-disable-next-line no-fallthrough
      case 'pattern':
        this.fail('the pattern command is not supported', t);
      // eslint-disable-next-line no-fallthrough
      default:
        this.fail(`Unknown command '${t.v}'`, t);
    }
    if (!this.endOfCommand()) this.fail(`Unexpected '${this.peek()!.v}'`);
    return c;
  }

  private parseCommand(): Command {
    const source = this.endOfCommand() ? undefined : this.peek()!.kind === 'str' || this.peek()!.kind === 'regex' ? undefined : this.primary();
    const src: Expr = source ?? { k: 'field', name: '@message', text: '@message' };
    const pat = this.peek();
    if (pat?.kind === 'regex') {
      this.pos++;
      let re: RegExp;
      try {
        re = compileRegex(pat.v, String(pat.extra ?? ''));
      } catch (err) {
        this.fail((err as Error).message, pat); // V8 says "Invalid regular expression: /…/: why"
      }
      if (!/\(\?<[A-Za-z_][A-Za-z0-9_]*>/.test(pat.v)) this.fail('parse with a regular expression needs named groups (?<name>…)', pat);
      return { cmd: 'parse', source: src, regex: re };
    }
    if (pat?.kind !== 'str') this.fail('parse needs a "glob * pattern" or a /regex/');
    this.pos++;
    const parts = pat.v.split('*');
    if (!this.isWord('as')) this.fail("parse with a glob pattern needs 'as' and field names");
    this.pos++;
    const names = this.list(() => this.ident('a field name'));
    if (names.length !== parts.length - 1) this.fail(`The pattern has ${parts.length - 1} wildcard(s) but ${names.length} field name(s) follow 'as'`, pat);
    // Each * captures as little as it can, except the last one of a pattern that ends with *.
    const body = parts.map(escapeRegExp).map((s, i) => (i === 0 ? s : (i === parts.length - 1 && s === '' ? '(.*)' : '(.*?)') + s)).join('');
    return { cmd: 'parse', source: src, glob: { re: new RegExp(body, 's'), names } };
  }

  private column(): Column {
    const expr = this.expr();
    let name = expr.text;
    if (this.isWord('as')) {
      this.pos++;
      name = this.ident('a name after as');
    }
    return { name, expr };
  }

  expr(): Expr {
    return this.or();
  }

  private span(start: Tok, l: Expr): string {
    const last = this.toks[this.pos - 1];
    return this.q.slice(start.start, last.end).trim() || l.text;
  }

  private or(): Expr {
    const start = this.peek()!;
    let l = this.and();
    while (this.isWord('or')) {
      this.pos++;
      const r = this.and();
      l = { k: 'or', l, r, text: this.span(start, l) };
    }
    return l;
  }

  private and(): Expr {
    const start = this.peek()!;
    let l = this.not();
    while (this.isWord('and')) {
      this.pos++;
      const r = this.not();
      l = { k: 'and', l, r, text: this.span(start, l) };
    }
    return l;
  }

  private not(): Expr {
    const start = this.peek();
    if (this.isWord('not')) {
      this.pos++;
      const e = this.not();
      return { k: 'not', e, text: this.span(start!, e) };
    }
    return this.comparison();
  }

  private comparison(): Expr {
    const start = this.peek();
    if (!start) this.fail('Expected an expression');
    const l = this.additive();
    const t = this.peek();
    if (t?.kind === 'op' && ['=', '!=', '<', '<=', '>', '>='].includes(t.v)) {
      this.pos++;
      const r = this.additive();
      return { k: 'bin', op: t.v as '=', l, r, text: this.span(start, l) };
    }
    if (t?.kind === 'op' && t.v === '=~') {
      this.pos++;
      const pattern = this.primary();
      if (pattern.k !== 'regex') this.fail('=~ needs a /regex/', t);
      return { k: 'like', e: l, pattern, negated: false, text: this.span(start, l) };
    }
    let negated = false;
    if (this.isWord('not') && this.toks[this.pos + 1]?.kind === 'ident' && ['like', 'in'].includes(this.toks[this.pos + 1].v.toLowerCase())) {
      this.pos++;
      negated = true;
    }
    if (this.isWord('like')) {
      this.pos++;
      const pattern = this.primary();
      if (pattern.k !== 'regex' && pattern.k !== 'str') this.fail('like needs a "string" or a /regex/');
      return { k: 'like', e: l, pattern, negated, text: this.span(start, l) };
    }
    if (this.isWord('in')) {
      this.pos++;
      this.expectOp('[');
      const list = this.isOp(']') ? [] : this.list(() => this.additive());
      this.expectOp(']');
      return { k: 'in', e: l, list, negated, text: this.span(start, l) };
    }
    if (negated) this.fail('Expected like or in after not');
    return l;
  }

  private additive(): Expr {
    const start = this.peek()!;
    let l = this.multiplicative();
    while (this.isOp('+') || this.isOp('-')) {
      const op = this.toks[this.pos++].v as '+';
      const r = this.multiplicative();
      l = { k: 'bin', op, l, r, text: this.span(start, l) };
    }
    return l;
  }

  private multiplicative(): Expr {
    const start = this.peek()!;
    let l = this.power();
    while (this.isOp('*') || this.isOp('/') || this.isOp('%')) {
      const op = this.toks[this.pos++].v as '*';
      const r = this.power();
      l = { k: 'bin', op, l, r, text: this.span(start, l) };
    }
    return l;
  }

  private power(): Expr {
    const start = this.peek()!;
    const l = this.unary();
    if (this.isOp('^')) {
      this.pos++;
      const r = this.power();
      return { k: 'bin', op: '^', l, r, text: this.span(start, l) };
    }
    return l;
  }

  private unary(): Expr {
    const start = this.peek();
    if (this.isOp('-')) {
      this.pos++;
      const e = this.unary();
      return { k: 'neg', e, text: this.span(start!, e) };
    }
    return this.primary();
  }

  private primary(): Expr {
    const t = this.peek();
    if (!t) this.fail('Expected an expression');
    this.pos++;
    switch (t.kind) {
      case 'num':
        return { k: 'num', v: Number(t.v), text: t.v };
      case 'duration':
        return { k: 'duration', ...t.period!, text: t.v };
      case 'str':
        return { k: 'str', v: t.v, text: this.q.slice(t.start, t.end) };
      case 'regex':
        try {
          return { k: 'regex', re: compileRegex(t.v, String(t.extra ?? '')), text: this.q.slice(t.start, t.end) };
        } catch (err) {
          this.fail((err as Error).message, t); // V8 says "Invalid regular expression: /…/: why"
        }
      // eslint-disable-next-line no-fallthrough
      case 'ident': {
        if (this.isOp('(')) {
          this.pos++;
          const fn = t.v.toLowerCase();
          let star = false;
          let args: Expr[] = [];
          if (this.isOp('*')) {
            this.pos++;
            star = true;
          } else if (!this.isOp(')')) {
            args = this.list(() => this.expr());
          }
          const close = this.expectOp(')');
          if (!FUNCTIONS.has(fn) && !AGGREGATES.has(fn)) this.fail(`Unknown function '${t.v}'`, t);
          return { k: 'call', fn, args, star, text: this.q.slice(t.start, close.end) };
        }
        return { k: 'field', name: t.v, text: t.v };
      }
      case 'op':
        if (t.v === '(') {
          const e = this.expr();
          const close = this.expectOp(')');
          return { ...e, text: this.q.slice(t.start, close.end) };
        }
        this.fail(`Unexpected '${t.v}'`, t);
    }
  }
}

/** Scalar functions the evaluator knows (insights-functions.ts). */
export const FUNCTIONS = new Set([
  'ispresent', 'isempty', 'isblank', 'strcontains', 'tolower', 'toupper', 'concat', 'strlen', 'substr', 'replace', 'trim', 'ltrim', 'rtrim',
  'abs', 'ceil', 'floor', 'round', 'sqrt', 'log', 'greatest', 'least', 'coalesce', 'bin', 'datefloor', 'dateceil', 'frommillis', 'tomillis', 'tonumber', 'tostring',
  'unmask',
]);

function containsAggregate(e: Expr): boolean {
  switch (e.k) {
    case 'call':
      return AGGREGATES.has(e.fn) || e.args.some(containsAggregate);
    case 'bin':
    case 'and':
    case 'or':
      return containsAggregate(e.l) || containsAggregate(e.r);
    case 'not':
    case 'neg':
      return containsAggregate(e.e);
    default:
      return false;
  }
}

/** `(?i)` at the start means case-insensitive (RE2 style), which JS spells as a flag. */
function compileRegex(src: string, flags: string): RegExp {
  let f = flags.replace(/[^imsu]/g, '');
  if (src.startsWith('(?i)')) {
    src = src.slice(4);
    if (!f.includes('i')) f += 'i';
  }
  return new RegExp(src, f);
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
