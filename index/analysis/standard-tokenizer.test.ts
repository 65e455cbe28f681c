import { describe, expect, it } from 'vitest';
import { standardTokenizer } from './tokenizers.ts';
import { scanGeneralForTest, scanStandard, termHash, type Spans } from './standard-tokenizer.ts';

const tokenize = standardTokenizer();
const terms = (text: string): string[] => tokenize(text).map((t) => t.term);
const types = (text: string): string[] => tokenize(text).map((t) => t.type);

describe('standard tokenizer', () => {
  // Expected outputs are those of Lucene's TestStandardAnalyzer (Lucene 9).
  it.each([
    ['B2B', ['B2B']],
    ['2B', ['2B']],
    ['some-dashed-phrase', ['some', 'dashed', 'phrase']],
    ['dogs,chase,cats', ['dogs', 'chase', 'cats']],
    ['ac/dc', ['ac', 'dc']],
    ["O'Reilly", ["O'Reilly"]],
    ["you're", ["you're"]],
    ["she's", ["she's"]],
    ["Jim's", ["Jim's"]],
    ["don't", ["don't"]],
    ["O'Reilly's", ["O'Reilly's"]],
    ['21.35', ['21.35']],
    ['R2D2 C3PO', ['R2D2', 'C3PO']],
    ['216.239.63.104', ['216.239.63.104']],
    ['David has 5000 bones', ['David', 'has', '5000', 'bones']],
    ['C embedded developers wanted', ['C', 'embedded', 'developers', 'wanted']],
    ['foo bar FOO BAR', ['foo', 'bar', 'FOO', 'BAR']],
    ['foo      bar .  FOO <> BAR', ['foo', 'bar', 'FOO', 'BAR']],
    ['"QUOTED" word', ['QUOTED', 'word']],
    ['안녕하세요 한글입니다', ['안녕하세요', '한글입니다']],
    ['', []],
    ['.', []],
    [' ', []],
    ['moͤchte', ['moͤchte']],
  ])('splits %j as Lucene does', (text, expected) => {
    expect(terms(text)).toEqual(expected);
  });

  it.each([
    ['A:B', ['A:B']],
    ['A::B', ['A', 'B']],
    ['1.2', ['1.2']],
    ['A.B', ['A.B']],
    ['1..2', ['1', '2']],
    ['A..B', ['A', 'B']],
    ['1,2', ['1,2']],
    ['1,,2', ['1', '2']],
    ['A.:B', ['A', 'B']],
    ['A:.B', ['A', 'B']],
    ['1,.2', ['1', '2']],
    ['1.,2', ['1', '2']],
    ['A:B_A:B', ['A:B_A:B']],
    ['A:B_A::B', ['A:B_A', 'B']],
    ['1.2_1.2', ['1.2_1.2']],
    ['A.B_A.B', ['A.B_A.B']],
    ['1.2_1..2', ['1.2_1', '2']],
    ['A.B_A..B', ['A.B_A', 'B']],
    ['1,2_1,2', ['1,2_1,2']],
    ['1,2_1,,2', ['1,2_1', '2']],
    ['C_A.:B', ['C_A', 'B']],
    ['C_A:.B', ['C_A', 'B']],
    ['3_1,.2', ['3_1', '2']],
    ['3_1.,2', ['3_1', '2']],
  ])('applies the mid-word punctuation rules to %j (Lucene testMid)', (text, expected) => {
    expect(terms(text)).toEqual(expected);
  });

  it.each([
    ['foo-bar', ['foo', 'bar']],
    ['foo.bar', ['foo.bar']],
    ['3.14', ['3.14']],
    ['wi-fi', ['wi', 'fi']],
    ['user@example.com', ['user', 'example.com']],
    ['http://www.example.com/path?q=1', ['http', 'www.example.com', 'path', 'q', '1']],
    ['foo_bar _lead trail_ __', ['foo_bar', '_lead', 'trail_']],
    ['v1.2.3 a1.b 1a.b ab1.cd', ['v1.2.3', 'a1', 'b', '1a.b', 'ab1', 'cd']],
    ['end. of, sentence; here: now', ['end', 'of', 'sentence', 'here', 'now']],
    ["dogs' 'quoted' don’t", ['dogs', 'quoted', 'don’t']],
    ['1;2 a;b', ['1;2', 'a', 'b']],
    ['Ünïcödé café naïve', ['Ünïcödé', 'café', 'naïve']],
    // ':' joins letters only, so clock times split.
    ['2024-01-15T10:00:00Z', ['2024', '01', '15T10', '00', '00Z']],
    ['key=value&x=y', ['key', 'value', 'x', 'y']],
    ['$100 #hashtag @mention', ['100', 'hashtag', 'mention']],
  ])('tokenizes ASCII and Latin text %j', (text, expected) => {
    expect(terms(text)).toEqual(expected);
  });

  it('gives each CJK ideograph its own token and keeps kana runs', () => {
    expect(terms('我是中国人。 １２３４ Ｔｅｓｔｓ ')).toEqual(['我', '是', '中', '国', '人', '１２３４', 'Ｔｅｓｔｓ']);
    expect(terms('𩬅艱鍟䇹愯瀛')).toEqual(['𩬅', '艱', '鍟', '䇹', '愯', '瀛']);
    expect(tokenize('仮名遣い カタカナ').map((t) => [t.term, t.type])).toEqual([
      ['仮', '<IDEOGRAPHIC>'], ['名', '<IDEOGRAPHIC>'], ['遣', '<IDEOGRAPHIC>'], ['い', '<HIRAGANA>'], ['カタカナ', '<KATAKANA>'],
    ]);
  });

  it('keeps South-East Asian runs together and Thai digits apart', () => {
    expect(terms('การที่ได้ต้องแสดงว่างานดี. แล้วเธอจะไปไหน? ๑๒๓๔')).toEqual(['การที่ได้ต้องแสดงว่างานดี', 'แล้วเธอจะไปไหน', '๑๒๓๔']);
  });

  it('handles Greek, Arabic and Hangul words', () => {
    expect(terms('Γράφεται σε συνεργασία από εθελοντές με το λογισμικό wiki')).toEqual(
      ['Γράφεται', 'σε', 'συνεργασία', 'από', 'εθελοντές', 'με', 'το', 'λογισμικό', 'wiki'],
    );
    expect(terms('(بالإنجليزية: Truth in Numbers)، سيتم إطلاقه في 2008.')).toEqual(
      ['بالإنجليزية', 'Truth', 'in', 'Numbers', 'سيتم', 'إطلاقه', 'في', '2008'],
    );
    expect(types('훈민정음')).toEqual(['<HANGUL>']);
  });

  it('keeps emoji sequences whole (Lucene testEmoji*)', () => {
    expect(terms('💩 💩💩')).toEqual(['💩', '💩', '💩']);
    expect(terms('👩\u200d❤\ufe0f\u200d👩')).toEqual(['👩\u200d❤\ufe0f\u200d👩']);
    expect(terms('👨🏼\u200d⚕\ufe0f')).toEqual(['👨🏼\u200d⚕\ufe0f']);
    expect(terms('🇺🇸🇺🇸')).toEqual(['🇺🇸', '🇺🇸']);
    expect(tokenize('#\ufe0f\u20e3').map((t) => t.type)).toEqual(['<EMOJI>']);
    expect(tokenize('3\ufe0f\u20e3').map((t) => t.type)).toEqual(['<EMOJI>']);
    expect(terms('#\ufe0e')).toEqual([]);
    expect(tokenize('3\ufe0e').map((t) => [t.term, t.type])).toEqual([['3\ufe0e', '<NUM>']]);
    expect(terms('\u2b55\ufe0e')).toEqual(['\u2b55']);
    expect(terms('\u2b55\ufe0e\u200d\u2b55\ufe0e')).toEqual(['\u2b55', '\u200d\u2b55']);
    expect(terms('poo💩poo')).toEqual(['poo', '💩', 'poo']);
    expect(terms('💩中國💩')).toEqual(['💩', '中', '國', '💩']);
  });

  it('reports offsets and types (Lucene testOffsets/testTypes)', () => {
    const toks = tokenize('David has 5000 bones');
    expect(toks.map((t) => [t.start, t.end])).toEqual([[0, 5], [6, 9], [10, 14], [15, 20]]);
    expect(toks.map((t) => t.type)).toEqual(['<ALPHANUM>', '<ALPHANUM>', '<NUM>', '<ALPHANUM>']);
  });

  it('uses UTF-16 offsets for astral characters', () => {
    const toks = tokenize('a 𩬅 b');
    expect(toks.map((t) => [t.term, t.start, t.end])).toEqual([['a', 0, 1], ['𩬅', 2, 4], ['b', 5, 6]]);
  });

  it('cuts tokens longer than max_token_length and keeps going (testMaxTokenLength*)', () => {
    const b = 'b'.repeat(255);
    expect(terms(`x ${b} ${b}b`)).toEqual(['x', b, b, 'b']);
    expect(standardTokenizer(5)('ab cd toolong xy z').map((t) => t.term)).toEqual(['ab', 'cd', 'toolo', 'ng', 'xy', 'z']);
  });

  it('tokenizes a huge document', () => {
    expect(terms(' '.repeat(4094) + 'testing 1234')).toEqual(['testing', '1234']);
  });

  it('flags pure-ASCII input so callers can lower-case it in one pass', () => {
    expect(scanStandard('plain ascii').ascii).toBe(true);
    expect(scanStandard('café').ascii).toBe(false);
  });

  it('scans ASCII text exactly as the general scan does (random text rich in word-joining punctuation)', () => {
    // The ASCII scan is a specialisation of the general one: same spans and types on any ASCII input.
    let seed = 7;
    const rand = (n: number): number => ((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) % n);
    const alphabet = 'aZ09_.:,;\'" -#*/\t@';
    const snapshot = (s: Spans): string =>
      Array.from({ length: s.count }, (_, i) => `${s.starts[i]}-${s.ends[i]}:${s.types[i]}`).join(' ');
    for (let round = 0; round < 5000; round++) {
      const len = rand(40);
      let text = '';
      for (let i = 0; i < len; i++) text += alphabet[rand(alphabet.length)];
      const max = rand(4) === 0 ? 1 + rand(6) : 255;
      const general = snapshot(scanGeneralForTest(text, max));
      const fast = scanStandard(text, max);
      expect(fast.ascii).toBe(true);
      expect(snapshot(fast), JSON.stringify([text, max])).toBe(general);
      const lower = text.toLowerCase();
      for (let i = 0; i < fast.count; i++) expect(fast.hashes[i]).toBe(termHash(lower, fast.starts[i], fast.ends[i]));
    }
  });

  it('falls back to the general scan at the first non-ASCII char, wherever it is', () => {
    for (const text of ['é', 'abc é', 'abc_é', 'ab.é', '12,é', 'x 1⃣', "O'Reilly's café", 'a'.repeat(300) + 'é']) {
      const general = scanGeneralForTest(text);
      const want = Array.from({ length: general.count }, (_, i) => [general.starts[i], general.ends[i], general.types[i]]);
      const fast = scanStandard(text);
      expect(fast.ascii).toBe(false);
      expect(Array.from({ length: fast.count }, (_, i) => [fast.starts[i], fast.ends[i], fast.types[i]])).toEqual(want);
    }
  });
});
