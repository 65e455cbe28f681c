// A Lookout app built in the test's own process and listening on a free loopback port: for HTTP tests
// that also reach into the node (clocks, sweeps, services). A separate process is server-process.ts.

import { rmSync } from 'node:fs';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../server/app.ts';
import { DEFAULTS, type LookoutConfig } from '../../server/config.ts';
import type { LookoutNode } from '../../server/node.ts';
import { tempDataDir } from './server-process.ts';

/** A listening in-process app. */
export interface AppServer {
  url: string;
  port: number;
  dataDir: string;
  app: FastifyInstance;
  node: LookoutNode;
  /** Closes the app, stops alerting, flushes the node and closes the alarm journal; removes the data dir unless `keepData`. */
  close(opts?: { keepData?: boolean }): Promise<void>;
}

/** Options of `startAppServer`: the raw config file object and typed config fields override defaults. */
export interface AppServerOptions {
  /** An existing data dir (a restart); a temporary one named with `prefix` otherwise. */
  dataDir?: string;
  prefix?: string;
  /** The parsed config file (`config.file`). */
  file?: Record<string, unknown>;
  /** Typed config fields (e.g. `alarms`, `firehose`, `maxContentLength`). */
  config?: Partial<LookoutConfig>;
}

/** Builds the app with default config, no AWS credentials, and listens on 127.0.0.1:0. */
export async function startAppServer(opts: AppServerOptions = {}): Promise<AppServer> {
  const dataDir = opts.dataDir ?? tempDataDir(opts.prefix);
  const config: LookoutConfig = { ...DEFAULTS, allowInsecure: false, awsCredentials: [], file: opts.file ?? {}, dataDir, ...opts.config };
  const { app, node } = await buildApp({ config });
  const url = await app.listen({ host: '127.0.0.1', port: 0 });
  return {
    url,
    port: Number(new URL(url).port),
    dataDir,
    app,
    node,
    async close({ keepData = false } = {}) {
      await app.close();
      await node.stopAlerting();
      node.stop();
      await node.metricAlarms.store.close();
      if (!keepData) rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
