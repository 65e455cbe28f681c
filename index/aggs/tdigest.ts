// t-digest as OpenSearch 2.x computes percentiles: Ted Dunning's MergingDigest of t-digest 3.2 (K_2
// scale function, weight-limit merging, two-level compression, alternating merge direction) with 3.2's
// quantile/cdf interpolation. OpenSearch 3.x moved to 3.3, which interpolates singletons differently.

/** A MergingDigest (t-digest 3.2) with `compression` (OpenSearch default 100). */
export class TDigest {
  readonly publicCompression: number;
  private readonly compression: number;
  private mean: Float64Array;
  private weight: Float64Array;
  private lastUsedCell = 0;
  private totalWeight = 0;
  private tempMean: Float64Array;
  private tempWeight: Float64Array;
  private tempUsed = 0;
  private unmergedWeight = 0;
  private mergeCount = 0;
  /** True while every buffered value has weight 1 (the collect path), enabling a native sort. */
  private unitWeights = true;
  min = Infinity;
  max = -Infinity;

  constructor(compression = 100) {
    // MergingDigest(compression, bufferSize = -1, size = -1) as in 3.2.
    let c = compression < 10 ? 10 : compression;
    const sizeFudge = c < 30 ? 30 : 10;
    let size = Math.trunc(2 * c + sizeFudge);
    let bufferSize = 5 * size;
    if (bufferSize <= 2 * size) bufferSize = 2 * size;
    const scale = Math.max(1, Math.trunc(bufferSize / size) - 1);
    this.publicCompression = c;
    this.compression = Math.sqrt(scale) * c;
    if (size < this.compression + sizeFudge) size = Math.ceil(this.compression + sizeFudge);
    if (bufferSize <= 2 * size) bufferSize = 2 * size;
    c = 0;
    this.mean = new Float64Array(size);
    this.weight = new Float64Array(size);
    this.tempMean = new Float64Array(bufferSize);
    this.tempWeight = new Float64Array(bufferSize);
  }

  /** Adds a value with a weight (an integer count). */
  add(x: number, w = 1): void {
    if (Number.isNaN(x)) throw new Error('Cannot add NaN to t-digest');
    if (this.tempUsed >= this.tempWeight.length - this.lastUsedCell - 1) this.mergeNewValues(false, this.compression);
    const where = this.tempUsed++;
    if (w !== 1) this.unitWeights = false;
    this.tempWeight[where] = w;
    this.tempMean[where] = x;
    this.unmergedWeight += w;
    if (x < this.min) this.min = x;
    if (x > this.max) this.max = x;
  }

  /** Total weight added. */
  size(): number {
    return this.totalWeight + this.unmergedWeight;
  }

  /** Forces a merge at the public compression (what serialisation and `centroids()` do). */
  compress(): void {
    this.mergeNewValues(true, this.publicCompression);
  }

  /** The centroids as [mean, count] pairs after `compress()`. */
  centroids(): [number, number][] {
    this.compress();
    const out: [number, number][] = [];
    for (let i = 0; i < this.lastUsedCell; i++) out.push([this.mean[i], Math.trunc(this.weight[i])]);
    return out;
  }

  private mergeNewValues(force: boolean, compression: number): void {
    if (this.totalWeight === 0 && this.unmergedWeight === 0) return;
    if (force || this.unmergedWeight > 0) {
      this.merge(this.tempUsed, this.unmergedWeight, this.mergeCount % 2 === 1, compression);
      this.mergeCount++;
      this.tempUsed = 0;
      this.unmergedWeight = 0;
    }
  }

  private merge(incomingCount: number, unmerged: number, runBackwards: boolean, compression: number): void {
    const inMean = this.tempMean, inWeight = this.tempWeight;
    inMean.set(this.mean.subarray(0, this.lastUsedCell), incomingCount);
    inWeight.set(this.weight.subarray(0, this.lastUsedCell), incomingCount);
    const n = incomingCount + this.lastUsedCell;
    const order = this.unitWeights ? this.fastOrder(incomingCount) : sortedOrder(inMean, n);
    this.unitWeights = true;
    if (runBackwards) order.reverse();
    this.totalWeight += unmerged;
    const total = this.totalWeight;
    const mean = this.mean, weight = this.weight;
    let last = 0;
    mean[0] = inMean[order[0]];
    weight[0] = inWeight[order[0]];
    let wSoFar = 0;
    // K_2 scale: normalizer = compression / Z, Z = 4 log(n / compression) + 24; max(q) = q(1-q)/normalizer.
    const normalizer = compression / (4 * Math.log(total / compression) + 24);
    for (let i = 1; i < n; i++) {
      const ix = order[i];
      const proposed = weight[last] + inWeight[ix];
      const q0 = wSoFar / total;
      const q2 = (wSoFar + proposed) / total;
      const addThis = proposed <= total * Math.min((q0 * (1 - q0)) / normalizer, (q2 * (1 - q2)) / normalizer);
      if (addThis) {
        weight[last] += inWeight[ix];
        mean[last] = mean[last] + ((inMean[ix] - mean[last]) * inWeight[ix]) / weight[last];
      } else {
        wSoFar += weight[last];
        last++;
        mean[last] = inMean[ix];
        weight[last] = inWeight[ix];
      }
      inWeight[ix] = 0;
    }
    last++;
    this.lastUsedCell = last;
    if (runBackwards) {
      mean.subarray(0, last).reverse();
      weight.subarray(0, last).reverse();
    }
    if (total > 0) {
      this.min = Math.min(this.min, mean[0]);
      this.max = Math.max(this.max, mean[last - 1]);
    }
  }

  /**
   * The merge order when all buffered values weigh 1: sort those values natively (rewriting the buffer
   * in sorted order), then interleave the already sorted centroids that follow them in the buffer.
   */
  private fastOrder(incomingCount: number): Uint32Array {
    const inMean = this.tempMean, inWeight = this.tempWeight;
    const last = this.lastUsedCell;
    inMean.subarray(0, incomingCount).sort();
    inWeight.fill(1, 0, incomingCount);
    const n = incomingCount + last;
    const order = new Uint32Array(n);
    let i = 0, j = incomingCount, k = 0;
    while (i < incomingCount && j < n) order[k++] = inMean[j] < inMean[i] ? j++ : i++;
    while (i < incomingCount) order[k++] = i++;
    while (j < n) order[k++] = j++;
    return order;
  }

  /** The q-quantile (0..1), NaN when empty — 3.2's interpolation. */
  quantile(q: number): number {
    this.mergeNewValues(false, this.compression);
    const mean = this.mean, weight = this.weight;
    if (this.lastUsedCell === 0) return NaN;
    if (this.lastUsedCell === 1) return mean[0];
    const n = this.lastUsedCell;
    const index = q * this.totalWeight;
    if (index < weight[0] / 2) return this.min + ((2 * index) / weight[0]) * (mean[0] - this.min);
    let weightSoFar = weight[0] / 2;
    for (let i = 0; i < n - 1; i++) {
      const dw = (weight[i] + weight[i + 1]) / 2;
      if (weightSoFar + dw > index) {
        const z1 = index - weightSoFar;
        const z2 = weightSoFar + dw - index;
        return weightedAverage(mean[i], z2, mean[i + 1], z1);
      }
      weightSoFar += dw;
    }
    const z1 = index - this.totalWeight - weight[n - 1] / 2.0;
    const z2 = weight[n - 1] / 2 - z1;
    return weightedAverage(mean[n - 1], z1, this.max, z2);
  }

  /** The fraction of weight at or below x — 3.2's cdf. */
  cdf(x: number): number {
    this.mergeNewValues(false, this.compression);
    const mean = this.mean, weight = this.weight, n = this.lastUsedCell, total = this.totalWeight;
    const min = this.min, max = this.max;
    if (n === 0) return NaN;
    if (n === 1) {
      const width = max - min;
      if (x < min) return 0;
      if (x > max) return 1;
      if (x - min <= width) return 0.5;
      return (x - min) / (max - min);
    }
    if (x < min) return 0;
    if (x > max) return 1;
    if (x <= mean[0]) {
      return mean[0] - min > 0 ? (((x - min) / (mean[0] - min)) * weight[0]) / total / 2 : 0;
    }
    if (x >= mean[n - 1]) {
      return max - mean[n - 1] > 0 ? 1 - (((max - x) / (max - mean[n - 1])) * weight[n - 1]) / total / 2 : 1;
    }
    let weightSoFar = weight[0] / 2;
    for (let it = 0; it < n - 1; it++) {
      if (mean[it] === x) {
        const w0 = weightSoFar;
        while (it < n - 1 && mean[it + 1] === x) {
          weightSoFar += weight[it] + weight[it + 1];
          it++;
        }
        return (w0 + weightSoFar) / 2 / total;
      }
      if (mean[it] <= x && mean[it + 1] > x) {
        const dw = (weight[it] + weight[it + 1]) / 2;
        if (mean[it + 1] - mean[it] > 0) return (weightSoFar + (dw * (x - mean[it])) / (mean[it + 1] - mean[it])) / total;
        return weightSoFar + dw / total;
      }
      weightSoFar += (weight[it] + weight[it + 1]) / 2;
    }
    return 1;
  }
}

function weightedAverage(x1: number, w1: number, x2: number, w2: number): number {
  if (x1 <= x2) return sortedAverage(x1, w1, x2, w2);
  return sortedAverage(x2, w2, x1, w1);
}

function sortedAverage(x1: number, w1: number, x2: number, w2: number): number {
  const x = (x1 * w1 + x2 * w2) / (w1 + w2);
  return Math.max(x1, Math.min(x, x2));
}

/** Indices 0..n-1 ordered by value (stable for ties). */
function sortedOrder(values: Float64Array, n: number): Uint32Array {
  const order = new Uint32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  order.sort((a, b) => values[a] - values[b] || a - b);
  return order;
}

/** A digest rebuilt from shard centroids, as TDigestState.read + reduce add them. */
export function digestFrom(compression: number, centroidLists: [number, number][][]): TDigest {
  const d = new TDigest(compression);
  for (const list of centroidLists) for (const [m, c] of list) d.add(m, c);
  return d;
}
