// Record bytes cut from shared slabs. A Buffer of its own per ~1 KB record comes from Node's 8 KB
// pool, which makes a new ArrayBuffer every ~7 records; those creations cost ~2 µs per Firehose record
// on the event loop (profiled, with --single-threaded-gc). A slab is one ArrayBuffer for hundreds of
// records, and is freed once nothing cut from it is referenced (the engine copies what it keeps).

const SLAB_BYTES = 64 * 1024;

let slab = Buffer.allocUnsafeSlow(SLAB_BYTES);
let used = 0;

/** `n` bytes of uninitialized memory, from the current slab when they fit (a Buffer of their own when large). */
export function takeBytes(n: number): Buffer {
  if (n > SLAB_BYTES >>> 3) return Buffer.allocUnsafeSlow(n);
  if (used + n > SLAB_BYTES) {
    slab = Buffer.allocUnsafeSlow(SLAB_BYTES);
    used = 0;
  }
  const out = slab.subarray(used, used + n);
  // 8-byte aligned, as Node's pool keeps its slices.
  used = (used + n + 7) & ~7;
  return out;
}

/** Decodes base64 `text` into slab bytes; the bytes written (fewer than expected when `text` has characters outside the alphabet). */
export function decodeBase64(text: string): Buffer {
  const out = takeBytes(Buffer.byteLength(text, 'base64'));
  const n = out.write(text, 'base64');
  return n === out.length ? out : out.subarray(0, n);
}
