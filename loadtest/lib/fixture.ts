// A server holding the generated logs, for the query benchmarks: either started on a data dir that
// bulk-ingest filled (`--data-dir`), or started on a fresh temp dir and filled here.

import { mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ingestFixture } from './bulk.ts';
import { startServer, type LookoutServer } from './server.ts';

/** A running server with the `logs` index in place. */
export interface LogsServer {
  server: LookoutServer;
  /** Documents in the index (from `_count`). */
  docs: number;
  /** True when this call ingested the documents (no data dir was given). */
  ingested: boolean;
  workDir: string;
}

/** Start a server on `dataDir` (which must hold `index`), or on a new temp dir filled with `docs` documents. */
export async function serverWithLogs(o: { dataDir?: string; workDir?: string; docs: number; seed: number; index: string; log: (m: string) => void }): Promise<LogsServer> {
  const workDir = o.workDir ?? mkdtempSync(join(tmpdir(), 'lookout-query-'));
  mkdirSync(workDir, { recursive: true });
  const dataDir = o.dataDir ?? join(workDir, 'data');
  const server = await startServer({ dataDir, logDir: join(workDir, 'logs') });
  let ingested = false;
  if (!o.dataDir) {
    o.log(`no --data-dir: ingesting ${o.docs.toLocaleString('en-US')} docs first`);
    await ingestFixture(server.client, server.baseUrl, o.index, o.docs, o.seed, workDir);
    ingested = true;
  }
  const { data } = await server.client.json<{ count: number }>('GET', `/${o.index}/_count`);
  return { server, docs: data.count, ingested, workDir };
}
