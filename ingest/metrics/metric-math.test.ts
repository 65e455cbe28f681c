import { describe, expect, it } from 'vitest';
import { evaluate, parseExpression, referencedIds } from './metric-math.ts';

const series = (o: Record<number, number>) => new Map(Object.entries(o).map(([k, v]) => [Number(k), v]));
const m1 = series({ 0: 1, 60: 2, 120: 3 });
const m2 = series({ 60: 10, 120: 0, 180: 5 });
const run = (e: string) => Object.fromEntries(evaluate(parseExpression(e, 'e'), (id) => (id === 'm1' ? m1 : m2), () => [m1, m2], [0, 60, 120, 180]));

describe('metric math', () => {
  it('arithmetic between series keeps shared timestamps; scalars broadcast; precedence', () => {
    expect(run('m1 + m2')).toEqual({ 60: 12, 120: 3 });
    expect(run('m1 * 2 + 1')).toEqual({ 0: 3, 60: 5, 120: 7 });
    expect(run('-(m1 - 4) / 2')).toEqual({ 0: 1.5, 60: 1, 120: 0.5 });
    expect(run('m1 / m2')).toEqual({ 60: 0.2 }); // division by zero dropped
    expect(run('2 * 3')).toEqual({ 0: 6, 60: 6, 120: 6, 180: 6 });
  });
  it('SUM/AVG/MIN/MAX across series per timestamp; of one series a number', () => {
    expect(run('SUM([m1, m2])')).toEqual({ 0: 1, 60: 12, 120: 3, 180: 5 });
    expect(run('AVG(METRICS())')).toEqual({ 0: 1, 60: 6, 120: 1.5, 180: 5 });
    expect(run('MAX([m1, m2])')).toEqual({ 0: 1, 60: 10, 120: 3, 180: 5 });
    expect(run('SUM(m1)')).toEqual({ 0: 6, 60: 6, 120: 6, 180: 6 });
    expect(run('m1 - AVG(m1)')).toEqual({ 0: -1, 60: 0, 120: 1 });
  });
  it('syntax errors and references', () => {
    expect(() => parseExpression('m1 +', 'e')).toThrow(/Error in expression/);
    expect(() => parseExpression('FOO(m1)', 'e')).toThrow(/unsupported function/);
    expect(() => parseExpression('m1 m2', 'e')).toThrow(/unexpected/);
    expect([...referencedIds(parseExpression('SUM([a, b * 2]) / c', 'e'))]).toEqual(['a', 'b', 'c']);
  });
});
