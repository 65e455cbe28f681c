// Starts a real Lookout server as a child process on a free loopback port, for tests that need a
// separate process (kill -9, strace) or a real listening socket for official clients.

import { spawn, type ChildProcess } from 'node:child_process';
import { afterAll } from 'vitest';
import { createServer } from 'node:net';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

export const ROOT = resolve(import.meta.dirname, '../..');

/** A free TCP port on 127.0.0.1. */
export function freePort(): Promise<number> {
  return new Promise((res, rej) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => res(port));
    });
    s.on('error', rej);
  });
}

export function tempDataDir(prefix = 'lookout-test-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

export interface ServerProcess {
  url: string;
  port: number;
  dataDir: string;
  child: ChildProcess;
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

/** Spawns `node --import tsx server/main.ts` (optionally under a wrapper such as strace) and waits for GET / to answer. */
/**
 * Servers still running when a test file ends (a failed assertion skips `stop()`) are killed: this
 * module registers the hook in each test file that imports it.
 */
const running = new Set<ChildProcess>();
function track(child: ChildProcess): void {
  running.add(child);
  child.once('exit', () => running.delete(child));
}
afterAll(() => {
  for (const c of running) c.kill('SIGKILL');
});

export async function startServer(opts: { dataDir?: string; port?: number; wrapper?: string[]; timeoutMs?: number } = {}): Promise<ServerProcess> {
  const port = opts.port ?? (await freePort());
  const dataDir = opts.dataDir ?? tempDataDir();
  const args = ['--max-semi-space-size=32', '--single-threaded-gc', '--import', 'tsx', 'server/main.ts', '--port', String(port), '--data-dir', dataDir, '--log-level', 'warn'];
  const cmd = opts.wrapper ? opts.wrapper[0] : process.execPath;
  const cmdArgs = opts.wrapper ? [...opts.wrapper.slice(1), process.execPath, ...args] : args;
  const child = spawn(cmd, cmdArgs, { cwd: ROOT, stdio: ['ignore', 'ignore', 'pipe'] });
  track(child);
  let stderr = '';
  child.stderr!.on('data', (d) => (stderr += d));
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + (opts.timeoutMs ?? 30_000);
  for (;;) {
    if (child.exitCode !== null) throw new Error(`server exited with ${child.exitCode}: ${stderr}`);
    try {
      const r = await fetch(url + '/');
      if (r.ok) break;
    } catch {
      /* not listening yet */
    }
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`server did not start: ${stderr}`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  return {
    url,
    port,
    dataDir,
    child,
    stop(signal: NodeJS.Signals = 'SIGTERM') {
      return new Promise((res) => {
        if (child.exitCode !== null || child.signalCode !== null) return res(child.exitCode);
        child.once('exit', (code) => res(code));
        child.kill(signal);
      });
    },
  };
}

/** fetch + JSON for tests. */
export async function call(url: string, method: string, path: string, body?: unknown, contentType = 'application/json'): Promise<{ status: number; body: any }> {
  const r = await fetch(url + path, {
    method,
    headers: body === undefined ? {} : { 'content-type': contentType },
    body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
  });
  const text = await r.text();
  let parsed: unknown = text;
  try {
    parsed = JSON.parse(text);
  } catch {
    /* text body */
  }
  return { status: r.status, body: parsed };
}
