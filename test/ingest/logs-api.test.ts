// CloudWatch Logs through the real SDK against a listening server: groups, streams, PutLogEvents'
// rules, GetLogEvents tokens, retention policies, deletes, what lands in `cwl-*`, and restarts.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  CreateLogGroupCommand, CreateLogStreamCommand, DeleteLogGroupCommand, DeleteLogStreamCommand, DeleteRetentionPolicyCommand,
  DescribeLogGroupsCommand, DescribeLogStreamsCommand, FilterLogEventsCommand, GetLogEventsCommand, PutLogEventsCommand, PutRetentionPolicyCommand,
} from '@aws-sdk/client-cloudwatch-logs';
import { rejection, startLogsServer, type LogsServer } from './logs-harness.ts';

let s: LogsServer;
const NOW = Date.now();
const H = 3_600_000;

beforeAll(async () => {
  s = await startLogsServer();
});
afterAll(async () => {
  await s?.close();
});

const send = (cmd: any) => s.client.send(cmd) as Promise<any>;
async function groupWithStream(group: string, stream = 's1'): Promise<void> {
  await send(new CreateLogGroupCommand({ logGroupName: group }));
  await send(new CreateLogStreamCommand({ logGroupName: group, logStreamName: stream }));
}

describe('log groups', () => {
  it('creates, describes with arns and class, and refuses duplicates', async () => {
    await send(new CreateLogGroupCommand({ logGroupName: '/app/web', tags: { team: 'core' } }));
    const err = await rejection(send(new CreateLogGroupCommand({ logGroupName: '/app/web' })));
    expect([err.name, err.message]).toEqual(['ResourceAlreadyExistsException', 'The specified log group already exists']);
    const out = await send(new DescribeLogGroupsCommand({ logGroupNamePrefix: '/app/w' }));
    expect(out.logGroups).toEqual([
      {
        logGroupName: '/app/web',
        creationTime: expect.any(Number),
        metricFilterCount: 0,
        arn: 'arn:aws:logs:us-east-1:000000000000:log-group:/app/web:*',
        logGroupArn: 'arn:aws:logs:us-east-1:000000000000:log-group:/app/web',
        storedBytes: 0,
        logGroupClass: 'STANDARD',
      },
    ]);
    expect(Math.abs(out.logGroups[0].creationTime - Date.now())).toBeLessThan(60_000);
  });

  it('validates names', async () => {
    for (const name of ['bad name', 'a:b', 'x'.repeat(513), 'aws/lambda/x']) {
      const err = await rejection(send(new CreateLogGroupCommand({ logGroupName: name })));
      expect(err.name, name).toBe('InvalidParameterException');
    }
    const err = await rejection(send(new CreateLogGroupCommand({ logGroupName: 'bad name' })));
    expect(err.message).toBe("1 validation error detected: Value 'bad name' at 'logGroupName' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\.\\-_/#A-Za-z0-9]+");
    expect((await rejection(send(new CreateLogGroupCommand({ logGroupName: 'ok', logGroupClass: 'NOPE' as never })))).name).toBe('InvalidParameterException');
  });

  it('pages with limit and nextToken, filters by pattern, and refuses prefix with pattern', async () => {
    for (const n of ['pg/a', 'pg/b', 'pg/c', 'pg/d', 'pg/e']) await send(new CreateLogGroupCommand({ logGroupName: n }));
    const seen: string[] = [];
    let nextToken: string | undefined;
    do {
      const out = await send(new DescribeLogGroupsCommand({ logGroupNamePrefix: 'pg/', limit: 2, nextToken }));
      expect(out.logGroups.length).toBeLessThanOrEqual(2);
      seen.push(...out.logGroups.map((g: any) => g.logGroupName));
      nextToken = out.nextToken;
    } while (nextToken);
    expect(seen).toEqual(['pg/a', 'pg/b', 'pg/c', 'pg/d', 'pg/e']);
    expect((await send(new DescribeLogGroupsCommand({ logGroupNamePattern: 'g/c' }))).logGroups.map((g: any) => g.logGroupName)).toEqual(['pg/c']);
    const err = await rejection(send(new DescribeLogGroupsCommand({ logGroupNamePrefix: 'a', logGroupNamePattern: 'b' })));
    expect([err.name, err.message, err.$metadata.httpStatusCode]).toEqual(['InvalidParameterException', 'LogGroup name prefix and LogGroup name pattern are mutually exclusive parameters.', 400]);
    expect((await rejection(send(new DescribeLogGroupsCommand({ limit: 51 })))).name).toBe('InvalidParameterException');
  });

  it('matches logGroupNamePattern case-sensitively and then answers only arn, creationTime and logGroupName (regression)', async () => {
    // The example of AWS's DescribeLogGroupsRequest documentation, under a prefix of this test's own.
    for (const n of ['pat/DataLogs', 'pat/aws/DataLogs', 'pat/GroupDataLogs', 'pat/datalogs', 'pat/Data/log/s', 'pat/Groupdata']) await send(new CreateLogGroupCommand({ logGroupName: n }));
    await send(new PutRetentionPolicyCommand({ logGroupName: 'pat/DataLogs', retentionInDays: 7 }));
    const out = await send(new DescribeLogGroupsCommand({ logGroupNamePattern: 'DataLogs' }));
    expect(out.logGroups).toEqual(
      ['pat/DataLogs', 'pat/GroupDataLogs', 'pat/aws/DataLogs'].map((name) => ({ logGroupName: name, creationTime: expect.any(Number), arn: `arn:aws:logs:us-east-1:000000000000:log-group:${name}:*` })),
    );
    expect((await send(new DescribeLogGroupsCommand({ logGroupNamePattern: 'datalogs' }))).logGroups.map((g: any) => g.logGroupName)).toEqual(['pat/datalogs']);
    // Without a pattern the full description (retention included) comes back as before.
    expect((await send(new DescribeLogGroupsCommand({ logGroupNamePrefix: 'pat/DataLogs' }))).logGroups[0]).toMatchObject({ retentionInDays: 7, logGroupClass: 'STANDARD', storedBytes: 0 });
  });

  it('selects groups by logGroupIdentifiers (names or ARNs) and refuses any filter beside it but includeLinkedAccounts (regression)', async () => {
    for (const n of ['ids/a', 'ids/b', 'ids/c']) await send(new CreateLogGroupCommand({ logGroupName: n }));
    const arnB = 'arn:aws:logs:us-east-1:000000000000:log-group:ids/b';
    const names = async (input: Record<string, unknown>) => (await send(new DescribeLogGroupsCommand(input))).logGroups.map((g: any) => g.logGroupName);
    expect(await names({ logGroupIdentifiers: ['ids/c', arnB] })).toEqual(['ids/b', 'ids/c']);
    expect(await names({ logGroupIdentifiers: ['ids/a'], includeLinkedAccounts: false })).toEqual(['ids/a']);
    const refused: [Record<string, unknown>, string][] = [
      [{ logGroupNamePrefix: 'ids/' }, 'logGroupNamePrefix'],
      [{ logGroupNamePattern: 'ids' }, 'logGroupNamePattern'],
      [{ logGroupClass: 'STANDARD' }, 'logGroupClass'],
    ];
    for (const [extra, member] of refused) {
      const err = await rejection(send(new DescribeLogGroupsCommand({ logGroupIdentifiers: ['ids/a'], ...extra })));
      expect([err.name, err.message, err.$metadata.httpStatusCode, err.$fault], member).toEqual([
        'InvalidParameterException',
        `logGroupIdentifiers cannot be combined with ${member}; the only other filter allowed with logGroupIdentifiers is includeLinkedAccounts.`,
        400,
        'client',
      ]);
    }
  });

  it('sets and deletes retention with valid day values only', async () => {
    await send(new CreateLogGroupCommand({ logGroupName: 'ret/x' }));
    const err = await rejection(send(new PutRetentionPolicyCommand({ logGroupName: 'ret/x', retentionInDays: 2 })));
    expect(err.name).toBe('InvalidParameterException');
    expect(err.message).toMatch(/retentionInDays.*enum value set: \[1, 3, 5, 7, 14/);
    await send(new PutRetentionPolicyCommand({ logGroupName: 'ret/x', retentionInDays: 14 }));
    expect((await send(new DescribeLogGroupsCommand({ logGroupNamePrefix: 'ret/x' }))).logGroups[0].retentionInDays).toBe(14);
    await send(new DeleteRetentionPolicyCommand({ logGroupName: 'ret/x' }));
    expect((await send(new DescribeLogGroupsCommand({ logGroupNamePrefix: 'ret/x' }))).logGroups[0].retentionInDays).toBeUndefined();
    const missing = await rejection(send(new PutRetentionPolicyCommand({ logGroupName: 'ret/none', retentionInDays: 1 })));
    expect([missing.name, missing.message]).toEqual(['ResourceNotFoundException', 'The specified log group does not exist.']);
  });
});

describe('log streams', () => {
  it('needs an existing group, refuses duplicates and bad names', async () => {
    const err = await rejection(send(new CreateLogStreamCommand({ logGroupName: '/none', logStreamName: 's' })));
    expect([err.name, err.message]).toEqual(['ResourceNotFoundException', 'The specified log group does not exist.']);
    await groupWithStream('st/a');
    const dup = await rejection(send(new CreateLogStreamCommand({ logGroupName: 'st/a', logStreamName: 's1' })));
    expect([dup.name, dup.message]).toEqual(['ResourceAlreadyExistsException', 'The specified log stream already exists']);
    expect((await rejection(send(new CreateLogStreamCommand({ logGroupName: 'st/a', logStreamName: 'a:b' })))).name).toBe('InvalidParameterException');
    expect((await rejection(send(new CreateLogStreamCommand({ logGroupName: 'st/a', logStreamName: 'a*' })))).name).toBe('InvalidParameterException');
  });

  it('orders by name or last event time, pages, and refuses LastEventTime with a prefix', async () => {
    await send(new CreateLogGroupCommand({ logGroupName: 'st/order' }));
    for (const [name, offset] of [['b', 3], ['a', 1], ['c', 2]] as const) {
      await send(new CreateLogStreamCommand({ logGroupName: 'st/order', logStreamName: name }));
      await send(new PutLogEventsCommand({ logGroupName: 'st/order', logStreamName: name, logEvents: [{ timestamp: NOW - 10_000 + offset, message: name }] }));
    }
    const byName = await send(new DescribeLogStreamsCommand({ logGroupName: 'st/order' }));
    expect(byName.logStreams.map((x: any) => x.logStreamName)).toEqual(['a', 'b', 'c']);
    const byTime = await send(new DescribeLogStreamsCommand({ logGroupName: 'st/order', orderBy: 'LastEventTime', descending: true }));
    expect(byTime.logStreams.map((x: any) => x.logStreamName)).toEqual(['b', 'c', 'a']);
    expect(byTime.logStreams[0]).toEqual({
      logStreamName: 'b',
      creationTime: expect.any(Number),
      firstEventTimestamp: NOW - 10_000 + 3,
      lastEventTimestamp: NOW - 10_000 + 3,
      lastIngestionTime: expect.any(Number),
      uploadSequenceToken: expect.stringMatching(/^\d{56}$/),
      arn: 'arn:aws:logs:us-east-1:000000000000:log-group:st/order:log-stream:b',
      storedBytes: 0,
    });
    const page1 = await send(new DescribeLogStreamsCommand({ logGroupName: 'st/order', limit: 2 }));
    const page2 = await send(new DescribeLogStreamsCommand({ logGroupName: 'st/order', limit: 2, nextToken: page1.nextToken }));
    expect([...page1.logStreams, ...page2.logStreams].map((x: any) => x.logStreamName)).toEqual(['a', 'b', 'c']);
    expect(page2.nextToken).toBeUndefined();
    const err = await rejection(send(new DescribeLogStreamsCommand({ logGroupName: 'st/order', orderBy: 'LastEventTime', logStreamNamePrefix: 'a' })));
    expect([err.name, err.message]).toEqual(['InvalidParameterException', 'Cannot order by LastEventTime with a logStreamNamePrefix.']);
    expect((await send(new DescribeLogStreamsCommand({ logGroupIdentifier: 'arn:aws:logs:us-east-1:000000000000:log-group:st/order:*', logStreamNamePrefix: 'c' }))).logStreams).toHaveLength(1);
    const both = await rejection(send(new DescribeLogStreamsCommand({ logGroupName: 'st/order', logGroupIdentifier: 'st/order' })));
    expect(both.name).toBe('InvalidParameterException');
  });

  it('pages on after the items of the last page were deleted (a cleanup loop sees every group and stream)', async () => {
    const groups = Array.from({ length: 7 }, (_, i) => `/pg/del/g${i}`);
    for (const g of groups) await send(new CreateLogGroupCommand({ logGroupName: g }));
    const seen: string[] = [];
    let token: string | undefined;
    do {
      const out = await send(new DescribeLogGroupsCommand({ logGroupNamePrefix: '/pg/del/', limit: 3, nextToken: token }));
      for (const g of out.logGroups) {
        seen.push(g.logGroupName);
        await send(new DeleteLogGroupCommand({ logGroupName: g.logGroupName }));
      }
      token = out.nextToken;
    } while (token && seen.length < 20);
    expect(seen).toEqual(groups);
    await send(new CreateLogGroupCommand({ logGroupName: 'st/del' }));
    for (const [name, offset] of [['s0', 5], ['s1', 1], ['s2', 4], ['s3', 2], ['s4', 3]] as const) {
      await send(new CreateLogStreamCommand({ logGroupName: 'st/del', logStreamName: name }));
      await send(new PutLogEventsCommand({ logGroupName: 'st/del', logStreamName: name, logEvents: [{ timestamp: NOW - 10_000 + offset, message: name }] }));
    }
    // Newest event first; the first page is deleted before the second is asked for.
    const p1 = await send(new DescribeLogStreamsCommand({ logGroupName: 'st/del', orderBy: 'LastEventTime', descending: true, limit: 2 }));
    expect(p1.logStreams.map((x: any) => x.logStreamName)).toEqual(['s0', 's2']);
    for (const x of p1.logStreams) await send(new DeleteLogStreamCommand({ logGroupName: 'st/del', logStreamName: x.logStreamName }));
    const p2 = await send(new DescribeLogStreamsCommand({ logGroupName: 'st/del', orderBy: 'LastEventTime', descending: true, limit: 2, nextToken: p1.nextToken }));
    expect(p2.logStreams.map((x: any) => x.logStreamName)).toEqual(['s4', 's3']);
    expect((await rejection(send(new DescribeLogGroupsCommand({ nextToken: 'bm9wZQ' })))).name).toBe('InvalidParameterException');
  });
});

describe('PutLogEvents', () => {
  it('stores events as cwl-* documents with the documented fields', async () => {
    await groupWithStream('/put/docs', 'i-123');
    const out = await send(new PutLogEventsCommand({ logGroupName: '/put/docs', logStreamName: 'i-123', logEvents: [{ timestamp: NOW - 1, message: 'hello' }, { timestamp: NOW, message: 'ERROR boom' }] }));
    expect(out.nextSequenceToken).toMatch(/^\d{56}$/);
    expect(out.rejectedLogEventsInfo).toBeUndefined();
    await s.os('POST', '/cwl-*/_refresh');
    const res = await s.os('POST', '/cwl-*/_search', { query: { term: { logGroup: '/put/docs' } }, sort: [{ '@timestamp': 'asc' }] });
    expect(res.hits.hits.map((h: any) => h._source)).toEqual([
      { '@timestamp': new Date(NOW - 1).toISOString(), message: 'hello', logGroup: '/put/docs', logStream: 'i-123', eventId: res.hits.hits[0]._id, ingestionTime: expect.any(String) },
      { '@timestamp': new Date(NOW).toISOString(), message: 'ERROR boom', logGroup: '/put/docs', logStream: 'i-123', eventId: res.hits.hits[1]._id, ingestionTime: expect.any(String) },
    ]);
    expect(res.hits.hits[0]._index).toMatch(/^cwl-put_docs-[0-9a-f]{8}-\d{4}\.\d{2}\.\d{2}$/);
    // The message is full-text searchable, the names are keywords.
    const m = await s.os('POST', '/cwl-*/_search', { query: { bool: { filter: [{ match: { message: 'boom' } }, { term: { logStream: 'i-123' } }] } } });
    expect(m.hits.total.value).toBe(1);
    const mapping = await s.os('GET', `/${res.hits.hits[0]._index}/_mapping`);
    expect(mapping[res.hits.hits[0]._index].mappings.properties).toMatchObject({ '@timestamp': { type: 'date' }, logGroup: { type: 'keyword' }, eventId: { type: 'keyword' }, ingestionTime: { type: 'date' } });
  });

  it('overwrites a retried batch instead of duplicating it', async () => {
    await groupWithStream('/put/retry');
    const batch = { logGroupName: '/put/retry', logStreamName: 's1', logEvents: [{ timestamp: NOW - 5, message: 'same' }, { timestamp: NOW - 5, message: 'same' }, { timestamp: NOW, message: 'other' }] };
    await send(new PutLogEventsCommand(batch));
    await send(new PutLogEventsCommand(batch));
    await s.os('POST', '/cwl-*/_refresh');
    const count = async () => (await s.os('POST', '/cwl-*/_count', { query: { term: { logGroup: '/put/retry' } } })).count;
    expect(await count()).toBe(3); // two identical events inside one batch are two events
    await send(new PutLogEventsCommand({ ...batch, logEvents: [{ timestamp: NOW - 5, message: 'same' }] }));
    await s.os('POST', '/cwl-*/_refresh');
    expect(await count()).toBe(4);
  });

  it('needs the group and the stream; never auto-creates streams', async () => {
    const e1 = await rejection(send(new PutLogEventsCommand({ logGroupName: '/none', logStreamName: 's', logEvents: [{ timestamp: NOW, message: 'x' }] })));
    expect([e1.name, e1.message]).toEqual(['ResourceNotFoundException', 'The specified log group does not exist.']);
    await send(new CreateLogGroupCommand({ logGroupName: '/put/nostream' }));
    const e2 = await rejection(send(new PutLogEventsCommand({ logGroupName: '/put/nostream', logStreamName: 's', logEvents: [{ timestamp: NOW, message: 'x' }] })));
    expect([e2.name, e2.message]).toEqual(['ResourceNotFoundException', 'The specified log stream does not exist.']);
    expect((await send(new DescribeLogStreamsCommand({ logGroupName: '/put/nostream' }))).logStreams).toEqual([]);
  });

  it('fails whole batches that are out of order, too large, too many or span over 24 hours', async () => {
    await groupWithStream('/put/rules');
    const put = (logEvents: { timestamp: number; message: string }[]) => send(new PutLogEventsCommand({ logGroupName: '/put/rules', logStreamName: 's1', logEvents }));
    const order = await rejection(put([{ timestamp: NOW, message: 'b' }, { timestamp: NOW - 1, message: 'a' }]));
    expect([order.name, order.message]).toEqual(['InvalidParameterException', 'Log events in a single PutLogEvents request must be in chronological order.']);
    const span = await rejection(put([{ timestamp: NOW - 25 * H, message: 'a' }, { timestamp: NOW, message: 'b' }]));
    expect([span.name, span.message]).toEqual(['InvalidParameterException', 'The batch of log events in a single PutLogEvents request cannot span more than 24 hours.']);
    const big = await rejection(put([{ timestamp: NOW, message: 'x'.repeat(1_048_576) }]));
    expect([big.name, big.message]).toEqual(['InvalidParameterException', 'Upload too large: 1048602 bytes exceeds limit of 1048576']);
    const many = await rejection(put(Array.from({ length: 10_001 }, () => ({ timestamp: NOW, message: 'x' }))));
    expect(many.name).toBe('InvalidParameterException');
    const empty = await rejection(put([]));
    expect(empty.name).toBe('InvalidParameterException');
    await s.os('POST', '/cwl-*/_refresh');
    expect((await s.os('POST', '/cwl-*/_count', { query: { term: { logGroup: '/put/rules' } } })).count).toBe(0);
  });

  it('reports too old, too new and expired events in rejectedLogEventsInfo and stores the rest', async () => {
    await groupWithStream('/put/rejects');
    const out = await send(
      new PutLogEventsCommand({
        logGroupName: '/put/rejects',
        logStreamName: 's1',
        sequenceToken: 'ignored-garbage',
        logEvents: [
          { timestamp: NOW - 20 * 24 * H, message: 'too old' },
          { timestamp: NOW - H, message: 'ok 1' },
          { timestamp: NOW, message: 'ok 2' },
          { timestamp: NOW + 3 * H, message: 'too new' },
        ],
      }),
    );
    expect(out.rejectedLogEventsInfo).toEqual({ tooOldLogEventEndIndex: 1, tooNewLogEventStartIndex: 3 });
    const got = await send(new GetLogEventsCommand({ logGroupName: '/put/rejects', logStreamName: 's1', startFromHead: true }));
    expect(got.events.map((e: any) => e.message)).toEqual(['ok 1', 'ok 2']);

    await send(new PutRetentionPolicyCommand({ logGroupName: '/put/rejects', retentionInDays: 1 }));
    const expired = await send(new PutLogEventsCommand({ logGroupName: '/put/rejects', logStreamName: 's1', logEvents: [{ timestamp: NOW - 2 * 24 * H, message: 'expired' }, { timestamp: NOW - 1000, message: 'fine' }] }));
    expect(expired.rejectedLogEventsInfo).toEqual({ expiredLogEventEndIndex: 1 });
    const all = await send(new PutLogEventsCommand({ logGroupName: '/put/rejects', logStreamName: 's1', logEvents: [{ timestamp: NOW + 5 * H, message: 'future' }] }));
    expect(all.rejectedLogEventsInfo).toEqual({ tooNewLogEventStartIndex: 0 });
  });
});

describe('GetLogEvents', () => {
  const group = '/get/tokens';
  const msgs = Array.from({ length: 25 }, (_, i) => `event ${String(i).padStart(2, '0')}`);

  beforeAll(async () => {
    await groupWithStream(group);
    // Two batches, several events per millisecond: the order is (timestamp, batch, position).
    await send(new PutLogEventsCommand({ logGroupName: group, logStreamName: 's1', logEvents: msgs.slice(0, 15).map((m, i) => ({ timestamp: NOW - 60_000 + Math.floor(i / 3), message: m })) }));
    await send(new PutLogEventsCommand({ logGroupName: group, logStreamName: 's1', logEvents: msgs.slice(15).map((m, i) => ({ timestamp: NOW - 60_000 + 5 + i, message: m })) }));
  });

  const get = (input: Record<string, unknown>) => send(new GetLogEventsCommand({ logGroupName: group, logStreamName: 's1', ...input }));

  it('reads forward from the head until the token comes back unchanged', async () => {
    const seen: string[] = [];
    let token: string | undefined;
    for (let i = 0; i < 10; i++) {
      const out = await get({ startFromHead: true, limit: 10, nextToken: token });
      seen.push(...out.events.map((e: any) => e.message));
      if (out.nextForwardToken === token) break;
      token = out.nextForwardToken;
    }
    expect(seen).toEqual(msgs);
  });

  it('starts from the tail by default and walks backward', async () => {
    const last = await get({ limit: 10 });
    expect(last.events.map((e: any) => e.message)).toEqual(msgs.slice(15));
    expect(last.events[0]).toEqual({ timestamp: NOW - 60_000 + 5, message: 'event 15', ingestionTime: expect.any(Number) });
    const before = await get({ limit: 10, nextToken: last.nextBackwardToken });
    expect(before.events.map((e: any) => e.message)).toEqual(msgs.slice(5, 15));
    const first = await get({ limit: 10, nextToken: before.nextBackwardToken });
    expect(first.events.map((e: any) => e.message)).toEqual(msgs.slice(0, 5));
    const end = await get({ limit: 10, nextToken: first.nextBackwardToken });
    expect(end.events).toEqual([]);
    expect(end.nextBackwardToken).toBe(first.nextBackwardToken);
    // Forward from a backward page continues after it.
    const fwd = await get({ limit: 3, nextToken: before.nextForwardToken });
    expect(fwd.events.map((e: any) => e.message)).toEqual(msgs.slice(15, 18));
  });

  it('limits to [startTime, endTime) and checks its input', async () => {
    const out = await get({ startFromHead: true, startTime: NOW - 60_000 + 1, endTime: NOW - 60_000 + 3 });
    expect(out.events.map((e: any) => e.message)).toEqual(msgs.slice(3, 9));
    expect((await rejection(get({ nextToken: 'nonsense' }))).name).toBe('InvalidParameterException');
    expect((await rejection(get({ limit: 10_001 }))).name).toBe('InvalidParameterException');
    const negative = await rejection(get({ startTime: -5 }));
    expect([negative.name, negative.message]).toEqual(['InvalidParameterException', "1 validation error detected: Value '-5' at 'startTime' failed to satisfy constraint: Member must have value greater than or equal to 0"]);
    const e = await rejection(send(new GetLogEventsCommand({ logGroupName: group, logStreamName: 'nope' })));
    expect([e.name, e.message]).toEqual(['ResourceNotFoundException', 'The specified log stream does not exist.']);
    const byArn = await send(new GetLogEventsCommand({ logGroupIdentifier: `arn:aws:logs:us-east-1:000000000000:log-group:${group}`, logStreamName: 's1', limit: 1 }));
    expect(byArn.events.map((x: any) => x.message)).toEqual(['event 24']);
  });
});

describe('1 MB pages of multi-byte messages', () => {
  it('count UTF-8 bytes (+ 26 per event) in GetLogEvents and FilterLogEvents pages, and page through every event once', async () => {
    await groupWithStream('/mb/euro');
    const msg = (i: number) => `${i} ${'€'.repeat(10_000)}`; // ~30,000 UTF-8 bytes, 10,002 UTF-16 units
    for (let b = 0; b < 3; b++) {
      await send(new PutLogEventsCommand({ logGroupName: '/mb/euro', logStreamName: 's1', logEvents: Array.from({ length: 33 }, (_, k) => ({ timestamp: NOW - 5_000 + b * 33 + k, message: msg(b * 33 + k) })) }));
    }
    const bytes = (events: any[]) => events.reduce((n, e) => n + Buffer.byteLength(e.message) + 26, 0);
    const got = await send(new GetLogEventsCommand({ logGroupName: '/mb/euro', logStreamName: 's1', startFromHead: true }));
    expect(got.events.length).toBeGreaterThan(0);
    expect(got.events.length).toBeLessThan(99);
    expect(bytes(got.events)).toBeLessThanOrEqual(1_048_576);
    const pages: any[][] = [];
    let token: string | undefined;
    do {
      const out = await send(new FilterLogEventsCommand({ logGroupName: '/mb/euro', nextToken: token }));
      pages.push(out.events);
      token = out.nextToken;
    } while (token && pages.length < 10);
    for (const p of pages) expect(bytes(p)).toBeLessThanOrEqual(1_048_576);
    expect(pages.length).toBeGreaterThan(1);
    expect(pages.flat().map((e) => Number(e.message.split(' ')[0]))).toEqual(Array.from({ length: 99 }, (_, i) => i));
  });
});

describe('deletes', () => {
  it('deletes a stream with its events, and a group with its indices', async () => {
    await groupWithStream('/del/x', 'keep');
    await send(new CreateLogStreamCommand({ logGroupName: '/del/x', logStreamName: 'drop' }));
    for (const st of ['keep', 'drop']) await send(new PutLogEventsCommand({ logGroupName: '/del/x', logStreamName: st, logEvents: [{ timestamp: NOW, message: st }] }));
    await send(new DeleteLogStreamCommand({ logGroupName: '/del/x', logStreamName: 'drop' }));
    await s.os('POST', '/cwl-*/_refresh');
    const left = await s.os('POST', '/cwl-*/_search', { query: { term: { logGroup: '/del/x' } } });
    expect(left.hits.hits.map((h: any) => h._source.message)).toEqual(['keep']);
    const again = await rejection(send(new DeleteLogStreamCommand({ logGroupName: '/del/x', logStreamName: 'drop' })));
    expect(again.name).toBe('ResourceNotFoundException');
    await send(new DeleteLogGroupCommand({ logGroupName: '/del/x' }));
    const indices = await s.os('GET', '/_cat/indices/cwl-del_x-*?format=json');
    expect(indices).toEqual([]);
    expect((await rejection(send(new DeleteLogGroupCommand({ logGroupName: '/del/x' })))).name).toBe('ResourceNotFoundException');
    expect((await send(new DescribeLogGroupsCommand({ logGroupNamePrefix: '/del/' }))).logGroups).toEqual([]);
  });
});

describe('restart', () => {
  it('keeps groups, streams, retention, timestamps, sequence tokens and events', async () => {
    const dataDir = s.dataDir;
    await groupWithStream('/restart/x');
    await send(new PutRetentionPolicyCommand({ logGroupName: '/restart/x', retentionInDays: 30 }));
    await send(new PutLogEventsCommand({ logGroupName: '/restart/x', logStreamName: 's1', logEvents: [{ timestamp: NOW - 2, message: 'before restart' }] }));
    const groups = await send(new DescribeLogGroupsCommand({ logGroupNamePrefix: '/restart/' }));
    const streams = await send(new DescribeLogStreamsCommand({ logGroupName: '/restart/x' }));
    await s.close();
    s = await startLogsServer({ dataDir });
    const groups2 = await send(new DescribeLogGroupsCommand({ logGroupNamePrefix: '/restart/' }));
    expect({ ...groups2.logGroups[0], storedBytes: 0 }).toEqual({ ...groups.logGroups[0], storedBytes: 0 });
    expect(groups2.logGroups[0].retentionInDays).toBe(30);
    expect((await send(new DescribeLogStreamsCommand({ logGroupName: '/restart/x' }))).logStreams).toEqual(streams.logStreams);
    const next = await send(new PutLogEventsCommand({ logGroupName: '/restart/x', logStreamName: 's1', logEvents: [{ timestamp: NOW - 1, message: 'after restart' }] }));
    expect(BigInt(next.nextSequenceToken)).toBe(BigInt(streams.logStreams[0].uploadSequenceToken) + 1n);
    const got = await send(new GetLogEventsCommand({ logGroupName: '/restart/x', logStreamName: 's1', startFromHead: true }));
    expect(got.events.map((e: any) => e.message)).toEqual(['before restart', 'after restart']);
  });
});

describe('bad input', () => {
  it('answers every malformed call with a 400 AWS error, never a 500', async () => {
    await groupWithStream('/bad/x');
    const raw = async (op: string, body: unknown) => {
      const r = await fetch(s.url + '/', { method: 'POST', headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': `Logs_20140328.${op}` }, body: JSON.stringify(body) });
      return { status: r.status, body: (await r.json()) as { __type: string; message: string } };
    };
    const g = { logGroupName: '/bad/x' };
    const cases: [string, unknown][] = [
      ['CreateLogGroup', {}],
      ['CreateLogGroup', { logGroupName: 5 }],
      ['CreateLogGroup', { logGroupName: 'ok-x', tags: ['a'] }],
      ['CreateLogStream', { ...g, logStreamName: null }],
      ['PutLogEvents', { ...g, logStreamName: 's1' }],
      ['PutLogEvents', { ...g, logStreamName: 's1', logEvents: 'x' }],
      ['PutLogEvents', { ...g, logStreamName: 's1', logEvents: [null] }],
      ['PutLogEvents', { ...g, logStreamName: 's1', logEvents: [{ timestamp: 'now', message: 'x' }] }],
      ['PutLogEvents', { ...g, logStreamName: 's1', logEvents: [{ timestamp: 1.5, message: 'x' }] }],
      ['PutLogEvents', { ...g, logStreamName: 's1', logEvents: [{ timestamp: Date.now(), message: { a: 1 } }] }],
      ['GetLogEvents', { ...g, logStreamName: 's1', startTime: 'yesterday' }],
      ['GetLogEvents', { ...g, logStreamName: 's1', limit: 0 }],
      ['GetLogEvents', { logStreamName: 's1' }],
      ['FilterLogEvents', { ...g, logStreamNames: [1, 2] }],
      ['FilterLogEvents', { ...g, logStreamNames: 'web' }],
      ['FilterLogEvents', { ...g, filterPattern: '[a, b = ]' }],
      ['FilterLogEvents', { ...g, filterPattern: 7 }],
      ['DescribeLogStreams', { ...g, orderBy: 'Size' }],
      ['DescribeLogGroups', { nextToken: '!!' }],
      ['DescribeLogGroups', { logGroupIdentifiers: ['/bad/x'], logGroupNamePrefix: '/bad' }],
      ['DescribeLogGroups', { logGroupNamePrefix: '/bad', logGroupNamePattern: 'bad' }],
      ['PutRetentionPolicy', { ...g, retentionInDays: '7' }],
      ['StartQuery', { ...g, startTime: 1, endTime: 2, queryString: 'filter @message like /(/' }],
      ['StartQuery', { ...g, startTime: 1, endTime: 2 }],
      ['StartQuery', { ...g, startTime: 1, endTime: 2, queryString: 'fields x', limit: 10_001 }],
      ['StartQuery', { logGroupNames: [], startTime: 1, endTime: 2, queryString: 'fields x' }],
      ['GetQueryResults', {}],
      ['StopQuery', { queryId: 'nope' }],
    ];
    for (const [op, body] of cases) {
      const res = await raw(op, body);
      expect(res.status, `${op} ${JSON.stringify(body)}: ${JSON.stringify(res.body)}`).toBe(400);
      expect(res.body.__type, op).toMatch(/^(InvalidParameterException|ResourceNotFoundException|MalformedQueryException)$/);
      expect(res.body.message.length).toBeGreaterThan(0);
    }
  });
});
