import { describe, expect, it } from 'vitest';
import type { Token } from './analyzer.ts';
import { ChainAnalyzer, type TokenFilter } from './chain.ts';
import { FILTER_FACTORIES } from './token-filters.ts';
import { DEFAULT_LIMITS } from './settings.ts';
import { standardTokenizer, whitespaceTokenizer } from './tokenizers.ts';
import { asciiFold } from './ascii-folding.ts';

const filter = (type: string, params: Record<string, unknown> = {}): TokenFilter =>
  FILTER_FACTORIES[type](params, { name: `my_${type}`, limits: DEFAULT_LIMITS });
const ws = (text: string, ...filters: TokenFilter[]): Token[] => new ChainAnalyzer('t', whitespaceTokenizer(), filters).analyze(text);
const std = (text: string, ...filters: TokenFilter[]): Token[] => new ChainAnalyzer('t', standardTokenizer(), filters).analyze(text);
const terms = (toks: Token[]): string[] => toks.map((t) => t.term);
const termPos = (toks: Token[]): Array<[string, number]> => toks.map((t) => [t.term, t.position]);

describe('simple token filters', () => {
  it('lowercase and uppercase work per code point', () => {
    expect(terms(ws('ÀB Straße', filter('lowercase')))).toEqual(['àb', 'straße']);
    expect(terms(ws('àb straße', filter('uppercase')))).toEqual(['ÀB', 'STRAßE']);
  });

  it('asciifolding folds accents, ligatures and punctuation', () => {
    expect(terms(ws('açaí à la carte', filter('asciifolding')))).toEqual(['acai', 'a', 'la', 'carte']);
    expect(['Æsir', 'straße', 'Łódź', 'ﬁne', '①', '“quoted”', 'Ｆｕｌｌ', '日本', 'naïve'].map(asciiFold)).toEqual([
      'AEsir', 'strasse', 'Lodz', 'fine', '1', '"quoted"', 'Full', '日本', 'naive',
    ]);
    expect(termPos(ws('açaí', filter('asciifolding', { preserve_original: true })))).toEqual([['açaí', 0], ['acai', 0]]);
  });

  it('stop removes _english_ by default, leaving position gaps', () => {
    expect(termPos(std('a quick fox in the den', filter('stop')))).toEqual([['quick', 1], ['fox', 2], ['den', 5]]);
    expect(termPos(ws('Foo and BAR', filter('stop', { stopwords: ['foo', 'bar'], ignore_case: true })))).toEqual([['and', 1]]);
    expect(terms(ws('the a', filter('stop', { stopwords: '_none_' })))).toEqual(['the', 'a']);
  });

  it('length, truncate, trim, reverse and limit', () => {
    expect(termPos(ws('a bb ccc dddd', filter('length', { min: 2, max: 3 })))).toEqual([['bb', 1], ['ccc', 2]]);
    expect(terms(ws('abcdefghijklmn xy', filter('truncate')))).toEqual(['abcdefghij', 'xy']);
    expect(terms(ws('hello', filter('reverse')))).toEqual(['olleh']);
    expect(terms(ws('one two three', filter('limit', { max_token_count: 2 })))).toEqual(['one', 'two']);
    expect(new ChainAnalyzer('k', (t) => [{ term: t, start: 0, end: t.length, posInc: 1, posLen: 1, type: 'word' }], [filter('trim')]).terms('  x y  ')).toEqual(['x y']);
  });

  it('unique drops repeated terms', () => {
    expect(terms(ws('the quick fox the fox', filter('unique')))).toEqual(['the', 'quick', 'fox']);
  });

  it('porter_stem and stemmer languages', () => {
    expect(terms(ws('running dogs', filter('porter_stem')))).toEqual(['run', 'dog']);
    expect(terms(ws('running dogs', filter('stemmer', { language: 'english' })))).toEqual(['run', 'dog']);
    expect(terms(ws('ponies dogs', filter('stemmer', { language: 'minimal_english' })))).toEqual(['pony', 'dog']);
    expect(terms(ws("dog's", filter('stemmer', { language: 'possessive_english' })))).toEqual(['dog']);
    expect(() => filter('stemmer', { language: 'klingon' })).toThrow('Unsupported stemmer language [klingon]');
  });

  it('keyword_marker protects words from stemming', () => {
    expect(terms(ws('running jumping', filter('keyword_marker', { keywords: ['running'] }), filter('porter_stem')))).toEqual(['running', 'jump']);
  });

  it('pattern_replace and decimal_digit', () => {
    expect(terms(ws('a-b-c', filter('pattern_replace', { pattern: '-', replacement: '_' })))).toEqual(['a_b_c']);
    expect(terms(ws('ab12', filter('pattern_replace', { pattern: '(\\d+)', replacement: '<$1>' })))).toEqual(['ab<12>']);
    expect(terms(ws('١٢٣ ४५', filter('decimal_digit')))).toEqual(['123', '45']);
  });
});

describe('graph token filters', () => {
  it('ngram emits grams by start then length at the token position', () => {
    expect(terms(ws('Quick fox', filter('ngram')))).toEqual([
      'Q', 'Qu', 'u', 'ui', 'i', 'ic', 'c', 'ck', 'k', 'f', 'fo', 'o', 'ox', 'x',
    ]);
    const toks = ws('ab cd', filter('ngram'));
    expect(toks.map((t) => [t.term, t.position, t.startOffset, t.endOffset])).toEqual([
      ['a', 0, 0, 2], ['ab', 0, 0, 2], ['b', 0, 0, 2], ['c', 1, 3, 5], ['cd', 1, 3, 5], ['d', 1, 3, 5],
    ]);
    expect(() => filter('ngram', { min_gram: 1, max_gram: 5 })).toThrow('index.max_ngram_diff');
  });

  it('edge_ngram emits prefixes', () => {
    expect(terms(ws('the quick brown fox jumps', filter('edge_ngram')))).toEqual(['t', 'th', 'q', 'qu', 'b', 'br', 'f', 'fo', 'j', 'ju']);
    expect(terms(ws('a abcdef', filter('edge_ngram', { min_gram: 2, max_gram: 3, preserve_original: true })))).toEqual(['a', 'ab', 'abc', 'abcdef']);
  });

  it('shingle builds word n-grams with unigrams', () => {
    const toks = ws('quick brown fox jumps', filter('shingle'));
    expect(toks.map((t) => [t.term, t.position, t.positionLength ?? 1])).toEqual([
      ['quick', 0, 1], ['quick brown', 0, 2], ['brown', 1, 1], ['brown fox', 1, 2], ['fox', 2, 1], ['fox jumps', 2, 2], ['jumps', 3, 1],
    ]);
    expect(terms(ws('a b c', filter('shingle', { max_shingle_size: 3, output_unigrams: false })))).toEqual(['a b', 'a b c', 'b c']);
  });

  it('shingle fills stop-word gaps with the filler token', () => {
    expect(terms(std('the quick fox', filter('stop'), filter('shingle')))).toEqual(['_ quick', 'quick', 'quick fox', 'fox']);
  });

  it('synonym expands equivalents and rewrites explicit mappings', () => {
    const syn = filter('synonym', { synonyms: ['quick, fast', 'jumps => leaps', 'ny, new york'] });
    expect(termPos(ws('the quick fox jumps', syn))).toEqual([['the', 0], ['quick', 1], ['fast', 1], ['fox', 2], ['leaps', 3]]);
    expect(termPos(ws('visit new york today', syn))).toEqual([['visit', 0], ['new', 1], ['ny', 1], ['york', 2], ['today', 3]]);
    expect(termPos(ws('visit ny', syn))).toEqual([['visit', 0], ['ny', 1], ['new', 1], ['york', 2]]);
    const noExpand = filter('synonym', { synonyms: ['quick, fast, speedy'], expand: false });
    expect(terms(ws('fast speedy quick', noExpand))).toEqual(['quick', 'quick', 'quick']);
    expect(ws('the quick', syn)[2].type).toBe('SYNONYM');
  });

  it('word_delimiter splits on punctuation, case changes and digits', () => {
    expect(terms(ws("Neil's-Super-Duper-XL500--42+AutoCoder", filter('word_delimiter')))).toEqual([
      'Neil', 'Super', 'Duper', 'XL', '500', '42', 'Auto', 'Coder',
    ]);
    expect(terms(ws('PowerShot Wi-Fi SD500 XMLParser', filter('word_delimiter')))).toEqual([
      'Power', 'Shot', 'Wi', 'Fi', 'SD', '500', 'XMLParser',
    ]);
    const cat = ws('super-duper-xl-500', filter('word_delimiter', { catenate_words: true }));
    expect(termPos(cat)).toEqual([['super', 0], ['superduperxl', 0], ['duper', 1], ['xl', 2], ['500', 3]]);
    const orig = ws('wi-fi', filter('word_delimiter', { preserve_original: true }));
    expect(orig.map((t) => [t.term, t.position, t.startOffset, t.endOffset])).toEqual([
      ['wi-fi', 0, 0, 5], ['wi', 0, 0, 2], ['fi', 1, 3, 5],
    ]);
  });
});
