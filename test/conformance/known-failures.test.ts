import { describe, expect, it } from 'vitest';
import { compareWithKnown, mergeKnownFailures, parseLine, shortReason } from './known-failures.ts';
import type { SectionResult } from './section-runner.ts';

const result = (section: string, status: SectionResult['status'], reason = ''): SectionResult => ({
  file: 'search/10_x.yml',
  area: 'search',
  section,
  status,
  reason,
  durationMs: 0,
});

describe('parseLine', () => {
  it('splits key and reason at "  # "', () => {
    expect(parseLine('search/10_x.yml :: A title  # needs nested')).toEqual({ key: 'search/10_x.yml :: A title', reason: 'needs nested' });
    expect(parseLine('search/10_x.yml :: A title')).toEqual({ key: 'search/10_x.yml :: A title', reason: '' });
    expect(parseLine('# comment')).toBeNull();
    expect(parseLine('')).toBeNull();
  });
});

describe('compareWithKnown', () => {
  it('finds unexpected failures and known failures that now pass', () => {
    const known = new Map([['search/10_x.yml :: B', 'r'], ['search/10_x.yml :: C', 'r']]);
    const comparison = compareWithKnown([result('A', 'fail'), result('B', 'pass'), result('C', 'fail'), result('D', 'skip')], known);
    expect(comparison.unexpectedFailures.map((r) => r.section)).toEqual(['A']);
    expect(comparison.nowPassing.map((r) => r.section)).toEqual(['B']);
    expect(comparison.expectedFailures.map((r) => r.section)).toEqual(['C']);
  });
});

describe('mergeKnownFailures', () => {
  it('keeps reasons of lines that stay, derives new ones, drops passes, keeps sections not run', () => {
    const known = new Map([
      ['search/10_x.yml :: B', 'old reason'],
      ['search/10_x.yml :: C', 'was failing'],
      ['other/1.yml :: Z', 'not run'],
    ]);
    const merged = mergeKnownFailures([result('A', 'fail', 'step 2: do search: expected 2xx, got 400'), result('B', 'fail', 'new'), result('C', 'pass')], known);
    expect([...merged]).toEqual([
      ['other/1.yml :: Z', 'not run'],
      ['search/10_x.yml :: A', 'do search: expected 2xx, got 400'],
      ['search/10_x.yml :: B', 'old reason'],
    ]);
  });
});

describe('shortReason', () => {
  it('keeps the phase, drops the step number and shortens', () => {
    expect(shortReason('setup step 3: do bulk: expected 2xx, got 404')).toBe('setup: do bulk: expected 2xx, got 404');
    expect(shortReason('x'.repeat(300)).length).toBe(120);
  });
});
