// `npm run demo -- --once` against a real server: the simulated pipeline's metrics arrive over the
// Firehose endpoint, its logs over PutLogEvents and _bulk, and all of it is searchable.

import { execFile } from 'node:child_process';
import { rmSync } from 'node:fs';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { ROOT, call, startServer, type ServerProcess } from '../helpers/server-process.ts';

let server: ServerProcess | undefined;
afterAll(async () => {
  await server?.stop('SIGKILL');
  if (server) rmSync(server.dataDir, { recursive: true, force: true });
});

describe('npm run demo', () => {
  it('fills cwm-*, cwl-* and app logs through the real ingest endpoints', { timeout: 90_000 }, async () => {
    server = await startServer();
    const { stdout } = await promisify(execFile)(process.execPath, ['--import', 'tsx', 'scripts/demo.ts', '--url', server.url, '--once', '--backfill-minutes', '5'], { cwd: ROOT });
    expect(stdout).toMatch(/datapoints \(Firehose Metric Streams\)/);
    await call(server.url, 'POST', '/_refresh');
    const count = async (index: string, q: string) => (await call(server!.url, 'GET', `/${index}/_count?q=${encodeURIComponent(q)}`)).body.count;
    for (const ns of ['AWS/Kinesis', 'AWS/Firehose', 'AWS/Lambda', 'AWS/Glue', 'AWS/ElasticMapReduce', 'AWS/S3']) expect(await count('cwm-*', `namespace:"${ns}"`)).toBeGreaterThan(0);
    expect(await count('cwm-*', 'metricName:"GetRecords.IteratorAgeMilliseconds"')).toBe(2 * 6);
    expect(await count('cwl-*', 'logGroup:"/aws/lambda/orders-enricher"')).toBeGreaterThan(100);
    expect(await count('cwl-*', 'logGroup:"/aws-glue/jobs/output"')).toBeGreaterThan(10);
    expect(await count('app-logs-*', 'service:checkout')).toBeGreaterThan(10);
  });
});
