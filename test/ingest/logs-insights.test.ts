// Logs Insights through the real SDK: StartQuery → GetQueryResults (Scheduled/Running → Complete,
// statistics), StopQuery, and the errors (MalformedQueryException with its location, unknown query,
// unknown group, bad parameters).

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  CreateLogGroupCommand, CreateLogStreamCommand, GetQueryResultsCommand, PutLogEventsCommand, StartQueryCommand, StopQueryCommand,
} from '@aws-sdk/client-cloudwatch-logs';
import { rejection, startLogsServer, type LogsServer } from './logs-harness.ts';

let s: LogsServer;
// A fixed minute boundary an hour ago, so bins are predictable.
const T = Math.floor((Date.now() - 3_600_000) / 600_000) * 600_000;
const sec = (ms: number) => Math.floor(ms / 1000);

beforeAll(async () => {
  s = await startLogsServer();
  for (const g of ['/q/web', '/q/api']) {
    await s.client.send(new CreateLogGroupCommand({ logGroupName: g }));
    await s.client.send(new CreateLogStreamCommand({ logGroupName: g, logStreamName: 'i-1' }));
  }
  await s.client.send(
    new PutLogEventsCommand({
      logGroupName: '/q/web',
      logStreamName: 'i-1',
      logEvents: [
        { timestamp: T + 1_000, message: 'INFO GET /a 200 took=12' },
        { timestamp: T + 2_000, message: 'ERROR GET /b 500 took=340' },
        { timestamp: T + 301_000, message: 'ERROR POST /c 502 took=90' },
        { timestamp: T + 302_000, message: '{"level":"WARN","latency":40,"path":"/d"}' },
      ],
    }),
  );
  await s.client.send(new PutLogEventsCommand({ logGroupName: '/q/api', logStreamName: 'i-1', logEvents: [{ timestamp: T + 5_000, message: 'ERROR api down took=1' }] }));
});
afterAll(async () => {
  await s?.close();
});

async function runQuery(queryString: string, groups = ['/q/web'], extra: Record<string, unknown> = {}): Promise<any> {
  const { queryId } = await s.client.send(new StartQueryCommand({ logGroupNames: groups, startTime: sec(T), endTime: sec(T + 3_600_000), queryString, ...extra }));
  expect(queryId).toMatch(/^[0-9a-f-]{36}$/);
  const statuses = new Set<string>();
  for (let i = 0; i < 200; i++) {
    const out: any = await s.client.send(new GetQueryResultsCommand({ queryId }));
    statuses.add(out.status);
    if (out.status !== 'Scheduled' && out.status !== 'Running') return { ...out, statuses };
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error('query did not finish');
}

const table = (results: any[]) => results.map((row: any[]) => Object.fromEntries(row.filter((f) => f.field !== '@ptr').map((f) => [f.field, f.value])));

describe('Logs Insights', () => {
  it('runs the captured query: filter, stats count() by bin(5m), sort, limit', async () => {
    const out = await runQuery('fields @timestamp, @message | filter @message like /ERROR/ | stats count() by bin(5m) | sort @timestamp desc | limit 20');
    expect(out.status).toBe('Complete');
    expect(out.queryLanguage).toBe('CWLI');
    const day = (ms: number) => new Date(ms).toISOString().replace('T', ' ').replace('Z', '');
    expect(out.results).toEqual([
      [{ field: 'bin(5m)', value: day(T + 300_000) }, { field: 'count()', value: '1' }],
      [{ field: 'bin(5m)', value: day(T) }, { field: 'count()', value: '1' }],
    ]);
    expect(out.statistics).toMatchObject({ recordsMatched: 2, recordsScanned: expect.any(Number), bytesScanned: expect.any(Number) });
    expect(out.statistics.recordsScanned).toBeGreaterThanOrEqual(2);
    expect(out.statistics.bytesScanned).toBeGreaterThan(0);
  });

  it('returns fields with @ptr, parses globs and regexes, aggregates across groups', async () => {
    const rows = await runQuery('fields @timestamp, @message, @log | sort @timestamp asc | limit 2');
    expect(rows.results[0].map((f: any) => f.field)).toEqual(['@timestamp', '@message', '@log', '@ptr']);
    expect(table(rows.results)[0]).toEqual({ '@timestamp': new Date(T + 1000).toISOString().replace('T', ' ').replace('Z', ''), '@message': 'INFO GET /a 200 took=12', '@log': '000000000000:/q/web' });

    const glob = await runQuery('parse @message "* * * * took=*" as level, method, path, status, took | filter status >= 500 | stats avg(took) as avgTook, max(took) as maxTook by level');
    expect(table(glob.results)).toEqual([{ level: 'ERROR', avgTook: '215', maxTook: '340' }]);

    const regex = await runQuery('parse @message /^(?<lvl>[A-Z]+) /| stats count(*) as n by lvl | sort n desc, lvl asc', ['/q/web', '/q/api']);
    expect(table(regex.results)).toEqual([{ lvl: 'ERROR', n: '3' }, { lvl: 'INFO', n: '1' }, { n: '1' }]);

    const json = await runQuery('filter level = "WARN" and latency > 30 | fields path, latency * 2 as double');
    expect(table(json.results)).toEqual([{ path: '/d', double: '80' }]);
  });

  it('honours StartQuery limit and the time range', async () => {
    expect((await runQuery('fields @message', ['/q/web'], { limit: 3 })).results).toHaveLength(3);
    const narrow = await runQuery('fields @message', ['/q/web'], { startTime: sec(T + 300_000), endTime: sec(T + 301_000) });
    expect(table(narrow.results)).toEqual([{ '@message': 'ERROR POST /c 502 took=90' }]);
  });

  it('reports syntax errors as MalformedQueryException with the location', async () => {
    const err = await rejection(s.client.send(new StartQueryCommand({ logGroupName: '/q/web', startTime: sec(T), endTime: sec(T + 1000), queryString: 'fields @message | stats avg(x) by' })));
    expect(err.name).toBe('MalformedQueryException');
    expect(err.queryCompileError).toEqual({ location: { startCharOffset: expect.any(Number), endCharOffset: expect.any(Number) }, message: err.message });
  });

  it('checks groups, times and ids', async () => {
    const missing = await rejection(s.client.send(new StartQueryCommand({ logGroupName: '/q/none', startTime: sec(T), endTime: sec(T + 1000), queryString: 'fields @message' })));
    expect([missing.name, missing.message]).toEqual(['ResourceNotFoundException', 'The specified log group does not exist.']);
    const both = await rejection(s.client.send(new StartQueryCommand({ logGroupName: '/q/web', logGroupNames: ['/q/api'], startTime: sec(T), endTime: sec(T + 1000), queryString: 'fields @message' })));
    expect(both.name).toBe('InvalidParameterException');
    const backwards = await rejection(s.client.send(new StartQueryCommand({ logGroupName: '/q/web', startTime: sec(T + 1000), endTime: sec(T), queryString: 'fields @message' })));
    expect(backwards.name).toBe('InvalidParameterException');
    const unknown = await rejection(s.client.send(new GetQueryResultsCommand({ queryId: '12ab3456-12ab-123a-789e-1234567890ab' })));
    expect(unknown.name).toBe('ResourceNotFoundException');
  });

  it('stops a query that has not finished, and says so for one that has', async () => {
    // A slow engine (each search waits 500 ms first) keeps the query running long enough to stop it.
    const sink = s.node.sink;
    const search = sink.search.bind(sink);
    sink.search = async (index, body) => (await new Promise((r) => setTimeout(r, 500)), search(index, body));
    let queryId: string | undefined;
    try {
      ({ queryId } = await s.client.send(new StartQueryCommand({ logGroupName: '/q/web', startTime: sec(T), endTime: sec(T + 3_600_000), queryString: 'fields @message' })));
      await new Promise((r) => setTimeout(r, 50));
      expect(((await s.client.send(new GetQueryResultsCommand({ queryId }))) as any).status).toBe('Running');
    } finally {
      sink.search = search;
    }
    const stopped: any = await s.client.send(new StopQueryCommand({ queryId }));
    expect(stopped.success).toBe(true);
    const res: any = await s.client.send(new GetQueryResultsCommand({ queryId }));
    expect(res.status).toBe('Cancelled');
    expect((await s.client.send(new StopQueryCommand({ queryId }))).success).toBe(false);
    const done = await runQuery('fields @message');
    expect(done.statuses.has('Complete')).toBe(true);
  });
});
