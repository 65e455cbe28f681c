import { describe, expect, it } from 'vitest';
import { ChainAnalyzer } from './chain.ts';
import { htmlStripCharFilter, mappingCharFilter, patternReplaceCharFilter } from './char-filters.ts';
import { keywordTokenizer, standardTokenizer } from './tokenizers.ts';
import { AnalysisError } from './analyzer.ts';

describe('html_strip', () => {
  it('strips tags, turns block tags into newlines and decodes entities (documentation example)', () => {
    expect(htmlStripCharFilter().apply('<p>I&apos;m so <b>happy</b>!</p>').text).toBe("\nI'm so happy!\n");
  });

  it('maps token offsets back into the HTML', () => {
    const a = new ChainAnalyzer('h', standardTokenizer(), [], [htmlStripCharFilter()]);
    const html = '<p>Hello <b>big</b> world &amp; more</p>';
    const toks = a.analyze(html);
    expect(toks.map((t) => t.term)).toEqual(['Hello', 'big', 'world', 'more']);
    // Like Lucene, an end offset at a removed tag is corrected past the tag.
    for (const t of toks) expect(html.slice(t.startOffset, t.endOffset).startsWith(t.term)).toBe(true);
    expect(toks.map((t) => t.startOffset)).toEqual([3, 12, 20, 32]);
  });

  it('drops comments, scripts and styles; keeps escaped tags and unknown entities', () => {
    const f = htmlStripCharFilter(['b']);
    expect(f.apply('a<!-- x -->b<script>var x=1;</script>c<style>p{}</style>d').text).toBe('abcd');
    expect(f.apply('<b>bold</b> <i>it</i> &bogus; &#65;&#x42;').text).toBe('<b>bold</b> it &bogus; AB');
  });
});

describe('mapping', () => {
  it('replaces longest matches and corrects offsets', () => {
    const f = mappingCharFilter(['ph => f', 'qu => k', 'ä => ae', '\\u0020 => _']);
    const r = f.apply('phone quäck');
    expect(r.text).toBe('fone_kaeck');
    const a = new ChainAnalyzer('m', standardTokenizer(), [], [mappingCharFilter(['ph => f', 'ä => ae'])]);
    const toks = a.analyze('phone käse');
    expect(toks.map((t) => [t.term, t.startOffset, t.endOffset])).toEqual([['fone', 0, 5], ['kaese', 6, 10]]);
  });

  it('rejects malformed rules', () => {
    expect(() => mappingCharFilter(['no arrow'])).toThrow(AnalysisError);
  });
});

describe('pattern_replace', () => {
  it('replaces with group references', () => {
    const f = patternReplaceCharFilter(/(\d+)-(?=\d)/g, '$1_');
    expect(f.apply('123-456-789').text).toBe('123_456_789');
    const a = new ChainAnalyzer('p', keywordTokenizer, [], [f]);
    expect(a.analyze('123-456').map((t) => [t.term, t.startOffset, t.endOffset])).toEqual([['123_456', 0, 7]]);
  });
});
