import { describe, expect, it } from 'vitest';
import { resolveDateMathExpression, resolveDateMathName } from './date-math-index-name.ts';

const NOW = Date.UTC(2024, 2, 15, 22, 30); // 2024-03-15T22:30Z

describe('resolveDateMathName', () => {
  it('uses uuuu.MM.dd by default and rounds', () => {
    expect(resolveDateMathName('<logstash-{now/d}>', NOW)).toBe('logstash-2024.03.15');
    expect(resolveDateMathName('<logstash-{now/M}>', NOW)).toBe('logstash-2024.03.01');
  });

  it('takes a format and a time zone', () => {
    expect(resolveDateMathName('<logs-{now/M{yyyy.MM}}>', NOW)).toBe('logs-2024.03');
    expect(resolveDateMathName('<logs-{now/d{yyyy.MM.dd|+12:00}}>', NOW)).toBe('logs-2024.03.16');
  });

  it('leaves plain names alone and honours escapes', () => {
    expect(resolveDateMathName('plain', NOW)).toBe('plain');
    expect(resolveDateMathName('<a\\{b-{now/d}>', NOW)).toBe('a{b-2024.03.15');
    expect(resolveDateMathExpression('x,<y-{now/y{yyyy}}>', NOW)).toBe('x,y-2024');
  });
});
