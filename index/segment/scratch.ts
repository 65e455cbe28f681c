// Large scratch arrays kept for the next segment a thread builds or merges. A log segment's text
// postings pass through ~100 MB of occurrence and sorting arrays and its `_source` through a 20 MB
// compression buffer; with the server's malloc settings (MALLOC_MMAP_THRESHOLD_) each fresh one is a
// new mapping, and so a page fault and a zeroing per 4 KB page, plus the V8 collections that much
// external memory triggers (segment-build, 40k docs: 36.9k → 15.5k page faults per build). Arrays
// from here hold whatever an earlier user left: callers write every element they read. A thread runs
// one build or merge at a time and a released array has no other user.

/** Smaller requests get new arrays (every field starts small: a kept large one would be wasted on it). */
const SCRATCH_MIN = 64 * 1024;
/** Arrays kept at most (a build holds about this many large arrays at once), and their bytes at most. */
const SCRATCH_KEEP = 8;
const SCRATCH_KEEP_BYTES = 160 * 1024 * 1024;
const free: Uint32Array[] = [];

export const EMPTY_U32 = new Uint32Array(0);

/**
 * A Uint32Array of at least `n` elements (not zeroed): the smallest kept one that fits and is not over
 * four times too large (a field's few hundred thousand occurrences must not take the array the message
 * field's millions need next), else a new one.
 */
export function takeScratch(n: number): Uint32Array {
  if (n < SCRATCH_MIN) return new Uint32Array(Math.max(n, 1024));
  let best = -1;
  for (let i = 0; i < free.length; i++) {
    const len = free[i].length;
    if (len >= n && len <= 4 * n && (best < 0 || len < free[best].length)) best = i;
  }
  if (best >= 0) return free.splice(best, 1)[0];
  return new Uint32Array(n);
}

/** Bytes (a view of takeScratch's array, at least `n` of them), and the array to release them by. */
export function takeScratchBytes(n: number): { bytes: Uint8Array; words: Uint32Array } {
  const words = takeScratch(Math.ceil(n / 4));
  return { bytes: new Uint8Array(words.buffer, words.byteOffset, words.byteLength), words };
}

/** Gives back an array from takeScratch, which must not be used after (small ones are left to the collector). */
export function releaseScratch(a: Uint32Array): void {
  if (a.length < SCRATCH_MIN) return;
  free.push(a);
  // The largest arrays are kept, as many as fit the limits: the next build of the same size needs them.
  free.sort((x, y) => y.length - x.length);
  let bytes = 0;
  let keep = 0;
  while (keep < free.length && keep < SCRATCH_KEEP && bytes + free[keep].byteLength <= SCRATCH_KEEP_BYTES) bytes += free[keep++].byteLength;
  free.length = keep;
}
