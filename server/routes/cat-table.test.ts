import { describe, expect, it } from 'vitest';
import { formatBytes, formatMillis } from './cat-table.ts';

describe('cat-table units', () => {
  it('formats bytes like ByteSizeValue (one truncated decimal)', () => {
    expect(formatBytes(0)).toBe('0b');
    expect(formatBytes(230)).toBe('230b');
    expect(formatBytes(1024)).toBe('1kb');
    expect(formatBytes(1600)).toBe('1.5kb');
    expect(formatBytes(5 * 1024 ** 3)).toBe('5gb');
  });

  it('formats durations like TimeValue', () => {
    expect(formatMillis(0)).toBe('0s');
    expect(formatMillis(12)).toBe('12ms');
    expect(formatMillis(1500)).toBe('1.5s');
  });
});
