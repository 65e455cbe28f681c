// Logs Insights through the real SDK: StartQuery → GetQueryResults (Scheduled/Running → Complete,
// statistics), StopQuery, and the errors (MalformedQueryException with its location, unknown query,
// unknown group, bad parameters).

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  CreateLogGroupCommand, CreateLogStreamCommand, GetQueryResultsCommand, PutLogEventsCommand, StartQueryCommand, StopQueryCommand,
} from '@aws-sdk/client-cloudwatch-logs';
import { rejection, startLogsServer, type LogsServer } from './logs-harness.ts';
import { cwlRecord, delivery, expectFirehoseResponse, sendDelivery } from './firehose-simulator.ts';

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
    if (out.status !== 'Scheduled' && out.status !== 'Running') return { ...out, statuses, queryId };
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error('query did not finish');
}

/** A time as CloudWatch renders it in query results. */
const day = (ms: number) => new Date(ms).toISOString().replace('T', ' ').replace('Z', '');
const table = (results: any[]) => results.map((row: any[]) => Object.fromEntries(row.filter((f) => f.field !== '@ptr').map((f) => [f.field, f.value])));

describe('Logs Insights', () => {
  it('runs the captured query: filter, stats count() by bin(5m), sort, limit', async () => {
    const out = await runQuery('fields @timestamp, @message | filter @message like /ERROR/ | stats count() by bin(5m) | sort @timestamp desc | limit 20');
    expect(out.status).toBe('Complete');
    expect(out.queryLanguage).toBe('CWLI');
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

  it('reads the time of Firehose-delivered events from @timestamp, not from their CloudWatch event ids (regression)', async () => {
    // CloudWatch's own 56-digit ids carry no Lookout timestamp prefix (their first 15 digits read as a
    // year past 13000) and here sort against time, beside an event PutLogEvents stored with its own id.
    await s.client.send(new CreateLogGroupCommand({ logGroupName: '/q/firehose' }));
    await s.client.send(new CreateLogStreamCommand({ logGroupName: '/q/firehose', logStreamName: 'put' }));
    const cwlEvents = [
      { id: '39524385930682138451209844358374910277618845010398036001', timestamp: T + 60_000, message: 'sub first' },
      { id: '37204712958237400120938745560127398457102938475610293002', timestamp: T + 180_000, message: 'sub third' },
      { id: '31953106606966983378809025079804211143289615424298221003', timestamp: T + 400_000, message: 'sub fourth' },
    ];
    const d = delivery([cwlRecord('/q/firehose', 'from-cwl', cwlEvents)], T + 500_000);
    expectFirehoseResponse(await sendDelivery(s.url, d, { stream: 'cwl-subscription', gzip: true }), 200, d.requestId);
    await s.os('POST', '/cwl-*/_refresh'); // Firehose writes become visible on the engine's refresh, as in OpenSearch
    await s.client.send(new PutLogEventsCommand({ logGroupName: '/q/firehose', logStreamName: 'put', logEvents: [{ timestamp: T + 120_000, message: 'put second' }] }));

    const rows = await runQuery('fields @timestamp, @message | sort @timestamp asc', ['/q/firehose']);
    expect(table(rows.results)).toEqual([
      { '@timestamp': day(T + 60_000), '@message': 'sub first' },
      { '@timestamp': day(T + 120_000), '@message': 'put second' },
      { '@timestamp': day(T + 180_000), '@message': 'sub third' },
      { '@timestamp': day(T + 400_000), '@message': 'sub fourth' },
    ]);

    // Unsorted results come newest first: CloudWatch's default order is @timestamp descending.
    const unsorted = await runQuery('fields @message', ['/q/firehose']);
    expect(table(unsorted.results).map((r) => r['@message'])).toEqual(['sub fourth', 'sub third', 'put second', 'sub first']);

    const bins = await runQuery('stats count(*) by bin(5m)', ['/q/firehose']);
    expect(new Set(table(bins.results).map((r) => JSON.stringify(r)))).toEqual(
      new Set([{ 'bin(5m)': day(T), 'count(*)': '3' }, { 'bin(5m)': day(T + 300_000), 'count(*)': '1' }].map((r) => JSON.stringify(r))),
    );
  });

  it('pages through more events than one scan page, past runs of equal timestamps', async () => {
    // 6,000 events (the scan reads 5,000 a page), ten per millisecond, with ids that sort against time:
    // the (timestamp, id) search_after cursor must neither skip nor repeat an event at a page boundary.
    await s.client.send(new CreateLogGroupCommand({ logGroupName: '/q/many' }));
    const events = Array.from({ length: 6_000 }, (_, i) => ({ id: String(10n ** 55n * 9n - BigInt(i)), timestamp: T + Math.floor(i / 10), message: `n=${i}` }));
    const d = delivery([cwlRecord('/q/many', 's', events)], T + 500_000);
    expectFirehoseResponse(await sendDelivery(s.url, d, { stream: 'cwl-subscription' }), 200, d.requestId);
    await s.os('POST', '/cwl-*/_refresh'); // Firehose writes become visible on the engine's refresh, as in OpenSearch
    const out = await runQuery('stats count(*) as n, count_distinct(@message) as distinct, min(@timestamp) as first, max(@timestamp) as last', ['/q/many']);
    expect(table(out.results)).toEqual([{ n: '6000', distinct: '6000', first: day(T), last: day(T + 599) }]);
  });

  it('stops scanning at N matches for limit any N; a plain limit reads every event', async () => {
    const any = await runQuery('fields @message | limit any 2');
    expect(any.results).toHaveLength(2);
    expect(any.statistics).toMatchObject({ recordsMatched: 2, recordsScanned: 2 });
    const plain = await runQuery('fields @message | limit 2');
    expect(plain.results).toHaveLength(2);
    expect(plain.statistics).toMatchObject({ recordsMatched: 4, recordsScanned: 4 });
  });

  it('runs the documented comment example and unmask', async () => {
    const out = await runQuery('fields @timestamp, @message # | filter accountId not like "7983124201998"\n| sort @timestamp desc # newest first\n| unmask\n| limit 2');
    expect(table(out.results).map((r) => r['@message'])).toEqual(['{"level":"WARN","latency":40,"path":"/d"}', 'ERROR POST /c 502 took=90']);
  });

  it('reports syntax errors as MalformedQueryException with the location', async () => {
    const err = await rejection(s.client.send(new StartQueryCommand({ logGroupName: '/q/web', startTime: sec(T), endTime: sec(T + 1000), queryString: 'fields @message | stats avg(x) by' })));
    expect(err.name).toBe('MalformedQueryException');
    expect(err.queryCompileError).toEqual({ location: { startCharOffset: expect.any(Number), endCharOffset: expect.any(Number) }, message: err.message });
    const dedup = await rejection(s.client.send(new StartQueryCommand({ logGroupName: '/q/web', startTime: sec(T), endTime: sec(T + 1000), queryString: 'dedup @logStream | sort @timestamp' })));
    expect([dedup.name, dedup.message]).toEqual(['MalformedQueryException', "Only the limit command can follow dedup, found 'sort'"]);
    expect(dedup.queryCompileError.location).toEqual({ startCharOffset: 19, endCharOffset: 23 });
  });

  it('takes the groups from SOURCE or from the parameters, never both', async () => {
    const both = await rejection(s.client.send(new StartQueryCommand({ logGroupNames: ['/q/web'], startTime: sec(T), endTime: sec(T + 1000), queryString: "SOURCE logGroups(namePrefix: ['/q/']) | fields @message" })));
    expect([both.name, both.message]).toEqual(['InvalidParameterException', 'Specify the log groups either with logGroupName, logGroupNames or logGroupIdentifiers or with a SOURCE command in the query, not both.']);
    const neither = await rejection(s.client.send(new StartQueryCommand({ startTime: sec(T), endTime: sec(T + 1000), queryString: 'fields @message' })));
    expect(neither.name).toBe('InvalidParameterException');
    const misplaced = await rejection(s.client.send(new StartQueryCommand({ startTime: sec(T), endTime: sec(T + 1000), queryString: "fields @message | SOURCE logGroups(namePrefix: ['/q/'])" })));
    expect([misplaced.name, misplaced.message]).toEqual(['MalformedQueryException', 'SOURCE must be the first command of the query']);
  });

  it('runs a SOURCE query over the groups it selects', async () => {
    const { queryId } = await s.client.send(new StartQueryCommand({
      startTime: sec(T), endTime: sec(T + 3_600_000),
      queryString: "SOURCE logGroups(namePrefix: ['/q/w', '/q/a']) | filter @message like /ERROR/ | stats count() as n by @log | sort n desc",
    }));
    let out: any;
    for (let i = 0; i < 200 && (!out || out.status === 'Scheduled' || out.status === 'Running'); i++) {
      if (out) await new Promise((r) => setTimeout(r, 10));
      out = await s.client.send(new GetQueryResultsCommand({ queryId }));
    }
    expect(out.status).toBe('Complete');
    const rows = table(out.results).map((r: Record<string, string>) => [r['@log'].replace(/^\d+:/, ''), r.n]);
    expect(rows).toEqual([['/q/web', '2'], ['/q/api', '1']]);
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
    const again = await rejection(s.client.send(new StopQueryCommand({ queryId })));
    expect([again.name, again.message]).toEqual(['InvalidParameterException', `The query ${queryId} is not running (its status is Cancelled).`]);
    const done = await runQuery('fields @message');
    expect(done.statuses.has('Complete')).toBe(true);
    const ended = await rejection(s.client.send(new StopQueryCommand({ queryId: done.queryId })));
    expect(ended.message).toMatch(/is not running \(its status is Complete\)/);
  });
});
