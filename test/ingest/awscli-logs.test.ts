// The Debian AWS CLI (`/usr/bin/aws`) against a listening server: `logs put-log-events` (JSON file
// input), `filter-log-events` with term and JSON patterns and the CLI's own pagination, and an error's
// exit code and message.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateLogGroupCommand, CreateLogStreamCommand } from '@aws-sdk/client-cloudwatch-logs';
import { awsCli, hasAwsCli } from '../helpers/aws-cli.ts';
import { startLogsServer, type LogsServer } from './logs-harness.ts';

let s: LogsServer;
let home: string;
const NOW = Date.now();

beforeAll(async () => {
  s = await startLogsServer();
  home = mkdtempSync(join(tmpdir(), 'lookout-awscli-'));
});
afterAll(async () => {
  await s?.close();
});

/** Runs the CLI against the server (a temporary HOME). */
const aws = (...args: string[]) => awsCli(s.url, home, args);

describe.skipIf(!hasAwsCli)('aws logs (CLI)', () => {
  it('creates a group and stream, puts events and filters them back', async () => {
    // Set-up through the SDK (each CLI run costs seconds of Python start-up); the CLI does the writes and reads.
    await s.client.send(new CreateLogGroupCommand({ logGroupName: '/cli/app' }));
    await s.client.send(new CreateLogStreamCommand({ logGroupName: '/cli/app', logStreamName: 'host-1' }));
    const file = join(home, 'events.json');
    const events = [
      { timestamp: NOW - 2000, message: 'INFO started' },
      { timestamp: NOW - 1000, message: 'ERROR disk full' },
      ...Array.from({ length: 30 }, (_, i) => ({ timestamp: NOW + i, message: JSON.stringify({ level: i % 3 === 0 ? 'error' : 'info', n: i }) })),
    ];
    writeFileSync(file, JSON.stringify(events));
    const put = await aws('logs', 'put-log-events', '--log-group-name', '/cli/app', '--log-stream-name', 'host-1', '--log-events', `file://${file}`);
    expect(put.code, put.stderr).toBe(0);
    expect(JSON.parse(put.stdout).nextSequenceToken).toMatch(/^\d{56}$/);
    await s.os('POST', '/cwl-*/_refresh');
    expect((await s.os('POST', '/cwl-*/_count', { query: { bool: { filter: [{ term: { logGroup: '/cli/app' } }, { term: { logStream: 'host-1' } }] } } })).count).toBe(32);

    const terms = await aws('logs', 'filter-log-events', '--log-group-name', '/cli/app', '--filter-pattern', 'ERROR disk');
    expect(terms.code, terms.stderr).toBe(0);
    const out = JSON.parse(terms.stdout);
    expect(out.events.map((e: any) => [e.logStreamName, e.timestamp, e.message])).toEqual([['host-1', NOW - 1000, 'ERROR disk full']]);

    // The CLI pages through nextToken by itself (--page-size sets each request's limit).
    const json = await aws('logs', 'filter-log-events', '--log-group-name', '/cli/app', '--filter-pattern', '{ $.level = "error" && $.n >= 3 }', '--page-size', '2');
    expect(json.code, json.stderr).toBe(0);
    expect(JSON.parse(json.stdout).events.map((e: any) => JSON.parse(e.message).n)).toEqual([3, 6, 9, 12, 15, 18, 21, 24, 27]);

  });

  it('exits non-zero with the service error', async () => {
    const res = await aws('logs', 'put-log-events', '--log-group-name', '/cli/none', '--log-stream-name', 's', '--log-events', `timestamp=${NOW},message=x`);
    expect(res.code).not.toBe(0);
    expect(res.stderr).toMatch(/ResourceNotFoundException.*The specified log group does not exist\./);
  });
});
