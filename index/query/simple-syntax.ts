// simple_query_string's forgiving syntax: `+` AND, `|` OR, `-` NOT, "phrase"~N, prefix*, term~N,
// ( ) grouping and `\` escapes. Never throws; operators combine left to right the way Lucene's
// SimpleQueryParser does (a change of operator wraps what came before).

import type { QsClause, QsNode } from './lucene-syntax.ts';

/** Parses simple_query_string text into the same AST query_string uses. */
export function parseSimpleQuery(text: string, defaultAnd: boolean, flags?: string): QsNode {
  const state = { s: text, i: 0 };
  const enabled = flagSet(flags);
  const node = parseSeq(state, defaultAnd, enabled);
  return node ?? { k: 'bool', clauses: [] };
}

function flagSet(flags?: string): Set<string> {
  const all = ['AND', 'OR', 'NOT', 'PREFIX', 'PHRASE', 'PRECEDENCE', 'ESCAPE', 'WHITESPACE', 'FUZZY', 'NEAR', 'SLOP'];
  if (flags === undefined || /^-1$/.test(flags)) return new Set(all);
  const set = new Set<string>();
  for (const f of flags.toUpperCase().split('|').map((x) => x.trim())) {
    if (f === 'ALL') all.forEach((x) => set.add(x));
    else if (f === 'NONE') set.clear();
    else set.add(f);
  }
  return set;
}

type Op = 'and' | 'or';

function parseSeq(st: { s: string; i: number }, defaultAnd: boolean, flags: Set<string>): QsNode | null {
  let op: Op | null = null;
  let current: QsClause[] = [];
  let pendingOp: Op | null = null;
  let negate = false;
  const add = (node: QsNode) => {
    const clauseNode: QsNode = negate ? { k: 'bool', clauses: [{ occur: 'must_not', node }] } : node;
    negate = false;
    const thisOp: Op = pendingOp ?? (defaultAnd ? 'and' : 'or');
    pendingOp = null;
    if (current.length === 0) {
      current.push({ occur: 'should', node: clauseNode });
      return;
    }
    if (op === null) op = thisOp;
    if (op !== thisOp) {
      const wrapped = build(current, op);
      current = [{ occur: 'should', node: wrapped }];
      op = thisOp;
    }
    current.push({ occur: 'should', node: clauseNode });
  };
  const s = st.s;
  while (st.i < s.length) {
    const c = s[st.i];
    if (/\s/.test(c)) { st.i++; continue; }
    if (c === '|' && flags.has('OR')) { pendingOp = 'or'; st.i++; continue; }
    if (c === '+' && flags.has('AND')) { pendingOp = 'and'; st.i++; continue; }
    if (c === '-' && flags.has('NOT')) { negate = !negate; st.i++; continue; }
    if (c === ')' && flags.has('PRECEDENCE')) { st.i++; break; }
    if (c === '(' && flags.has('PRECEDENCE')) {
      st.i++;
      const inner = parseSeq(st, defaultAnd, flags);
      if (inner) add(inner);
      continue;
    }
    if (c === '"' && flags.has('PHRASE')) {
      let j = st.i + 1;
      let body = '';
      while (j < s.length && s[j] !== '"') {
        if (s[j] === '\\' && flags.has('ESCAPE') && j + 1 < s.length) j++;
        body += s[j++];
      }
      st.i = Math.min(j + 1, s.length);
      const node: QsNode = { k: 'phrase', text: body };
      const slop = readTilde(st);
      if (slop !== undefined && flags.has('SLOP')) node.slop = slop;
      add(node);
      continue;
    }
    let word = '';
    while (st.i < s.length && !/[\s|+()"]/.test(s[st.i]) && !(s[st.i] === '~')) {
      if (s[st.i] === '\\' && flags.has('ESCAPE') && st.i + 1 < s.length) st.i++;
      word += s[st.i++];
    }
    if (word === '' && s[st.i] !== '~') { st.i++; continue; }
    const fuzzy = readTilde(st);
    if (word === '') continue;
    if (word.endsWith('*') && flags.has('PREFIX') && word.length > 1) add({ k: 'wildcard', text: word.slice(0, -1).replace(/[*?\\]/g, '\\$&') + '*' });
    else if (fuzzy !== undefined && flags.has('FUZZY')) add({ k: 'term', text: word, fuzzy: String(fuzzy) });
    else add({ k: 'term', text: word });
  }
  if (current.length === 0) return null;
  if (current.length === 1) return current[0].node;
  return build(current, op ?? (defaultAnd ? 'and' : 'or'));
}

function build(clauses: QsClause[], op: Op): QsNode {
  return { k: 'bool', clauses: clauses.map((c) => ({ occur: op === 'and' ? 'must' : 'should', node: c.node })) };
}

function readTilde(st: { s: string; i: number }): number | undefined {
  if (st.s[st.i] !== '~') return undefined;
  st.i++;
  const m = /^\d+/.exec(st.s.slice(st.i));
  if (!m) return 2;
  st.i += m[0].length;
  return Number(m[0]);
}
