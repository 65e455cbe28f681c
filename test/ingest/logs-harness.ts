// A Lookout app listening on a free loopback port with a CloudWatch Logs SDK client pointed at it, for
// the CloudWatch Logs tests (in process, so a test can set the logs clock or trigger a retention sweep).

import { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../server/app.ts';
import { DEFAULTS } from '../../server/config.ts';
import type { LookoutNode } from '../../server/node.ts';
import { tempDataDir } from '../helpers/server-process.ts';

export interface LogsServer {
  url: string;
  port: number;
  dataDir: string;
  app: FastifyInstance;
  node: LookoutNode;
  client: CloudWatchLogsClient;
  /** `_search` (or any OpenSearch call) over HTTP. */
  os(method: string, path: string, body?: unknown): Promise<any>;
  close(): Promise<void>;
}

export async function startLogsServer(opts: { dataDir?: string; clock?: () => number; file?: Record<string, unknown> } = {}): Promise<LogsServer> {
  const dataDir = opts.dataDir ?? tempDataDir('lookout-logs-');
  const { app, node } = await buildApp({ config: { ...DEFAULTS, allowInsecure: false, awsCredentials: [], file: opts.file ?? {}, dataDir } });
  if (opts.clock) node.logs.service.now = opts.clock;
  await app.listen({ host: '127.0.0.1', port: 0 });
  const port = (app.server.address() as { port: number }).port;
  const url = `http://127.0.0.1:${port}`;
  const client = new CloudWatchLogsClient({ endpoint: url, region: 'us-east-1', credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'secret' }, maxAttempts: 1 });
  return {
    url,
    port,
    dataDir,
    app,
    node,
    client,
    async os(method, path, body) {
      const r = await fetch(url + path, { method, body: body === undefined ? undefined : JSON.stringify(body), headers: { 'content-type': 'application/json' } });
      return r.json();
    },
    async close() {
      client.destroy();
      await app.close();
      node.stop();
    },
  };
}

/** The rejection of a promise (fails the test when it resolves). */
export async function rejection(p: Promise<unknown>): Promise<any> {
  try {
    await p;
  } catch (err) {
    return err;
  }
  throw new Error('expected the call to fail');
}
