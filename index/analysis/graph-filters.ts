// Token filters that add tokens or positions: ngram and edge_ngram grams, shingles, synonyms and
// word_delimiter parts. They work on absolute positions (easier to reason about when tokens are
// inserted) and convert back to Lucene's position increments at the end.

import { AnalysisError, type Tok } from './analyzer.ts';
import type { TokenFilter } from './chain.ts';

interface Placed {
  tok: Tok;
  pos: number;
}

function place(tokens: Tok[]): Placed[] {
  let pos = -1;
  return tokens.map((tok) => ({ tok, pos: (pos += tok.posInc) }));
}

/** Stable-sorts by position and rewrites position increments. */
function unplace(placed: Placed[]): Tok[] {
  const sorted = placed.map((p, i) => ({ ...p, i })).sort((a, b) => a.pos - b.pos || a.i - b.i);
  let prev = -1;
  return sorted.map(({ tok, pos }) => {
    tok.posInc = pos - prev;
    prev = pos;
    return tok;
  });
}

function gramFilter(name: string, min: number, max: number, preserveOriginal: boolean, edge: boolean): TokenFilter {
  return {
    name,
    apply(tokens) {
      const out: Tok[] = [];
      let carry = 0;
      for (const t of tokens) {
        const cps = [...t.term];
        let first = true;
        const emit = (term: string): void => {
          out.push({ ...t, term, posInc: first ? t.posInc + carry : 0 });
          first = false;
        };
        for (let s = 0; s < cps.length; s++) {
          for (let g = min; g <= max && s + g <= cps.length; g++) emit(cps.slice(s, s + g).join(''));
          if (edge) break;
        }
        if (preserveOriginal && (cps.length < min || cps.length > max)) emit(t.term);
        if (first) carry += t.posInc;
        else carry = 0;
      }
      return out;
    },
  };
}

/** Lucene's NGramTokenFilter: grams by start then length, all at the token's position and offsets. */
export const ngramFilter = (min: number, max: number, preserveOriginal = false): TokenFilter =>
  gramFilter('ngram', min, max, preserveOriginal, false);

/** Lucene's EdgeNGramTokenFilter: prefixes of `min`…`max` code points. */
export const edgeNgramFilter = (min: number, max: number, preserveOriginal = false): TokenFilter =>
  gramFilter('edge_ngram', min, max, preserveOriginal, true);

/** Options of {@link shingleFilter}. */
export interface ShingleOptions {
  min: number;
  max: number;
  outputUnigrams: boolean;
  outputUnigramsIfNoShingles: boolean;
  separator: string;
  filler: string;
}

/** Lucene's ShingleFilter: word n-grams; position gaps (removed stop words) become filler tokens. */
export function shingleFilter(o: ShingleOptions): TokenFilter {
  return {
    name: 'shingle',
    apply(tokens) {
      const placed = place(tokens);
      const slots: Array<{ term: string; start: number; end: number; pos: number; real: Placed | null }> = [];
      let prevPos = -1;
      for (const p of placed) {
        if (p.tok.posInc === 0 && slots.length > 0) continue; // stacked tokens take no part in shingles
        for (let f = Math.max(prevPos + 1, p.pos - (o.max - 1)); f < p.pos; f++) {
          slots.push({ term: o.filler, start: p.tok.start, end: p.tok.start, pos: f, real: null });
        }
        slots.push({ term: p.tok.term, start: p.tok.start, end: p.tok.end, pos: p.pos, real: p });
        prevPos = p.pos;
      }
      const out: Placed[] = [];
      let shingles = 0;
      for (let s = 0; s < slots.length; s++) {
        const slot = slots[s];
        if (slot.real && o.outputUnigrams) out.push(slot.real);
        for (let n = o.min; n <= o.max && s + n <= slots.length; n++) {
          const parts = slots.slice(s, s + n);
          if (!parts.some((x) => x.real)) continue;
          const tok: Tok = {
            term: parts.map((x) => x.term).join(o.separator),
            start: parts[0].start,
            end: parts[n - 1].end,
            posInc: 0,
            posLen: n,
            type: 'shingle',
          };
          out.push({ tok, pos: slot.pos });
          shingles++;
        }
      }
      if (!o.outputUnigrams && shingles === 0 && o.outputUnigramsIfNoShingles) return tokens;
      return unplace(out);
    },
  };
}

/** Options of {@link synonymFilter}. */
export interface SynonymOptions {
  expand: boolean;
  lenient: boolean;
  /** Analyzes one side of a rule into terms (the chain before the filter). */
  analyze: (text: string) => string[];
}

interface SynonymEntry {
  outputs: string[][];
  keepOrig: boolean;
}

/** Splits a Solr rule side on unescaped commas and unescapes `\,` `\=` `\\`. */
function splitRuleSide(side: string): string[] {
  const out: string[] = [];
  let cur = '';
  for (let i = 0; i < side.length; i++) {
    const c = side[i];
    if (c === '\\' && i + 1 < side.length) cur += side[++i];
    else if (c === ',') { out.push(cur.trim()); cur = ''; }
    else cur += c;
  }
  out.push(cur.trim());
  return out.filter((s) => s.length > 0);
}

/** Parses Solr-format rules into a map from joined input terms to outputs (Lucene's SolrSynonymParser). */
export function parseSynonyms(rules: readonly string[], o: SynonymOptions): Map<string, SynonymEntry> {
  const map = new Map<string, SynonymEntry>();
  const analyze = (term: string): string[] | null => {
    const terms = o.analyze(term);
    if (terms.length === 0) {
      if (o.lenient) return null;
      throw new AnalysisError(`failed to build synonyms: term: ${term} was completely eliminated by analyzer`);
    }
    return terms;
  };
  const add = (input: string[], output: string[], keepOrig: boolean): void => {
    const key = input.join('\u0000');
    let e = map.get(key);
    if (!e) map.set(key, (e = { outputs: [], keepOrig: false }));
    if (!e.outputs.some((x) => x.join('\u0000') === output.join('\u0000'))) e.outputs.push(output);
    e.keepOrig ||= keepOrig;
  };
  for (const line of rules.flatMap((r) => r.split('\n'))) {
    const rule = line.trim();
    if (rule === '' || rule.startsWith('#')) continue;
    const arrow = rule.split('=>');
    if (arrow.length > 2) throw new AnalysisError(`failed to build synonyms: more than one explicit mapping specified on the same line`);
    if (arrow.length === 2) {
      const inputs = splitRuleSide(arrow[0]).map(analyze).filter((x): x is string[] => x !== null);
      const outputs = splitRuleSide(arrow[1]).map(analyze).filter((x): x is string[] => x !== null);
      for (const i of inputs) for (const out of outputs) add(i, out, false);
    } else {
      const terms = splitRuleSide(rule).map(analyze).filter((x): x is string[] => x !== null);
      if (o.expand) {
        for (let i = 0; i < terms.length; i++) for (let j = 0; j < terms.length; j++) if (i !== j) add(terms[i], terms[j], true);
      } else {
        for (const t of terms) add(t, terms[0], false);
      }
    }
  }
  return map;
}

/** Lucene's SynonymFilter with inline Solr rules: longest match first, synonyms stacked on the input. */
export function synonymFilter(rules: readonly string[], o: SynonymOptions): TokenFilter {
  const map = parseSynonyms(rules, o);
  let maxLen = 1;
  for (const k of map.keys()) maxLen = Math.max(maxLen, k.split('\u0000').length);
  return {
    name: 'synonym',
    apply(tokens) {
      const placed = place(tokens);
      const out: Placed[] = [];
      for (let i = 0; i < placed.length; ) {
        let match: SynonymEntry | undefined;
        let k = 0;
        const terms: string[] = [];
        for (let j = i; j < placed.length && j - i < maxLen; j++) {
          if (j > i && placed[j].tok.posInc !== 1) break;
          terms.push(placed[j].tok.term);
          const e = map.get(terms.join('\u0000'));
          if (e) { match = e; k = j - i + 1; }
        }
        if (!match) { out.push(placed[i++]); continue; }
        const input = placed.slice(i, i + k);
        if (match.keepOrig) out.push(...input);
        for (const phrase of match.outputs) {
          phrase.forEach((term, w) => {
            const src = input[Math.min(w, k - 1)].tok;
            const single = phrase.length === 1 && k > 1;
            out.push({
              pos: input[0].pos + w,
              tok: { term, start: single ? input[0].tok.start : src.start, end: single ? input[k - 1].tok.end : src.end, posInc: 0, posLen: single ? k : 1, type: 'SYNONYM' },
            });
          });
        }
        i += k;
      }
      return unplace(out);
    },
  };
}

/** Options of {@link wordDelimiterFilter} (OpenSearch's `word_delimiter` settings). */
export interface WordDelimiterOptions {
  generateWordParts: boolean;
  generateNumberParts: boolean;
  catenateWords: boolean;
  catenateNumbers: boolean;
  catenateAll: boolean;
  splitOnCaseChange: boolean;
  splitOnNumerics: boolean;
  preserveOriginal: boolean;
  stemEnglishPossessive: boolean;
  protectedWords: ReadonlySet<string>;
}

const LOWER = 1, UPPER = 2, DIGIT = 4, DELIM = 8, ALPHA = LOWER | UPPER;
const charType = (ch: string): number =>
  /\p{Ll}/u.test(ch) ? LOWER : /[\p{Lu}\p{Lt}]/u.test(ch) ? UPPER : /[\p{L}\p{M}]/u.test(ch) ? ALPHA : /\p{Nd}/u.test(ch) ? DIGIT : DELIM;

/** Lucene's WordDelimiterFilter: splits on delimiters, case changes and letter/digit transitions. */
export function wordDelimiterFilter(o: WordDelimiterOptions): TokenFilter {
  const isBreak = (last: number, cur: number): boolean => {
    if ((cur & last) !== 0) return false;
    if (!o.splitOnCaseChange && (last & ALPHA) && (cur & ALPHA)) return false;
    if (last === UPPER && (cur & ALPHA)) return false;
    if (!o.splitOnNumerics && (((last & ALPHA) && cur === DIGIT) || (last === DIGIT && (cur & ALPHA)))) return false;
    return true;
  };
  return {
    name: 'word_delimiter',
    apply(tokens) {
      const out: Tok[] = [];
      for (const t of tokens) {
        if (o.protectedWords.has(t.term)) { out.push(t); continue; }
        // A possessive 's after a letter, before a delimiter or the end, is dropped (kept length: offsets).
        const term = o.stemEnglishPossessive
          ? t.term.replace(/(?<=\p{L})(['\u2019\uff07])[sS](?=$|[^\p{L}\p{N}])/gu, '$1\u0000')
          : t.term;
        const parts: Array<{ text: string; start: number; digit: boolean }> = [];
        let cur = '', curStart = 0, last = DELIM, digit = true;
        for (let i = 0; i < term.length; i++) {
          const type = charType(term[i]);
          if (type === DELIM || (cur !== '' && isBreak(last, type))) {
            if (cur !== '') parts.push({ text: cur, start: curStart, digit });
            cur = '';
          }
          if (type !== DELIM) {
            if (cur === '') { curStart = i; digit = true; }
            cur += term[i];
            digit &&= type === DIGIT;
          }
          last = type;
        }
        if (cur !== '') parts.push({ text: cur, start: curStart, digit });
        if (parts.length === 1 && parts[0].text === t.term) { out.push(t); continue; }
        const exact = t.end - t.start === t.term.length;
        const mk = (text: string, s: number, e: number, posInc: number): Tok =>
          ({ ...t, term: text, start: exact ? t.start + s : t.start, end: exact ? t.start + e : t.end, posInc, posLen: 1 });
        // `pending` is the increment of the next token that opens a new position.
        let pending = t.posInc;
        if (o.preserveOriginal) { out.push({ ...t }); pending = 0; }
        const keep = (p: { digit: boolean }): boolean => (p.digit ? o.generateNumberParts : o.generateWordParts);
        const spanOf = (from: number, to: number): [string, number, number] =>
          [parts.slice(from, to + 1).map((x) => x.text).join(''), parts[from].start, parts[to].start + parts[to].text.length];
        for (let i = 0; i < parts.length; i++) {
          const p = parts[i];
          const kept = keep(p);
          if (kept) { out.push(mk(p.text, p.start, p.start + p.text.length, pending)); pending = 1; }
          // Concatenations sit at the position of their first part, right after it.
          let here = kept; // a token already sits at this part's position
          const stack = (text: string, s: number, e: number): void => {
            out.push(mk(text, s, e, here ? 0 : pending));
            if (!here) { pending = 1; here = true; }
          };
          if (i === 0 || parts[i - 1].digit !== p.digit) {
            let runEnd = i;
            while (runEnd + 1 < parts.length && parts[runEnd + 1].digit === p.digit) runEnd++;
            if (runEnd > i && (p.digit ? o.catenateNumbers : o.catenateWords)) stack(...spanOf(i, runEnd));
          }
          if (i === 0 && o.catenateAll && parts.length > 1) stack(...spanOf(0, parts.length - 1));
        }
      }
      return out;
    },
  };
}
