// Token filters that rewrite or drop single tokens (lowercase, stop, asciifolding, stemmers, length,
// trim, unique…), and the table of every filter type `analysis.filter.<name>.type` may name. The
// filters that add tokens or positions (shingle, synonym, word_delimiter, ngrams) are in graph-filters.ts.

import { AnalysisError, lowerCase, type Tok, upperCase } from './analyzer.ts';
import { asciiFold } from './ascii-folding.ts';
import { dropFilter, termFilter, type TokenFilter } from './chain.ts';
import { edgeNgramFilter, ngramFilter, shingleFilter, synonymFilter, wordDelimiterFilter } from './graph-filters.ts';
import { type AnalysisLimits, boolParam, intParam, javaRegex, listParam, type Params, rejectPathParam, strParam } from './settings.ts';
import { ENGLISH_STEMMERS, ENGLISH_STOP_WORDS, porterStem, resolveStopWords } from './english.ts';

/** What a filter factory may need beyond its own settings. */
export interface FilterContext {
  name: string;
  limits: AnalysisLimits;
  /** Analyzes a synonym rule with the chain that precedes the filter (tokenizer and earlier filters). */
  analyzeRule?: (text: string) => string[];
}

/** Lucene's StopFilter: removes stop words, leaving position gaps. */
export function stopFilter(words: ReadonlySet<string>, ignoreCase = false, name = 'stop'): TokenFilter {
  return dropFilter(name, (t) => !words.has(ignoreCase ? lowerCase(t.term) : t.term));
}

/** Lucene's LowerCaseFilter (per code point). */
export const lowercaseFilter: TokenFilter = termFilter('lowercase', lowerCase, true);
/** Lucene's UpperCaseFilter (per code point). */
export const uppercaseFilter: TokenFilter = termFilter('uppercase', upperCase, true);
/** Lucene's ASCIIFoldingFilter without `preserve_original`. */
export const asciiFoldingFilter: TokenFilter = termFilter('asciifolding', asciiFold, true);
/** Lucene's PorterStemFilter (keyword-marked tokens are left alone). */
export const porterStemFilter: TokenFilter = termFilter('porter_stem', porterStem);

/** ASCII folding that keeps the original token too (at the same position) when it changed. */
function asciiFoldingPreserving(): TokenFilter {
  return {
    name: 'asciifolding',
    apply(tokens) {
      const out: Tok[] = [];
      for (const t of tokens) {
        out.push(t);
        const folded = asciiFold(t.term);
        if (folded !== t.term) out.push({ ...t, term: folded, posInc: 0 });
      }
      return out;
    },
    normalize: asciiFold,
  };
}

const trimJava = (s: string): string => s.replace(/^[\s\u001c-\u001f]+|[\s\u001c-\u001f]+$/g, '');

/** OpenSearch's UniqueTokenFilter: drops repeated terms (without leaving position gaps). */
function uniqueFilter(onlySamePosition: boolean): TokenFilter {
  return {
    name: 'unique',
    apply(tokens) {
      const seen = new Set<string>();
      const out: Tok[] = [];
      for (const t of tokens) {
        if (onlySamePosition && t.posInc > 0) seen.clear();
        if (seen.has(t.term)) continue;
        seen.add(t.term);
        out.push(t);
      }
      return out;
    },
  };
}

function limitFilter(max: number): TokenFilter {
  return { name: 'limit', apply: (tokens) => tokens.slice(0, max) };
}

function keywordMarker(words: ReadonlySet<string>, ignoreCase: boolean): TokenFilter {
  return {
    name: 'keyword_marker',
    apply(tokens) {
      for (const t of tokens) if (words.has(ignoreCase ? lowerCase(t.term) : t.term)) t.keyword = true;
      return tokens;
    },
  };
}

const reverseTerm = (s: string): string => [...s].reverse().join('');
const RE_ND_ALL = /\p{Nd}/gu;
const RE_ND = /\p{Nd}/u;
/** Lucene's DecimalDigitFilter: any Unicode decimal digit becomes its ASCII digit. */
const decimalDigit = (s: string): string =>
  s.replace(RE_ND_ALL, (d) => {
    const cp = d.codePointAt(0)!;
    // Digits come in contiguous runs of ten (some runs adjoin), so the value is the offset mod 10.
    let start = cp;
    while (RE_ND.test(String.fromCodePoint(start - 1))) start--;
    return String((cp - start) % 10);
  });

function stemmerFilter(p: Params, ctx: FilterContext): TokenFilter {
  const language = strParam(p, 'language') ?? strParam(p, 'name') ?? 'porter';
  const stem = ENGLISH_STEMMERS[language];
  if (!stem) throw new AnalysisError(`Unsupported stemmer language [${language}] for filter [${ctx.name}]`);
  return termFilter('stemmer', stem);
}

type FilterFactory = (p: Params, ctx: FilterContext) => TokenFilter;

/** Token filter types accepted in `analysis.filter.<name>.type` (and as built-in filter names). */
export const FILTER_FACTORIES: Readonly<Record<string, FilterFactory>> = {
  lowercase: () => lowercaseFilter,
  uppercase: () => uppercaseFilter,
  asciifolding: (p) => (boolParam(p, 'preserve_original', false) ? asciiFoldingPreserving() : asciiFoldingFilter),
  porter_stem: () => porterStemFilter,
  stemmer: stemmerFilter,
  snowball: (p, ctx) => {
    const language = strParam(p, 'language', 'English');
    if (language !== 'English' && language !== 'Porter') throw new AnalysisError(`Unsupported snowball language [${language}] for filter [${ctx.name}]`);
    return termFilter('snowball', porterStem);
  },
  kstem: () => termFilter('kstem', ENGLISH_STEMMERS.kstem),
  stop: (p, ctx) => {
    rejectPathParam(p, 'stopwords_path', ctx.name);
    const ignoreCase = boolParam(p, 'ignore_case', false);
    return stopFilter(resolveStopWords(p.stopwords, ENGLISH_STOP_WORDS, ignoreCase), ignoreCase, ctx.name);
  },
  trim: () => termFilter('trim', trimJava, true),
  unique: (p) => uniqueFilter(boolParam(p, 'only_on_same_position', false)),
  length: (p) => {
    const min = intParam(p, 'min', 0);
    const max = intParam(p, 'max', 2147483647);
    return dropFilter('length', (t) => t.term.length >= min && t.term.length <= max);
  },
  truncate: (p) => {
    const length = intParam(p, 'length', 10);
    if (length < 1) throw new AnalysisError(`length parameter must be provided`);
    return termFilter('truncate', (s) => (s.length > length ? s.slice(0, length) : s));
  },
  limit: (p) => limitFilter(intParam(p, 'max_token_count', 1)),
  reverse: () => termFilter('reverse', reverseTerm),
  apostrophe: () => termFilter('apostrophe', (s) => { const i = s.search(/['\u2019]/); return i < 0 ? s : s.slice(0, i); }),
  decimal_digit: () => termFilter('decimal_digit', decimalDigit, true),
  keyword_marker: (p, ctx) => {
    rejectPathParam(p, 'keywords_path', ctx.name);
    const ignoreCase = boolParam(p, 'ignore_case', false);
    const words = new Set((listParam(p, 'keywords') ?? []).map((w) => (ignoreCase ? lowerCase(w) : w)));
    return keywordMarker(words, ignoreCase);
  },
  pattern_replace: (p, ctx) => {
    const re = javaRegex(strParam(p, 'pattern', ''), strParam(p, 'flags'), ctx.name);
    const replacement = strParam(p, 'replacement', '').replace(/\$(\d)/g, '$$$1');
    const all = boolParam(p, 'all', true);
    const once = new RegExp(re.source, re.flags.replace('g', ''));
    return termFilter('pattern_replace', (s) => s.replace(all ? re : once, replacement), true);
  },
  ngram: (p, ctx) => {
    const min = intParam(p, 'min_gram', 1);
    const max = intParam(p, 'max_gram', 2);
    if (max - min > ctx.limits.maxNgramDiff) {
      throw new AnalysisError(`The difference between max_gram and min_gram in NGram Tokenizer must be less than or equal to: [${ctx.limits.maxNgramDiff}] but was [${max - min}]. This limit can be set by changing the [index.max_ngram_diff] index level setting.`);
    }
    return ngramFilter(min, max, boolParam(p, 'preserve_original', false));
  },
  edge_ngram: (p) => edgeNgramFilter(intParam(p, 'min_gram', 1), intParam(p, 'max_gram', 2), boolParam(p, 'preserve_original', false)),
  shingle: (p, ctx) => {
    const min = intParam(p, 'min_shingle_size', 2);
    const max = intParam(p, 'max_shingle_size', 2);
    if (min < 2) throw new AnalysisError('Min shingle size must be >= 2');
    if (max < min) throw new AnalysisError('Max shingle size must be >= min shingle size');
    if (max - min > ctx.limits.maxShingleDiff) {
      throw new AnalysisError(`In Shingle TokenFilter the difference between max_shingle_size and min_shingle_size (and +1 if outputting unigrams) must be less than or equal to: [${ctx.limits.maxShingleDiff}] but was [${max - min}]. This limit can be set by changing the [index.max_shingle_diff] index level setting.`);
    }
    return shingleFilter({
      min, max,
      outputUnigrams: boolParam(p, 'output_unigrams', true),
      outputUnigramsIfNoShingles: boolParam(p, 'output_unigrams_if_no_shingles', false),
      separator: strParam(p, 'token_separator', ' '),
      filler: strParam(p, 'filler_token', '_'),
    });
  },
  synonym: (p, ctx) => synonymFromParams(p, ctx),
  synonym_graph: (p, ctx) => synonymFromParams(p, ctx),
  word_delimiter: (p) => wordDelimiterFromParams(p),
  word_delimiter_graph: (p) => wordDelimiterFromParams(p),
};

function synonymFromParams(p: Params, ctx: FilterContext): TokenFilter {
  rejectPathParam(p, 'synonyms_path', ctx.name);
  const format = strParam(p, 'format', 'solr');
  if (format !== 'solr') throw new AnalysisError(`Unsupported synonym format [${format}] for filter [${ctx.name}]`);
  const rules = Array.isArray(p.synonyms) ? p.synonyms.map(String) : p.synonyms === undefined ? [] : [String(p.synonyms)];
  return synonymFilter(rules, {
    expand: boolParam(p, 'expand', true),
    lenient: boolParam(p, 'lenient', false),
    analyze: ctx.analyzeRule ?? ((s) => s.split(/\s+/).filter(Boolean)),
  });
}

function wordDelimiterFromParams(p: Params): TokenFilter {
  return wordDelimiterFilter({
    generateWordParts: boolParam(p, 'generate_word_parts', true),
    generateNumberParts: boolParam(p, 'generate_number_parts', true),
    catenateWords: boolParam(p, 'catenate_words', false),
    catenateNumbers: boolParam(p, 'catenate_numbers', false),
    catenateAll: boolParam(p, 'catenate_all', false),
    splitOnCaseChange: boolParam(p, 'split_on_case_change', true),
    splitOnNumerics: boolParam(p, 'split_on_numerics', true),
    preserveOriginal: boolParam(p, 'preserve_original', false),
    stemEnglishPossessive: boolParam(p, 'stem_english_possessive', true),
    protectedWords: new Set(listParam(p, 'protected_words') ?? []),
  });
}

/** Filters that may appear in a custom normalizer (Lucene's NormalizingTokenFilterFactory). */
export const NORMALIZER_FILTERS: ReadonlySet<string> = new Set([
  'lowercase', 'uppercase', 'asciifolding', 'trim', 'decimal_digit', 'pattern_replace',
]);
