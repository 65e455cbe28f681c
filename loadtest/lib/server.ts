// Starts a Lookout server as a child process for a benchmark (as `npm start` does: `node --max-semi-space-size=32 --single-threaded-gc --import tsx server/main.ts` with SERVER_ENV
// on a free 127.0.0.1 port and a given data dir), waits until `GET /` answers 200, and stops it.
// Children still running when the benchmark exits are killed, so a failed run leaves none behind.

import { spawn, type ChildProcess } from 'node:child_process';
import { openSync, closeSync, readFileSync, mkdirSync } from 'node:fs';
import { createServer } from 'node:net';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { makeClient, type HttpClient } from './http.ts';

/** The project root (the folder holding server/ and loadtest/). */
export const PROJECT_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

/** A running Lookout child process. */
export interface LookoutServer {
  readonly pid: number;
  readonly port: number;
  readonly baseUrl: string;
  readonly dataDir: string;
  /** Where the child's stdout and stderr go. */
  readonly logFile: string;
  /** Milliseconds from spawn until `GET /` first answered 200. */
  readonly readyMs: number;
  /** A sequential (1-socket) keep-alive client for this server. */
  readonly client: HttpClient;
  /** Signal the process and wait for it to exit; returns milliseconds until exit. */
  stop(signal?: NodeJS.Signals): Promise<number>;
}

/** Options for `startServer`. */
export interface StartOptions {
  dataDir: string;
  /** Directory for the child's log file (default: beside the data dir). */
  logDir?: string;
  /** Give up waiting for `GET /` after this long (default 120 s). */
  readyTimeoutMs?: number;
  /** Extra arguments for server/main.ts. */
  extraArgs?: string[];
}

/** A TCP port on 127.0.0.1 that was free a moment ago. */
export async function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const srv = createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      srv.close(() => resolvePort(port));
    });
  });
}

/**
 * The server entry point, relative to the project root: `server/main.ts`, or `LOOKOUT_BENCH_SERVER`
 * to benchmark another build (or a stub while the server is being written).
 */
export function serverEntry(): string {
  return process.env.LOOKOUT_BENCH_SERVER ?? 'server/main.ts';
}

let starts = 0;
/** Children still running, killed when this process exits so a failed benchmark leaves none behind. */
const running = new Set<ChildProcess>();
let exitHookInstalled = false;

function track(child: ChildProcess): void {
  running.add(child);
  child.once('exit', () => running.delete(child));
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.once('exit', () => {
    for (const c of running) c.kill('SIGKILL');
  });
  for (const sig of ['SIGINT', 'SIGTERM'] as const) {
    process.once(sig, () => {
      for (const c of running) c.kill('SIGKILL');
      process.exit(130);
    });
  }
}

/**
 * V8 flags the server runs with, as `npm start` does: 32 MB semi-spaces let a bulk request's
 * short-lived objects die in the nursery instead of being promoted. (64 MB did as well for the event
 * loop, but its up to 192 MB of young generation put RSS after a 1M-doc ingest at the 1.5 GB limit
 * once builds ran on two workers: 1,512-1,542 MiB, against 1,326-1,332 MiB with 32, same docs/s.)
 * `--single-threaded-gc`: on two cores V8's helper threads (concurrent marking, parallel scavenges)
 * cost ~6.5 µs of CPU per Firehose record, and the same collections done on the isolates' own
 * threads cost under 1 µs more there: Firehose sustained 42.0k vs 39.0k records/s, p99 168 vs 212 ms
 * (medians of 4 interleaved pairs); bulk, search, PutLogEvents and PutMetricData the same or better.
 */
export const SERVER_NODE_FLAGS: readonly string[] = ['--max-semi-space-size=32', '--single-threaded-gc'];

/**
 * glibc malloc settings the server runs with, as `npm start` sets them: segment builds and merges on
 * worker threads allocate and free large buffers, and with a malloc arena per thread and a sliding
 * mmap threshold the freed memory stayed resident (1M-doc ingest: RSS 1.84 GB → 1.34 GB with these).
 */
export const SERVER_ENV: Readonly<Record<string, string>> = { MALLOC_ARENA_MAX: '2', MALLOC_MMAP_THRESHOLD_: '131072', MALLOC_TRIM_THRESHOLD_: '1048576' };

/**
 * Spawn `node --max-semi-space-size=32 --single-threaded-gc --import tsx server/main.ts --port <free> --data-dir <dir> --log-level warn` and wait
 * until `GET /` returns 200. Rejects (with the log's tail) if the child exits or never gets ready.
 */
export async function startServer(opts: StartOptions): Promise<LookoutServer> {
  const port = await freePort();
  const logDir = opts.logDir ?? join(dirname(resolve(opts.dataDir)), 'logs');
  mkdirSync(logDir, { recursive: true });
  mkdirSync(opts.dataDir, { recursive: true });
  const logFile = join(logDir, `server-${process.pid}-${++starts}.log`);
  const fd = openSync(logFile, 'a');
  // LOOKOUT_BENCH_NODE_FLAGS adds node flags for one run, e.g. `--cpu-prof --cpu-prof-dir=/tmp/prof`.
  const extraNodeFlags = (process.env.LOOKOUT_BENCH_NODE_FLAGS ?? '').split(' ').filter(Boolean);
  const args = [
    ...SERVER_NODE_FLAGS, ...extraNodeFlags, '--import', 'tsx', serverEntry(),
    '--port', String(port), '--data-dir', resolve(opts.dataDir), '--log-level', 'warn',
    ...(opts.extraArgs ?? []),
  ];
  const t0 = performance.now();
  const child: ChildProcess = spawn(process.execPath, args, { cwd: PROJECT_ROOT, stdio: ['ignore', fd, fd], env: { ...process.env, ...SERVER_ENV } });
  closeSync(fd);
  track(child);
  let exitCode: number | null | undefined;
  const exited = new Promise<void>((done) =>
    child.once('exit', (code, signal) => {
      exitCode = code ?? (signal ? -1 : 0);
      done();
    }),
  );
  const baseUrl = `http://127.0.0.1:${port}`;
  const client = makeClient(baseUrl, 1);
  const tail = (): string => {
    try {
      return readFileSync(logFile, 'utf8').split('\n').slice(-25).join('\n');
    } catch {
      return '';
    }
  };
  const deadline = t0 + (opts.readyTimeoutMs ?? 120_000);
  for (;;) {
    if (exitCode !== undefined) throw new Error(`server exited (code ${exitCode}) before answering GET /; log ${logFile}:\n${tail()}`);
    if (performance.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`server did not answer GET / within ${opts.readyTimeoutMs ?? 120_000} ms; log ${logFile}:\n${tail()}`);
    }
    try {
      const r = await client.send('GET', '/');
      if (r.status === 200) break;
    } catch {
      // not listening yet
    }
    await sleep(25);
  }
  const readyMs = performance.now() - t0;
  return {
    pid: child.pid!,
    port,
    baseUrl,
    dataDir: opts.dataDir,
    logFile,
    readyMs,
    client,
    async stop(signal: NodeJS.Signals = 'SIGTERM') {
      client.close();
      const s0 = performance.now();
      if (exitCode === undefined) {
        child.kill(signal);
        const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
        await exited;
        clearTimeout(timer);
      }
      return performance.now() - s0;
    },
  };
}

/** Resolve after `ms` milliseconds. */
export function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

/**
 * Poll `GET /<index>/_count` until it reports `expected` documents; returns the milliseconds spent.
 * Errors and non-200 replies (index still recovering) count as "not yet".
 */
export async function waitForCount(client: HttpClient, index: string, expected: number, timeoutMs = 300_000): Promise<number> {
  const t0 = performance.now();
  for (;;) {
    try {
      const r = await client.send('GET', `/${index}/_count`);
      if (r.status === 200 && (JSON.parse(r.body) as { count?: number }).count === expected) return performance.now() - t0;
    } catch {
      // not ready
    }
    if (performance.now() - t0 > timeoutMs) throw new Error(`${index}/_count did not reach ${expected} within ${timeoutMs} ms`);
    await sleep(10);
  }
}
