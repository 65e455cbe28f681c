// The request-id log is fsynced at the same time as a delivery's records, not after them, so a power
// loss could keep the log's line and lose the records (the translog's last writes still in the page
// cache). Simulated here: a real server is killed with SIGKILL right after acknowledging two deliveries,
// and one index's translog is cut back to nothing before the restart. The retry of that delivery must
// store its records again (its log entry's mark is beyond what the shard recovered), while the other
// delivery's retry is still re-acknowledged verbatim with nothing stored twice.

import { readdirSync, rmSync, truncateSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { call, startServer, tempDataDir, type ServerProcess } from '../helpers/server-process.ts';
import { delivery, expectFirehoseResponse, sendDelivery, storedCount } from './firehose-simulator.ts';

const dataDir = tempDataDir('lookout-firehose-power-');
let server: ServerProcess | undefined;
afterAll(async () => {
  await server?.stop('SIGKILL');
  rmSync(dataDir, { recursive: true, force: true });
});


/** Every translog file under a directory. */
function translogs(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' }).filter((f) => /translog-\d+\.tlog$/.test(f)).map((f) => join(dir, f));
}

describe('Firehose request ids across a simulated power loss', () => {
  it('stores again a delivery whose records the crash lost, though its request id was logged, and replays the one it kept', { timeout: 90_000 }, async () => {
    server = await startServer({ dataDir });
    const records = (tag: string) => Array.from({ length: 20 }, (_, i) => JSON.stringify({ i, tag }));
    const lost = delivery(records('lost'));
    const kept = delivery(records('kept'));
    expectFirehoseResponse(await sendDelivery(server.url, lost, { stream: 'lost' }), 200, lost.requestId);
    const keptFirst = await sendDelivery(server.url, kept, { stream: 'kept' });
    expectFirehoseResponse(keptFirst, 200, kept.requestId);
    const uuid = (await call(server.url, 'GET', '/lost/_settings')).body.lost.settings.index.uuid as string;
    await server.stop('SIGKILL');

    // The power loss: what the translog of `lost` held never reached the disk.
    const files = translogs(join(dataDir, 'indices', uuid));
    expect(files.length).toBeGreaterThan(0);
    for (const f of files) truncateSync(f, 0);

    server = await startServer({ dataDir });
    expect(await storedCount(server.url, 'lost')).toBe(0);
    expect(await storedCount(server.url, 'kept')).toBe(20);
    expectFirehoseResponse(await sendDelivery(server.url, lost, { stream: 'lost' }), 200, lost.requestId);
    expect(await storedCount(server.url, 'lost')).toBe(20);
    const keptAgain = await sendDelivery(server.url, kept, { stream: 'kept' });
    expect(keptAgain.body).toBe(keptFirst.body);
    expect(await storedCount(server.url, 'kept')).toBe(20);
  });
});
