import { describe, expect, it } from 'vitest';
import { parseInsightsQuery } from './insights-parser.ts';
import { InsightsPipeline, type ResultRow } from './insights-pipeline.ts';
import type { LogRecord } from './insights-row.ts';

const T0 = Date.UTC(2024, 0, 1);
const events: LogRecord[] = [
  { timestamp: T0 + 1_000, message: 'INFO user=ann took 12 ms', logStream: 'a', logGroup: '/g', ingestionTime: T0 + 2_000, eventId: '1' },
  { timestamp: T0 + 61_000, message: 'ERROR user=bob took 250 ms', logStream: 'a', logGroup: '/g', ingestionTime: T0 + 62_000, eventId: '2' },
  { timestamp: T0 + 301_000, message: '{"level":"error","latency":40,"req":{"path":"/x","tags":["t1"]}}', logStream: 'b', logGroup: '/g', ingestionTime: T0 + 302_000, eventId: '3' },
  { timestamp: T0 + 302_000, message: '{"level":"info","latency":10,"req":{"path":"/y"}}', logStream: 'b', logGroup: '/g', ingestionTime: T0 + 303_000, eventId: '4' },
  { timestamp: T0 + 650_000, message: 'ERROR user=ann took 30 ms', logStream: 'c', logGroup: '/g', ingestionTime: T0 + 651_000, eventId: '5' },
];

function run(query: string, limit = 10_000, input: LogRecord[] = events): { rows: Record<string, string>[]; matched: number; raw: ResultRow[] } {
  const p = new InsightsPipeline(parseInsightsQuery(query));
  for (const e of input) p.push(e);
  const raw = p.finish(limit);
  return { raw, matched: p.matched, rows: raw.map((r) => Object.fromEntries(r.filter((f) => f.field !== '@ptr').map((f) => [f.field, f.value]))) };
}

describe('InsightsPipeline', () => {
  it('selects fields, renders timestamps as CloudWatch does, and adds @ptr', () => {
    const { rows, raw } = run('fields @timestamp, @logStream | limit 2');
    expect(rows).toEqual([
      { '@timestamp': '2024-01-01 00:00:01.000', '@logStream': 'a' },
      { '@timestamp': '2024-01-01 00:01:01.000', '@logStream': 'a' },
    ]);
    expect(raw[0].at(-1)!.field).toBe('@ptr');
  });

  it('filters with like, regex, comparisons and functions; counts matches', () => {
    expect(run('filter @message like "ERROR"').matched).toBe(2);
    expect(run('filter @message like /user=(ann|bob)/ and @logStream != "c"').matched).toBe(2);
    expect(run('filter level = "error" or latency < 20').matched).toBe(2);
    expect(run('filter ispresent(req.path) and strcontains(req.path, "x")').matched).toBe(1);
    expect(run('filter @logStream in ["a", "c"] and not (@message like "INFO")').matched).toBe(2);
    expect(run('filter @message =~ /(?i)error/').matched).toBe(3);
    expect(run('filter req.tags.0 = "t1"').matched).toBe(1);
  });

  it('computes fields with arithmetic and string functions', () => {
    const { rows } = run('filter ispresent(latency) | fields latency * 2 + 1 as x, toupper(level) as L, concat(@logStream, "-", level) as c');
    expect(rows).toEqual([
      { x: '81', L: 'ERROR', c: 'b-error' },
      { x: '21', L: 'INFO', c: 'b-info' },
    ]);
  });

  it('parses with globs and named-group regexes, then aggregates the parsed fields', () => {
    expect(run('parse @message "user=* took * ms" as user, took | filter ispresent(user) | stats sum(took) as total, count(*) as n by user | sort total desc').rows).toEqual([
      { user: 'bob', total: '250', n: '1' },
      { user: 'ann', total: '42', n: '2' },
    ]);
    expect(run('parse @message /user=(?<who>\\w+)/ | filter ispresent(who) | display who, @logStream').rows).toEqual([
      { who: 'ann', '@logStream': 'a' },
      { who: 'bob', '@logStream': 'a' },
      { who: 'ann', '@logStream': 'c' },
    ]);
  });

  it('bins @timestamp and sorts bins through @timestamp', () => {
    expect(run('stats count() by bin(5m) | sort @timestamp desc').rows).toEqual([
      { 'bin(5m)': '2024-01-01 00:10:00.000', 'count()': '1' },
      { 'bin(5m)': '2024-01-01 00:05:00.000', 'count()': '2' },
      { 'bin(5m)': '2024-01-01 00:00:00.000', 'count()': '2' },
    ]);
  });

  it('bins months, quarters and years on UTC calendar boundaries', () => {
    const at = (...isos: string[]) => isos.map((iso, i) => ({ ...events[0], timestamp: Date.parse(`${iso}Z`), eventId: String(i) }));
    const input = at('2024-01-31T23:59:59.999', '2024-02-01T00:00:00', '2024-02-29T12:00:00', '2024-03-01T00:00:00', '2024-04-15T08:00:00', '2024-12-31T23:00:00');
    const bins = (q: string) => run(`stats count() as n by ${q} as b | sort b asc`, 10_000, input).rows.map((r) => `${r.b} ${r.n}`);
    expect(bins('bin(1mo)')).toEqual(['2024-01-01 00:00:00.000 1', '2024-02-01 00:00:00.000 2', '2024-03-01 00:00:00.000 1', '2024-04-01 00:00:00.000 1', '2024-12-01 00:00:00.000 1']);
    expect(bins('bin(2months)')).toEqual(['2024-01-01 00:00:00.000 3', '2024-03-01 00:00:00.000 2', '2024-11-01 00:00:00.000 1']);
    expect(bins('bin(1q)')).toEqual(['2024-01-01 00:00:00.000 4', '2024-04-01 00:00:00.000 1', '2024-10-01 00:00:00.000 1']);
    expect(bins('bin(1yr)')).toEqual(['2024-01-01 00:00:00.000 6']);
    expect(bins('bin(12hrs)')[0]).toBe('2024-01-31 12:00:00.000 1');
    expect(run('fields datefloor(@timestamp, 1mo) as f, dateceil(@timestamp, 1q) as c', 10_000, input.slice(2, 4)).rows).toEqual([
      { f: '2024-02-01 00:00:00.000', c: '2024-04-01 00:00:00.000' },
      { f: '2024-03-01 00:00:00.000', c: '2024-04-01 00:00:00.000' },
    ]);
  });

  it('supports every aggregate and expressions over aggregates', () => {
    const { rows } = run(
      'filter ispresent(latency) | stats count(*) as n, avg(latency) as a, min(latency) as lo, max(latency) as hi, pct(latency, 50) as p50, stddev(latency) as sd, count_distinct(level) as levels, sum(latency) / count(*) as mean, earliest(level) as first, latest(level) as last, max(@timestamp) as newest',
    );
    expect(rows).toEqual([
      { n: '2', a: '25', lo: '10', hi: '40', p50: '10', sd: String(Math.sqrt(450)), levels: '2', mean: '25', first: 'error', last: 'info', newest: '2024-01-01 00:05:02.000' },
    ]);
    expect(run('filter @message like "nothing" | stats count() as n').rows).toEqual([{ n: '0' }]);
  });

  it('sorts with missing values last, limits and dedups', () => {
    expect(run('fields latency | sort latency asc').rows.map((r) => r.latency)).toEqual(['10', '40', undefined, undefined, undefined]);
    expect(run('fields @logStream | dedup @logStream').rows.map((r) => r['@logStream'])).toEqual(['a', 'b', 'c']);
    expect(run('fields @message | limit 3', 2).rows).toHaveLength(2);
    expect(run('sort @timestamp desc | limit 1').rows[0]['@message']).toBe('ERROR user=ann took 30 ms');
  });

  it('keeps every event whose dedup field is missing: nulls are not duplicates', () => {
    // Two JSON events have a level; the three text events have none and all stay.
    expect(run('fields @logStream, level | dedup level').rows).toEqual([
      { '@logStream': 'a' },
      { '@logStream': 'a' },
      { '@logStream': 'b', level: 'error' },
      { '@logStream': 'b', level: 'info' },
      { '@logStream': 'c' },
    ]);
    expect(run('fields @logStream, level | dedup @logStream, level').rows).toHaveLength(5);
    expect(run('fields level | filter ispresent(level) | dedup @logStream, level | limit 1').rows).toEqual([{ level: 'error' }]);
  });

  it('is satisfied after N matches of a leading limit any N, never after a sort', () => {
    const fed = (query: string) => {
      const p = new InsightsPipeline(parseInsightsQuery(query));
      let n = 0;
      for (const e of events) {
        if (p.satisfied) break;
        p.push(e);
        n++;
      }
      return { n, rows: p.finish(10_000).length };
    };
    expect(fed('filter @message like "ERROR" | limit any 1')).toEqual({ n: 2, rows: 1 });
    expect(fed('fields @message | limit 1')).toEqual({ n: 5, rows: 1 });
    expect(fed('sort @timestamp asc | limit any 1')).toEqual({ n: 5, rows: 1 });
  });

  it('changes nothing for unmask, command or function', () => {
    expect(run('filter @logStream = "c" | unmask | fields unmask(@message) as m').rows).toEqual([{ m: 'ERROR user=ann took 30 ms' }]);
  });

  it('sorts in CloudWatch natural order: text before numbers, digit runs by value, capitals first', () => {
    const named = (...names: (string | number)[]) =>
      names.map((name, i) => ({ ...events[0], message: JSON.stringify({ name }), eventId: String(i) }));
    const sorted = (names: (string | number)[], dir: string) => run(`fields name | sort name ${dir}`, 10_000, named(...names)).rows.map((r) => r.name);
    expect(sorted(['item9', 'item10', 'abc', 5, 'Zed', 100], 'asc')).toEqual(['Zed', 'abc', 'item9', 'item10', '5', '100']);
    expect(sorted(['item9', 'item10', 'abc', 5, 'Zed', 100], 'desc')).toEqual(['100', '5', 'item10', 'item9', 'abc', 'Zed']);
    // The ascending example of CWL_QuerySyntax-Sort, fed in reverse.
    const documented = ['!:', '#', '*%04', '0#', '5A', '111A', '2345_', '@', '@_', 'A', 'A9876fghj', 'a12345hfh', '0', '01', '1', '2', '3'];
    expect(sorted([...documented].reverse(), 'asc')).toEqual(documented);
  });

  it('returns the default columns when no fields command chooses them', () => {
    expect(Object.keys(run('filter @logStream = "c"').rows[0])).toEqual(['@timestamp', '@message', '@logStream', '@log']);
    expect(run('filter @logStream = "c"').rows[0]['@log']).toBe('000000000000:/g');
  });
});
