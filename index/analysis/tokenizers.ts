// Tokenizers: the standard one (UAX#29, in standard-tokenizer.ts) and Lucene's simpler ones —
// whitespace, letter, lowercase, keyword, pattern, ngram, edge_ngram, path_hierarchy, char_group —
// plus the factory table that builds them from `analysis.tokenizer.<name>` settings.

import { AnalysisError, type Tok, lowerCase } from './analyzer.ts';
import type { Tokenizer } from './chain.ts';
import { type AnalysisLimits, boolParam, intParam, javaRegex, listParam, type Params, strParam } from './settings.ts';
import { DEFAULT_MAX_TOKEN_LENGTH, MAX_TOKEN_LENGTH_LIMIT, scanStandard, TOKEN_TYPES } from './standard-tokenizer.ts';

const tok = (term: string, start: number, end: number, type = 'word', posInc = 1): Tok =>
  ({ term, start, end, posInc, posLen: 1, type });

/** Lucene's StandardTokenizer with the given `max_token_length`. */
export function standardTokenizer(maxTokenLength = DEFAULT_MAX_TOKEN_LENGTH): Tokenizer {
  if (maxTokenLength < 1 || maxTokenLength > MAX_TOKEN_LENGTH_LIMIT) {
    throw new AnalysisError(`maxTokenLength must be greater than zero and may not exceed ${MAX_TOKEN_LENGTH_LIMIT}`);
  }
  return (text) => {
    const s = scanStandard(text, maxTokenLength);
    const out: Tok[] = new Array(s.count);
    for (let i = 0; i < s.count; i++) {
      out[i] = tok(text.slice(s.starts[i], s.ends[i]), s.starts[i], s.ends[i], TOKEN_TYPES[s.types[i]]);
    }
    return out;
  };
}

const RE_SPACE_SEP = /[\p{Zs}\p{Zl}\p{Zp}]/u;
/** Java's `Character.isWhitespace`: no-break spaces are not whitespace. */
export function isJavaWhitespace(cp: number): boolean {
  if (cp <= 0x20) return cp === 0x20 || (cp >= 9 && cp <= 13) || (cp >= 0x1c && cp <= 0x1f);
  if (cp < 0x80 || cp === 0xa0 || cp === 0x2007 || cp === 0x202f) return false;
  return RE_SPACE_SEP.test(String.fromCodePoint(cp));
}

const RE_LETTER = /\p{L}/u;
const isLetter = (cp: number): boolean =>
  cp < 0x80 ? (cp >= 0x41 && cp <= 0x5a) || (cp >= 0x61 && cp <= 0x7a) : RE_LETTER.test(String.fromCodePoint(cp));

/**
 * Lucene's CharTokenizer: runs of chars accepted by `isTokenChar`, cut every `maxLen` UTF-16 units.
 */
export function charTokenizer(isTokenChar: (cp: number) => boolean, maxLen = 255, normalize?: (s: string) => string): Tokenizer {
  return (text) => {
    const out: Tok[] = [];
    let start = -1;
    const emit = (end: number): void => {
      const term = text.slice(start, end);
      out.push(tok(normalize ? normalize(term) : term, start, end));
      start = -1;
    };
    for (let i = 0; i < text.length; ) {
      const cp = text.codePointAt(i)!;
      const len = cp > 0xffff ? 2 : 1;
      if (isTokenChar(cp)) {
        if (start >= 0 && i + len - start > maxLen) emit(i);
        if (start < 0) start = i;
      } else if (start >= 0) emit(i);
      i += len;
    }
    if (start >= 0) emit(text.length);
    return out;
  };
}

/** Lucene's WhitespaceTokenizer: splits on Java whitespace. */
export const whitespaceTokenizer = (maxLen = 255): Tokenizer => charTokenizer((cp) => !isJavaWhitespace(cp), maxLen);
/** Lucene's LetterTokenizer: runs of letters. */
export const letterTokenizer = (maxLen = 255): Tokenizer => charTokenizer(isLetter, maxLen);
/** Lucene's LowerCaseTokenizer: runs of letters, lower-cased. */
export const lowercaseTokenizer = (maxLen = 255): Tokenizer => charTokenizer(isLetter, maxLen, lowerCase);

/** The whole input as one token (an empty input gives one empty token, as Lucene's). */
export const keywordTokenizer: Tokenizer = (text) => [tok(text, 0, text.length)];

/** Lucene's PatternTokenizer: `group` -1 splits on the pattern, otherwise emits that group's matches. */
export function patternTokenizer(re: RegExp, group = -1): Tokenizer {
  return (text) => {
    const out: Tok[] = [];
    re.lastIndex = 0;
    let last = 0;
    for (let m = re.exec(text); m; m = re.exec(text)) {
      if (m[0].length === 0) { re.lastIndex++; if (group < 0) continue; }
      if (group < 0) {
        if (m.index > last) out.push(tok(text.slice(last, m.index), last, m.index));
        last = m.index + m[0].length;
      } else {
        const g = m[group];
        if (g) {
          const start = m.index + m[0].indexOf(g);
          out.push(tok(g, start, start + g.length));
        }
      }
    }
    if (group < 0 && last < text.length) out.push(tok(text.slice(last), last, text.length));
    return out;
  };
}

const RE_DIGIT = /\p{Nd}/u;
const RE_PUNCT = /\p{P}/u;
const RE_SYMBOL = /\p{S}/u;

/** The `token_chars` predicate of the ngram tokenizers; empty means every char. */
function tokenCharsPredicate(p: Params): ((cp: number) => boolean) | undefined {
  const classes = listParam(p, 'token_chars') ?? [];
  if (classes.length === 0) return undefined;
  const custom = new Set([...(strParam(p, 'custom_token_chars') ?? '')].map((c) => c.codePointAt(0)!));
  const tests: Array<(cp: number) => boolean> = classes.map((c) => {
    switch (c) {
      case 'letter': return isLetter;
      case 'digit': return (cp) => RE_DIGIT.test(String.fromCodePoint(cp));
      case 'whitespace': return isJavaWhitespace;
      case 'punctuation': return (cp) => RE_PUNCT.test(String.fromCodePoint(cp));
      case 'symbol': return (cp) => RE_SYMBOL.test(String.fromCodePoint(cp));
      case 'custom': return (cp) => custom.has(cp);
      default: throw new AnalysisError(`Unknown token type: '${c}', must be one of [symbol, custom, digit, whitespace, letter, punctuation]`);
    }
  });
  return (cp) => tests.some((t) => t(cp));
}

/** Lucene's NGramTokenizer (`edge` = EdgeNGramTokenizer): grams by start offset, then by length. */
export function ngramTokenizer(minGram: number, maxGram: number, edge: boolean, isTokenChar?: (cp: number) => boolean): Tokenizer {
  return (text) => {
    const out: Tok[] = [];
    const cps: number[] = [];
    const offs: number[] = [];
    const flush = (): void => {
      for (let s = 0; s < cps.length; s++) {
        for (let g = minGram; g <= maxGram && s + g <= cps.length; g++) {
          const start = offs[s];
          const end = s + g < offs.length ? offs[s + g] : endOf(s + g - 1);
          out.push(tok(text.slice(start, end), start, end));
        }
        if (edge) break;
      }
      cps.length = 0;
      offs.length = 0;
    };
    const endOf = (k: number): number => offs[k] + (cps[k] > 0xffff ? 2 : 1);
    for (let i = 0; i < text.length; ) {
      const cp = text.codePointAt(i)!;
      if (!isTokenChar || isTokenChar(cp)) { cps.push(cp); offs.push(i); } else flush();
      i += cp > 0xffff ? 2 : 1;
    }
    flush();
    return out;
  };
}

/** Lucene's PathHierarchyTokenizer: `/a/b/c` → `/a`, `/a/b`, `/a/b/c`, all at position 0. */
export function pathHierarchyTokenizer(delimiter: string, replacement: string, skip: number, reverse: boolean): Tokenizer {
  return (text) => {
    const delims: number[] = [];
    for (let i = text.indexOf(delimiter); i >= 0 && delimiter.length > 0; i = text.indexOf(delimiter, i + delimiter.length)) delims.push(i);
    const spans: Array<[number, number]> = [];
    if (!reverse) {
      const leading = delims[0] === 0;
      const start = skip === 0 ? 0 : delims[leading ? skip : skip - 1];
      if (start === undefined) return [];
      for (const end of [...delims.filter((d) => d > start), text.length]) if (end > start) spans.push([start, end]);
    } else {
      const end = skip === 0 ? text.length : delims[delims.length - skip];
      if (end === undefined) return [];
      for (const start of [0, ...delims.map((d) => d + delimiter.length)]) if (start < end) spans.push([start, end]);
    }
    return spans.map(([s, e], i) => tok(text.slice(s, e).split(delimiter).join(replacement), s, e, 'word', i === 0 ? 1 : 0));
  };
}

type TokenizerFactory = (p: Params, limits: AnalysisLimits, name: string) => Tokenizer;

function ngramFactory(edge: boolean): TokenizerFactory {
  return (p, limits) => {
    const min = intParam(p, 'min_gram', 1);
    const max = intParam(p, 'max_gram', 2);
    if (min > max) throw new AnalysisError('minGram must not be greater than maxGram');
    if (!edge && max - min > limits.maxNgramDiff) {
      throw new AnalysisError(`The difference between max_gram and min_gram in NGram Tokenizer must be less than or equal to: [${limits.maxNgramDiff}] but was [${max - min}]. This limit can be set by changing the [index.max_ngram_diff] index level setting.`);
    }
    return ngramTokenizer(min, max, edge, tokenCharsPredicate(p));
  };
}

/** Tokenizer types accepted in `analysis.tokenizer.<name>.type` (and as built-in tokenizer names). */
export const TOKENIZER_FACTORIES: Readonly<Record<string, TokenizerFactory>> = {
  standard: (p) => standardTokenizer(intParam(p, 'max_token_length', DEFAULT_MAX_TOKEN_LENGTH)),
  whitespace: (p) => whitespaceTokenizer(intParam(p, 'max_token_length', 255)),
  letter: () => letterTokenizer(),
  lowercase: () => lowercaseTokenizer(),
  keyword: () => keywordTokenizer,
  pattern: (p, _l, name) => patternTokenizer(javaRegex(strParam(p, 'pattern', '\\W+'), strParam(p, 'flags'), name), intParam(p, 'group', -1)),
  simple_pattern: (p, _l, name) => patternTokenizer(javaRegex(strParam(p, 'pattern', ''), undefined, name), 0),
  simple_pattern_split: (p, _l, name) => patternTokenizer(javaRegex(strParam(p, 'pattern', ''), undefined, name), -1),
  ngram: ngramFactory(false),
  nGram: ngramFactory(false),
  edge_ngram: ngramFactory(true),
  edgeNGram: ngramFactory(true),
  path_hierarchy: (p) => {
    const delimiter = strParam(p, 'delimiter', '/');
    return pathHierarchyTokenizer(delimiter, strParam(p, 'replacement', delimiter), intParam(p, 'skip', 0), boolParam(p, 'reverse', false));
  },
  char_group: (p) => {
    const chars = new Set<number>();
    const preds: Array<(cp: number) => boolean> = [(cp) => chars.has(cp)];
    for (const c of listParam(p, 'tokenize_on_chars') ?? []) {
      if (c === 'whitespace') preds.push(isJavaWhitespace);
      else if (c === 'letter') preds.push(isLetter);
      else if (c === 'digit') preds.push((cp) => RE_DIGIT.test(String.fromCodePoint(cp)));
      else if (c === 'punctuation') preds.push((cp) => RE_PUNCT.test(String.fromCodePoint(cp)));
      else if (c === 'symbol') preds.push((cp) => RE_SYMBOL.test(String.fromCodePoint(cp)));
      else if ([...c].length === 1) chars.add(c.codePointAt(0)!);
      else if (c === '\\n') chars.add(10);
      else if (c === '\\t') chars.add(9);
      else throw new AnalysisError(`Invalid escaped char in [${c}]`);
    }
    return charTokenizer((cp) => !preds.some((f) => f(cp)), intParam(p, 'max_token_length', 255));
  },
};
