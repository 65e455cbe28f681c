import { describe, expect, it } from 'vitest';
import { compileJavaRegex, isRegexLiteral, regexBody, toJsRegexSource } from './java-regex.ts';

const comments = { comments: true };

describe('isRegexLiteral', () => {
  it('accepts /…/ after trimming, as a block scalar with a trailing newline', () => {
    expect(isRegexLiteral('/abc/\n')).toBe(true);
    expect(isRegexLiteral('  /a/ ')).toBe(true);
    expect(isRegexLiteral('//')).toBe(false);
    expect(isRegexLiteral('/usr/bin')).toBe(false);
    expect(isRegexLiteral(5)).toBe(false);
  });
  it('extracts the pattern between the slashes', () => {
    expect(regexBody(' /a b/\n')).toBe('a b');
  });
});

describe('toJsRegexSource in COMMENTS mode', () => {
  it('drops unescaped whitespace and # comments', () => {
    expect(toJsRegexSource('a b\tc  # a comment\n d', comments)).toBe('abcd');
  });
  it('keeps escaped spaces and escaped #', () => {
    expect(toJsRegexSource('a\\ b\\#c', comments)).toBe('a\\ b\\#c');
  });
  it('keeps whitespace and # inside character classes', () => {
    expect(toJsRegexSource('[ #a] x', comments)).toBe('[ #a]x');
    expect(toJsRegexSource('[^] ] y', comments)).toBe('[^\\] ]y');
  });
  it('keeps whitespace when COMMENTS is off (catch regexes)', () => {
    expect(compileJavaRegex('no such index', { comments: false }).test('[x] no such index')).toBe(true);
  });
});

describe('Java anchors', () => {
  it('lets $ match before one final newline, as Java does without MULTILINE', () => {
    const regex = compileJavaRegex('^foo$', comments);
    expect(regex.test('foo\n')).toBe(true);
    expect(regex.test('foo')).toBe(true);
    expect(regex.test('foo\n\n')).toBe(false);
    expect(regex.test('foo\nbar')).toBe(false);
  });
  it('keeps $ literal inside a class and supports \\A and \\z', () => {
    expect(compileJavaRegex('[$]', comments).test('a$b')).toBe(true);
    expect(compileJavaRegex('\\Afoo\\z', comments).test('foo')).toBe(true);
    expect(compileJavaRegex('\\Afoo\\z', comments).test('foo\n')).toBe(false);
  });
});

describe('cat-style multi-line regexes', () => {
  it('matches cat.count output with find() semantics (cat.count/10_basic.yml)', () => {
    const expected = `/# epoch     timestamp              count
               ^  \\d+   \\s  \\d{2}:\\d{2}:\\d{2}  \\s  1  \\n  $/
`;
    const regex = compileJavaRegex(regexBody(expected), comments);
    expect(regex.test('1700000000 12:34:56 1\n')).toBe(true);
    expect(regex.test('1700000000 12:34:56 2\n')).toBe(false);
  });
  it('matches a header line with \\s+ separators', () => {
    const expected = '/^  epoch  \\s+  timestamp          \\s+  count  \\n\n    \\d+    \\s+  \\d{2}:\\d{2}:\\d{2}  \\s+  \\d+ \\n  $/';
    const regex = compileJavaRegex(regexBody(expected), comments);
    expect(regex.test('epoch      timestamp count\n1700000000 12:34:56 1\n')).toBe(true);
  });
});
