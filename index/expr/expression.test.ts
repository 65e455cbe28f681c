// The expression language: painless-like arithmetic, comparisons, logic, ternaries and Math calls.

import { describe, expect, it } from 'vitest';
import { compileExpression } from './index.ts';

describe('compileExpression', () => {
  it('evaluates params arithmetic', () => {
    expect(compileExpression('params.a / params.b * 100').evaluate({ a: 1, b: 4 })).toBe(25);
  });
  it('evaluates comparisons, logic and ternaries', () => {
    expect(compileExpression('params.x > 10 && !(params.y == 2)').evaluate({ x: 11, y: 3 })).toBe(true);
    expect(compileExpression('params.x > 10 ? 1 : -1').evaluate({ x: 5 })).toBe(-1);
  });
  it('calls Math functions and accepts return/semicolon', () => {
    expect(compileExpression('return Math.max(params.a, 2) + Math.abs(-1);').evaluate({ a: 5 })).toBe(6);
  });
  it('rejects anything beyond expressions', () => {
    expect(() => compileExpression('params.a = 1')).toThrow();
    expect(() => compileExpression('System.exit(0)')).toThrow(/unknown function/);
  });
});
