// Under strace: the translog record of an acknowledged write is fdatasync'ed before the HTTP response
// leaves the process (durability `request`, as OpenSearch's default).

import { describe, it, expect } from 'vitest';
import { readFileSync, existsSync } from 'node:fs';
import { execFileSync, spawn } from 'node:child_process';
import { join } from 'node:path';
import { call, startServer, tempDataDir } from '../helpers/server-process.ts';

function hasStrace(): boolean {
  try {
    execFileSync('strace', ['-V'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

describe('durability', () => {
  it.skipIf(!hasStrace())('fsyncs the translog before acknowledging a write', async () => {
    const dataDir = tempDataDir('lookout-strace-');
    const log = join(dataDir, 'strace.log');
    const server = await startServer({ dataDir });
    await call(server.url, 'PUT', '/durable', { settings: { number_of_replicas: 0 } });
    // Attach to the running server (all threads: fdatasync runs on libuv's pool).
    const tracer = spawn('strace', ['-f', '-ttt', '-y', '-s', '200', '-o', log, '-e', 'trace=write,writev,pwrite64,fdatasync,fsync', '-p', String(server.child.pid)], { stdio: ['ignore', 'ignore', 'pipe'] });
    await new Promise<void>((resolve, reject) => {
      let err = '';
      tracer.stderr!.on('data', (d) => {
        err += d;
        if (err.includes('attached')) resolve();
      });
      tracer.once('exit', () => reject(new Error(`strace exited: ${err}`)));
    });
    await new Promise((r) => setTimeout(r, 300));
    const marker = `marker-${Date.now()}`;
    const r = await call(server.url, 'PUT', `/durable/_doc/${marker}`, { marker });
    expect(r.status).toBe(201);
    await new Promise((r) => setTimeout(r, 300));
    await new Promise((resolve) => {
      tracer.once('exit', resolve);
      tracer.kill('SIGINT');
    });
    await server.stop();
    expect(existsSync(log)).toBe(true);
    const lines = readFileSync(log, 'utf8').split('\n');
    const at = (l: string) => Number(l.split(/\s+/)[1]);
    const logWrite = lines.find((l) => /\.tlog>/.test(l) && l.includes(marker) && /\b(write|writev|pwrite64)\(/.test(l));
    expect(logWrite, 'translog write of the document').toBeDefined();
    const response = lines.find((l) => /\b(write|writev)\(/.test(l) && l.includes('HTTP/1.1 201') && at(l) > at(logWrite!));
    expect(response, 'HTTP response write').toBeDefined();
    const sync = lines.find((l) => /\b(fdatasync|fsync)\(\d+<[^>]*\.tlog>/.test(l) && at(l) >= at(logWrite!) && at(l) <= at(response!));
    expect(sync, 'an fdatasync of the translog between the write and the response').toBeDefined();
    if (sync!.includes('<unfinished')) {
      // The sync ran on a libuv thread; it must also have *finished* before the response was written.
      const pid = sync!.split(/\s+/)[0];
      const done = lines.find((l) => l.startsWith(pid + ' ') && /<\.\.\. (fdatasync|fsync) resumed>/.test(l) && at(l) >= at(sync!));
      expect(done).toBeDefined();
      expect(at(done!)).toBeLessThanOrEqual(at(response!));
    }
  }, 120_000);
});
