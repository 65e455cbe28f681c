// A Lookout app listening on a free loopback port with a CloudWatch Logs SDK client pointed at it, for
// the CloudWatch Logs tests (in process, so a test can set the logs clock or trigger a retention sweep).

import { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import { startAppServer, type AppServer } from '../helpers/app-server.ts';

/** The in-process server, its SDK client and an OpenSearch helper. */
export interface LogsServer extends Omit<AppServer, 'close'> {
  client: CloudWatchLogsClient;
  /** `_search` (or any OpenSearch call) over HTTP. */
  os(method: string, path: string, body?: unknown): Promise<any>;
  /** Stops the server; the data dir stays (a test may start again on it). */
  close(): Promise<void>;
}

/** Starts the app (optionally on an existing data dir, with a logs clock or a config file). */
export async function startLogsServer(opts: { dataDir?: string; clock?: () => number; file?: Record<string, unknown> } = {}): Promise<LogsServer> {
  const server = await startAppServer({ dataDir: opts.dataDir, prefix: 'lookout-logs-', file: opts.file });
  if (opts.clock) server.node.logs.service.now = opts.clock;
  const { url } = server;
  const client = new CloudWatchLogsClient({ endpoint: url, region: 'us-east-1', credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'secret' }, maxAttempts: 1 });
  return {
    ...server,
    client,
    async os(method, path, body) {
      const r = await fetch(url + path, { method, body: body === undefined ? undefined : JSON.stringify(body), headers: { 'content-type': 'application/json' } });
      return r.json();
    },
    async close() {
      client.destroy();
      await server.close({ keepData: true });
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
