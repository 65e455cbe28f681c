// Builds the dashboards UI when dashboards-ui/dist is missing or older than its sources (used by
// `npm start` and the end-to-end tests). `--force` always builds. NODE_ENV is forced to production:
// under vitest it is `test`, which would make Vite bundle React's development build.

import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { join, resolve } from 'node:path';
import { execFileSync } from 'node:child_process';

const ROOT = resolve(import.meta.dirname, '..');
const UI = join(ROOT, 'dashboards-ui');
const DIST = join(UI, 'dist');
const BUILT = join(DIST, 'index.html');

function newestMtime(path: string): number {
  const st = statSync(path);
  if (!st.isDirectory()) return st.mtimeMs;
  let newest = st.mtimeMs;
  for (const name of readdirSync(path)) {
    if (name === 'dist' || name === 'node_modules' || name === '.build-lock') continue;
    newest = Math.max(newest, newestMtime(join(path, name)));
  }
  return newest;
}

/** True when the built app is missing or older than any source file or the Vite config. */
export function uiIsStale(): boolean {
  if (!existsSync(BUILT)) return true;
  // dashboards-ui/ itself changes whenever dist/ or the build lock is (re)created: look inside it only.
  const inside = readdirSync(UI).filter((n) => n !== 'dist' && n !== 'node_modules' && n !== '.build-lock');
  const sources = Math.max(...inside.map((n) => newestMtime(join(UI, n))), statSync(join(ROOT, 'vite.config.ts')).mtimeMs);
  return sources > statSync(BUILT).mtimeMs;
}

/**
 * Runs `vite build` (synchronously) if needed; returns whether it built. Test files run in parallel
 * processes and several may ask at once: a lock directory makes one build while the others wait and
 * then find the build fresh.
 */
export function buildUi(force = false): boolean {
  if (!force && !uiIsStale()) return false;
  const lock = join(UI, '.build-lock');
  for (;;) {
    try {
      mkdirSync(lock);
      break;
    } catch {
      const held = statSync(lock, { throwIfNoEntry: false });
      if (!held) continue; // released meanwhile
      // A lock older than any build takes is a crashed build's: take it over.
      if (Date.now() - held.mtimeMs > 180_000) rmSync(lock, { recursive: true, force: true });
      else Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 200);
    }
  }
  try {
    if (!force && !uiIsStale()) return false;
    runVite();
    return true;
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
}

function runVite(): void {
  execFileSync(process.execPath, [join(ROOT, 'node_modules/vite/bin/vite.js'), 'build'], { cwd: ROOT, stdio: 'inherit', env: { ...process.env, NODE_ENV: 'production' } });
}

/** Sizes of the built bundle: the entry chunk (what every first load parses) and the lazily loaded rest. */
export function bundleSizes(): { entryBytes: number; entryGzip: number; cssGzip: number; lazyBytes: number; lazyGzip: number; files: Array<{ name: string; bytes: number; gzip: number }> } {
  const html = readFileSync(BUILT, 'utf8');
  const entry = /src="\/_dashboards\/assets\/([^"]+\.js)"/.exec(html)?.[1];
  const files = readdirSync(join(DIST, 'assets')).map((name) => {
    const buf = readFileSync(join(DIST, 'assets', name));
    return { name, bytes: buf.length, gzip: gzipSync(buf).length };
  });
  const e = files.find((f) => f.name === entry);
  if (!e) throw new Error('no entry chunk in dashboards-ui/dist/index.html');
  const lazy = files.filter((f) => f !== e && f.name.endsWith('.js'));
  return {
    entryBytes: e.bytes,
    entryGzip: e.gzip,
    cssGzip: files.filter((f) => f.name.endsWith('.css')).reduce((n, f) => n + f.gzip, 0),
    lazyBytes: lazy.reduce((n, f) => n + f.bytes, 0),
    lazyGzip: lazy.reduce((n, f) => n + f.gzip, 0),
    files,
  };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const built = buildUi(process.argv.includes('--force'));
  console.log(built ? 'built the dashboards UI (dashboards-ui/dist)' : 'dashboards UI is up to date (dashboards-ui/dist)');
  const b = bundleSizes();
  console.log(`entry chunk ${(b.entryGzip / 1024).toFixed(1)} KiB gzipped (${(b.entryBytes / 1024).toFixed(0)} KiB); lazy chunks ${(b.lazyGzip / 1024).toFixed(0)} KiB gzipped`);
}
