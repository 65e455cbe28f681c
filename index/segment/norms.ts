// Lucene's lossy one-byte encoding of field lengths (SmallFloat.intToByte4), which BM25 scores read
// back through a 256-entry table. Mirroring it is what makes our scores equal OpenSearch's.

/** Lucene SmallFloat.longToInt4: 4 significant bits, 3 shown, plus a shift. */
function longToInt4(i: number): number {
  const numBits = i === 0 ? 0 : 32 - Math.clz32(i);
  if (numBits < 4) return i;
  const shift = numBits - 4;
  const encoded = (i >>> shift) & 0x07;
  return encoded | ((shift + 1) << 3);
}

function int4ToLong(i: number): number {
  const bits = i & 0x07;
  const shift = (i >>> 3) - 1;
  return shift === -1 ? bits : (bits | 0x08) * 2 ** shift;
}

const NUM_FREE_VALUES = 255 - longToInt4(2147483647);

/** Encodes a field length (token count) into Lucene's norm byte. */
export function encodeNorm(length: number): number {
  if (length < NUM_FREE_VALUES) return length;
  return NUM_FREE_VALUES + longToInt4(length - NUM_FREE_VALUES);
}

/** LENGTH_TABLE[b]: the field length a norm byte stands for. */
export const LENGTH_TABLE: Float64Array = (() => {
  const t = new Float64Array(256);
  for (let b = 0; b < 256; b++) t[b] = b < NUM_FREE_VALUES ? b : NUM_FREE_VALUES + int4ToLong(b - NUM_FREE_VALUES);
  return t;
})();
