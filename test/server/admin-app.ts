// Test helper for the admin API suites: a Lookout app on a fresh data directory, driven by inject().

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../server/app.ts';
import { DEFAULTS } from '../../server/config.ts';
import type { LookoutNode } from '../../server/node.ts';

export interface TestApp {
  app: FastifyInstance;
  node: LookoutNode;
  /** Sends a request; JSON bodies are serialised; returns status, parsed JSON (or text) and headers. */
  call(method: string, url: string, body?: unknown): Promise<{ status: number; body: any; text: string; headers: Record<string, unknown> }>;
  close(): Promise<void>;
}

/** Builds an app on a temporary data dir. */
export async function testApp(): Promise<TestApp> {
  const dataDir = mkdtempSync(join(tmpdir(), 'lookout-admin-'));
  const { app, node } = await buildApp({ config: { ...DEFAULTS, allowInsecure: false, awsCredentials: [], file: {}, dataDir } });
  return {
    app,
    node,
    async call(method, url, body) {
      const res = await app.inject({
        method: method as never, url,
        payload: body === undefined ? undefined : JSON.stringify(body),
        headers: body === undefined ? {} : { 'content-type': 'application/json' },
      });
      let parsed: unknown = res.body;
      try {
        parsed = JSON.parse(res.body);
      } catch {
        /* text */
      }
      return { status: res.statusCode, body: parsed, text: res.body, headers: res.headers };
    },
    async close() {
      await app.close();
      node.stop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
