// Lucene 9's BM25Similarity, reproduced in float32 (Math.fround after every operation, as Java's
// float arithmetic rounds) so scores equal OpenSearch's to the last bit for the same statistics.

import { LENGTH_TABLE } from '../../segment/norms.ts';

const f = Math.fround;
/** Lucene's defaults, as floats. */
export const K1 = f(1.2);
export const B = f(0.75);

/** idf = ln(1 + (docCount − docFreq + 0.5) / (docFreq + 0.5)), computed in double, cast to float. */
export function bm25Idf(docFreq: number, docCount: number): number {
  return f(Math.log(1 + (docCount - docFreq + 0.5) / (docFreq + 0.5)));
}

/** avgdl = sumTotalTermFreq / docCount (double division, cast to float). */
export function avgFieldLength(sumTotalTermFreq: number, docCount: number): number {
  return f(sumTotalTermFreq / docCount);
}

const normCaches = new Map<number, Float32Array>();

/** cache[b] = 1 / (k1 · ((1 − b) + b · LENGTH_TABLE[b] / avgdl)), shared per avgdl. */
export function normInverseCache(avgdl: number): Float32Array {
  let cache = normCaches.get(avgdl);
  if (cache) return cache;
  cache = new Float32Array(256);
  const oneMinusB = f(1 - B);
  for (let i = 0; i < 256; i++) {
    cache[i] = f(1 / f(K1 * f(oneMinusB + f(f(B * LENGTH_TABLE[i]) / avgdl))));
  }
  if (normCaches.size > 4096) normCaches.clear();
  normCaches.set(avgdl, cache);
  return cache;
}

/** One term's (or phrase's) BM25 scorer: weight = boost · idf, the norm cache, and score(). */
export class Bm25 {
  readonly weight: number;
  readonly cache: Float32Array;
  constructor(boost: number, idf: number, readonly avgdl: number) {
    this.weight = f(f(boost) * idf);
    this.cache = normInverseCache(avgdl);
  }

  /** weight − weight / (1 + freq · normInverse): Lucene's monotone rewrite of weight·freq/(freq+norm). */
  score(freq: number, norm: number): number {
    const w = this.weight;
    return f(w - f(w / f(1 + f(freq * this.cache[norm]))));
  }

  /** The score for a precomputed x = fround(freq · normInverse) (block maxima store x). */
  scoreX(x: number): number {
    const w = this.weight;
    return f(w - f(w / f(1 + x)));
  }
}

/** Lucene reads norm 1 for fields without norms (keyword), and freq 1 without freqs. */
export const NO_NORM = 1;
