import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { DqlSyntaxError, parseDql, renderDql, type DqlNode } from './dql-parser.ts';

const lit = (...segments: string[]) => ({ kind: 'literal' as const, segments });
const m = (field: string | null, ...segments: string[]): DqlNode => ({ kind: 'match', field, value: lit(...segments) });

describe('parseDql', () => {
  it('parses field:value, phrases and free text', () => {
    expect(parseDql('status:200')).toEqual(m('status', '200'));
    expect(parseDql('message:"disk full"')).toEqual({ kind: 'match', field: 'message', value: { kind: 'phrase', text: 'disk full' } });
    expect(parseDql('error')).toEqual(m(null, 'error'));
    expect(parseDql('  ')).toEqual({ kind: 'all' });
  });

  it('keeps several unquoted words as one value', () => {
    expect(parseDql('message:disk full and level:warn')).toEqual({ kind: 'and', children: [m('message', 'disk full'), m('level', 'warn')] });
  });

  it('splits wildcards and recognises exists', () => {
    expect(parseDql('host:web-*')).toEqual(m('host', 'web-', ''));
    expect(parseDql('user.name:*')).toEqual({ kind: 'exists', field: 'user.name' });
    expect(parseDql('machine.*:linux')).toEqual(m('machine.*', 'linux'));
  });

  it('gives and precedence over or, case-insensitively, with not', () => {
    expect(parseDql('a:1 OR b:2 and NOT c:3')).toEqual({
      kind: 'or',
      children: [m('a', '1'), { kind: 'and', children: [m('b', '2'), { kind: 'not', child: m('c', '3') }] }],
    });
  });

  it('parses nested parentheses and value lists', () => {
    expect(parseDql('(a:1 or (b:2 and c:3)) and d:4')).toEqual({
      kind: 'and',
      children: [{ kind: 'or', children: [m('a', '1'), { kind: 'and', children: [m('b', '2'), m('c', '3')] }] }, m('d', '4')],
    });
    expect(parseDql('level:(error or warn and not debug)')).toEqual({
      kind: 'or',
      children: [m('level', 'error'), { kind: 'and', children: [m('level', 'warn'), { kind: 'not', child: m('level', 'debug') }] }],
    });
  });

  it('parses ranges', () => {
    expect(parseDql('bytes >= 1000 and bytes < 2000')).toEqual({
      kind: 'and',
      children: [{ kind: 'range', field: 'bytes', op: 'gte', value: '1000' }, { kind: 'range', field: 'bytes', op: 'lt', value: '2000' }],
    });
    expect(parseDql('@timestamp > "2024-01-01T00:00:00"')).toEqual({ kind: 'range', field: '@timestamp', op: 'gt', value: '2024-01-01T00:00:00' });
  });

  it('honours escapes: keywords, specials and quotes', () => {
    expect(parseDql('msg:\\and')).toEqual(m('msg', 'and'));
    expect(parseDql('path:c\\:\\\\tmp')).toEqual(m('path', 'c:\\tmp'));
    expect(parseDql('a:\\*')).toEqual(m('a', '*'));
    expect(parseDql('q:"say \\"hi\\""')).toEqual({ kind: 'match', field: 'q', value: { kind: 'phrase', text: 'say "hi"' } });
  });

  it('reports syntax errors with a position', () => {
    const cases: Array<[string, number]> = [
      ['status:', 7],
      ['(a:1', 4],
      ['a:1 and', 7],
      ['a:1 b:2', 4],
      ['a:"open', 7],
      ['a = 1', 2],
      ['bytes > x*', 8],
      ['a:1)', 3],
    ];
    for (const [q, offset] of cases) {
      try {
        parseDql(q);
        expect.fail(`no error for ${q}`);
      } catch (err) {
        expect(err).toBeInstanceOf(DqlSyntaxError);
        expect((err as DqlSyntaxError).offset, q).toBe(offset);
      }
    }
    expect(() => parseDql('status:')).toThrow('Expected a value but end of input found.');
  });
});

// Arbitrary trees in the canonical shape the parser produces (flattened and/or, no empty words).
const word = fc.stringMatching(/^[a-zA-Z0-9_.@\-\\:()"<>{}é]{1,6}$/);
const fieldName = fc.stringMatching(/^[a-zA-Z_@][a-zA-Z0-9_.]{0,8}$/);
const literal = fc.oneof(
  fc.array(word, { minLength: 1, maxLength: 3 }).map((ws) => ({ kind: 'literal' as const, segments: [ws.join(' ')] })),
  fc.tuple(word, word).map(([a, b]) => ({ kind: 'literal' as const, segments: [a, b] })),
  fc.stringMatching(/^[ a-z"\\()]{0,10}$/).map((text) => ({ kind: 'phrase' as const, text })),
);
const leaf: fc.Arbitrary<DqlNode> = fc.oneof(
  fc.record({ kind: fc.constant('match' as const), field: fc.option(fieldName, { nil: null }), value: literal }),
  fc.record({ kind: fc.constant('exists' as const), field: fieldName }),
  fc.record({ kind: fc.constant('range' as const), field: fieldName, op: fc.constantFrom('gt' as const, 'gte' as const, 'lt' as const, 'lte' as const), value: fc.oneof(word, fc.constant('a b')) }),
);
const tree: fc.Arbitrary<DqlNode> = fc.letrec<{ node: DqlNode }>((tie) => ({
  node: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    leaf,
    fc.array(tie('node'), { minLength: 2, maxLength: 3 }).map((c) => ({ kind: 'or' as const, children: c.flatMap((x) => (x.kind === 'or' ? x.children : [x])) })),
    fc.array(tie('node'), { minLength: 2, maxLength: 3 }).map((c) => ({ kind: 'and' as const, children: c.flatMap((x) => (x.kind === 'and' ? x.children : [x])) })),
    tie('node').map((child) => ({ kind: 'not' as const, child })),
  ),
})).node;

describe('renderDql', () => {
  it('round-trips: parse(render(tree)) equals tree', () => {
    fc.assert(
      fc.property(tree, (t) => {
        expect(parseDql(renderDql(t))).toEqual(t);
      }),
      { numRuns: 500 },
    );
  });

  it('escapes fields and range values that are keywords (regression: a field named OR)', () => {
    const t: DqlNode = { kind: 'and', children: [{ kind: 'exists', field: 'OR' }, { kind: 'range', field: 'not', op: 'gt', value: 'and' }] };
    expect(renderDql(t)).toBe('\\OR:* and \\not > \\and');
    expect(parseDql(renderDql(t))).toEqual(t);
  });

  it('is stable: render(parse(render(t))) equals render(t)', () => {
    fc.assert(fc.property(tree, (t) => renderDql(parseDql(renderDql(t))) === renderDql(t)), { numRuns: 200 });
  });
});
