// FilterLogEvents through the real SDK: filter patterns of every kind, stream selection, time ranges,
// pagination, ordering, errors — and, as a property, results equal a brute-force match over every
// stored event (which also checks that the engine pre-filter never drops a match).

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { CreateLogGroupCommand, CreateLogStreamCommand, FilterLogEventsCommand, PutLogEventsCommand } from '@aws-sdk/client-cloudwatch-logs';
import { rejection, startLogsServer, type LogsServer } from './logs-harness.ts';
import { parseFilterPattern } from '../../ingest/logs/filter-pattern.ts';
import { matchesPattern } from '../../ingest/logs/filter-pattern-match.ts';

let s: LogsServer;
const G = '/filter/app';
const T = Date.now() - 3_600_000;
const WORDS = ['ERROR', 'WARN', 'INFO', 'disk', 'Disk', 'full', 'timeout', 'user42', 'x-ray', 'café'];

interface Stored {
  stream: string;
  timestamp: number;
  message: string;
}
const stored: Stored[] = [];

function messageFor(i: number): string {
  if (i % 7 === 0) return JSON.stringify({ level: i % 2 ? 'error' : 'info', code: 400 + (i % 5) * 25, user: { id: `u${i % 4}` }, ok: i % 3 === 0 });
  if (i % 5 === 0) return `10.0.0.${i % 9} - u${i % 3} [28/Nov/2026:10:00:${String(i % 60).padStart(2, '0')} +0000] "GET /p${i % 4}.html HTTP/1.1" ${[200, 404, 500][i % 3]} ${i * 37}`;
  return [WORDS[i % WORDS.length], WORDS[(i * 3 + 1) % WORDS.length], `n=${i}`, WORDS[(i * 7 + 2) % WORDS.length].toLowerCase()].join(' ');
}

beforeAll(async () => {
  s = await startLogsServer();
  await s.client.send(new CreateLogGroupCommand({ logGroupName: G }));
  for (const stream of ['web-1', 'web-2', 'worker']) {
    await s.client.send(new CreateLogStreamCommand({ logGroupName: G, logStreamName: stream }));
  }
  // 3 streams × 2 batches × 50 events.
  let i = 0;
  for (let batch = 0; batch < 2; batch++) {
    for (const stream of ['web-1', 'web-2', 'worker']) {
      const logEvents = [];
      for (let k = 0; k < 50; k++, i++) logEvents.push({ timestamp: T + batch * 1000 + k * 10 + (stream === 'web-2' ? 1 : 0), message: messageFor(i) });
      await s.client.send(new PutLogEventsCommand({ logGroupName: G, logStreamName: stream, logEvents }));
      for (const e of logEvents) stored.push({ stream, ...e });
    }
  }
});
afterAll(async () => {
  await s?.close();
});

async function filterAll(input: Record<string, unknown>, pageLimit?: number): Promise<any[]> {
  const out: any[] = [];
  let nextToken: string | undefined;
  for (let pages = 0; pages < 1000; pages++) {
    const res: any = await s.client.send(new FilterLogEventsCommand({ logGroupName: G, ...input, limit: pageLimit, nextToken }));
    expect(res.searchedLogStreams).toEqual([]);
    out.push(...res.events);
    nextToken = res.nextToken;
    if (!nextToken) return out;
  }
  throw new Error('too many pages');
}

function expected(pattern: string, filter: (e: Stored) => boolean = () => true): string[] {
  const p = parseFilterPattern(pattern);
  return stored.filter((e) => filter(e) && matchesPattern(p, e.message)).map((e) => e.message).sort();
}

/** The messages of a result (sorted, to compare with `expected`), after checking it is in time order. */
function messages(events: any[]): string[] {
  for (let i = 1; i < events.length; i++) expect(events[i].timestamp).toBeGreaterThanOrEqual(events[i - 1].timestamp);
  return events.map((e) => e.message).sort();
}

describe('FilterLogEvents', () => {
  it('returns events with stream, timestamps and event ids, oldest first', async () => {
    const res: any = await s.client.send(new FilterLogEventsCommand({ logGroupName: G, filterPattern: '"n=1 "', limit: 5 }));
    expect(res.events).toEqual([{ logStreamName: 'web-1', timestamp: T + 10, message: messageFor(1), ingestionTime: expect.any(Number), eventId: expect.stringMatching(/^\d{56}$/) }]);
  });

  it.each([
    'ERROR',
    'ERROR disk',
    '?WARN ?timeout',
    'INFO -Disk',
    '"full n="',
    'café',
    'x-ray',
    '{ $.level = "error" }',
    '{ $.code >= 450 && $.user.id != u1 }',
    '{ $.ok IS TRUE || $.code = 400 }',
    '[ip, id, user, ts, request = *p1*, status = 404 || status = 500, bytes > 1000]',
    '[..., status = 2*, bytes]',
  ])('matches %s exactly as the definition says', async (pattern) => {
    const got = await filterAll({ filterPattern: pattern });
    expect(messages(got)).toEqual(expected(pattern));
    expect(got.length).toBeGreaterThan(0);
  });

  it('selects streams by name or prefix and times inclusively', async () => {
    const byName = await filterAll({ logStreamNames: ['web-2', 'worker'], filterPattern: 'ERROR' });
    expect(messages(byName)).toEqual(expected('ERROR', (e) => e.stream !== 'web-1'));
    const byPrefix = await filterAll({ logStreamNamePrefix: 'web-' });
    expect(byPrefix).toHaveLength(200);
    const ranged = await filterAll({ startTime: T + 10, endTime: T + 30 });
    expect(ranged.map((e) => e.timestamp)).toEqual([T + 10, T + 10, T + 11, T + 20, T + 20, T + 21, T + 30, T + 30]);
  });

  it('pages through every match with nextToken, and newest first with startFromHead false', async () => {
    const all = await filterAll({ filterPattern: 'ERROR' });
    const paged = await filterAll({ filterPattern: 'ERROR' }, 7);
    expect(paged.map((e) => e.eventId)).toEqual(all.map((e) => e.eventId));
    const desc = await filterAll({ filterPattern: 'ERROR', startFromHead: false }, 5);
    expect(desc.map((e) => e.eventId)).toEqual(all.map((e) => e.eventId).reverse());
    const one: any = await s.client.send(new FilterLogEventsCommand({ logGroupName: G, limit: 300 }));
    expect(one.events).toHaveLength(300);
    expect(one.nextToken).toBeUndefined();
  });

  it('reports bad input as InvalidParameterException and a missing group as ResourceNotFoundException', async () => {
    const both = await rejection(s.client.send(new FilterLogEventsCommand({ logGroupName: G, logStreamNames: ['a'], logStreamNamePrefix: 'a' })));
    expect([both.name, both.message]).toEqual(['InvalidParameterException', 'Parameters logStreamNames and logStreamNamePrefix are mutually exclusive.']);
    const bad = await rejection(s.client.send(new FilterLogEventsCommand({ logGroupName: G, filterPattern: '{ $.a = ' })));
    expect(bad.name).toBe('InvalidParameterException');
    expect(bad.message).toMatch(/Invalid filter pattern/);
    const token = await rejection(s.client.send(new FilterLogEventsCommand({ logGroupName: G, nextToken: 'garbage' })));
    expect(token.name).toBe('InvalidParameterException');
    const missing = await rejection(s.client.send(new FilterLogEventsCommand({ logGroupName: '/filter/none' })));
    expect([missing.name, missing.message]).toEqual(['ResourceNotFoundException', 'The specified log group does not exist.']);
  });

  it('matches ?term groups as AWS CDK anyTermGroup renders them: (ERROR and MainThread) or (WARN and Deadlock) (regression)', async () => {
    // Its own group, so the counts the other tests expect of G stay as they are.
    const group = '/filter/term-groups';
    await s.client.send(new CreateLogGroupCommand({ logGroupName: group }));
    await s.client.send(new CreateLogStreamCommand({ logGroupName: group, logStreamName: 'app' }));
    const lines = ['ERROR in MainThread', 'ERROR in worker-3', 'WARN Deadlock detected', 'WARN slow disk', 'MainThread Deadlock', 'svc=a ERROR in MainThread', 'svc=a WARN slow', 'svc=a WARN Deadlock retry'];
    await s.client.send(new PutLogEventsCommand({ logGroupName: group, logStreamName: 'app', logEvents: lines.map((message, k) => ({ timestamp: T + k, message })) }));
    const matching = async (filterPattern: string) => ((await s.client.send(new FilterLogEventsCommand({ logGroupName: group, filterPattern }))).events ?? []).map((e) => e.message);
    expect(await matching('?"ERROR" "MainThread" ?"WARN" "Deadlock"')).toEqual(['ERROR in MainThread', 'WARN Deadlock detected', 'svc=a ERROR in MainThread', 'svc=a WARN Deadlock retry']);
    // Terms before the first ? are required in every group; a -term excludes whichever group matched.
    expect(await matching('"svc=a" ?ERROR ?Deadlock')).toEqual(['svc=a ERROR in MainThread', 'svc=a WARN Deadlock retry']);
    expect(await matching('?ERROR MainThread ?WARN -retry Deadlock')).toEqual(['ERROR in MainThread', 'WARN Deadlock detected', 'svc=a ERROR in MainThread']);
    // Without ? every term is required; ?a ?b is a or b.
    expect(await matching('WARN Deadlock')).toEqual(['WARN Deadlock detected', 'svc=a WARN Deadlock retry']);
    expect(await matching('?worker ?slow')).toEqual(['ERROR in worker-3', 'WARN slow disk', 'svc=a WARN slow']);
  });

  it('orders events of one timestamp by ingestion time, across streams and pages (regression)', async () => {
    const group = '/filter/same-time';
    await s.client.send(new CreateLogGroupCommand({ logGroupName: group }));
    // Stream names that sort (and hash) in other orders than the order the events are ingested in.
    const streams = ['x1', 'y1', 'x2', 'a0'];
    for (const stream of streams) {
      await s.client.send(new CreateLogStreamCommand({ logGroupName: group, logStreamName: stream }));
      await s.client.send(new PutLogEventsCommand({ logGroupName: group, logStreamName: stream, logEvents: [{ timestamp: T, message: `${stream} first` }, { timestamp: T, message: `${stream} second` }] }));
      await new Promise((r) => setTimeout(r, 5)); // a later ingestion time for the next stream
    }
    const expected = streams.flatMap((x) => [`${x} first`, `${x} second`]);
    const all = await s.client.send(new FilterLogEventsCommand({ logGroupName: group }));
    expect(all.events?.map((e) => e.message)).toEqual(expected);
    const paged: string[] = [];
    let nextToken: string | undefined;
    do {
      const out = await s.client.send(new FilterLogEventsCommand({ logGroupName: group, limit: 3, nextToken }));
      paged.push(...(out.events ?? []).map((e) => e.message!));
      nextToken = out.nextToken;
    } while (nextToken && paged.length < 20);
    expect(paged).toEqual(expected);
  });

  it('equals a brute-force match for random term patterns (property)', async () => {
    const term = fc.record({ prefix: fc.constantFrom('', '', '?', '-'), word: fc.constantFrom(...WORDS, 'n=1', 'rror', 'ERR', 'u1', '"code":4') });
    await fc.assert(
      fc.asyncProperty(fc.array(term, { minLength: 1, maxLength: 3 }), async (terms) => {
        const pattern = terms.map((t) => `${t.prefix}"${t.word.replace(/"/g, '\\"')}"`).join(' ');
        const got = await filterAll({ filterPattern: pattern });
        expect(messages(got)).toEqual(expected(pattern));
      }),
      { numRuns: 40 },
    );
  });
});
