// Term patterns of multi-term queries: wildcards (`*`, `?`, `\` escapes), Lucene regular
// expressions translated to anchored JS RegExps, and bounded Damerau-Levenshtein distance for fuzzy
// terms with OpenSearch's AUTO fuzziness. Each also yields the literal prefix that narrows the walk.

import { illegalArgument } from '../../errors.ts';
import type { Scalar } from '../query.ts';

/** A compiled pattern: the term test and the literal prefix every match starts with. */
export interface TermPattern {
  prefix: string;
  test(term: string): boolean;
}

const RE_SPECIAL = /[.*+?^${}()|[\]\\/-]/g;
const escapeRe = (s: string) => s.replace(RE_SPECIAL, '\\$&');

/** Compiles a wildcard pattern (whole-term match). */
export function wildcardPattern(pattern: string, caseInsensitive = false): TermPattern {
  let re = '';
  let prefix = '';
  let literal = true;
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i];
    if (c === '\\' && i + 1 < pattern.length) {
      const n = pattern[++i];
      re += escapeRe(n);
      if (literal) prefix += n;
    } else if (c === '*') {
      re += '[\\s\\S]*';
      literal = false;
    } else if (c === '?') {
      re += '[\\s\\S]';
      literal = false;
    } else {
      re += escapeRe(c);
      if (literal) prefix += c;
    }
  }
  const rx = new RegExp('^' + re + '$', caseInsensitive ? 'iu' : 'u');
  return { prefix: caseInsensitive ? '' : prefix, test: (t) => rx.test(t) };
}

const CLASS_ESCAPES: Record<string, string> = {
  d: '[0-9]', D: '[^0-9]', s: '[ \\t\\n\\r\\f\\v]', S: '[^ \\t\\n\\r\\f\\v]', w: '[a-zA-Z0-9_]', W: '[^a-zA-Z0-9_]',
};

/** Compiles a Lucene RegExp (flags ALL by default: `@` any string, `#` empty language). */
export function regexpPattern(pattern: string, flags = 'ALL', caseInsensitive = false, maxStates = 10000): TermPattern {
  if (pattern.length > maxStates) {
    throw illegalArgument(`Determinizing automaton would result in more than ${maxStates} states.`);
  }
  const set = new Set(flags.toUpperCase().split('|').map((f) => f.trim()));
  const all = set.has('ALL') || flags === '';
  const anyString = all || set.has('ANYSTRING');
  const empty = all || set.has('EMPTY');
  let re = '';
  let i = 0;
  while (i < pattern.length) {
    const c = pattern[i];
    if (c === '\\') {
      if (i + 1 >= pattern.length) throw illegalArgument(`expected character after escape at position ${i}`);
      const n = pattern[i + 1];
      // Lucene 9's RegExp reads \d \D \s \S \w \W as character classes; any other escaped char is literal.
      re += CLASS_ESCAPES[n] ?? escapeRe(n);
      i += 2;
    } else if (c === '"') {
      const end = pattern.indexOf('"', i + 1);
      if (end < 0) throw illegalArgument(`expected '"' at position ${pattern.length}`);
      re += escapeRe(pattern.slice(i + 1, end));
      i = end + 1;
    } else if (c === '[') {
      const end = findClassEnd(pattern, i);
      let body = pattern.slice(i + 1, end);
      const negate = body.startsWith('^');
      if (negate) body = body.slice(1);
      re += '[' + (negate ? '^' : '') + body.replace(/[\]\\[^]/g, (m) => (m === '\\' ? '\\' : '\\' + m)) + ']';
      i = end + 1;
    } else if (c === '@' && anyString) {
      re += '[\\s\\S]*';
      i++;
    } else if (c === '#' && empty) {
      re += '(?!)';
      i++;
    } else if (c === '.') {
      re += '[\\s\\S]';
      i++;
    } else if ('*+?|(){}'.includes(c)) {
      re += c;
      i++;
    } else if ((c === '~' || c === '&' || c === '<') && all) {
      throw illegalArgument(`regexp operator [${c}] is not supported`);
    } else {
      re += escapeRe(c);
      i++;
    }
  }
  let rx: RegExp;
  try {
    rx = new RegExp('^(?:' + re + ')$', caseInsensitive ? 'iu' : 'u');
  } catch (e) {
    throw illegalArgument(`invalid regular expression [${pattern}]: ${(e as Error).message}`);
  }
  return { prefix: caseInsensitive ? '' : literalPrefix(pattern), test: (t) => rx.test(t) };
}

function findClassEnd(p: string, start: number): number {
  for (let i = start + 1; i < p.length; i++) {
    if (p[i] === '\\') i++;
    else if (p[i] === ']' && i > start + 1) return i;
  }
  throw illegalArgument(`expected ']' at position ${p.length}`);
}

/** Leading characters that are plain literals and not quantified. */
function literalPrefix(p: string): string {
  // A top-level alternative may start with anything.
  if (p.includes('|')) return '';
  let out = '';
  for (let i = 0; i < p.length; i++) {
    const c = p[i];
    if (/[A-Za-z0-9_ :,=\-\/]/.test(c)) {
      const next = p[i + 1];
      if (next !== undefined && '*+?{|'.includes(next)) return out;
      out += c;
    } else return out;
  }
  return out;
}

/** The max edit distance for a term under a fuzziness spec (AUTO = AUTO:3,6, numbers capped at 2). */
export function maxEdits(fuzziness: Scalar | undefined, term: string): number {
  if (fuzziness === undefined) return 0;
  const s = String(fuzziness).toUpperCase();
  const len = [...term].length;
  if (s.startsWith('AUTO')) {
    let low = 3;
    let high = 6;
    const m = /^AUTO:(\d+),(\d+)$/.exec(s);
    if (m) {
      low = Number(m[1]);
      high = Number(m[2]);
    }
    return len < low ? 0 : len < high ? 1 : 2;
  }
  const n = Number(s);
  if (!Number.isFinite(n)) throw illegalArgument(`failed to parse [${String(fuzziness)}] as a fuzziness value`);
  return Math.min(2, Math.max(0, Math.trunc(n)));
}

/** Edit distance between a and b if ≤ max, else max + 1 (optimal string alignment when transpositions). */
export function boundedDistance(a: string, b: string, max: number, transpositions: boolean): number {
  const x = [...a];
  const y = [...b];
  if (Math.abs(x.length - y.length) > max) return max + 1;
  const n = y.length;
  let prev2 = new Int32Array(n + 1);
  let prev = new Int32Array(n + 1);
  let cur = new Int32Array(n + 1);
  for (let j = 0; j <= n; j++) prev[j] = j;
  for (let i = 1; i <= x.length; i++) {
    cur[0] = i;
    let rowMin = cur[0];
    for (let j = 1; j <= n; j++) {
      const cost = x[i - 1] === y[j - 1] ? 0 : 1;
      let v = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost);
      if (transpositions && i > 1 && j > 1 && x[i - 1] === y[j - 2] && x[i - 2] === y[j - 1]) v = Math.min(v, prev2[j - 2] + 1);
      cur[j] = v;
      if (v < rowMin) rowMin = v;
    }
    if (rowMin > max) return max + 1;
    [prev2, prev, cur] = [prev, cur, prev2];
  }
  return prev[n] > max ? max + 1 : prev[n];
}
