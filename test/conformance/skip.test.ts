import { describe, expect, it } from 'vitest';
import { compareVersions, parseVersion, skipReason, versionInRanges } from './skip.ts';

const v2190 = parseVersion('2.19.0');

describe('parseVersion', () => {
  it('reads major.minor.patch and drops qualifiers', () => {
    expect(parseVersion('2.19.0-SNAPSHOT')).toEqual({ openSearch: true, major: 2, minor: 19, patch: 0 });
    expect(parseVersion('7.10')).toEqual({ openSearch: false, major: 7, minor: 10, patch: 0 });
  });
  it('rejects garbage', () => {
    expect(() => parseVersion('two')).toThrow();
  });
});

describe('compareVersions', () => {
  it('orders legacy 5.x-7.x below every OpenSearch version', () => {
    expect(compareVersions(parseVersion('7.10.2'), parseVersion('1.0.0'))).toBeLessThan(0);
    expect(compareVersions(parseVersion('6.7.0'), parseVersion('2.19.0'))).toBeLessThan(0);
    expect(compareVersions(parseVersion('3.0.0'), parseVersion('5.0.0'))).toBeGreaterThan(0);
  });
  it('orders within a family by major, minor, patch', () => {
    expect(compareVersions(parseVersion('2.19.0'), parseVersion('2.2.0'))).toBeGreaterThan(0);
    expect(compareVersions(parseVersion('2.19.1'), parseVersion('2.19.0'))).toBeGreaterThan(0);
    expect(compareVersions(parseVersion('2.19.0'), parseVersion('2.19.0'))).toBe(0);
  });
});

describe('versionInRanges', () => {
  it('never skips " - 7.x" ranges on OpenSearch', () => {
    expect(versionInRanges(v2190, ' - 7.9.99')).toBe(false);
    expect(versionInRanges(v2190, ' - 7.99.99')).toBe(false);
  });
  it('always skips "6.7.0 - " and "7.3.0 - " on OpenSearch', () => {
    expect(versionInRanges(v2190, '6.7.0 - ')).toBe(true);
    expect(versionInRanges(v2190, '7.3.0 - ')).toBe(true);
  });
  it('applies OpenSearch bounds inclusively, with or without spaces', () => {
    expect(versionInRanges(v2190, ' - 2.99.99')).toBe(true);
    expect(versionInRanges(v2190, '- 2.99.99')).toBe(true);
    expect(versionInRanges(v2190, ' - 2.19.0')).toBe(true);
    expect(versionInRanges(v2190, ' - 2.18.99')).toBe(false);
    expect(versionInRanges(v2190, '3.0.0 -')).toBe(false);
    expect(versionInRanges(v2190, '2.19.0 - ')).toBe(true);
    expect(versionInRanges(v2190, '1.0.0 - ')).toBe(true);
  });
  it('skips when any comma-separated range matches, and for "all"', () => {
    expect(versionInRanges(v2190, ' - 7.10.99 , 2.0.0 - ')).toBe(true);
    expect(versionInRanges(v2190, ' - 7.10.99 , 3.0.0 - ')).toBe(false);
    expect(versionInRanges(v2190, 'all')).toBe(true);
  });
});

describe('skipReason', () => {
  it('runs when the version is outside the range and features are supported', () => {
    expect(skipReason({ version: ' - 2.11.99', reason: 'old', features: ['headers', 'allowed_warnings'] }, v2190)).toBeNull();
  });
  it('skips with the reason when the version is in range', () => {
    expect(skipReason({ version: ' - 2.99.99', reason: 'needs 3.0' }, v2190)).toContain('needs 3.0');
  });
  it('skips on an unsupported feature, given as a list or a single string', () => {
    expect(skipReason({ features: ['headers', 'close_to'] }, v2190)).toContain('close_to');
    expect(skipReason({ features: 'node_selector' }, v2190)).toBeNull();
    expect(skipReason({ features: 'spi_on_classpath_jdk9' }, v2190)).toBeNull();
  });
});
