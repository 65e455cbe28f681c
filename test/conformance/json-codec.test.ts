import { describe, expect, it } from 'vitest';
import { parseJson, toJson } from './json-codec.ts';
import { parseYaml } from './yaml-loader.ts';

describe('parseJson', () => {
  it('keeps integers beyond 2^53 exact as bigint', () => {
    expect(parseJson('{"a":9223372036854775807,"b":18446744073709551615,"c":-9223372036854775808}')).toEqual({
      a: 9223372036854775807n,
      b: 18446744073709551615n,
      c: -9223372036854775808n,
    });
  });
  it('keeps safe integers and all fractions as numbers', () => {
    expect(parseJson('[1, 9007199254740991, 1.5, 1e3, 10223372036854778000.0]')).toEqual([1, 9007199254740991, 1.5, 1000, 10223372036854778000]);
  });
});

describe('toJson', () => {
  it('writes bigints as exact integer literals', () => {
    expect(toJson({ sort: [9223372036854775807n, 1] })).toBe('{"sort":[9223372036854775807,1]}');
  });
});

describe('parseYaml', () => {
  it('keeps YAML 1.2 core semantics: n, y, on, off and dates stay strings', () => {
    expect(parseYaml('a: n\nb: y\nc: on\nd: off\ne: 2017-01-01\nf: true\ng: ~')).toEqual({
      a: 'n',
      b: 'y',
      c: 'on',
      d: 'off',
      e: '2017-01-01',
      f: true,
      g: null,
    });
  });
  it('keeps big integer literals exact and floats as doubles', () => {
    expect(parseYaml('a: 9223372036854775807\nb: 72057594037927936\nc: 12\nd: 1.0\ne: 0x10')).toEqual({
      a: 9223372036854775807n,
      b: 72057594037927936n,
      c: 12,
      d: 1,
      e: 16,
    });
  });
});
