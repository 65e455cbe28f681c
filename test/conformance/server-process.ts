// Starts Lookout as a child process for a test run: a free port, a fresh temporary data dir,
// `node --import tsx server/main.ts …` from the project root, ready once `GET /` answers 200.
// Keeps the tail of its output to explain a failed start or a crash.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import http from 'node:http';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const START_TIMEOUT_MS = 30_000;
const OUTPUT_LINES_KEPT = 60;

/** Options for `ServerProcess.start`. */
export interface ServerOptions {
  /** The project root, used as cwd. */
  projectRoot: string;
  /** Print the server's output as it comes (for debugging). */
  echoOutput?: boolean;
}

/** A running Lookout server started by the runner. */
export class ServerProcess {
  private readonly output: string[] = [];
  private exitCode: number | null | undefined = undefined;

  private constructor(
    private readonly child: ChildProcess,
    readonly port: number,
    private readonly dataDir: string,
  ) {}

  /** Starts the server and resolves once `GET /` answers 200; rejects after 30 s or on exit. */
  static async start(options: ServerOptions): Promise<ServerProcess> {
    const port = await freePort();
    const dataDir = mkdtempSync(join(tmpdir(), 'lookout-conformance-'));
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', 'server/main.ts', '--port', String(port), '--data-dir', dataDir, '--log-level', 'warn'],
      { cwd: options.projectRoot, stdio: ['ignore', 'pipe', 'pipe'], env: process.env },
    );
    const server = new ServerProcess(child, port, dataDir);
    const record = (chunk: Buffer): void => {
      if (options.echoOutput) process.stderr.write(chunk);
      server.output.push(...chunk.toString('utf8').split('\n').filter((line) => line.length > 0));
      server.output.splice(0, Math.max(0, server.output.length - OUTPUT_LINES_KEPT));
    };
    child.stdout?.on('data', record);
    child.stderr?.on('data', record);
    child.on('exit', (code, signal) => {
      server.exitCode = code ?? (signal ? -1 : null);
    });
    try {
      await server.waitUntilReady();
    } catch (error) {
      await server.stop();
      throw error;
    }
    return server;
  }

  /** The base URL, e.g. `http://127.0.0.1:41234`. */
  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  /** True while the child process has not exited. */
  get running(): boolean {
    return this.exitCode === undefined;
  }

  /** The last lines the server printed. */
  recentOutput(): string {
    return this.output.join('\n');
  }

  /** Stops the server (SIGTERM, then SIGKILL after 5 s) and deletes its data dir. */
  async stop(): Promise<void> {
    if (this.running) {
      const exited = new Promise<void>((resolve) => this.child.once('exit', () => resolve()));
      this.child.kill('SIGTERM');
      const timer = setTimeout(() => this.child.kill('SIGKILL'), 5_000);
      await exited;
      clearTimeout(timer);
    }
    rmSync(this.dataDir, { recursive: true, force: true });
  }

  private async waitUntilReady(): Promise<void> {
    const deadline = Date.now() + START_TIMEOUT_MS;
    while (Date.now() < deadline) {
      if (!this.running) {
        throw new Error(`server exited with code ${this.exitCode} before answering GET /\n${this.recentOutput()}`);
      }
      if ((await probe(this.url)) === 200) return;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    throw new Error(`server did not answer GET / with 200 within ${START_TIMEOUT_MS / 1000} s\n${this.recentOutput()}`);
  }
}

/** The status of `GET /` at `url`, or 0 when nothing answers. */
export function probe(url: string): Promise<number> {
  return new Promise((resolve) => {
    const req = http.get(`${url}/`, { timeout: 2_000 }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.on('timeout', () => req.destroy());
    req.on('error', () => resolve(0));
  });
}

/** A TCP port that was free a moment ago (bind to port 0, read it, close). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}
