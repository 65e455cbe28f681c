import { describe, expect, it } from 'vitest';
import { evaluatePath, PathError, splitPath } from './object-path.ts';
import { Stash, StashError } from './stash.ts';

describe('splitPath / evaluatePath', () => {
  it('splits on dots, honours \\. and drops empty segments', () => {
    expect(splitPath('aggregations.p.values.99\\.0')).toEqual(['aggregations', 'p', 'values', '99.0']);
    expect(splitPath('')).toEqual([]);
  });
  it('indexes lists with numeric segments and gives undefined for missing keys', () => {
    const body = { hits: { hits: [{ _id: 'a' }, { _id: 'b' }] }, 'index.number_of_shards': '1' };
    expect(evaluatePath(body, 'hits.hits.1._id')).toBe('b');
    expect(evaluatePath(body, 'index\\.number_of_shards')).toBe('1');
    expect(evaluatePath(body, 'nope.deeper.still')).toBeUndefined();
    expect(evaluatePath(body, '')).toBe(body);
  });
  it('throws like upstream for a bad list index or a path through a scalar', () => {
    expect(() => evaluatePath({ l: [1] }, 'l.x')).toThrow(PathError);
    expect(() => evaluatePath({ l: [1] }, 'l.3')).toThrow(/out of bounds/);
    expect(() => evaluatePath({ s: 'text' }, 's.x')).toThrow(PathError);
  });
  it('returns an arbitrary key for _arbitrary_key_', () => {
    expect(evaluatePath({ nodes: { abc: { name: 'n' } } }, 'nodes._arbitrary_key_')).toBe('abc');
  });
});

describe('Stash', () => {
  it('replaces whole-string references with the stashed value of any type', () => {
    const stash = new Stash();
    stash.set('sort', 9223372036854775807n);
    stash.set('count', 3);
    expect(stash.replace({ search_after: ['$sort'], size: '$count', keep: 'x$count' })).toEqual({
      search_after: [9223372036854775807n],
      size: 3,
      keep: 'x$count',
    });
  });
  it('replaces references in map keys (stash_in_key)', () => {
    const stash = new Stash();
    stash.set('node', 'n1');
    expect(stash.replace({ nodes: { $node: { x: 1 } } })).toEqual({ nodes: { n1: { x: 1 } } });
  });
  it('resolves dotted stash keys into stashed objects', () => {
    const stash = new Stash();
    stash.set('body', { _id: 'abc', hits: [{ v: 1 }] });
    expect(stash.lookup('$body._id')).toBe('abc');
    expect(stash.lookup('$body.hits.0.v')).toBe(1);
  });
  it('substitutes ${key} inside longer strings', () => {
    const stash = new Stash();
    stash.set('id', 42);
    expect(stash.lookup('doc-${id}-x')).toBe('doc-42-x');
  });
  it('resolves references in response paths (stash_in_path)', () => {
    const stash = new Stash();
    stash.set('node', 'n1');
    stash.set('obj', { sub: 'elements' });
    const body = { nodes: { n1: { name: 'first' } }, field: { elements: { e: 'v' } } };
    expect(evaluatePath(body, 'nodes.$node.name', stash)).toBe('first');
    expect(evaluatePath(body, 'field.$obj\\.sub.e', stash)).toBe('v');
  });
  it('replaces $_path with the location of the value', () => {
    const stash = new Stash();
    stash.set('body', { a: { b: 7 } });
    expect(stash.replace({ a: { b: '$body.$_path' } })).toEqual({ a: { b: 7 } });
  });
  it('throws for missing keys and forgets everything on clear', () => {
    const stash = new Stash();
    stash.set('id', 'x');
    stash.clear();
    expect(() => stash.lookup('$id')).toThrow(StashError);
  });
});
