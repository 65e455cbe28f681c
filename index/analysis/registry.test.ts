import { describe, expect, it } from 'vitest';
import { AnalysisError } from './analyzer.ts';
import { buildAnalysisRegistry } from './registry.ts';

const terms = (settings: Record<string, unknown>, analyzer: string, text: string): string[] =>
  buildAnalysisRegistry(settings).get(analyzer).terms(text);

describe('buildAnalysisRegistry', () => {
  it('builds custom analyzers from nested settings', () => {
    const settings = {
      index: {
        analysis: {
          char_filter: { dash: { type: 'mapping', mappings: ['- => _'] } },
          tokenizer: { my_pattern: { type: 'pattern', pattern: '[,;]' } },
          filter: { my_stop: { type: 'stop', stopwords: ['foo'] } },
          analyzer: {
            my_custom: { type: 'custom', tokenizer: 'standard', char_filter: ['html_strip'], filter: ['lowercase', 'asciifolding'] },
            csv: { tokenizer: 'my_pattern', filter: ['trim', 'my_stop'] },
            dashed: { type: 'custom', tokenizer: 'whitespace', char_filter: ['dash'] },
          },
        },
      },
    };
    expect(terms(settings, 'my_custom', '<b>Café</b> CRÈME')).toEqual(['cafe', 'creme']);
    expect(terms(settings, 'csv', 'a, foo ;b')).toEqual(['a', 'b']);
    expect(terms(settings, 'dashed', 'a-b c')).toEqual(['a_b', 'c']);
  });

  it('reads flattened settings with indexed lists', () => {
    const settings = {
      'index.analysis.analyzer.flat.type': 'custom',
      'index.analysis.analyzer.flat.tokenizer': 'standard',
      'index.analysis.analyzer.flat.filter.0': 'lowercase',
      'index.analysis.analyzer.flat.filter.1': 'porter_stem',
      'index.number_of_shards': '1',
    };
    expect(terms(settings, 'flat', 'Running Dogs')).toEqual(['run', 'dog']);
  });

  it('configures built-in analyzer types with parameters', () => {
    const settings = { analysis: { analyzer: { std_en: { type: 'standard', stopwords: '_english_' }, my_stop: { type: 'stop', stopwords: ['x'] } } } };
    const reg = buildAnalysisRegistry(settings);
    expect(reg.get('std_en').analyze('the fox').map((t) => [t.term, t.position])).toEqual([['fox', 1]]);
    expect(reg.get('my_stop').terms('x y the')).toEqual(['y', 'the']);
  });

  it('falls back to built-ins and lets the index override default', () => {
    const reg = buildAnalysisRegistry({ analysis: { analyzer: { default: { type: 'simple' } } } });
    expect(reg.get('whitespace').terms('A b')).toEqual(['A', 'b']);
    expect(reg.defaultAnalyzer().terms("dog's")).toEqual(['dog', 's']);
    expect(reg.defaultSearchAnalyzer().terms("dog's")).toEqual(['dog', 's']);
    expect(buildAnalysisRegistry({}).defaultAnalyzer().terms("Dog's")).toEqual(["dog's"]);
  });

  it('analyzes synonym rules with the chain before the filter', () => {
    const settings = {
      analysis: {
        filter: { syn: { type: 'synonym', synonyms: ['Laptop, Notebook'] } },
        analyzer: { s: { tokenizer: 'standard', filter: ['lowercase', 'syn'] } },
      },
    };
    expect(terms(settings, 's', 'New NOTEBOOK')).toEqual(['new', 'notebook', 'laptop']);
  });

  it('supports ngram tokenizers within index.max_ngram_diff', () => {
    const settings = {
      index: { max_ngram_diff: 2 },
      analysis: {
        tokenizer: { tri: { type: 'ngram', min_gram: 1, max_gram: 3, token_chars: ['letter', 'digit'] }, edge: { type: 'edge_ngram', min_gram: 2, max_gram: 10, token_chars: ['letter'] } },
        analyzer: { tri: { tokenizer: 'tri' }, auto: { tokenizer: 'edge', filter: ['lowercase'] } },
      },
    };
    expect(terms(settings, 'tri', 'ab-c')).toEqual(['a', 'ab', 'b', 'c']);
    expect(terms(settings, 'auto', 'Quick Fox')).toEqual(['qu', 'qui', 'quic', 'quick', 'fo', 'fox']);
    expect(() => buildAnalysisRegistry({ analysis: { tokenizer: { t: { type: 'ngram', min_gram: 1, max_gram: 3 } } } })).toThrow(
      'The difference between max_gram and min_gram in NGram Tokenizer must be less than or equal to: [1] but was [2]',
    );
  });

  it('builds keyword normalizers', () => {
    const reg = buildAnalysisRegistry({
      analysis: {
        char_filter: { quote: { type: 'mapping', mappings: ['« => "', '» => "'] } },
        normalizer: { folded: { type: 'custom', char_filter: ['quote'], filter: ['lowercase', 'asciifolding'] }, up: { filter: ['uppercase'] } },
      },
    });
    expect(reg.normalizer('folded').normalize('«Crème BRÛLÉE»')).toBe('"creme brulee"');
    expect(reg.normalizer('up').normalize('abc')).toBe('ABC');
    expect(reg.normalizer('lowercase').normalize('ABC')).toBe('abc');
    expect(() => reg.normalizer('nope')).toThrow('failed to find normalizer [nope]');
  });

  it('builds ad-hoc chains for _analyze', () => {
    const reg = buildAnalysisRegistry({});
    const a = reg.custom({ tokenizer: 'whitespace', filter: ['lowercase', { type: 'stop', stopwords: ['b'] }] });
    expect(a.analyze('A B C').map((t) => [t.term, t.position])).toEqual([['a', 0], ['c', 2]]);
  });

  it.each([
    [{ analysis: { analyzer: { a: { tokenizer: 'nope' } } } }, 'Custom Analyzer [a] failed to find tokenizer under name [nope]'],
    [{ analysis: { analyzer: { a: { tokenizer: 'standard', filter: ['nope'] } } } }, 'Custom Analyzer [a] failed to find filter under name [nope]'],
    [{ analysis: { analyzer: { a: { tokenizer: 'standard', char_filter: ['nope'] } } } }, 'Custom Analyzer [a] failed to find char_filter under name [nope]'],
    [{ analysis: { analyzer: { a: { type: 'custom' } } } }, 'Custom Analyzer [a] must be configured with a tokenizer'],
    [{ analysis: { analyzer: { a: { filter: ['lowercase'] } } } }, 'analyzer [a] must specify either an analyzer type, or a tokenizer'],
    [{ analysis: { analyzer: { a: { type: 'klingon' } } } }, 'Unknown analyzer type [klingon] for [a]'],
    [{ analysis: { filter: { f: { type: 'klingon' } } } }, 'Unknown filter type [klingon] for [f]'],
    [{ analysis: { tokenizer: { t: { type: 'klingon' } } } }, 'Unknown tokenizer type [klingon] for [t]'],
    [{ analysis: { char_filter: { c: { type: 'klingon' } } } }, 'Unknown char_filter type [klingon] for [c]'],
    [{ analysis: { filter: { f: { stopwords: ['x'] } } } }, 'filter [f] must specify either an analyzer type, or a tokenizer'],
    [{ analysis: { analyzer: { _a: { tokenizer: 'standard' } } } }, `analyzer name must not start with '_'. got "_a"`],
    [{ analysis: { normalizer: { n: { filter: ['porter_stem'] } } } }, 'Custom normalizer may not use filter [porter_stem]'],
    [{ analysis: { normalizer: { n: { char_filter: ['html_strip'] } } } }, 'Custom normalizer [n] may not use char filter [html_strip]'],
  ])('rejects invalid settings with OpenSearch wording (%#)', (settings, reason) => {
    let error: unknown;
    try {
      buildAnalysisRegistry(settings);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(AnalysisError);
    expect((error as AnalysisError).reason).toBe(reason);
  });

  it('throws failed to find analyzer for unknown names', () => {
    expect(() => buildAnalysisRegistry({}).get('missing')).toThrow('failed to find analyzer [missing]');
    expect(buildAnalysisRegistry({}).has('standard')).toBe(true);
    expect(buildAnalysisRegistry({}).has('missing')).toBe(false);
  });
});
