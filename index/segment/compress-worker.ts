// A background thread that compresses many small blocks in one job, so compressing a new segment's
// `_source` (and its file sections) for a build on the event loop runs on the machine's other core.
// One message per segment, not one per block. The thread runs `compress-thread.ts` (through tsx's
// loader, as the segment workers do).

import { Worker } from 'node:worker_threads';
import type { CompressedBlocks } from './block-codec.ts';

const THREAD_URL = new URL('./compress-thread.ts', import.meta.url).href;
const BOOTSTRAP = `import('tsx/esm/api').then(({ register }) => { register(); return import(${JSON.stringify(THREAD_URL)}); });`;

type Done = (r: CompressedBlocks | null) => void;

let worker: Worker | null = null;
let broken = false;
let nextId = 0;
const waiting = new Map<number, Done>();

function getWorker(): Worker | null {
  if (worker || broken) return worker;
  try {
    worker = new Worker(BOOTSTRAP, { eval: true });
  } catch {
    broken = true;
    return null;
  }
  worker.on('message', (m: { id: number } & CompressedBlocks) => {
    const done = waiting.get(m.id);
    waiting.delete(m.id);
    if (waiting.size === 0) worker?.unref();
    done?.({ packed: m.packed, offsets: m.offsets });
  });
  // A dead worker fails its jobs (callers then compress synchronously) and is not restarted.
  const fail = () => {
    broken = true;
    worker = null;
    for (const done of waiting.values()) done(null);
    waiting.clear();
  };
  worker.on('error', fail);
  worker.on('exit', fail);
  // Idle, the worker must not keep the process alive.
  worker.unref();
  return worker;
}

/**
 * Compresses `data[ends[b-1] .. ends[b])` for each block b on the background thread; `done` gets the
 * result, or null when the thread is unavailable. `data` is transferred (unusable afterwards).
 */
export function compressBlocksInBackground(data: Uint8Array, ends: Uint32Array, done: Done): void {
  const w = getWorker();
  if (!w) {
    done(null);
    return;
  }
  const id = nextId++;
  waiting.set(id, done);
  w.ref();
  w.postMessage({ id, data, ends }, [data.buffer as ArrayBuffer]);
}
