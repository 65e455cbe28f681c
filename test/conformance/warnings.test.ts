import { describe, expect, it } from 'vitest';
import { checkWarnings, encodeWarning, warningsOk } from './warnings.ts';

const header = (message: string): string => `299 OpenSearch-2.19.0-abc "${encodeWarning(message)}" "Mon, 01 Jan 2024 00:00:00 GMT"`;

describe('checkWarnings', () => {
  it('passes with no warnings and no expectations', () => {
    expect(warningsOk(checkWarnings([], [], []))).toBe(true);
  });
  it('accepts allowed warnings and [types removal] ones', () => {
    const problems = checkWarnings([header('x is "deprecated"'), header('[types removal] y')], [], ['x is "deprecated"']);
    expect(warningsOk(problems)).toBe(true);
  });
  it('reports unexpected and missing warnings', () => {
    const problems = checkWarnings([header('surprise')], ['expected one'], []);
    expect(problems.unexpected).toEqual(['surprise']);
    expect(problems.missing).toEqual(['expected one']);
  });
  it('splits several warnings folded into one header line', () => {
    const problems = checkWarnings([`${header('a')}, ${header('b')}`], ['a', 'b'], []);
    expect(warningsOk(problems)).toBe(true);
  });
  it('percent-encodes non-ASCII like upstream', () => {
    expect(encodeWarning('é%')).toBe('%C3%A9%25');
  });
});
