// Builds the dashboards UI when dashboards-ui/dist is missing or older than its sources (used by
// `npm start` and the end-to-end tests). `--force` always builds.

import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { execFileSync } from 'node:child_process';

const ROOT = resolve(import.meta.dirname, '..');
const UI = join(ROOT, 'dashboards-ui');
const BUILT = join(UI, 'dist', 'index.html');

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
  execFileSync(process.execPath, [join(ROOT, 'node_modules/vite/bin/vite.js'), 'build'], { cwd: ROOT, stdio: 'inherit' });
  return true;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const built = buildUi(process.argv.includes('--force'));
  if (!built) console.log('dashboards UI is up to date (dashboards-ui/dist)');
}
