import { describe, expect, it } from 'vitest';
import { float32Value, formatDecimal } from './fetch-phase.ts';

describe('formatDecimal', () => {
  it('follows java.text.DecimalFormat patterns', () => {
    expect(formatDecimal(1, '#.0')).toBe('1.0');
    expect(formatDecimal(0.5, '#.0')).toBe('.5');
    expect(formatDecimal(1234567.891, '#,##0.00')).toBe('1,234,567.89');
    expect(formatDecimal(-3, '0.###')).toBe('-3');
  });

  it('rounds ties to even', () => {
    expect(formatDecimal(2.5, '0')).toBe('2');
    expect(formatDecimal(3.5, '0')).toBe('4');
  });
});

describe('float32Value', () => {
  it('prints the shortest decimal of the float', () => {
    expect(float32Value(0.2876821)).toBe(0.2876821);
    expect(float32Value(1 / 3)).toBe(0.33333334);
  });
});
