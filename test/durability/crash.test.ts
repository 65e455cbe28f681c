// kill -9 during bulk ingest (refresh=false), 20+ times at random points: after each restart every
// acknowledged document is present and searchable, and no unacknowledged document is half-present.

import { describe, it, expect } from 'vitest';
import { call, startServer, tempDataDir } from '../helpers/server-process.ts';

const ROUNDS = Number(process.env.LOOKOUT_CRASH_ROUNDS ?? 20);
const DOCS_PER_BULK = 50;

function docFor(id: number) {
  return { n: id, tag: `t${id % 7}`, message: `event number ${id} from the crash test`, padding: 'p'.repeat(id % 300) };
}

type Server = Awaited<ReturnType<typeof startServer>>;

/** kill -9 once the writers have bulks in flight, wait for them and the process, restart on the same
 * data, refresh, and check the count covers every acknowledged doc. Returns the new server. */
async function killAndRestart(server: Server, dataDir: string, index: string, writers: Promise<void>[], stopWriters: () => void, acked: Set<number>): Promise<Server> {
  server.child.kill('SIGKILL');
  stopWriters();
  await Promise.all(writers);
  await new Promise((r) => (server.child.exitCode !== null || server.child.signalCode !== null ? r(null) : server.child.once('exit', r)));
  const restarted = await startServer({ dataDir });
  await call(restarted.url, 'POST', `/${index}/_refresh`);
  const count = await call(restarted.url, 'GET', `/${index}/_count`);
  expect(count.status).toBe(200);
  expect(count.body.count).toBeGreaterThanOrEqual(acked.size);
  return restarted;
}

/** Every acknowledged doc is there, found by id, with its exact source. */
async function expectAllAcknowledged(server: Server, index: string, acked: Set<number>, chunkSize: number): Promise<number[]> {
  const ids = [...acked];
  for (let i = 0; i < ids.length; i += chunkSize) {
    const chunk = ids.slice(i, i + chunkSize).map(String);
    const r = await call(server.url, 'POST', `/${index}/_search`, { size: chunkSize, query: { ids: { values: chunk } } });
    expect(r.body.hits.total.value).toBe(chunk.length);
    for (const hit of r.body.hits.hits) expect(hit._source).toEqual(docFor(Number(hit._id)));
  }
  return ids;
}

describe('crash safety', () => {
  it(`loses no acknowledged write across ${ROUNDS} kill -9 during bulk ingest`, async () => {
    const dataDir = tempDataDir('lookout-crash-');
    const acked = new Set<number>();
    let next = 0;
    let server = await startServer({ dataDir });
    await call(server.url, 'PUT', '/crash', { settings: { number_of_shards: 3, number_of_replicas: 0 } });
    for (let round = 0; round < ROUNDS; round++) {
      // Keep bulks in flight, and kill at a random moment.
      const killAfter = 20 + Math.floor(Math.random() * 200);
      let stop = false;
      const writers = [0, 1].map(async () => {
        while (!stop) {
          const ids = Array.from({ length: DOCS_PER_BULK }, () => next++);
          const body = ids.map((id) => `{"index":{"_id":"${id}"}}\n${JSON.stringify(docFor(id))}\n`).join('');
          try {
            const r = await call(server.url, 'POST', '/crash/_bulk?refresh=false', body, 'application/x-ndjson');
            if (r.status === 200) {
              for (const item of r.body.items) if (item.index.status < 300) acked.add(Number(item.index._id));
            }
          } catch {
            return; // connection died with the server
          }
        }
      });
      await new Promise((r) => setTimeout(r, killAfter));
      server = await killAndRestart(server, dataDir, 'crash', writers, () => (stop = true), acked);
      if (process.env.LOOKOUT_CRASH_DEBUG) process.stderr.write(`round ${round}: ${acked.size} acknowledged\n`);
    }
    // Every acknowledged doc is there, searchable by its content, with its exact source.
    const ids = await expectAllAcknowledged(server, 'crash', acked, 500);
    const sample = ids.slice(0, 20);
    for (const id of sample) {
      const r = await call(server.url, 'POST', '/crash/_search', { query: { bool: { filter: [{ term: { n: id } }, { match: { message: `number ${id}` } }] } } });
      expect(r.body.hits.total.value).toBe(1);
    }
    // Anything beyond the acknowledged set is a whole document (its write reached the log before the kill).
    const all = await call(server.url, 'POST', '/crash/_search', { size: 10000, query: { bool: { must_not: { ids: { values: ids.slice(0, 10000).map(String) } } } } });
    for (const hit of all.body.hits.hits) expect(hit._source).toEqual(docFor(Number(hit._id)));
    await server.stop();
  }, 300_000);

  // Larger bulks for seconds at a time, so segments are built on the worker, committed when the
  // (small) translog threshold is crossed, and merged on the merge worker between the kills.
  const WORKER_ROUNDS = Number(process.env.LOOKOUT_CRASH_WORKER_ROUNDS ?? 6);
  it(`loses no acknowledged write across ${WORKER_ROUNDS} kill -9 while segments are built, committed and merged on worker threads`, async () => {
    const dataDir = tempDataDir('lookout-crash-bg-');
    const acked = new Set<number>();
    let next = 0;
    let server = await startServer({ dataDir });
    const created = await call(server.url, 'PUT', '/crashbg', { settings: { number_of_shards: 1, number_of_replicas: 0, refresh_interval: '150ms', 'translog.flush_threshold_size': '256kb' } });
    expect(created.status).toBe(200);
    for (let round = 0; round < WORKER_ROUNDS; round++) {
      const killAfter = 800 + Math.floor(Math.random() * 1500);
      let stop = false;
      const writers = [0, 1].map(async () => {
        for (let bulk = 1; !stop; bulk++) {
          // Pauses let refreshes catch up, so rounds leave many segments (and merges start).
          if (bulk % 6 === 0) await new Promise((r) => setTimeout(r, 200));
          const ids = Array.from({ length: 400 }, () => next++);
          // Every tenth doc overwrites an earlier one: deletes land in segments being built and merged.
          const body = ids.map((id) => `{"index":{"_id":"${id % 10 === 9 && id > 1000 ? id - 997 : id}"}}\n${JSON.stringify(docFor(id % 10 === 9 && id > 1000 ? id - 997 : id))}\n`).join('');
          try {
            const r = await call(server.url, 'POST', '/crashbg/_bulk?refresh=false', body, 'application/x-ndjson');
            if (r.status === 200) {
              for (const item of r.body.items) if (item.index.status < 300) acked.add(Number(item.index._id));
            }
          } catch {
            return;
          }
        }
      });
      await new Promise((r) => setTimeout(r, killAfter));
      server = await killAndRestart(server, dataDir, 'crashbg', writers, () => (stop = true), acked);
    }
    const segments = await call(server.url, 'GET', '/_cat/segments/crashbg?format=json');
    if (process.env.LOOKOUT_CRASH_DEBUG) process.stderr.write(`${acked.size} acknowledged, ${segments.status === 200 ? segments.body.length : '?'} segments\n`);
    await expectAllAcknowledged(server, 'crashbg', acked, 1000);
    // No document twice (an overwrite must have deleted its earlier copy, across builds, merges and replays).
    const twice = await call(server.url, 'POST', '/crashbg/_search', { size: 0, aggs: { n: { terms: { field: 'n', min_doc_count: 2, size: 5 } } } });
    expect(twice.body.aggregations.n.buckets).toEqual([]);
    await server.stop();
  }, 300_000);
});
