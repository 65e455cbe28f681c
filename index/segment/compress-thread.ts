// The thread behind compress-worker.ts: compresses each job's blocks and sends them back (transferred).

import { parentPort } from 'node:worker_threads';
import { compressBlocks } from './block-codec.ts';

parentPort!.on('message', (job: { id: number; data: Uint8Array; ends: Uint32Array }) => {
  const { packed, offsets } = compressBlocks(job.data, job.ends);
  parentPort!.postMessage({ id: job.id, packed, offsets }, [packed.buffer as ArrayBuffer, offsets.buffer as ArrayBuffer]);
});
