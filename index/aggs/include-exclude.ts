// include / exclude for terms-like aggregations: Lucene-style regular expressions (string fields only),
// exact value lists (parsed per field kind: dates, ips, numbers) and hash partitions, with the same
// murmur3 (strings) and BitMixer.mix64 (numbers) partitioning OpenSearch uses.

import { encodeIp } from '../mapping/ip.ts';
import { aggExecution } from './parse-helpers.ts';
import { parseDate } from './date-support.ts';
import type { TermFilter } from './term-collector.ts';
import type { ValuesSource } from './values-source.ts';

/** The raw include/exclude parameters. */
export interface IncludeExclude {
  include?: string | (string | number | boolean)[] | { partition: number; num_partitions: number };
  exclude?: string | (string | number | boolean)[];
}

/** Compiles include/exclude into a term filter for a source (null when there is none). */
export function compileIncludeExclude(aggName: string, p: IncludeExclude, src: ValuesSource): TermFilter | null {
  const { include, exclude } = p;
  if (include === undefined && exclude === undefined) return null;
  const isString = src.kind === 'string' || src.kind === 'unmapped';
  if ((typeof include === 'string' || typeof exclude === 'string') && !isString) {
    throw aggExecution(
      `Aggregation [${aggName}] cannot support regular expression style include/exclude settings as they can only be applied to string fields. Use an array of values for include/exclude clauses`,
      500, // OpenSearch raises it while creating the aggregator: a shard failure, not a 400
    );
  }
  const norm = (v: string | number | boolean): string | number => {
    switch (src.kind) {
      case 'ip': return encodeIp(String(v)) ?? String(v);
      case 'date': return typeof v === 'number' ? v : parseDate(String(v), src.info?.format ?? 'strict_date_optional_time', Date.now());
      case 'boolean': return v === true || v === 'true' ? 1 : 0;
      case 'long': case 'double': return Number(v);
      default: return String(v);
    }
  };
  let inc: TermFilter | null = null;
  if (typeof include === 'string') {
    const re = luceneRegExp(include);
    inc = (t) => re.test(String(t));
  } else if (Array.isArray(include)) {
    const set = new Set(include.map(norm));
    inc = (t) => set.has(t);
  } else if (include && typeof include === 'object') {
    const { partition, num_partitions: n } = include;
    inc = (t) => partitionOf(t) % n === partition;
    const partitionOf = (t: string | number) => (typeof t === 'number' ? floorModMix64(t, n) : floorMod(murmur3Utf8(t, 31), n));
  }
  let exc: TermFilter | null = null;
  if (typeof exclude === 'string') {
    const re = luceneRegExp(exclude);
    exc = (t) => re.test(String(t));
  } else if (Array.isArray(exclude)) {
    const set = new Set(exclude.map(norm));
    exc = (t) => set.has(t);
  }
  return (t) => (inc === null || inc(t)) && (exc === null || !exc(t));
}

/** A Lucene RegExp (whole-term match) as a JS RegExp for the common syntax. */
function luceneRegExp(pattern: string): RegExp {
  return new RegExp(`^(?:${pattern.replace(/\\?[<>@&~#]/g, (m) => (m.length === 2 ? m : '\\' + m))})$`, 'u');
}

function floorMod(x: number, n: number): number {
  return ((x % n) + n) % n;
}

/** Math.floorMod(BitMixer.mix64(value), n) for a long value. */
function floorModMix64(v: number, n: number): number {
  const M = (1n << 64n) - 1n;
  let z = BigInt.asUintN(64, BigInt(Math.trunc(v)));
  z = ((z ^ (z >> 32n)) * 0x4cd6944c5cc20b6dn) & M;
  z = ((z ^ (z >> 29n)) * 0xfc12c5b19d3259e9n) & M;
  z = z ^ (z >> 32n);
  const signed = BigInt.asIntN(64, z);
  const bn = BigInt(n);
  return Number(((signed % bn) + bn) % bn);
}

/** Lucene's StringHelper.murmurhash3_x86_32 over the UTF-8 bytes of `s`. */
export function murmur3Utf8(s: string, seed: number): number {
  const data = Buffer.from(s, 'utf8');
  const c1 = 0xcc9e2d51, c2 = 0x1b873593;
  let h1 = seed | 0;
  const len = data.length;
  const rounded = len & ~3;
  for (let i = 0; i < rounded; i += 4) {
    let k1 = data[i] | (data[i + 1] << 8) | (data[i + 2] << 16) | (data[i + 3] << 24);
    k1 = Math.imul(k1, c1);
    k1 = (k1 << 15) | (k1 >>> 17);
    k1 = Math.imul(k1, c2);
    h1 ^= k1;
    h1 = (h1 << 13) | (h1 >>> 19);
    h1 = (Math.imul(h1, 5) + 0xe6546b64) | 0;
  }
  const tail = len & 3;
  if (tail > 0) {
    let k1 = 0;
    if (tail === 3) k1 = (data[rounded + 2] & 0xff) << 16;
    if (tail >= 2) k1 |= (data[rounded + 1] & 0xff) << 8;
    k1 |= data[rounded] & 0xff;
    k1 = Math.imul(k1, c1);
    k1 = (k1 << 15) | (k1 >>> 17);
    k1 = Math.imul(k1, c2);
    h1 ^= k1;
  }
  h1 ^= len;
  h1 ^= h1 >>> 16;
  h1 = Math.imul(h1, 0x85ebca6b);
  h1 ^= h1 >>> 13;
  h1 = Math.imul(h1, 0xc2b2ae35);
  h1 ^= h1 >>> 16;
  return h1;
}
