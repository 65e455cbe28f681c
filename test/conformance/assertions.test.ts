import { describe, expect, it } from 'vitest';
import type { ApiResponse } from './api-response.ts';
import { runAssertion } from './assertions.ts';
import { Stash } from './stash.ts';
import { StepFailure } from './step-failure.ts';

function context(body: unknown, parsed = true): { stash: Stash; response: ApiResponse } {
  const stash = new Stash();
  stash.set('body', body);
  const response: ApiResponse = { method: 'GET', url: '/', status: 200, headers: {}, text: '', parsed, body };
  return { stash, response };
}

const passes = (kind: string, args: unknown, body: unknown, parsed = true): boolean => {
  try {
    runAssertion(kind, args, context(body, parsed));
    return true;
  } catch (error) {
    if (error instanceof StepFailure) return false;
    throw error;
  }
};

describe('is_true / is_false', () => {
  it('treats {} and [] as true, so is_false fails on them', () => {
    expect(passes('is_true', 'a', { a: {} })).toBe(true);
    expect(passes('is_true', 'a', { a: [] })).toBe(true);
    expect(passes('is_false', 'a', { a: {} })).toBe(false);
    expect(passes('is_false', 'a', { a: [] })).toBe(false);
  });
  it('treats absent, false, "false", 0 and "" as false', () => {
    for (const body of [{}, { a: false }, { a: 'false' }, { a: 0 }, { a: '' }, { a: null }]) {
      expect(passes('is_false', 'a', body)).toBe(true);
      expect(passes('is_true', 'a', body)).toBe(false);
    }
  });
  it("checks the whole body with ''", () => {
    expect(passes('is_true', '', true)).toBe(true);
    expect(passes('is_false', '', false)).toBe(true);
  });
});

describe('match', () => {
  it('compares big integers exactly', () => {
    expect(passes('match', { 'hits.hits.0.sort.0': 9223372036854775807n }, { hits: { hits: [{ sort: [9223372036854775807n] }] } })).toBe(true);
    expect(passes('match', { 'hits.hits.0.sort.0': 9223372036854775807n }, { hits: { hits: [{ sort: [9223372036854775806n] }] } })).toBe(false);
  });
  it('compares numbers of different kinds as doubles', () => {
    expect(passes('match', { a: 1 }, { a: 1.0 })).toBe(true);
  });
  it('requires exact maps, with no extra keys', () => {
    expect(passes('match', { _source: { a: 1 } }, { _source: { a: 1 } })).toBe(true);
    expect(passes('match', { _source: { a: 1 } }, { _source: { a: 1, b: 2 } })).toBe(false);
  });
  it('treats null as null-or-absent', () => {
    expect(passes('match', { a: null }, {})).toBe(true);
    expect(passes('match', { a: null }, { a: 0 })).toBe(false);
  });
  it('matches regexes against strings only, with find() semantics', () => {
    expect(passes('match', { a: '/ar/' }, { a: 'bar' })).toBe(true);
    expect(passes('match', { a: '/^ar/' }, { a: 'bar' })).toBe(false);
    expect(passes('match', { a: '/1/' }, { a: 1 })).toBe(false);
  });
  it('matches $body against a text response', () => {
    expect(passes('match', { $body: '/^ green \\s+ \\d+ \\n $/' }, 'green 12\n', false)).toBe(true);
  });
  it('resolves stashed expected values', () => {
    const ctx = context({ a: 'x' });
    ctx.stash.set('id', 'x');
    expect(() => runAssertion('match', { a: '$id' }, ctx)).not.toThrow();
  });
  it('sees no paths in text responses', () => {
    expect(passes('match', { a: null }, 'text', false)).toBe(true);
  });
});

describe('length, gt/gte/lt/lte, contains', () => {
  it('measures lists, maps and strings, with numeric-string expectations', () => {
    expect(passes('length', { a: 2 }, { a: [1, 2] })).toBe(true);
    expect(passes('length', { a: '1' }, { a: { k: 1 } })).toBe(true);
    expect(passes('length', { a: 3 }, { a: 'abc' })).toBe(true);
    expect(passes('length', { a: 3 }, { a: 3 })).toBe(false);
  });
  it('orders numbers, big integers exactly', () => {
    expect(passes('gt', { a: 0 }, { a: 1 })).toBe(true);
    expect(passes('gte', { a: 1 }, { a: 1.0 })).toBe(true);
    expect(passes('lt', { a: 9223372036854775807n }, { a: 9223372036854775806n })).toBe(true);
    expect(passes('gt', { a: 9223372036854775807n }, { a: 9223372036854775806n })).toBe(false);
    expect(passes('gt', { a: 0 }, {})).toBe(false);
  });
  it('finds an element in a list, maps by subset', () => {
    expect(passes('contains', { a: 2 }, { a: [1, 2] })).toBe(true);
    expect(passes('contains', { a: { k: 1 } }, { a: [{ k: 1, j: 2 }] })).toBe(true);
    expect(passes('contains', { a: 3 }, { a: [1, 2] })).toBe(false);
  });
});
