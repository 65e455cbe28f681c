// English resources of the analysis chain: `_english_` stop words and the `stopwords` setting, Porter
// stemming (the `stemmer` package implements Lucene's PorterStemmer algorithm; checked in the tests),
// the possessive filter that strips `'s`, and the minimal plural stemmer.

import { stemmer } from 'stemmer';
import { AnalysisError } from './analyzer.ts';

/** Lucene's `EnglishAnalyzer.ENGLISH_STOP_WORDS_SET`, OpenSearch's `_english_`. */
export const ENGLISH_STOP_WORDS: ReadonlySet<string> = new Set([
  'a', 'an', 'and', 'are', 'as', 'at', 'be', 'but', 'by', 'for', 'if', 'in', 'into', 'is', 'it', 'no', 'not',
  'of', 'on', 'or', 'such', 'that', 'the', 'their', 'then', 'there', 'these', 'they', 'this', 'to', 'was',
  'will', 'with',
]);

const NAMED: Record<string, ReadonlySet<string>> = {
  _english_: ENGLISH_STOP_WORDS,
  _none_: new Set<string>(),
};

/**
 * Resolves a `stopwords` setting value. `undefined` gives `fallback`; named sets expand wherever
 * they appear, as OpenSearch's `Analysis.parseWords` does.
 */
export function resolveStopWords(value: unknown, fallback: ReadonlySet<string>, ignoreCase = false): ReadonlySet<string> {
  if (value === undefined || value === null) return fallback;
  let words: unknown[];
  if (typeof value === 'string') words = value.split(',').map((w) => w.trim()).filter((w) => w.length > 0);
  else if (Array.isArray(value)) words = value;
  else throw new AnalysisError(`failed to parse stopwords [${JSON.stringify(value)}]`);
  const out = new Set<string>();
  for (const w of words) {
    const word = String(w);
    const named = NAMED[word];
    if (named) for (const n of named) out.add(n);
    else if (/^_[a-z]+_$/.test(word) && words.length === 1) {
      throw new AnalysisError(`Unsupported stopwords set [${word}]`);
    } else out.add(ignoreCase ? word.toLowerCase() : word);
  }
  return out;
}

const PRIVATE_BASE = 0xe000;

/**
 * Porter stem of a term. Lucene's stemmer does not lower-case: upper-case letters count as
 * consonants and stay as they are, so they are hidden from the package's own lower-casing.
 */
export function porterStem(term: string): string {
  if (term.length < 3) return term;
  if (term === term.toLowerCase()) return stemmer(term);
  const hidden: string[] = [];
  let masked = '';
  for (const ch of term) {
    if (ch !== ch.toLowerCase()) {
      masked += String.fromCharCode(PRIVATE_BASE + hidden.length);
      hidden.push(ch);
    } else masked += ch;
  }
  if (hidden.length > 0x1000) return term;
  let out = '';
  for (const ch of stemmer(masked)) {
    const c = ch.charCodeAt(0);
    out += c >= PRIVATE_BASE && c < PRIVATE_BASE + hidden.length ? hidden[c - PRIVATE_BASE] : ch;
  }
  return out;
}

/** Lucene's EnglishPossessiveFilter: drops a trailing `'s` (also with ’ or ＇, and `'S`). */
export function stripPossessive(term: string): string {
  const n = term.length;
  if (n < 2) return term;
  const q = term.charCodeAt(n - 2);
  const s = term.charCodeAt(n - 1);
  if ((q === 0x27 || q === 0x2019 || q === 0xff07) && (s === 0x73 || s === 0x53)) return term.slice(0, n - 2);
  return term;
}

/** Lucene's EnglishMinimalStemmer: plural `s` removal only (ies → y, keeps ss/us/aes/ees/oes). */
export function minimalEnglishStem(term: string): string {
  const n = term.length;
  if (n < 3 || term[n - 1] !== 's') return term;
  const b = term[n - 2];
  if (b === 'u' || b === 's') return term;
  if (b === 'e') {
    const c = term[n - 3];
    if (n > 3 && c === 'i' && term[n - 4] !== 'a' && term[n - 4] !== 'e') return term.slice(0, n - 3) + 'y';
    if (c === 'i' || c === 'a' || c === 'o' || c === 'e') return term;
  }
  return term.slice(0, n - 1);
}

/**
 * Stemmers by the `language` names of OpenSearch's `stemmer` filter. Light and Snowball English
 * (KStem, Porter2) are approximated by their nearest Lucene relatives here.
 */
export const ENGLISH_STEMMERS: Readonly<Record<string, (term: string) => string>> = {
  english: porterStem,
  porter: porterStem,
  porter2: porterStem,
  light_english: minimalEnglishStem,
  lightEnglish: minimalEnglishStem,
  kstem: minimalEnglishStem,
  minimal_english: minimalEnglishStem,
  minimalEnglish: minimalEnglishStem,
  possessive_english: stripPossessive,
  possessiveEnglish: stripPossessive,
};
