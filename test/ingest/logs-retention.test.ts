// Retention through the real SDK and a fake clock: the sweep drops whole daily indices past the cutoff
// and trims the day the cutoff falls in with a delete-by-query; the periodic timer does the same.

import { afterEach, describe, expect, it } from 'vitest';
import { CreateLogGroupCommand, CreateLogStreamCommand, GetLogEventsCommand, PutLogEventsCommand, PutRetentionPolicyCommand } from '@aws-sdk/client-cloudwatch-logs';
import { startLogsServer, type LogsServer } from './logs-harness.ts';

const H = 3_600_000;
const day = (d: number, h: number) => Date.UTC(2024, 0, d, h);
let s: LogsServer | undefined;
afterEach(async () => {
  await s?.close();
  s = undefined;
});

/** Three days of events for `/ret/app`, written while the fake clock moves along. */
async function threeDays(server: LogsServer, clock: { now: number }): Promise<void> {
  await server.client.send(new CreateLogGroupCommand({ logGroupName: '/ret/app' }));
  await server.client.send(new CreateLogStreamCommand({ logGroupName: '/ret/app', logStreamName: 's' }));
  for (const d of [8, 9, 10]) {
    clock.now = day(d, 14);
    const out: any = await server.client.send(new PutLogEventsCommand({ logGroupName: '/ret/app', logStreamName: 's', logEvents: [{ timestamp: day(d, 1), message: `jan ${d} 01h` }, { timestamp: day(d, 13), message: `jan ${d} 13h` }] }));
    expect(out.rejectedLogEventsInfo).toBeUndefined();
  }
}

async function state(server: LogsServer): Promise<{ indices: string[]; messages: string[] }> {
  const cat = await server.os('GET', '/_cat/indices/cwl-*?format=json&h=index');
  const got: any = await server.client.send(new GetLogEventsCommand({ logGroupName: '/ret/app', logStreamName: 's', startFromHead: true }));
  return { indices: cat.map((i: any) => i.index.slice(-10)).sort(), messages: got.events.map((e: any) => e.message) };
}

describe('retention', () => {
  it('drops whole expired days and trims the cutoff day', async () => {
    const clock = { now: 0 };
    s = await startLogsServer({ clock: () => clock.now });
    await threeDays(s, clock);
    expect(await state(s)).toEqual({ indices: ['2024.01.08', '2024.01.09', '2024.01.10'], messages: ['jan 8 01h', 'jan 8 13h', 'jan 9 01h', 'jan 9 13h', 'jan 10 01h', 'jan 10 13h'] });

    await s.client.send(new PutRetentionPolicyCommand({ logGroupName: '/ret/app', retentionInDays: 1 }));
    clock.now = day(10, 12); // cutoff: Jan 9, 12:00
    const swept = await s.node.logs.service.sweepRetention();
    expect(swept.deletedIndices.map((i) => i.slice(-10))).toEqual(['2024.01.08']);
    expect(swept.deletedEvents).toBe(1);
    expect(await state(s)).toEqual({ indices: ['2024.01.09', '2024.01.10'], messages: ['jan 9 13h', 'jan 10 01h', 'jan 10 13h'] });
    const docs = await s.os('POST', '/cwl-*/_search', { size: 0, query: { range: { '@timestamp': { lt: '2024-01-09T12:00:00Z' } } } });
    expect(docs.hits.total.value).toBe(0);

    // A second sweep at the same time finds nothing more.
    expect(await s.node.logs.service.sweepRetention()).toEqual({ deletedIndices: [], deletedEvents: 0 });
  });

  it('leaves groups without retention alone', async () => {
    const clock = { now: 0 };
    s = await startLogsServer({ clock: () => clock.now });
    await threeDays(s, clock);
    clock.now = day(40, 0);
    expect(await s.node.logs.service.sweepRetention()).toEqual({ deletedIndices: [], deletedEvents: 0 });
    expect((await state(s)).messages).toHaveLength(6);
  });

  it('sweeps on the configured interval', async () => {
    const clock = { now: 0 };
    s = await startLogsServer({ clock: () => clock.now, file: { logs: { retention_sweep_interval: '100ms' } } });
    await threeDays(s, clock);
    await s.client.send(new PutRetentionPolicyCommand({ logGroupName: '/ret/app', retentionInDays: 1 }));
    clock.now = day(12, 0); // cutoff Jan 11: everything has expired
    const deadline = Date.now() + 5000;
    while ((await s.os('GET', '/_cat/indices/cwl-*?format=json')).length > 0) {
      if (Date.now() > deadline) throw new Error('the sweep did not run');
      await new Promise((r) => setTimeout(r, 50));
    }
    expect((await state(s)).messages).toEqual([]);
  });
});
