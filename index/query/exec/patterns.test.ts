import { describe, expect, it } from 'vitest';
import { regexpPattern, wildcardPattern } from './patterns.ts';

describe('regexpPattern', () => {
  it('reads \\d \\s \\w (and negations) as Lucene 9 character classes, other escapes literally', () => {
    expect(regexpPattern('d\\defau[a-z]?t').test('d3efault')).toBe(true);
    expect(regexpPattern('d\\defa[a-z]?t').test('d3efault')).toBe(false);
    expect(regexpPattern('a\\sb').test('a b')).toBe(true);
    expect(regexpPattern('a\\Wb').test('a_b')).toBe(false);
    expect(regexpPattern('a\\.b').test('a.b')).toBe(true);
  });

  it('narrows the walk with a literal prefix only when every alternative shares it', () => {
    expect(regexpPattern('abc.*').prefix).toBe('abc');
    expect(regexpPattern('ab|cd').prefix).toBe('');
    expect(regexpPattern('ab*').prefix).toBe('a');
  });
});

describe('wildcardPattern', () => {
  it('matches whole terms with * and ?', () => {
    const p = wildcardPattern('out?ide*');
    expect(p.prefix).toBe('out');
    expect(p.test('outside')).toBe(true);
    expect(p.test('outsider')).toBe(true);
    expect(p.test('outide')).toBe(false);
  });
});
