import { describe, expect, it } from 'vitest';
import { InsightsSyntaxError, type Command, type Expr } from './insights-ast.ts';
import { parseInsightsQuery } from './insights-parser.ts';
import { insightsPrefilter, selectSourceGroups } from './insights-queries.ts';

function syntaxError(q: string): InsightsSyntaxError {
  try {
    parseInsightsQuery(q);
  } catch (err) {
    if (err instanceof InsightsSyntaxError) return err;
    throw err;
  }
  throw new Error(`expected a syntax error for ${q}`);
}

describe('parseInsightsQuery', () => {
  it('parses the captured SDK query into five commands', () => {
    const q = parseInsightsQuery('fields @timestamp, @message | filter @message like /ERROR/ | stats count() by bin(5m) | sort @timestamp desc | limit 20');
    expect(q.commands.map((c) => c.cmd)).toEqual(['fields', 'filter', 'stats', 'sort', 'limit']);
    const stats = q.commands[2] as Extract<(typeof q.commands)[number], { cmd: 'stats' }>;
    expect(stats.aggs.map((a) => a.name)).toEqual(['count()']);
    expect(stats.by.map((b) => b.name)).toEqual(['bin(5m)']);
    expect(stats.by[0].expr).toMatchObject({ k: 'call', fn: 'bin', args: [{ k: 'duration', ms: 300_000 }] });
    expect(q.commands[3]).toMatchObject({ cmd: 'sort', keys: [{ desc: true }] });
    expect(q.commands[4]).toEqual({ cmd: 'limit', n: 20, any: false });
  });

  it('names columns by alias or source text', () => {
    const q = parseInsightsQuery('fields abs(a - b) as d, `foo-bar`, x.y * 2');
    const f = q.commands[0] as Extract<(typeof q.commands)[number], { cmd: 'fields' }>;
    expect(f.columns.map((c) => c.name)).toEqual(['d', 'foo-bar', 'x.y * 2']);
  });

  it('respects precedence: or < and < not < comparison < arithmetic', () => {
    const q = parseInsightsQuery('filter a = 1 or not b > 2 + 3 * 4 and c like "x"');
    const f = q.commands[0] as Extract<(typeof q.commands)[number], { cmd: 'filter' }>;
    expect(f.expr).toMatchObject({
      k: 'or',
      l: { k: 'bin', op: '=' },
      r: { k: 'and', l: { k: 'not', e: { k: 'bin', op: '>', r: { k: 'bin', op: '+', r: { k: 'bin', op: '*' } } } }, r: { k: 'like' } },
    });
  });

  it('tells division from regular expressions', () => {
    const q = parseInsightsQuery('fields a / 2 as half | filter @message =~ /a\\/b/ | parse @message /(?<user>\\w+)@/');
    expect(q.commands[0]).toMatchObject({ columns: [{ expr: { k: 'bin', op: '/' } }] });
    expect(q.commands[1]).toMatchObject({ expr: { k: 'like', pattern: { k: 'regex' } } });
    expect(q.commands[2]).toMatchObject({ cmd: 'parse', regex: expect.any(RegExp) });
  });

  it('parses glob parse patterns, in/not in, not like and (?i) regexes', () => {
    const q = parseInsightsQuery('parse @message "user=*, took * ms" as user, took | filter user in ["a", "b"] and user not like /(?i)BOT/ and took not in [1]');
    const p = q.commands[0] as Extract<(typeof q.commands)[number], { cmd: 'parse' }>;
    expect(p.glob!.names).toEqual(['user', 'took']);
    expect(p.glob!.re.exec('x user=ann, took 15 ms')!.slice(1)).toEqual(['ann', '15']);
    expect(q.commands[1]).toMatchObject({ expr: { k: 'and', l: { k: 'and', l: { k: 'in', negated: false }, r: { k: 'like', negated: true, pattern: { re: /BOT/i } } }, r: { k: 'in', negated: true } } });
  });

  it('reports errors with character offsets', () => {
    const e = syntaxError('fields @message | frobnicate x');
    expect(e.message).toMatch(/Unknown command 'frobnicate'/);
    expect([e.start, e.end]).toEqual([18, 28]);
    expect(syntaxError('stats avg(x) by').message).toMatch(/Expected an expression/);
    expect(syntaxError('stats x by y').message).toMatch(/aggregate/);
    expect(syntaxError('filter a = "x').message).toMatch(/Unterminated/);
    expect(syntaxError('limit 0').message).toMatch(/positive integer/);
    expect(syntaxError('parse @message "* *" as a').message).toMatch(/2 wildcard/);
    expect(syntaxError('fields nosuch(x)').message).toMatch(/Unknown function/);
    expect(syntaxError('filter a = 1 )').message).toMatch(/Unexpected/);
    expect(syntaxError('stats count() by bin(5x)').message).toMatch(/time unit/);
  });

  it('reads every documented bin unit, with plurals of the multi-letter ones', () => {
    const period = (d: string) => {
      const stats = parseInsightsQuery(`stats count() by bin(${d})`).commands[0] as Extract<Command, { cmd: 'stats' }>;
      const arg = (stats.by[0].expr as Extract<Expr, { k: 'call' }>).args[0] as Extract<Expr, { k: 'duration' }>;
      return [arg.ms, arg.months];
    };
    for (const u of ['millisecond', 'milliseconds', 'ms', 'msec', 'msecs']) expect(period(`7${u}`)).toEqual([7, 0]);
    for (const u of ['second', 'seconds', 's', 'sec', 'secs']) expect(period(`3${u}`)).toEqual([3_000, 0]);
    for (const u of ['minute', 'minutes', 'm', 'min', 'mins']) expect(period(`5${u}`)).toEqual([300_000, 0]);
    for (const u of ['hour', 'hours', 'h', 'hr', 'hrs']) expect(period(`2${u}`)).toEqual([7_200_000, 0]);
    for (const u of ['day', 'days', 'd']) expect(period(`1${u}`)).toEqual([86_400_000, 0]);
    for (const u of ['week', 'weeks', 'w']) expect(period(`1${u}`)).toEqual([604_800_000, 0]);
    for (const u of ['month', 'months', 'mo', 'mos', 'mon', 'mons']) expect(period(`2${u}`)).toEqual([0, 2]);
    for (const u of ['quarter', 'quarters', 'q', 'qtr', 'qtrs']) expect(period(`1${u}`)).toEqual([0, 3]);
    for (const u of ['year', 'years', 'y', 'yr', 'yrs']) expect(period(`1${u}`)).toEqual([0, 12]);
    // Only abbreviations longer than one letter take an s.
    expect(syntaxError('stats count() by bin(5ds)').message).toBe("Unknown time unit 'ds'");
    expect(syntaxError('stats count() by bin(1.5mo)').message).toMatch(/whole number/);
  });

  it('ignores the rest of a line after #, except inside strings, regexes and backquotes', () => {
    const q = parseInsightsQuery('# errors by stream\nfields @timestamp, @message # | filter a = 1\n| filter @message like "#1" and `x#y` = 2 # trailing\n| filter @message =~ /a#b/');
    expect(q.commands.map((c) => c.cmd)).toEqual(['fields', 'filter', 'filter']);
    expect(q.commands[1]).toMatchObject({ expr: { k: 'and', l: { k: 'like', pattern: { k: 'str', v: '#1' } }, r: { l: { k: 'field', name: 'x#y' } } } });
    expect(q.commands[2]).toMatchObject({ expr: { k: 'like', pattern: { re: /a#b/ } } });
    expect(syntaxError('# only a comment').message).toMatch(/Expected a command/);
  });

  it('reads limit any N and unmask', () => {
    expect(parseInsightsQuery('fields @message | limit any 5').commands[1]).toEqual({ cmd: 'limit', n: 5, any: true });
    expect(parseInsightsQuery('head 5').commands[0]).toEqual({ cmd: 'limit', n: 5, any: false });
    expect(syntaxError('limit any').message).toMatch(/positive integer/);
    expect(parseInsightsQuery('fields @message | unmask').commands[1]).toEqual({ cmd: 'unmask' });
    expect(parseInsightsQuery('unmask @message | fields unmask(@message) as m').commands.map((c) => c.cmd)).toEqual(['unmask', 'fields']);
    expect(syntaxError('pattern @message').message).toBe('the pattern command is not supported');
  });

  it('allows only limit after dedup', () => {
    expect(parseInsightsQuery('fields a | sort a desc | dedup a | limit 5').commands.map((c) => c.cmd)).toEqual(['fields', 'sort', 'dedup', 'limit']);
    const e = syntaxError('dedup a | limit 5 | fields a');
    expect(e.message).toBe("Only the limit command can follow dedup, found 'fields'");
    expect([e.start, e.end]).toEqual([20, 26]);
    expect(syntaxError('dedup a | sort a').message).toMatch(/Only the limit command can follow dedup/);
  });
});

describe('SOURCE', () => {
  it('parses the documented logGroups forms ahead of the commands', () => {
    expect(parseInsightsQuery('SOURCE logGroups()')).toEqual({ commands: [], source: { namePrefix: [], classes: [], accountIdentifiers: [] } });
    expect(parseInsightsQuery("SOURCE logGroups(namePrefix: ['/app', '/web'], class: ['INFREQUENT_ACCESS']) | fields @message").source).toEqual({
      namePrefix: ['/app', '/web'],
      classes: ['INFREQUENT_ACCESS'],
      accountIdentifiers: [],
    });
    const q = parseInsightsQuery("SOURCE logGroups(accountIdentifiers:['111122223333'], namePrefix: ['a']) | stats count()");
    expect(q.source).toMatchObject({ accountIdentifiers: ['111122223333'], namePrefix: ['a'] });
    expect(q.commands.map((c) => c.cmd)).toEqual(['stats']);
    expect(parseInsightsQuery('fields @message').source).toBeUndefined();
  });

  it('rejects misplaced or malformed SOURCE commands', () => {
    expect(syntaxError("fields @message | SOURCE logGroups(namePrefix: ['a'])").message).toBe('SOURCE must be the first command of the query');
    expect(syntaxError("SOURCE logGroups(prefix: ['a'])").message).toMatch(/Unknown logGroups key 'prefix'/);
    expect(syntaxError("SOURCE logGroups(class: ['COLD'])").message).toMatch(/Unknown log group class 'COLD'/);
    expect(syntaxError("SOURCE logGroups(namePrefix: ['a','b','c','d','e','f'])").message).toBe('namePrefix takes at most 5 values');
    expect(syntaxError("SOURCE logGroups(namePrefix: ['a']) fields @message").message).toMatch(/Expected '\|'/);
  });

  it('selects existing groups by prefix, class (STANDARD by default) and account', () => {
    const groups = [
      { name: '/app/web', logGroupClass: 'STANDARD' },
      { name: '/app/cold', logGroupClass: 'INFREQUENT_ACCESS' },
      { name: '/db/main', logGroupClass: 'STANDARD' },
      { name: '/application', logGroupClass: 'STANDARD' },
    ];
    const select = (q: string) => selectSourceGroups(parseInsightsQuery(q).source!, groups);
    expect(select('SOURCE logGroups()')).toEqual(['/app/web', '/application', '/db/main']);
    expect(select("SOURCE logGroups(namePrefix: ['/app/'])")).toEqual(['/app/web']);
    expect(select("SOURCE logGroups(namePrefix: ['/app/', '/db'], class: ['INFREQUENT_ACCESS'])")).toEqual(['/app/cold']);
    expect(select("SOURCE logGroups(class: ['STANDARD', 'INFREQUENT_ACCESS'])")).toHaveLength(4);
    expect(select("SOURCE logGroups(accountIdentifiers: ['000000000000'], namePrefix: ['/db'])")).toEqual(['/db/main']);
    expect(select("SOURCE logGroups(accountIdentifiers: ['111122223333'])")).toEqual([]);
  });
});

describe('insightsPrefilter', () => {
  it('derives engine clauses from the leading filters only', () => {
    expect(insightsPrefilter(parseInsightsQuery('fields @message | filter @message like /ERROR/ and @logStream = "s1" | stats count()'))).toEqual([
      { wildcard: { message: { value: '*error*' } } },
      { term: { logStream: 's1' } },
    ]);
    expect(insightsPrefilter(parseInsightsQuery('filter @message like /(?i)error/'))).toEqual([]);
    expect(insightsPrefilter(parseInsightsQuery('filter @message not like "x"'))).toEqual([]);
    expect(insightsPrefilter(parseInsightsQuery('filter @message like "a" or @message like "b"'))).toEqual([]);
    expect(insightsPrefilter(parseInsightsQuery('stats count() by @logStream | filter @message like "boom"'))).toEqual([]);
  });
});
