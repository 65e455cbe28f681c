// Firehose retries after Lookout dies: a real server process is killed with SIGKILL in the middle of a
// delivery, restarted on the same data dir, and the retry of the same request id must store every
// record exactly once; a delivery acknowledged before the crash must be re-acknowledged verbatim.

import { rmSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { startServer, tempDataDir, type ServerProcess } from '../helpers/server-process.ts';
import { delivery, expectFirehoseResponse, sendDelivery, storedCount } from './firehose-simulator.ts';

const dataDir = tempDataDir('lookout-firehose-crash-');
let server: ServerProcess | undefined;
afterAll(async () => {
  await server?.stop('SIGKILL');
  rmSync(dataDir, { recursive: true, force: true });
});


describe('Firehose delivery across kill -9', () => {
  it('re-acknowledges a delivered request id verbatim and stores an interrupted one exactly once', { timeout: 90_000 }, async () => {
    server = await startServer({ dataDir });
    const acked = delivery(Array.from({ length: 50 }, (_, i) => JSON.stringify({ i, acked: true })));
    const first = await sendDelivery(server.url, acked, { stream: 'crash' });
    expectFirehoseResponse(first, 200, acked.requestId);

    // Big enough that the server is busy for a while; time a full delivery of the same size first, then
    // kill at fractions of that time until a kill lands after some records reached the translog (but
    // before the 200): the retry must then overwrite them, not add to them. Each attempt is a new
    // delivery (an attempt that completed would make later ones replays).
    const records = (tag: string) => Array.from({ length: 10_000 }, (_, i) => JSON.stringify({ i, tag, msg: `record ${i} `.padEnd(300, 'x') }));
    const warm = delivery(records('warm'));
    const t0 = performance.now();
    expectFirehoseResponse(await sendDelivery(server.url, warm, { stream: 'warm', gzip: true }), 200, warm.requestId);
    const fullMs = performance.now() - t0;
    const outcomes: { delayMs: number; interrupted: boolean; stored: number }[] = [];
    let chosen: { d: ReturnType<typeof delivery>; stream: string } | undefined;
    for (const [k, fraction] of [0.5, 0.75, 0.9, 0.3, 0.97, 0.15].entries()) {
      const d = delivery(records(`try-${k}`));
      const stream = `crash-${k}`;
      const inFlight = sendDelivery(server.url, d, { stream, gzip: true }).then(() => false, () => true);
      await new Promise((r) => setTimeout(r, fullMs * fraction));
      await server.stop('SIGKILL');
      const interrupted = await inFlight;
      server = await startServer({ dataDir });
      const stored = await storedCount(server.url, stream);
      outcomes.push({ delayMs: Math.round(fullMs * fraction), interrupted, stored });
      expect(stored, JSON.stringify(outcomes)).toBeLessThanOrEqual(10_000);
      if (interrupted) chosen = { d, stream };
      if (interrupted && stored > 0) break;
    }
    expect(chosen, `no kill landed mid-delivery: ${JSON.stringify(outcomes)}`).toBeDefined();
    const big = chosen!.d;

    const again = await sendDelivery(server.url, acked, { stream: 'crash' });
    expect(again.status).toBe(200);
    expect(again.body).toBe(first.body);

    const retry = await sendDelivery(server.url, big, { stream: chosen!.stream, gzip: true });
    const ts = expectFirehoseResponse(retry, 200, big.requestId);
    expect(await storedCount(server.url, chosen!.stream)).toBe(10_000);

    // A second retry (Firehose did not see our 200) after a clean restart: same answer, no new documents.
    await server.stop('SIGTERM');
    server = await startServer({ dataDir });
    const late = await sendDelivery(server.url, big, { stream: chosen!.stream, gzip: true });
    expect(expectFirehoseResponse(late, 200, big.requestId)).toBe(ts);
    expect(await storedCount(server.url, chosen!.stream)).toBe(10_000);
    expect(await storedCount(server.url, 'crash')).toBe(50);
  });
});
