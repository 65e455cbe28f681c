import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ANALYZER_FACTORIES, builtinAnalyzer, StandardAnalyzer } from './builtin-analyzers.ts';
import { AnalysisError } from './analyzer.ts';

const SENTENCE = "The 2 QUICK Brown-Foxes jumped over the lazy dog's bone.";
const terms = (name: string, text = SENTENCE): string[] => builtinAnalyzer(name).terms(text);

describe('built-in analyzers', () => {
  // Outputs as documented for OpenSearch's `_analyze` with each analyzer.
  it.each([
    ['standard', ['the', '2', 'quick', 'brown', 'foxes', 'jumped', 'over', 'the', 'lazy', "dog's", 'bone']],
    ['simple', ['the', 'quick', 'brown', 'foxes', 'jumped', 'over', 'the', 'lazy', 'dog', 's', 'bone']],
    ['whitespace', ['The', '2', 'QUICK', 'Brown-Foxes', 'jumped', 'over', 'the', 'lazy', "dog's", 'bone.']],
    ['stop', ['quick', 'brown', 'foxes', 'jumped', 'over', 'lazy', 'dog', 's', 'bone']],
    ['keyword', [SENTENCE]],
    ['pattern', ['the', '2', 'quick', 'brown', 'foxes', 'jumped', 'over', 'the', 'lazy', 'dog', 's', 'bone']],
    ['english', ['2', 'quick', 'brown', 'fox', 'jump', 'over', 'lazi', 'dog', 'bone']],
  ])('%s analyzes the documentation sentence', (name, expected) => {
    expect(terms(name)).toEqual(expected);
    expect(builtinAnalyzer(name).analyze(SENTENCE).map((t) => t.term)).toEqual(expected);
  });

  it('fingerprint sorts, folds and de-duplicates into one token', () => {
    expect(terms('fingerprint', 'Yes yes, Gödel said this sentence is consistent and.')).toEqual([
      'and consistent godel is said sentence this yes',
    ]);
  });

  it('standard with max_token_length 5 and _english_ stop words (documentation example)', () => {
    const a = ANALYZER_FACTORIES.standard({ max_token_length: 5, stopwords: '_english_' }, 'my_english_analyzer');
    expect(a.terms(SENTENCE)).toEqual(['2', 'quick', 'brown', 'foxes', 'jumpe', 'd', 'over', 'lazy', "dog's", 'bone']);
  });

  it('leaves position gaps where stop words were removed', () => {
    const a = ANALYZER_FACTORIES.standard({ stopwords: '_english_' }, 's');
    expect(a.analyze('The quick fox and the dog').map((t) => [t.term, t.position])).toEqual([
      ['quick', 1], ['fox', 2], ['dog', 5],
    ]);
    expect(builtinAnalyzer('stop').analyze('the quick brown fox').map((t) => t.position)).toEqual([1, 2, 3]);
    expect(builtinAnalyzer('english').analyze('This is a test of the system').map((t) => [t.term, t.position])).toEqual([
      ['test', 3], ['system', 6],
    ]);
  });

  it('reports offsets into the original text', () => {
    expect(builtinAnalyzer('standard').analyze('Hello, World!').map((t) => [t.term, t.startOffset, t.endOffset, t.type])).toEqual([
      ['hello', 0, 5, '<ALPHANUM>'], ['world', 7, 12, '<ALPHANUM>'],
    ]);
  });

  it('english stems common words as Lucene does', () => {
    const en = builtinAnalyzer('english');
    expect(en.terms('running runs ran jumped jumping dogs dog\'s dogs\' cats’ happiness')).toEqual([
      'run', 'run', 'ran', 'jump', 'jump', 'dog', 'dog', 'dog', 'cat', 'happi',
    ]);
    expect(en.terms('The Quick Brown Foxes Are Running')).toEqual(['quick', 'brown', 'fox', 'run']);
  });

  it('english honours stem_exclusion and custom stop words', () => {
    const a = ANALYZER_FACTORIES.english({ stem_exclusion: ['running'], stopwords: ['dogs'] }, 'e');
    expect(a.terms('the running dogs jumped')).toEqual(['the', 'running', 'jump']);
  });

  it('lower-cases like Java (per code point)', () => {
    expect(terms('standard', 'İSTANBUL ΣΟΦΟΣ')).toEqual(['istanbul', 'σοφοσ']);
  });

  it('the standard analyzer fast path equals its token path on mixed text', () => {
    const a = new StandardAnalyzer('standard', new Set(['the']));
    for (const text of [SENTENCE, 'Ünïcödé CAFÉ the 3.14 foo_bar', 'mixed 日本語 text ΣΑΣ', '']) {
      expect(a.terms(text)).toEqual(a.analyze(text).map((t) => t.term));
    }
  });

  it('pattern analyzer takes a pattern, flags and lowercase', () => {
    const a = ANALYZER_FACTORIES.pattern({ pattern: '\\W|_', lowercase: false }, 'p');
    expect(a.terms('John_Smith@foo-bar.com')).toEqual(['John', 'Smith', 'foo', 'bar', 'com']);
    const camel = ANALYZER_FACTORIES.pattern({ pattern: '([^\\p{L}\\d]+)|(?<=\\D)(?=\\d)|(?<=\\d)(?=\\D)|(?<=[\\p{L}&&[^\\p{Lu}]])(?=\\p{Lu})|(?<=\\p{Lu})(?=\\p{Lu}[\\p{L}&&[^\\p{Lu}]])' }, 'camel');
    expect(camel.terms('MooseX::FTPClass2_beta')).toContain('moosex');
  });

  it('normalize lower-cases a whole query string', () => {
    expect(builtinAnalyzer('standard').normalize?.('Foo*BAR')).toBe('foo*bar');
  });

  it('throws AnalysisError for unknown built-ins', () => {
    expect(() => builtinAnalyzer('nope')).toThrow(AnalysisError);
    expect(() => builtinAnalyzer('nope')).toThrow('failed to find analyzer [nope]');
  });

  it('terms equal analyze terms and offsets point at the source text (property)', () => {
    const a = new StandardAnalyzer('standard', new Set(['the', 'a']));
    const chars = fc.constantFrom(...'aZ9_.-\' ,:;@/é日💩ß\u0301\u200d'.split(''), ' ', 'the ', "don't ", '3.14 ');
    fc.assert(
      fc.property(fc.array(chars, { maxLength: 40 }).map((xs) => xs.join('')), (text) => {
        const toks = a.analyze(text);
        expect(a.terms(text)).toEqual(toks.map((t) => t.term));
        for (const t of toks) expect(t.term).toBe(text.slice(t.startOffset, t.endOffset).toLowerCase());
        for (let i = 1; i < toks.length; i++) expect(toks[i].position).toBeGreaterThan(toks[i - 1].position);
      }),
      { numRuns: 500 },
    );
  });

  it('analyzes ASCII log messages fast enough for the ingest path', () => {
    const words = ['GET', '/api/v1/users', '200', 'error', 'connection', 'timeout', 'user@example.com', '10.0.0.12', 'request_id=abc123', 'latency', 'ms', 'foo-bar', '3.14', 'WARN'];
    const messages = Array.from({ length: 20_000 }, (_, i) => Array.from({ length: 15 }, (_, j) => words[(i * 7 + j * 3) % words.length]).join(' '));
    const a = builtinAnalyzer('standard');
    for (const m of messages.slice(0, 2000)) a.terms(m); // warm up
    const start = performance.now();
    let n = 0;
    for (const m of messages) n += a.terms(m).length;
    const perSecond = messages.length / ((performance.now() - start) / 1000);
    expect(n).toBeGreaterThan(messages.length * 10);
    // Measured at 300k+ messages/s on a 2-core machine; the bound leaves room for noisy CI.
    expect(perSecond).toBeGreaterThan(50_000);
  });
});

describe('standard analyzer term spans', () => {
  const spanTerms = (text: string): string[] => {
    const s = new StandardAnalyzer().termSpans(text)!;
    return Array.from({ length: s.count }, (_, i) => s.text.slice(s.starts[i], s.ends[i]));
  };

  it('give the same terms as `terms`, with capitals or without', () => {
    for (const text of [SENTENCE, SENTENCE.toLowerCase(), 'ip-10-0-3-10 GET /Index.HTML 200', 'x_Y 3.14 a.B a:b']) {
      expect(spanTerms(text)).toEqual(new StandardAnalyzer().terms(text));
    }
  });

  it('keep an already lower-case text as it is, and lower-case one with capitals', () => {
    const text = ['request', 'handled', 'user', '42', 'cache.miss'].join(' ').repeat(3);
    expect(new StandardAnalyzer().termSpans(text)!.text).toBe(text);
    expect(new StandardAnalyzer().termSpans(`${text} Upper`)!.text).toBe(`${text} upper`);
  });

  it('agree with `terms` on random ASCII text', () => {
    fc.assert(fc.property(fc.stringMatching(/^[A-Za-z0-9 _.:',;-]{0,60}$/), (text) => {
      expect(spanTerms(text)).toEqual(new StandardAnalyzer().terms(text));
    }), { numRuns: 500 });
  });
});
