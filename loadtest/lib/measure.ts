// Measurement primitives for the benchmarks: a process's resident memory, a directory's bytes on
// disk, latency percentiles, and timing of in-process reference loops.

import { readFileSync } from 'node:fs';
import { readdir, lstat } from 'node:fs/promises';
import { join } from 'node:path';

/** Resident memory of a process, from /proc/<pid>/status (Linux). */
export interface Rss {
  /** VmRSS: resident set size now, in bytes. */
  rssBytes: number;
  /** VmHWM: peak resident set size, in bytes. */
  peakBytes: number;
}

/** Read VmRSS and VmHWM of a process; throws when /proc has no such pid. */
export function rssOf(pid: number): Rss {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (key: string): number => {
    const m = new RegExp(`^${key}:\\s+(\\d+)\\s+kB`, 'm').exec(status);
    return m ? Number(m[1]) * 1024 : 0;
  };
  return { rssBytes: kb('VmRSS'), peakBytes: kb('VmHWM') };
}

/** Bytes under a directory: apparent (sum of file sizes) and allocated (blocks × 512, as `du`). */
export interface DiskUsage {
  apparentBytes: number;
  allocatedBytes: number;
  files: number;
}

/** Recursive `du` of a directory; files that vanish while walking (merges, translog trims) are skipped. */
export async function diskUsage(dir: string): Promise<DiskUsage> {
  const total: DiskUsage = { apparentBytes: 0, allocatedBytes: 0, files: 0 };
  const walk = async (path: string): Promise<void> => {
    let entries;
    try {
      entries = await readdir(path, { withFileTypes: true });
    } catch {
      return;
    }
    for (const e of entries) {
      const p = join(path, e.name);
      if (e.isDirectory()) {
        await walk(p);
        continue;
      }
      try {
        const st = await lstat(p);
        total.apparentBytes += st.size;
        total.allocatedBytes += st.blocks * 512;
        total.files++;
      } catch {
        // removed between readdir and lstat
      }
    }
  };
  await walk(dir);
  return total;
}

/** Summary of a latency sample, in the sample's unit (milliseconds throughout loadtest/). */
export interface Percentiles {
  n: number;
  min: number;
  p50: number;
  p90: number;
  p99: number;
  max: number;
  mean: number;
}

/** Value at quantile q (0..1) of an ascending array, linearly interpolated between ranks. */
export function quantile(sorted: ArrayLike<number>, q: number): number {
  if (sorted.length === 0) return NaN;
  const pos = (sorted.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return sorted[lo]! + (sorted[hi]! - sorted[lo]!) * (pos - lo);
}

/** p50/p90/p99 (and min, max, mean) of a sample. */
export function percentiles(sample: readonly number[]): Percentiles {
  const s = Float64Array.from(sample).sort();
  let sum = 0;
  for (const v of s) sum += v;
  return {
    n: s.length,
    min: s[0] ?? NaN,
    p50: quantile(s, 0.5),
    p90: quantile(s, 0.9),
    p99: quantile(s, 0.99),
    max: s[s.length - 1] ?? NaN,
    mean: s.length ? sum / s.length : NaN,
  };
}

/** Median of a sample. */
export function median(sample: readonly number[]): number {
  return quantile(Float64Array.from(sample).sort(), 0.5);
}

/** Milliseconds since an arbitrary origin, sub-millisecond resolution. */
export function nowMs(): number {
  return performance.now();
}

/**
 * Time an in-process reference loop: `runs` timed calls after `warmup` untimed ones; returns the
 * median milliseconds per call. The loop's result is kept in a sink so the JIT cannot drop it.
 */
export function timeLoop(fn: () => number, runs = 21, warmup = 3): { medianMs: number; result: number } {
  let sink = 0;
  for (let k = 0; k < warmup; k++) sink += fn();
  const times: number[] = [];
  let result = 0;
  for (let k = 0; k < runs; k++) {
    const t0 = nowMs();
    result = fn();
    times.push(nowMs() - t0);
    sink += result;
  }
  if (sink === Number.MIN_VALUE) console.log(sink); // never true; keeps `sink` observable
  return { medianMs: median(times), result };
}

/** Human-readable byte count (binary units). */
export function formatBytes(n: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB'];
  let u = 0;
  while (n >= 1024 && u < units.length - 1) {
    n /= 1024;
    u++;
  }
  return `${n.toFixed(u === 0 ? 0 : 1)} ${units[u]}`;
}

/** An acknowledged request: when it completed (ms, `performance.now()`) and how many items it carried. */
export interface Ack {
  at: number;
  items: number;
}

/**
 * The rate (items/s) once the engine's backlog can no longer hide how fast it indexes: Lookout
 * acknowledges a write once it is durable and indexes it in the background, holding writers back
 * only when `backlog` documents wait for a segment build (MAX_BACKLOG_DOCS). The first `backlog` items of
 * a run can therefore be taken faster than the engine can keep up with; this rate counts only the
 * items acknowledged after them, over the time after them. NaN when the run is not longer than that.
 */
export function sustainedRate(acks: readonly Ack[], backlog: number): number {
  const sorted = [...acks].sort((a, b) => a.at - b.at);
  let seen = 0;
  let i = 0;
  while (i < sorted.length && seen < backlog) seen += sorted[i++]!.items;
  if (i === 0 || i >= sorted.length) return NaN;
  const from = sorted[i - 1]!.at;
  const to = sorted[sorted.length - 1]!.at;
  let items = 0;
  for (let k = i; k < sorted.length; k++) items += sorted[k]!.items;
  return (items * 1000) / (to - from);
}
