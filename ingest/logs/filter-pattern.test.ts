import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { FilterPatternError, parseFilterPattern } from './filter-pattern.ts';
import { matchesPattern, prefilterClauses, splitFields } from './filter-pattern-match.ts';

const match = (pattern: string, message: string) => matchesPattern(parseFilterPattern(pattern), message);

describe('filter pattern terms', () => {
  it('matches everything with an empty pattern', () => {
    expect(match('', 'anything')).toBe(true);
    expect(match('   ', '')).toBe(true);
  });

  it('requires every term, case-sensitively', () => {
    expect(match('ERROR', '[ERROR] boom')).toBe(true);
    expect(match('ERROR', 'error boom')).toBe(false);
    expect(match('ERROR boom', '[ERROR] boom')).toBe(true);
    expect(match('ERROR bang', '[ERROR] boom')).toBe(false);
  });

  it('reads ?term as alternatives and -term as exclusions', () => {
    expect(match('?ERROR ?WARN', 'WARN disk')).toBe(true);
    expect(match('?ERROR ?WARN', 'INFO ok')).toBe(false);
    expect(match('ERROR -Exiting', '[ERROR] A fatal exception')).toBe(true);
    expect(match('ERROR -Exiting', '[ERROR] Exiting with code 1')).toBe(false);
    expect(match('ERROR ?disk ?net', 'ERROR net down')).toBe(true);
    expect(match('ERROR ?disk ?net', 'ERROR cpu hot')).toBe(false);
  });

  it('reads each ?term as the start of a term group: any group with all its terms matches (regression)', () => {
    // AWS CDK's FilterPattern.anyTermGroup(['ERROR', 'MainThread'], ['WARN', 'Deadlock']) renders this.
    const cdk = '?"ERROR" "MainThread" ?"WARN" "Deadlock"';
    expect(parseFilterPattern(cdk)).toEqual({ kind: 'terms', required: [], groups: [['ERROR', 'MainThread'], ['WARN', 'Deadlock']], excluded: [] });
    expect(match(cdk, 'ERROR in MainThread')).toBe(true);
    expect(match(cdk, 'WARN Deadlock detected')).toBe(true);
    expect(match(cdk, 'ERROR Deadlock')).toBe(false);
    expect(match(cdk, 'WARN in MainThread')).toBe(false);
    // Terms before the first ? are required in every group; exclusions exclude wherever they stand.
    expect(match('x ?a b ?c', 'x a b')).toBe(true);
    expect(match('x ?a b ?c', 'x c')).toBe(true);
    expect(match('x ?a b ?c', 'a b c')).toBe(false);
    expect(match('?a -z b ?c', 'a b')).toBe(true);
    expect(match('?a -z b ?c', 'a b z')).toBe(false);
    expect(match('?a -z b ?c', 'c z')).toBe(false);
  });

  it('matches quoted phrases as one term', () => {
    expect(match('"Failed to process"', 'x Failed to process y')).toBe(true);
    expect(match('"Failed to process"', 'Failed process to')).toBe(false);
    expect(match('-"Failed to"', 'Failed twice')).toBe(true);
    expect(match('?"a b" ?"c d"', 'xx c d')).toBe(true);
  });

  it('rejects an unterminated quote', () => {
    expect(() => parseFilterPattern('"abc')).toThrow(FilterPatternError);
  });
});

describe('filter pattern JSON', () => {
  const ev = JSON.stringify({ eventType: 'UpdateTrail', level: 'error', code: 503, latency: 1.5e3, ok: true, none: null, ip: '123.123.4.5', users: [{ id: 'u1' }, { id: 'u2' }], nested: { a: { b: 'deep' } } });

  it('compares strings, with * wildcards', () => {
    expect(match('{ $.eventType = "UpdateTrail" }', ev)).toBe(true);
    expect(match('{ $.eventType = UpdateTrail }', ev)).toBe(true);
    expect(match('{ $.eventType = "Update*" }', ev)).toBe(true);
    expect(match('{ $.eventType != "UpdateTrail" }', ev)).toBe(false);
    expect(match('{ $.ip != 123.123.* }', ev)).toBe(false);
    expect(match('{ $.ip = 123.123.* }', ev)).toBe(true);
    expect(match('{ $.missing != "x" }', ev)).toBe(false);
  });

  it('compares numbers, including decimals and exponents', () => {
    expect(match('{ $.code = 503 }', ev)).toBe(true);
    expect(match('{ $.code >= 500 && $.code < 600 }', ev)).toBe(true);
    expect(match('{ $.latency > 1.4e3 }', ev)).toBe(true);
    expect(match('{ $.latency <= 1000 }', ev)).toBe(false);
    expect(match('{ $.eventType > 3 }', ev)).toBe(false);
  });

  it('walks arrays and nested objects; objects themselves never match', () => {
    expect(match('{ $.users[1].id = "u2" }', ev)).toBe(true);
    expect(match('{ $.nested.a.b = deep }', ev)).toBe(true);
    expect(match('{ $.nested.a = "x" }', ev)).toBe(false);
    expect(match('{ $.nested != "x" }', ev)).toBe(false);
  });

  it('supports IS NULL, NOT EXISTS, IS TRUE, IS FALSE', () => {
    expect(match('{ $.none IS NULL }', ev)).toBe(true);
    expect(match('{ $.nope NOT EXISTS }', ev)).toBe(true);
    expect(match('{ $.code NOT EXISTS }', ev)).toBe(false);
    expect(match('{ $.ok IS TRUE }', ev)).toBe(true);
    expect(match('{ $.ok IS FALSE }', ev)).toBe(false);
  });

  it('gives && precedence over || and honours parentheses', () => {
    expect(match('{ $.code = 1 && $.level = "x" || $.ok IS TRUE }', ev)).toBe(true);
    expect(match('{ $.code = 1 && ($.level = "x" || $.ok IS TRUE) }', ev)).toBe(false);
    expect(match('{ ($.code = 503 || $.code = 1) && $.level = error }', ev)).toBe(true);
  });

  it('never matches non-JSON events', () => {
    expect(match('{ $.level = "error" }', 'level=error')).toBe(false);
    expect(match('{ $.level = "error" }', '{broken')).toBe(false);
  });

  it('rejects malformed JSON patterns', () => {
    for (const p of ['{ $.a = }', '{ a = 1 }', '{ $.a > "x" }', '{ $.a = 1 ', '{ ($.a = 1 }', '{ $.a = 1 $.b = 2 }']) {
      expect(() => parseFilterPattern(p), p).toThrow(FilterPatternError);
    }
  });
});

describe('filter pattern space-delimited', () => {
  const line = '127.0.0.1 - frank [10/Oct/2000:13:25:15 -0700] "GET /apache_pb.gif HTTP/1.0" 404 2326';

  it('splits fields at spaces, keeping [..] and ".." together', () => {
    expect(splitFields(line)).toEqual(['127.0.0.1', '-', 'frank', '10/Oct/2000:13:25:15 -0700', 'GET /apache_pb.gif HTTP/1.0', '404', '2326']);
  });

  it('matches field conditions and counts fields', () => {
    expect(match('[ip, identity, user, timestamp, request, status_code = 404, bytes]', line)).toBe(true);
    expect(match('[ip, identity, user, timestamp, request, status_code = 4*, bytes > 1000]', line)).toBe(true);
    expect(match('[ip, identity, user, timestamp, request, status_code = 200, bytes]', line)).toBe(false);
    expect(match('[ip, user, bytes]', line)).toBe(false);
    expect(match('[..., status_code = 404, bytes]', line)).toBe(true);
    expect(match('[ip = 127.*, ..., bytes < 3000]', line)).toBe(true);
    expect(match('[..., request = *gif*, status_code = 404 || status_code = 500, bytes]', line)).toBe(true);
    expect(match('[..., status_code >= 500 && status_code < 600, bytes]', line)).toBe(false);
  });

  it('rejects conditions naming another field', () => {
    expect(() => parseFilterPattern('[a = 1 || b = 2]')).toThrow(FilterPatternError);
  });
});

describe('filter pattern pre-filter', () => {
  it('turns letter/digit runs of required terms into lower-case wildcard clauses', () => {
    expect(prefilterClauses(parseFilterPattern('ERROR "disk full"'))).toEqual([
      { wildcard: { message: { value: '*error*' } } },
      { wildcard: { message: { value: '*disk*' } } },
      { wildcard: { message: { value: '*full*' } } },
    ]);
    expect(prefilterClauses(parseFilterPattern('-ERROR'))).toEqual([]);
    expect(prefilterClauses(parseFilterPattern('?a ?WARN'))).toEqual([]);
    expect(prefilterClauses(parseFilterPattern('{ $.a = 1 }'))).toEqual([]);
  });

  it('requires every run of one term group or another', () => {
    expect(prefilterClauses(parseFilterPattern('x1 ?"ERROR" "MainThread" ?WARN'))).toEqual([
      { wildcard: { message: { value: '*x1*' } } },
      {
        bool: {
          should: [
            { bool: { filter: [{ wildcard: { message: { value: '*error*' } } }, { wildcard: { message: { value: '*mainthread*' } } }] } },
            { bool: { filter: [{ wildcard: { message: { value: '*warn*' } } }] } },
          ],
          minimum_should_match: 1,
        },
      },
    ]);
  });
});

// Property: the parsed pattern matches exactly what the definition says, for random term patterns.
describe('filter pattern terms vs brute force', () => {
  const WORDS = ['ERROR', 'WARN', 'error', 'disk', 'Disk', 'full', 'a', 'b c', 'x-y', 'ERR'];
  const term = fc.record({ kind: fc.constantFrom('required', 'optional', 'excluded'), word: fc.constantFrom(...WORDS) });
  const message = fc.array(fc.constantFrom(...WORDS, ' ', '[', ']', ':'), { maxLength: 8 }).map((parts) => parts.join(' '));

  it('agrees with a direct check of the definition', () => {
    fc.assert(
      fc.property(fc.array(term, { minLength: 1, maxLength: 5 }), message, (terms, msg) => {
        const text = terms.map((t) => `${t.kind === 'optional' ? '?' : t.kind === 'excluded' ? '-' : ''}"${t.word}"`).join(' ');
        // The definition: a ?term opens a group that the following plain terms join; plain terms before
        // any ? are required; excluded terms must be absent; some group (if any) must be complete.
        const has = (w: string) => msg.includes(w);
        const before: string[] = [];
        const groups: string[][] = [];
        for (const t of terms) {
          if (t.kind === 'optional') groups.push([t.word]);
          else if (t.kind === 'required') (groups.length > 0 ? groups[groups.length - 1] : before).push(t.word);
        }
        const excluded = terms.filter((t) => t.kind === 'excluded').map((t) => t.word);
        const expected = before.every(has) && !excluded.some(has) && (groups.length === 0 || groups.some((g) => g.every(has)));
        expect(match(text, msg)).toBe(expected);
      }),
      { numRuns: 500 },
    );
  });
});
