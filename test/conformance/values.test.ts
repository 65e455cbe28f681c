import { describe, expect, it } from 'vitest';
import { compareNumbers, isTruthy, javaToString, numbersEqual, valuesEqual } from './values.ts';

describe('numbersEqual', () => {
  it('compares integers and doubles of different kinds as doubles (1 == 1.0)', () => {
    expect(numbersEqual(1, 1.0)).toBe(true);
    expect(numbersEqual(0.1 + 0.2, 0.3)).toBe(false); // exact double comparison
    expect(numbersEqual(2555843009213695000.0, 2555843009213694500.0)).toBe(false); // neighbouring doubles
  });
  it('compares big integers exactly', () => {
    expect(numbersEqual(9223372036854775807n, 9223372036854775807n)).toBe(true);
    expect(numbersEqual(9223372036854775807n, 9223372036854775806n)).toBe(false);
    expect(numbersEqual(18446744073709551615n, 18446744073709551614n)).toBe(false);
  });
  it('never equates a safe integer with a different big integer', () => {
    expect(numbersEqual(9007199254740993n, 9007199254740991)).toBe(false);
    expect(numbersEqual(-9007199254740993n, -9007199254740991)).toBe(false);
  });
  it('compares a big integer with a double as doubles, as upstream does for Long vs Double', () => {
    expect(numbersEqual(10223372036854775807n, 1.0223372036854776e19)).toBe(true);
    expect(numbersEqual(10223372036854775807n, 1.0223372036854778e19)).toBe(false);
  });
});

describe('compareNumbers', () => {
  it('orders big integers exactly', () => {
    expect(compareNumbers(9223372036854775807n, 9223372036854775806n)).toBe(1);
    expect(compareNumbers(9223372036854775807n, 0)).toBe(1);
    expect(compareNumbers(-9223372036854775808n, -1.5)).toBe(-1);
  });
});

describe('valuesEqual', () => {
  it('requires the same keys in maps and order in lists', () => {
    expect(valuesEqual({ a: 1, b: [1, 2] }, { b: [1, 2.0], a: 1 })).toBe(true);
    expect(valuesEqual({ a: 1 }, { a: 1, b: 2 })).toBe(false);
    expect(valuesEqual([1, 2], [2, 1])).toBe(false);
  });
  it('does not equate strings with numbers', () => {
    expect(valuesEqual('1', 1)).toBe(false);
  });
  it('treats expected null as null-or-absent', () => {
    expect(valuesEqual(null, undefined)).toBe(true);
    expect(valuesEqual(null, 0)).toBe(false);
  });
});

describe('isTruthy (is_true / is_false)', () => {
  it('treats null, "", "false" in any case and "0" as false', () => {
    for (const value of [null, undefined, '', 'false', 'FALSE', false, 0, '0']) expect(isTruthy(value)).toBe(false);
  });
  it('treats empty maps and lists as true', () => {
    expect(isTruthy({})).toBe(true);
    expect(isTruthy([])).toBe(true);
  });
  it('treats other values as true', () => {
    for (const value of [true, 1, 'yes', 'no', 0.5, { a: 1 }]) expect(isTruthy(value)).toBe(true);
  });
});

describe('javaToString', () => {
  it('renders maps and lists like Java collections', () => {
    expect(javaToString({ root_cause: [{ type: 'x', reason: 'y' }], type: 'x' })).toBe('{root_cause=[{type=x, reason=y}], type=x}');
    expect(javaToString(9223372036854775807n)).toBe('9223372036854775807');
  });
});
