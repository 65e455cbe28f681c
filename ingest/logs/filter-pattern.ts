// CloudWatch Logs filter patterns (specs/aws.md §3.5) parsed into a typed tree: plain terms (all must
// occur; `?term` starts an alternative term group; `-term` exclusions; "quoted phrases"), JSON
// patterns `{ $.a = … && … }` and space-delimited patterns `[ip, user, ..., status = 4*]`. Matching
// and the engine pre-filter are in filter-pattern-match.ts.

/** A parsed filter pattern. */
export type FilterPattern =
  | { kind: 'all' }
  /** `required`: the terms before the first `?`; `groups`: one term group per `?term` (see parseTerms). */
  | { kind: 'terms'; required: string[]; groups: string[][]; excluded: string[] }
  | { kind: 'json'; expr: JsonExpr }
  | { kind: 'delimited'; fields: DelimitedField[] };

/** One step of a JSON selector: a property name or an array index. */
export type PathStep = string | number;

export type CompareOp = '=' | '!=' | '<' | '<=' | '>' | '>=';

/** A comparison value: its text, the number it spells (if any), and a matcher when it has `*`. */
export interface PatternValue {
  text: string;
  number?: number;
  wildcard?: RegExp;
}

export type JsonExpr =
  | { op: 'and' | 'or'; left: JsonExpr; right: JsonExpr }
  | { op: 'cmp'; path: PathStep[]; cmp: CompareOp; value: PatternValue }
  | { op: 'isNull' | 'notExists' | 'isTrue' | 'isFalse'; path: PathStep[] };

export type FieldCondition =
  | { op: 'and' | 'or'; left: FieldCondition; right: FieldCondition }
  | { op: 'cmp'; cmp: CompareOp; value: PatternValue };

export type DelimitedField = { kind: 'ellipsis' } | { kind: 'field'; name: string; cond?: FieldCondition };

/** A pattern that cannot be parsed; FilterLogEvents reports it as InvalidParameterException. */
export class FilterPatternError extends Error {}

/** Parses a filter pattern; an empty (or blank) pattern matches every event. */
export function parseFilterPattern(pattern: string): FilterPattern {
  const p = pattern.trim();
  if (p === '') return { kind: 'all' };
  if (p.startsWith('{')) {
    if (!p.endsWith('}')) throw new FilterPatternError('Invalid filter pattern: a JSON pattern must end with }');
    const parser = new ExprParser(tokenize(p.slice(1, -1)));
    const expr = parser.jsonExpr();
    parser.expectEnd();
    return { kind: 'json', expr };
  }
  if (p.startsWith('[')) {
    if (!p.endsWith(']')) throw new FilterPatternError('Invalid filter pattern: a space-delimited pattern must end with ]');
    return { kind: 'delimited', fields: parseDelimited(p.slice(1, -1)) };
  }
  return parseTerms(p);
}

/**
 * Term patterns. Each `?term` starts a term group, and the unprefixed terms after it (up to the next
 * `?`) belong to that group: `?"ERROR" "MainThread" ?"WARN" "Deadlock"` (what AWS CDK's
 * `FilterPattern.anyTermGroup` renders) is (ERROR and MainThread) or (WARN and Deadlock), and `?a ?b`
 * is a or b. Unprefixed terms before the first `?` are required in every group (`x ?a ?b` is x and
 * (a or b)), so a pattern without `?` is the conjunction of all its terms. A `-term` excludes wherever
 * it stands: no group can bring an excluded term back.
 */
function parseTerms(p: string): FilterPattern {
  const out = { kind: 'terms' as const, required: [] as string[], groups: [] as string[][], excluded: [] as string[] };
  let i = 0;
  while (i < p.length) {
    if (/\s/.test(p[i])) {
      i++;
      continue;
    }
    let target = out.groups.length > 0 ? out.groups[out.groups.length - 1] : out.required;
    if (p[i] === '?') {
      target = [];
      out.groups.push(target);
      i++;
    } else if (p[i] === '-' && i + 1 < p.length && !/\s/.test(p[i + 1])) (target = out.excluded), i++;
    let term: string;
    if (p[i] === '"') {
      const [text, next] = readQuoted(p, i);
      term = text;
      i = next;
    } else {
      const start = i;
      while (i < p.length && !/\s/.test(p[i])) i++;
      term = p.slice(start, i);
    }
    if (term === '') throw new FilterPatternError(`Invalid filter pattern: empty term at offset ${i}`);
    target.push(term);
  }
  return out;
}

/** Reads `"…"` starting at `i` (backslash escapes a quote); returns the text and the index after it. */
function readQuoted(s: string, i: number): [string, number] {
  let text = '';
  let j = i + 1;
  for (; j < s.length && s[j] !== '"'; j++) {
    if (s[j] === '\\' && j + 1 < s.length) j++;
    text += s[j];
  }
  if (j >= s.length) throw new FilterPatternError('Invalid filter pattern: unterminated quoted string');
  return [text, j + 1];
}

type Token = { t: 'op'; v: string } | { t: 'word'; v: string } | { t: 'quoted'; v: string };

const OPERATORS = ['&&', '||', '!=', '<=', '>=', '=', '<', '>', '(', ')', ','];

function tokenize(s: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  while (i < s.length) {
    if (/\s/.test(s[i])) {
      i++;
      continue;
    }
    if (s[i] === '"') {
      const [text, next] = readQuoted(s, i);
      out.push({ t: 'quoted', v: text });
      i = next;
      continue;
    }
    const op = OPERATORS.find((o) => s.startsWith(o, i));
    if (op) {
      out.push({ t: 'op', v: op });
      i += op.length;
      continue;
    }
    const start = i;
    while (i < s.length && !/\s/.test(s[i]) && !OPERATORS.some((o) => s.startsWith(o, i)) && s[i] !== '"') i++;
    out.push({ t: 'word', v: s.slice(start, i) });
  }
  return out;
}

const NUMBER = /^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/;

function patternValue(tok: Token | undefined): PatternValue {
  if (!tok || tok.t === 'op') throw new FilterPatternError(`Invalid filter pattern: expected a value${tok ? ` but found '${tok.v}'` : ''}`);
  const v: PatternValue = { text: tok.v };
  if (tok.t === 'word' && NUMBER.test(tok.v)) v.number = Number(tok.v);
  if (tok.v.includes('*')) v.wildcard = new RegExp('^' + tok.v.split('*').map(escapeRegExp).join('.*') + '$', 's');
  return v;
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Recursive descent over tokens: `||` binds loosest, then `&&`, then parentheses and comparisons. */
class ExprParser {
  private pos = 0;
  constructor(private readonly tokens: Token[]) {}

  private peek(): Token | undefined {
    return this.tokens[this.pos];
  }
  private next(): Token | undefined {
    return this.tokens[this.pos++];
  }
  private isOp(v: string): boolean {
    const t = this.peek();
    return t !== undefined && t.t === 'op' && t.v === v;
  }

  expectEnd(): void {
    const t = this.peek();
    if (t) throw new FilterPatternError(`Invalid filter pattern: unexpected '${t.v}'`);
  }

  jsonExpr(): JsonExpr {
    let left = this.jsonAnd();
    while (this.isOp('||')) {
      this.next();
      left = { op: 'or', left, right: this.jsonAnd() };
    }
    return left;
  }

  private jsonAnd(): JsonExpr {
    let left = this.jsonPrimary();
    while (this.isOp('&&')) {
      this.next();
      left = { op: 'and', left, right: this.jsonPrimary() };
    }
    return left;
  }

  private jsonPrimary(): JsonExpr {
    if (this.isOp('(')) {
      this.next();
      const e = this.jsonExpr();
      if (!this.isOp(')')) throw new FilterPatternError('Invalid filter pattern: missing )');
      this.next();
      return e;
    }
    const sel = this.next();
    if (!sel || sel.t !== 'word' || !sel.v.startsWith('$')) throw new FilterPatternError(`Invalid filter pattern: expected a selector such as $.field${sel ? ` but found '${sel.v}'` : ''}`);
    const path = parseSelector(sel.v);
    const t = this.peek();
    if (t && t.t === 'word') {
      const word = t.v.toUpperCase();
      this.next();
      const second = this.next();
      const w2 = second && second.t === 'word' ? second.v.toUpperCase() : '';
      if (word === 'IS' && w2 === 'NULL') return { op: 'isNull', path };
      if (word === 'IS' && w2 === 'TRUE') return { op: 'isTrue', path };
      if (word === 'IS' && w2 === 'FALSE') return { op: 'isFalse', path };
      if (word === 'NOT' && w2 === 'EXISTS') return { op: 'notExists', path };
      throw new FilterPatternError(`Invalid filter pattern: unexpected '${t.v}' after ${sel.v}`);
    }
    const cmp = this.compareOp();
    const value = patternValue(this.next());
    checkComparison(cmp, value);
    return { op: 'cmp', path, cmp, value };
  }

  private compareOp(): CompareOp {
    const t = this.next();
    if (!t || t.t !== 'op' || !['=', '!=', '<', '<=', '>', '>='].includes(t.v)) {
      throw new FilterPatternError(`Invalid filter pattern: expected a comparison operator${t ? ` but found '${t.v}'` : ''}`);
    }
    return t.v as CompareOp;
  }

  /** `op value ((&& | ||) name op value)*` of one space-delimited field; the name must repeat. */
  fieldCondition(name: string): FieldCondition {
    let left = this.fieldAnd(name, true);
    while (this.isOp('||')) {
      this.next();
      left = { op: 'or', left, right: this.fieldAnd(name, false) };
    }
    return left;
  }

  private fieldAnd(name: string, first: boolean): FieldCondition {
    let left = this.fieldCmp(name, first);
    while (this.isOp('&&')) {
      this.next();
      left = { op: 'and', left, right: this.fieldCmp(name, false) };
    }
    return left;
  }

  private fieldCmp(name: string, first: boolean): FieldCondition {
    if (!first) {
      const t = this.next();
      if (!t || t.t !== 'word' || t.v !== name) throw new FilterPatternError(`Invalid filter pattern: a condition on field ${name} must name ${name}`);
    }
    const cmp = this.compareOp();
    const value = patternValue(this.next());
    checkComparison(cmp, value);
    return { op: 'cmp', cmp, value };
  }

  /** Whether the tokens are used up. */
  done(): boolean {
    return this.pos >= this.tokens.length;
  }
}

function checkComparison(cmp: CompareOp, value: PatternValue): void {
  if (cmp !== '=' && cmp !== '!=' && value.number === undefined) {
    throw new FilterPatternError(`Invalid filter pattern: ${cmp} needs a numeric value, not '${value.text}'`);
  }
}

/** `$.a.b[0].c` → ['a', 'b', 0, 'c']. */
function parseSelector(sel: string): PathStep[] {
  const path: PathStep[] = [];
  const re = /\.([^.[\]]+)|\[(\d+)\]/y;
  re.lastIndex = 1;
  while (re.lastIndex < sel.length) {
    const at = re.lastIndex;
    const m = re.exec(sel);
    if (!m || m.index !== at) throw new FilterPatternError(`Invalid filter pattern: bad selector ${sel}`);
    path.push(m[1] !== undefined ? m[1] : Number(m[2]));
  }
  if (path.length === 0) throw new FilterPatternError(`Invalid filter pattern: bad selector ${sel}`);
  return path;
}

function parseDelimited(body: string): DelimitedField[] {
  const tokens = tokenize(body);
  const fields: DelimitedField[] = [];
  // Split at top-level commas, then parse each slot.
  const slots: Token[][] = [[]];
  for (const t of tokens) {
    if (t.t === 'op' && t.v === ',') slots.push([]);
    else slots[slots.length - 1].push(t);
  }
  for (const slot of slots) {
    if (slot.length === 0) throw new FilterPatternError('Invalid filter pattern: empty field in [ ]');
    const [head, ...rest] = slot;
    if (head.t !== 'word') throw new FilterPatternError(`Invalid filter pattern: expected a field name but found '${head.v}'`);
    if (head.v === '...') {
      if (rest.length > 0) throw new FilterPatternError('Invalid filter pattern: ... takes no condition');
      fields.push({ kind: 'ellipsis' });
      continue;
    }
    if (rest.length === 0) {
      fields.push({ kind: 'field', name: head.v });
      continue;
    }
    const p = new ExprParser(rest);
    const cond = p.fieldCondition(head.v);
    if (!p.done()) throw new FilterPatternError(`Invalid filter pattern: unexpected text in field ${head.v}`);
    fields.push({ kind: 'field', name: head.v, cond });
  }
  return fields;
}
