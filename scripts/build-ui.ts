// Builds the dashboards UI when dashboards-ui/dist is missing or older than its sources (used by
// `npm start` and the end-to-end tests). `--force` always builds. NODE_ENV is forced to production:
// under vitest it is `test`, which would make Vite bundle React's development build.

import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
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
    if (name === 'dist' || name === 'node_modules') continue;
    newest = Math.max(newest, newestMtime(join(path, name)));
  }
  return newest;
}

/** True when the built app is missing or older than any source file or the Vite config. */
export function uiIsStale(): boolean {
  if (!existsSync(BUILT)) return true;
  const sources = Math.max(newestMtime(UI), statSync(join(ROOT, 'vite.config.ts')).mtimeMs);
  return sources > statSync(BUILT).mtimeMs;
}

/** Runs `vite build` (synchronously) if needed; returns whether it built. */
export function buildUi(force = false): boolean {
  if (!force && !uiIsStale()) return false;
  execFileSync(process.execPath, [join(ROOT, 'node_modules/vite/bin/vite.js'), 'build'], { cwd: ROOT, stdio: 'inherit', env: { ...process.env, NODE_ENV: 'production' } });
  return true;
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
