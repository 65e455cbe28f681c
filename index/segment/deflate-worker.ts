// A background thread that deflates many small blocks in one job, so compressing a new segment's
// `_source` runs on the machine's other core instead of the event loop. One message per segment
// (not one zlib stream per block: each of those costs a zlib state allocation and stream machinery on
// the event loop). The worker is plain JavaScript evaluated from a string, so it needs no TypeScript
// loader wherever the engine runs (tsx, vitest, plain node).

import { Worker } from 'node:worker_threads';

const WORKER_SOURCE = `
const { parentPort } = require('node:worker_threads');
const { deflateRawSync } = require('node:zlib');
parentPort.on('message', (job) => {
  const data = Buffer.from(job.data.buffer, job.data.byteOffset, job.data.byteLength);
  const chunks = [];
  let start = 0, total = 0;
  for (let b = 0; b < job.ends.length; b++) {
    const c = deflateRawSync(data.subarray(start, job.ends[b]), job.options);
    chunks.push(c);
    total += c.length;
    start = job.ends[b];
  }
  const packed = new Uint8Array(total);
  const offsets = new Float64Array(chunks.length + 1);
  let pos = 0;
  for (let b = 0; b < chunks.length; b++) {
    offsets[b] = pos;
    packed.set(chunks[b], pos);
    pos += chunks[b].length;
  }
  offsets[chunks.length] = pos;
  parentPort.postMessage({ id: job.id, packed, offsets }, [packed.buffer, offsets.buffer]);
});
`;

/** Deflated blocks: block b is `packed[offsets[b] .. offsets[b + 1])`. */
export interface DeflatedBlocks {
  packed: Uint8Array;
  offsets: Float64Array;
}

type Done = (r: DeflatedBlocks | null) => void;

let worker: Worker | null = null;
let broken = false;
let nextId = 0;
const waiting = new Map<number, Done>();

function getWorker(): Worker | null {
  if (worker || broken) return worker;
  try {
    worker = new Worker(WORKER_SOURCE, { eval: true });
  } catch {
    broken = true;
    return null;
  }
  worker.on('message', (m: { id: number } & DeflatedBlocks) => {
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
 * Deflates `data[ends[b-1] .. ends[b])` for each block b on the background thread; `done` gets the
 * result, or null when the thread is unavailable. `data` is transferred (unusable afterwards).
 */
export function deflateBlocksInBackground(data: Uint8Array, ends: Uint32Array, options: { level: number; strategy: number }, done: Done): void {
  const w = getWorker();
  if (!w) {
    done(null);
    return;
  }
  const id = nextId++;
  waiting.set(id, done);
  w.ref();
  w.postMessage({ id, data, ends, options }, [data.buffer as ArrayBuffer]);
}
