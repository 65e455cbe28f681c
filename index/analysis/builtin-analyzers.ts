// OpenSearch's built-in analyzers (standard, simple, whitespace, keyword, stop, english, pattern,
// fingerprint), with defaults or configured by settings (`type: standard` plus `stopwords`, …). The
// standard analyzer has its own class: it is every text field's default, so its `terms` is hot.

import { type Analyzer, AnalysisError, lowerCase, type TermSpans, type Tok, type Token } from './analyzer.ts';
import { ChainAnalyzer, termFilter, type TokenFilter } from './chain.ts';
import { asciiFoldingFilter, FILTER_FACTORIES, lowercaseFilter, porterStemFilter, stopFilter } from './token-filters.ts';
import { boolParam, DEFAULT_LIMITS, intParam, javaRegex, listParam, type Params, rejectPathParam, strParam } from './settings.ts';
import { DEFAULT_MAX_TOKEN_LENGTH, scanStandard, TOKEN_TYPES } from './standard-tokenizer.ts';
import { ENGLISH_STOP_WORDS, resolveStopWords, stripPossessive } from './english.ts';
import { keywordTokenizer, letterTokenizer, lowercaseTokenizer, patternTokenizer, standardTokenizer, whitespaceTokenizer } from './tokenizers.ts';

const NO_WORDS: ReadonlySet<string> = new Set();

const spans: TermSpans = { text: '', starts: new Int32Array(0), ends: new Int32Array(0), count: 0, hashes: null };

/** Lucene's StandardAnalyzer: standard tokenizer, lower-casing, optional stop words. */
export class StandardAnalyzer implements Analyzer {
  constructor(
    readonly name = 'standard',
    private readonly stopWords: ReadonlySet<string> = NO_WORDS,
    private readonly maxTokenLength = DEFAULT_MAX_TOKEN_LENGTH,
  ) {}

  get sequentialPositions(): boolean {
    return this.stopWords.size === 0;
  }

  /** ASCII text without stop words: the spans of the lower-cased text (one native lower-casing pass, when it has capitals). */
  termSpans(text: string): TermSpans | null {
    if (this.stopWords.size > 0) return null;
    const s = scanStandard(text, this.maxTokenLength);
    if (!s.ascii) return null;
    spans.text = s.upper ? text.toLowerCase() : text;
    spans.starts = s.starts;
    spans.ends = s.ends;
    spans.count = s.count;
    spans.hashes = s.hashes;
    return spans;
  }

  terms(text: string): string[] {
    const s = scanStandard(text, this.maxTokenLength);
    const out: string[] = [];
    const stop = this.stopWords.size > 0 ? this.stopWords : null;
    // ASCII text lower-cases in one native pass; other text per token, Lucene-style.
    const lower = s.ascii ? text.toLowerCase() : null;
    for (let i = 0; i < s.count; i++) {
      const term = lower !== null ? lower.slice(s.starts[i], s.ends[i]) : lowerCase(text.slice(s.starts[i], s.ends[i]));
      if (stop === null || !stop.has(term)) out.push(term);
    }
    return out;
  }

  analyze(text: string): Token[] {
    const s = scanStandard(text, this.maxTokenLength);
    const out: Token[] = [];
    let position = -1;
    for (let i = 0; i < s.count; i++) {
      const term = lowerCase(text.slice(s.starts[i], s.ends[i]));
      position++;
      if (this.stopWords.has(term)) continue;
      out.push({ term, position, startOffset: s.starts[i], endOffset: s.ends[i], type: TOKEN_TYPES[s.types[i]] });
    }
    return out;
  }

  normalize(text: string): string {
    return lowerCase(text);
  }
}

/** Lucene's FingerprintFilter: one token of the sorted, de-duplicated terms. */
export function fingerprintFilter(separator = ' ', maxOutputSize = 255): TokenFilter {
  return {
    name: 'fingerprint',
    apply(tokens) {
      if (tokens.length === 0) return tokens;
      const terms = [...new Set(tokens.map((t) => t.term))].sort();
      const term = terms.join(separator);
      if (term.length > maxOutputSize) return [];
      const tok: Tok = { term, start: tokens[0].start, end: tokens[tokens.length - 1].end, posInc: 1, posLen: 1, type: 'fingerprint' };
      return [tok];
    },
  };
}

function stopWordsParam(p: Params, name: string, fallback: ReadonlySet<string>): ReadonlySet<string> {
  rejectPathParam(p, 'stopwords_path', name);
  return resolveStopWords(p.stopwords, fallback);
}

type AnalyzerFactory = (p: Params, name: string) => Analyzer;

/** Analyzer types accepted in `analysis.analyzer.<name>.type` (besides `custom`). */
export const ANALYZER_FACTORIES: Readonly<Record<string, AnalyzerFactory>> = {
  standard: (p, name) => new StandardAnalyzer(name, stopWordsParam(p, name, NO_WORDS), intParam(p, 'max_token_length', DEFAULT_MAX_TOKEN_LENGTH)),
  simple: (_p, name) => new ChainAnalyzer(name, lowercaseTokenizer()),
  whitespace: (p, name) => new ChainAnalyzer(name, whitespaceTokenizer(intParam(p, 'max_token_length', 255))),
  keyword: (_p, name) => new ChainAnalyzer(name, keywordTokenizer),
  stop: (p, name) => new ChainAnalyzer(name, letterTokenizer(), [lowercaseFilter, stopFilter(stopWordsParam(p, name, ENGLISH_STOP_WORDS))]),
  english: (p, name) => {
    const exclusions = new Set(listParam(p, 'stem_exclusion') ?? []);
    const filters: TokenFilter[] = [
      termFilter('english_possessive', stripPossessive),
      lowercaseFilter,
      stopFilter(stopWordsParam(p, name, ENGLISH_STOP_WORDS)),
    ];
    if (exclusions.size > 0) filters.push(FILTER_FACTORIES.keyword_marker({ keywords: [...exclusions] }, { name, limits: DEFAULT_LIMITS }));
    filters.push(porterStemFilter);
    return new ChainAnalyzer(name, standardTokenizer(), filters);
  },
  pattern: (p, name) => {
    const re = javaRegex(strParam(p, 'pattern', '\\W+'), strParam(p, 'flags'), name);
    const filters: TokenFilter[] = [];
    if (boolParam(p, 'lowercase', true)) filters.push(lowercaseFilter);
    const stop = stopWordsParam(p, name, NO_WORDS);
    if (stop.size > 0) filters.push(stopFilter(stop));
    return new ChainAnalyzer(name, patternTokenizer(re, -1), filters);
  },
  fingerprint: (p, name) => {
    const filters: TokenFilter[] = [lowercaseFilter, asciiFoldingFilter];
    const stop = stopWordsParam(p, name, NO_WORDS);
    if (stop.size > 0) filters.push(stopFilter(stop));
    filters.push(fingerprintFilter(strParam(p, 'separator', ' '), intParam(p, 'max_output_size', 255)));
    return new ChainAnalyzer(name, standardTokenizer(), filters);
  },
};

const cache = new Map<string, Analyzer>();

/** A built-in analyzer with default settings; throws {@link AnalysisError} for unknown names. */
export function builtinAnalyzer(name: string): Analyzer {
  let a = cache.get(name);
  if (!a) {
    const factory = ANALYZER_FACTORIES[name === 'default' ? 'standard' : name];
    if (!factory) throw new AnalysisError(`failed to find analyzer [${name}]`);
    a = factory({}, name);
    cache.set(name, a);
  }
  return a;
}

/** True when `name` is a built-in analyzer. */
export function isBuiltinAnalyzer(name: string): boolean {
  return Object.hasOwn(ANALYZER_FACTORIES, name);
}
