// Stop word sets and the `stopwords` setting as OpenSearch reads it: a named set (`_english_`,
// `_none_`), a list of words that may itself name sets, or a comma-separated string.

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
