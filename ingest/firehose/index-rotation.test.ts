import { describe, expect, it } from 'vitest';
import { isoWeek, rotatedIndexName, usWeek } from './index-rotation.ts';

const arrival = Date.parse('2016-02-25T13:00:00Z');

describe('rotatedIndexName', () => {
  it('reproduces every row of the Firehose documentation table (specs/aws.md §1.6)', () => {
    expect(rotatedIndexName('myindex', 'NoRotation', arrival)).toBe('myindex');
    expect(rotatedIndexName('myindex', 'OneHour', arrival)).toBe('myindex-2016-02-25-13');
    expect(rotatedIndexName('myindex', 'OneDay', arrival)).toBe('myindex-2016-02-25');
    expect(rotatedIndexName('myindex', 'OneWeek', arrival)).toBe('myindex-2016-w08');
    expect(rotatedIndexName('myindex', 'OneMonth', arrival)).toBe('myindex-2016-02');
  });

  it('offers US weeks, which number the documented example w09', () => {
    expect(rotatedIndexName('myindex', 'OneWeek', arrival, 'us')).toBe('myindex-2016-w09');
  });

  it('uses UTC, not the local zone', () => {
    expect(rotatedIndexName('i', 'OneHour', Date.parse('2024-12-31T23:59:59.999Z'))).toBe('i-2024-12-31-23');
  });
});

describe('week numbering', () => {
  it('ISO weeks near the year boundary belong to the Thursday year', () => {
    expect(isoWeek(new Date('2021-01-01T00:00:00Z'))).toEqual({ year: 2020, week: 53 });
    expect(isoWeek(new Date('2024-12-30T00:00:00Z'))).toEqual({ year: 2025, week: 1 });
    expect(isoWeek(new Date('2024-01-01T00:00:00Z'))).toEqual({ year: 2024, week: 1 });
  });

  it('US weeks start on Sunday with January 1 in week 1', () => {
    expect(usWeek(new Date('2016-01-01T00:00:00Z'))).toEqual({ year: 2016, week: 1 });
    expect(usWeek(new Date('2016-01-02T00:00:00Z'))).toEqual({ year: 2016, week: 1 });
    expect(usWeek(new Date('2016-01-03T00:00:00Z'))).toEqual({ year: 2016, week: 2 });
  });
});
