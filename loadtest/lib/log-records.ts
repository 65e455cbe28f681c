// The ~1 KB JSON log records of the Firehose benchmark (loadtest/firehose.ts), also what
// loadtest/segment-build.ts builds segments of: a few keyword-like fields and a 790-char message.

/** mulberry32: a small seeded PRNG, so every run makes the same records. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const WORDS = 'request handled user session cache miss upstream timeout retry queue worker batch shard index token payment order invoice checkout render'.split(' ');
const SERVICES = ['api', 'web', 'auth', 'billing', 'search', 'ingest', 'worker', 'gateway'];

/** Record `i` of a run starting at `t0` (epoch ms), drawn from `rand`. */
export function logRecord(rand: () => number, i: number, t0: number): Record<string, unknown> {
  const words = Array.from({ length: 140 }, () => WORDS[Math.floor(rand() * WORDS.length)]).join(' ');
  return {
    timestamp: t0 + i * 7,
    level: rand() < 0.1 ? 'error' : rand() < 0.3 ? 'warn' : 'info',
    service: SERVICES[Math.floor(rand() * SERVICES.length)],
    host: `ip-10-0-${Math.floor(rand() * 32)}-${Math.floor(rand() * 255)}`,
    status: [200, 200, 200, 201, 204, 301, 400, 404, 500, 503][Math.floor(rand() * 10)],
    latency_ms: Math.round(rand() * 2000) / 10,
    trace_id: Math.floor(rand() * 2 ** 52).toString(16).padStart(13, '0'),
    message: words.slice(0, 790),
  };
}
