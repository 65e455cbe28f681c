// A full V8 collection on demand, for the few places that know a large amount of memory just became
// garbage (a segment job's inputs, a merge's replaced segments) while the thread may go idle: V8 would
// keep it until its next major collection. `gc` is exposed at run time, so no node flag is needed.

import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

let gc: (() => void) | undefined;

/** Runs a full collection on the calling thread. */
export function fullGc(): void {
  if (!gc) {
    setFlagsFromString('--expose-gc');
    gc = runInNewContext('gc') as () => void;
  }
  gc();
}
