// OpenSearch's document routing: murmur3 (x86, 32-bit, seed 0) over the UTF-16LE bytes of `_routing`
// (or `_id`), floor-mod the index's routing shards, divided by the routing factor. Same doc, same shard.

/** Murmur3 x86_32 of a string's UTF-16LE code units, as OpenSearch's Murmur3HashFunction.hash(String). */
export function murmur3Utf16(text: string): number {
  const len = text.length * 2;
  let h = 0;
  const c1 = 0xcc9e2d51, c2 = 0x1b873593;
  const nblocks = len >>> 2;
  // Each 4-byte block is two UTF-16 code units, little-endian.
  for (let i = 0; i < nblocks; i++) {
    let k = (text.charCodeAt(2 * i) & 0xffff) | ((text.charCodeAt(2 * i + 1) & 0xffff) << 16);
    k = Math.imul(k, c1);
    k = (k << 15) | (k >>> 17);
    k = Math.imul(k, c2);
    h ^= k;
    h = (h << 13) | (h >>> 19);
    h = (Math.imul(h, 5) + 0xe6546b64) | 0;
  }
  if (len & 3) {
    // Odd number of code units: one trailing 2-byte tail.
    let k = text.charCodeAt(text.length - 1) & 0xffff;
    k = Math.imul(k, c1);
    k = (k << 15) | (k >>> 17);
    k = Math.imul(k, c2);
    h ^= k;
  }
  h ^= len;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h | 0;
}

/** OpenSearch's default `index.number_of_routing_shards` for an index with `numShards` primaries. */
export function defaultRoutingShards(numShards: number): number {
  // Allows splitting up to 1024 shards: numShards * 2^(10 - ceil(log2(numShards))).
  const log2NumShards = 32 - Math.clz32(numShards - 1);
  const numSplits = Math.max(0, 10 - log2NumShards);
  return numShards * 2 ** numSplits;
}

/** The shard a routing value goes to. */
export function shardForRouting(routing: string, numShards: number, routingShards: number): number {
  const hash = murmur3Utf16(routing);
  const mod = ((hash % routingShards) + routingShards) % routingShards;
  return Math.floor(mod / (routingShards / numShards));
}
