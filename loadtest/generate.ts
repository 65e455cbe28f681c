// Deterministic generator of realistic ~500-byte web/application log documents, the data every
// benchmark in loadtest/ runs on. Doc i depends only on (seed, total, i), so any benchmark can
// regenerate any slice; CLI: `tsx loadtest/generate.ts --count N [--seed S] > logs.ndjson`.

import { pathToFileURL } from 'node:url';
import { writeSync } from 'node:fs';

/** Seed used when none is given, so every run of every benchmark sees the same documents. */
export const DEFAULT_SEED = 20250107;
/** Document count the timestamps are spread over when none is given. */
export const DEFAULT_DOCS = 1_000_000;
/** The generated logs cover the 7 days ending at this instant (exclusive). */
export const END_TIME_MS = Date.UTC(2025, 0, 8);
/** Length of the covered time span: 7 days. */
export const SPAN_MS = 7 * 86_400_000;
/** First instant of the covered span (2025-01-01T00:00:00.000Z, a Wednesday). */
export const START_TIME_MS = END_TIME_MS - SPAN_MS;

/** One generated log document; keys are emitted in this order. */
export interface LogDoc {
  '@timestamp': string;
  service: string;
  host: string;
  level: 'DEBUG' | 'INFO' | 'WARN' | 'ERROR';
  status: number;
  latency_ms: number;
  bytes: number;
  path: string;
  user_agent: string;
  trace_id: string;
  message: string;
}

/** Index mappings that suit the generated documents (keywords for exact fields, text for message). */
export const LOGS_MAPPINGS = {
  properties: {
    '@timestamp': { type: 'date' },
    service: { type: 'keyword' },
    host: { type: 'keyword' },
    level: { type: 'keyword' },
    status: { type: 'integer' },
    latency_ms: { type: 'float' },
    bytes: { type: 'long' },
    path: { type: 'keyword' },
    user_agent: { type: 'keyword' },
    trace_id: { type: 'keyword' },
    message: { type: 'text' },
  },
} as const;

// ---------------------------------------------------------------------------------------------
// Randomness

/**
 * mulberry32: a 32-bit state PRNG, small and fast, good enough for synthetic data.
 * `reseed` lets one instance serve every document without allocating.
 */
export class Rng {
  private state: number;
  constructor(seed: number) {
    this.state = seed | 0;
  }
  /** Restart the sequence from a new seed. */
  reseed(seed: number): void {
    this.state = seed | 0;
  }
  /** Uniform unsigned 32-bit integer. */
  u32(): number {
    this.state = (this.state + 0x6d2b79f5) | 0;
    let t = Math.imul(this.state ^ (this.state >>> 15), 1 | this.state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return (t ^ (t >>> 14)) >>> 0;
  }
  /** Uniform float in [0, 1). */
  float(): number {
    return this.u32() / 4294967296;
  }
  /** Uniform integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.float() * n);
  }
  /** Standard normal draw (Box–Muller; the second value is discarded to keep the state simple). */
  normal(): number {
    const u = 1 - this.float(); // (0, 1]: log(0) must not happen
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * this.float());
  }
  /** Uniform pick from a list. */
  pick<T>(values: readonly T[]): T {
    return values[this.int(values.length)]!;
  }
}

/** murmur3's 32-bit finaliser over (seed, i): the per-document seed, so doc i needs no predecessors. */
export function docSeed(seed: number, i: number): number {
  let h = (seed ^ Math.imul(i + 1, 0x9e3779b1)) | 0;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h;
}

/** A fixed discrete distribution, drawn from by binary search over its cumulative weights. */
export class Weighted<T> {
  readonly values: readonly T[];
  /** probabilities[k]: chance of values[k]. */
  readonly probabilities: Float64Array;
  private readonly cdf: Float64Array;
  constructor(values: readonly T[], weights: ArrayLike<number>) {
    if (values.length !== weights.length || values.length === 0) throw new Error('Weighted: bad input');
    this.values = values;
    this.cdf = new Float64Array(values.length);
    this.probabilities = new Float64Array(values.length);
    let sum = 0;
    for (let k = 0; k < values.length; k++) sum += weights[k]!;
    let acc = 0;
    for (let k = 0; k < values.length; k++) {
      this.probabilities[k] = weights[k]! / sum;
      acc += this.probabilities[k]!;
      this.cdf[k] = acc;
    }
    this.cdf[values.length - 1] = 1;
  }
  /** Index of a weighted draw. */
  drawIndex(rng: Rng): number {
    const u = rng.float();
    let lo = 0;
    let hi = this.cdf.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.cdf[mid]! > u) hi = mid;
      else lo = mid + 1;
    }
    return lo;
  }
  /** A weighted draw. */
  draw(rng: Rng): T {
    return this.values[this.drawIndex(rng)]!;
  }
}

/** Zipf weights 1/(rank+1)^s for n ranks. */
export function zipfWeights(n: number, s: number): Float64Array {
  const w = new Float64Array(n);
  for (let r = 0; r < n; r++) w[r] = 1 / Math.pow(r + 1, s);
  return w;
}

// ---------------------------------------------------------------------------------------------
// Vocabularies. Built once from a fixed seed, independent of the document seed, so query words
// (and the word that selects ~10% of documents) are the same whatever `--seed` is.

const VOCAB_SEED = 0x10c0a7;

const SERVICES = [
  'api-gateway', 'checkout', 'auth', 'catalog', 'search', 'cart', 'payments', 'users',
  'orders', 'inventory', 'recommendations', 'shipping', 'pricing', 'notifications', 'reviews',
  'media', 'billing', 'analytics', 'email', 'scheduler',
] as const;

/** Real words at the top of the frequency ranking: English function words mixed with log vocabulary. */
const COMMON_WORDS = (
  'the to of request a in for user and is from on with at service failed by was not connection ' +
  'completed error ' +
  'be as this response timeout that id session retry it are an received started have cache or ' +
  'sent no has after order query new database message has been will all ok but payment invalid ' +
  'took slow upstream token were token expired item which one can their there if they more when ' +
  'update so we about processing up out queue what event into job some would than other then ' +
  'worker only its also time over could handler because back call first client well way even ' +
  'status any these give most us file key value read write lock closed opened pool limit ' +
  'exceeded rate denied permission account login logout checkout cart product search index ' +
  'shard node cluster health metrics span trace header body payload json parse batch stream ' +
  'partition offset commit rollback transaction deadlock replica primary leader follower ' +
  'scheduled skipped done finished pending waiting running stopped restarted warning critical ' +
  'debug info notice starting shutting down reload config loaded missing found not found unknown ' +
  'reset refused unreachable dns resolve tls handshake certificate socket port host address'
)
  .split(' ')
  .filter((w, k, all) => all.indexOf(w) === k);

const ONSETS = [
  'b', 'c', 'd', 'f', 'g', 'h', 'j', 'k', 'l', 'm', 'n', 'p', 'r', 's', 't', 'v', 'w', 'z',
  'br', 'cr', 'dr', 'fr', 'gr', 'pr', 'tr', 'bl', 'cl', 'fl', 'gl', 'pl', 'sl', 'st', 'sp',
  'sk', 'ch', 'sh', 'th', 'qu', '',
];
const VOWELS = ['a', 'e', 'i', 'o', 'u', 'a', 'e', 'o', 'ai', 'ea', 'ou', 'io', 'ee', 'y'];
const CODAS = ['', '', '', 'n', 'r', 's', 'l', 't', 'm', 'nd', 'st', 'rk', 'x', 'ng', 'ck'];

/** Number of made-up words appended after the real ones. */
export const MADE_UP_WORDS = 50_000;
/** Zipf exponent of message words: about 1, as in natural language. */
export const MESSAGE_ZIPF_S = 1.0;

function buildVocabulary(): string[] {
  const rng = new Rng(VOCAB_SEED);
  const seen = new Set<string>(COMMON_WORDS);
  const madeUp: { word: string; key: number }[] = [];
  const syllableCounts = new Weighted([1, 2, 3, 4], [2, 5, 4, 1]);
  while (madeUp.length < MADE_UP_WORDS) {
    let word = '';
    const n = syllableCounts.draw(rng);
    for (let k = 0; k < n; k++) word += rng.pick(ONSETS) + rng.pick(VOWELS) + rng.pick(CODAS);
    if (word.length < 3 || word.length > 14 || seen.has(word)) continue;
    seen.add(word);
    // Zipf's law of abbreviation: shorter words tend to be more frequent, so rank by length plus noise.
    madeUp.push({ word, key: word.length + rng.float() * 4 });
  }
  madeUp.sort((a, b) => a.key - b.key);
  return [...COMMON_WORDS, ...madeUp.map((m) => m.word)];
}

const USER_AGENTS: readonly string[] = [
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36',
  'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36',
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0.0.0 Safari/537.36',
  'Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Mobile/15E148 Safari/604.1',
  'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Safari/605.1.15',
  'Mozilla/5.0 (Linux; Android 10; K) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Mobile Safari/537.36',
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:133.0) Gecko/20100101 Firefox/133.0',
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36 Edg/131.0.0.0',
  'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36',
  'Mozilla/5.0 (Macintosh; Intel Mac OS X 10.15; rv:133.0) Gecko/20100101 Firefox/133.0',
  'Mozilla/5.0 (iPad; CPU OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Mobile/15E148 Safari/604.1',
  'Mozilla/5.0 (X11; Ubuntu; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0',
  'Mozilla/5.0 (Linux; Android 14; SM-S918B) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.6778.39 Mobile Safari/537.36',
  'Mozilla/5.0 (iPhone; CPU iPhone OS 17_6 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.6 Mobile/15E148 Safari/604.1',
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36 OPR/115.0.0.0',
  'Mozilla/5.0 (Linux; Android 13; Pixel 7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0.6723.107 Mobile Safari/537.36',
  'Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)',
  'Mozilla/5.0 (compatible; bingbot/2.0; +http://www.bing.com/bingbot.htm)',
  'Mozilla/5.0 AppleWebKit/537.36 (KHTML, like Gecko; compatible; GPTBot/1.2; +https://openai.com/gptbot)',
  'Mozilla/5.0 (compatible; YandexBot/3.0; +http://yandex.com/bots)',
  'curl/8.5.0',
  'curl/7.88.1',
  'python-requests/2.32.3',
  'python-httpx/0.27.2',
  'Go-http-client/1.1',
  'Go-http-client/2.0',
  'okhttp/4.12.0',
  'axios/1.7.7',
  'node-fetch/1.0 (+https://github.com/bitinn/node-fetch)',
  'undici',
  'Apache-HttpClient/4.5.14 (Java/17.0.12)',
  'Java/17.0.12',
  'aws-sdk-js/3.693.0 ua/2.1 os/linux#6.1.0 lang/js md/nodejs#20.18.0 api/s3#3.693.0',
  'Boto3/1.35.63 md/Botocore#1.35.63 ua/2.0 os/linux#6.1.0 md/arch#x86_64 lang/python#3.12.7',
  'PostmanRuntime/7.42.0',
  'kube-probe/1.31',
  'Prometheus/2.55.1',
  'ELB-HealthChecker/2.0',
  'Datadog Agent/7.59.0',
  'Slackbot-LinkExpanding 1.0 (+https://api.slack.com/robots)',
];

const PATH_RESOURCES = [
  'users', 'orders', 'carts', 'products', 'items', 'payments', 'invoices', 'sessions', 'reviews',
  'images', 'accounts', 'shipments', 'inventory', 'prices', 'coupons', 'notifications', 'settings',
  'reports', 'events', 'tokens', 'addresses', 'categories', 'wishlists', 'subscriptions', 'refunds',
  'tickets', 'messages', 'files', 'search', 'recommendations',
];
const PATH_ACTIONS = [
  'details', 'status', 'history', 'items', 'summary', 'cancel', 'confirm', 'refund', 'preview',
  'download', 'share', 'comments', 'attachments', 'permissions', 'export',
];
const PATH_FIXED = [
  '/', '/health', '/healthz', '/ready', '/metrics', '/login', '/logout', '/signup', '/favicon.ico',
  '/robots.txt', '/api/v1/search', '/api/v2/search', '/api/v1/auth/token', '/api/v1/auth/refresh',
  '/graphql', '/sitemap.xml',
];

/** Number of distinct paths in the pool. */
export const PATH_POOL_SIZE = 5_000;

function buildPaths(rng: Rng): string[] {
  const paths = new Set<string>(PATH_FIXED);
  // Listing routes first (they are the frequent ones), then per-id routes.
  for (const v of ['v1', 'v2']) for (const r of PATH_RESOURCES) paths.add(`/api/${v}/${r}`);
  while (paths.size < PATH_POOL_SIZE) {
    const v = rng.float() < 0.7 ? 'v1' : 'v2';
    const r = rng.pick(PATH_RESOURCES);
    const id = Math.floor(Math.exp(rng.float() * Math.log(20_000)));
    const kind = rng.float();
    if (kind < 0.1) paths.add(`/static/${rng.pick(['js', 'css', 'img', 'fonts'])}/${r}-${id.toString(36)}.${rng.pick(['js', 'css', 'png', 'woff2', 'svg'])}`);
    else if (kind < 0.55) paths.add(`/api/${v}/${r}/${id}`);
    else paths.add(`/api/${v}/${r}/${id}/${rng.pick(PATH_ACTIONS)}`);
  }
  return [...paths];
}

function buildHosts(rng: Rng): string[][] {
  const alphabet = 'bcdfghjklmnpqrstvwxz2456789';
  return SERVICES.map((s) => {
    const replicaSet = Array.from({ length: 5 }, () => alphabet[rng.int(alphabet.length)]).join('');
    return Array.from({ length: 10 }, () => {
      let pod = '';
      for (let k = 0; k < 5; k++) pod += alphabet[rng.int(alphabet.length)];
      return `${s}-${replicaSet}-${pod}`;
    });
  });
}

/** Everything that does not depend on the document seed; built lazily once per process. */
interface Tables {
  vocabulary: string[];
  words: Weighted<string>;
  services: Weighted<string>;
  hosts: string[][];
  paths: Weighted<string>;
  userAgents: Weighted<string>;
  levels: Weighted<LogDoc['level']>;
  messageLengths: Weighted<number>;
  /** Cumulative share of documents per hour of the 168-hour span (diurnal and weekend shape). */
  hourCdf: Float64Array;
}

let tables: Tables | undefined;

function getTables(): Tables {
  if (tables) return tables;
  const rng = new Rng(VOCAB_SEED + 1);
  const vocabulary = buildVocabulary();
  const hourWeights = new Float64Array(168);
  for (let h = 0; h < 168; h++) {
    const hourOfDay = h % 24;
    const day = Math.floor(h / 24); // 0 = Wednesday 2025-01-01; 3, 4 = Saturday, Sunday
    const diurnal = 1 + 0.6 * Math.sin((2 * Math.PI * (hourOfDay - 8)) / 24);
    hourWeights[h] = diurnal * (day === 3 || day === 4 ? 0.7 : 1);
  }
  const hourCdf = new Float64Array(168);
  let acc = 0;
  const total = hourWeights.reduce((a, b) => a + b, 0);
  for (let h = 0; h < 168; h++) hourCdf[h] = acc += hourWeights[h]! / total;
  hourCdf[167] = 1;
  const lengths = Array.from({ length: 33 }, (_, k) => k + 7); // 7..39 words
  tables = {
    vocabulary,
    words: new Weighted(vocabulary, zipfWeights(vocabulary.length, MESSAGE_ZIPF_S)),
    services: new Weighted(SERVICES, zipfWeights(SERVICES.length, 1.0)),
    hosts: buildHosts(rng),
    paths: new Weighted(buildPaths(rng), zipfWeights(PATH_POOL_SIZE, 1.05)),
    userAgents: new Weighted(USER_AGENTS, zipfWeights(USER_AGENTS.length, 1.2)),
    levels: new Weighted(['DEBUG', 'INFO', 'WARN', 'ERROR'] as const, [12, 75, 9, 4]),
    // Bell-shaped around 23 words.
    messageLengths: new Weighted(lengths, lengths.map((n) => Math.exp(-((n - 23) ** 2) / 60))),
    hourCdf,
  };
  return tables;
}

// ---------------------------------------------------------------------------------------------
// Documents

const STATUS_OK = new Weighted([200, 201, 204, 301, 302, 304, 400, 401, 403, 404, 429], [880, 25, 15, 3, 12, 20, 8, 6, 3, 25, 3]);
const STATUS_WARN = new Weighted([400, 401, 403, 404, 408, 409, 422, 429, 200], [20, 15, 8, 30, 4, 5, 6, 8, 10]);
const STATUS_ERROR = new Weighted([500, 502, 503, 504, 200], [45, 20, 20, 12, 3]);
const HEX = '0123456789abcdef';

function hex(rng: Rng, chars: number): string {
  let s = '';
  while (s.length < chars) {
    const v = rng.u32();
    for (let k = 0; k < 8 && s.length < chars; k++) s += HEX[(v >>> (k * 4)) & 15];
  }
  return s;
}

/** Millisecond timestamp of doc i of `total`: follows the hourly CDF, increasing with i, ±a few seconds. */
function timestampOf(t: Tables, rng: Rng, i: number, total: number): number {
  const u = (i + 0.5) / total;
  let lo = 0;
  let hi = 167;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (t.hourCdf[mid]! > u) hi = mid;
    else lo = mid + 1;
  }
  const before = lo === 0 ? 0 : t.hourCdf[lo - 1]!;
  const within = (u - before) / (t.hourCdf[lo]! - before);
  const ms = START_TIME_MS + (lo + within) * 3_600_000 + rng.normal() * 3_000;
  return Math.min(END_TIME_MS - 1, Math.max(START_TIME_MS, Math.floor(ms)));
}

/** A free-text message: Zipf words plus the odd high-cardinality token (ids, durations), as real logs have. */
function messageOf(t: Tables, rng: Rng): string {
  const n = t.messageLengths.draw(rng);
  const parts: string[] = [];
  for (let k = 0; k < n; k++) parts.push(t.words.draw(rng));
  const extras = rng.int(3); // 0, 1 or 2 variable tokens
  for (let k = 0; k < extras; k++) {
    const kind = rng.int(4);
    const token =
      kind === 0 ? `uid=${rng.int(200_000)}`
      : kind === 1 ? `txn=${hex(rng, 8)}`
      : kind === 2 ? `${rng.int(5_000)}ms`
      : `attempt ${1 + rng.int(5)}`;
    parts.splice(rng.int(parts.length + 1), 0, token);
  }
  const first = parts[0]!;
  parts[0] = first.charAt(0).toUpperCase() + first.slice(1);
  return parts.join(' ');
}

function buildDoc(t: Tables, rng: Rng, i: number, total: number): LogDoc {
  const ts = timestampOf(t, rng, i, total);
  const serviceIndex = t.services.drawIndex(rng);
  const level = t.levels.draw(rng);
  const status = (level === 'ERROR' ? STATUS_ERROR : level === 'WARN' ? STATUS_WARN : STATUS_OK).draw(rng);
  const slow = status >= 500 ? 2.5 : 1;
  const latency = Math.exp(Math.log(35) + 0.9 * rng.normal()) * slow;
  const bytes = status === 204 || status === 304 ? 0 : Math.round(Math.exp(Math.log(1800) + 1.1 * rng.normal()));
  return {
    '@timestamp': new Date(ts).toISOString(),
    service: t.services.values[serviceIndex]!,
    host: rng.pick(t.hosts[serviceIndex]!),
    level,
    status,
    latency_ms: Math.round(latency * 1000) / 1000,
    bytes,
    path: t.paths.draw(rng),
    user_agent: t.userAgents.draw(rng),
    trace_id: hex(rng, 32),
    message: messageOf(t, rng),
  };
}

/** A deterministic stream of log documents. */
export interface LogGenerator {
  /** The seed this generator was made with. */
  readonly seed: number;
  /** Number of documents the 7-day span is spread over. */
  readonly total: number;
  /** The next document (starting at doc 0). */
  next(): LogDoc;
  /** Document i, independent of what was generated before. */
  doc(i: number): LogDoc;
  /** Document i as one line of JSON (no trailing newline). */
  docLine(i: number): string;
}

/**
 * A generator of log documents. `total` only decides how the timestamps spread over the 7 days
 * (doc 0 near the start, doc total-1 near the end); every other field depends on (seed, i) alone.
 */
export function makeGenerator(seed: number = DEFAULT_SEED, total: number = DEFAULT_DOCS): LogGenerator {
  const t = getTables();
  const rng = new Rng(0);
  let cursor = 0;
  const doc = (i: number): LogDoc => {
    rng.reseed(docSeed(seed, i));
    return buildDoc(t, rng, i, Math.max(total, i + 1));
  };
  return {
    seed,
    total,
    next: () => doc(cursor++),
    doc,
    docLine: (i) => JSON.stringify(doc(i)),
  };
}

let defaultGenerator: LogGenerator | undefined;

/** Document i of the default data set (DEFAULT_SEED, DEFAULT_DOCS) as a JSON line. */
export function docLine(i: number): string {
  defaultGenerator ??= makeGenerator();
  return defaultGenerator.docLine(i);
}

// ---------------------------------------------------------------------------------------------
// Query helpers

/** The 20 service names, most frequent first. */
export function serviceNames(): readonly string[] {
  return getTables().services.values;
}

/** All 200 host names (10 per service). */
export function hostNames(): string[] {
  return getTables().hosts.flat();
}

/**
 * A sampler of query words "as they occur in the messages": drawn from the same Zipf
 * distribution as message words, so frequent words are queried often.
 */
export function makeQueryWordSampler(seed: number = DEFAULT_SEED): () => string {
  const t = getTables();
  const rng = new Rng(seed ^ 0x5eed);
  return () => t.words.draw(rng);
}

/** Samplers of field values with the documents' own skew, for term queries. */
export function makeFieldSampler(seed: number = DEFAULT_SEED): {
  service(): string;
  host(): string;
  level(): string;
} {
  const t = getTables();
  const rng = new Rng(seed ^ 0xf1e1d);
  return {
    service: () => t.services.draw(rng),
    host: () => rng.pick(t.hosts[t.services.drawIndex(rng)]!),
    level: () => t.levels.draw(rng),
  };
}

/**
 * Expected share of documents whose message contains a word of the given Zipf rank:
 * E over message length L of 1 − (1 − p)^L (the variable tokens never collide with vocabulary words).
 */
export function expectedDocFraction(rank: number): number {
  const t = getTables();
  const p = t.words.probabilities[rank]!;
  let fraction = 0;
  const lengths = t.messageLengths;
  for (let k = 0; k < lengths.values.length; k++) {
    fraction += lengths.probabilities[k]! * (1 - Math.pow(1 - p, lengths.values[k]!));
  }
  return fraction;
}

/** The message word whose expected document share is closest to `fraction` (default 10%). */
export function wordSelecting(fraction = 0.1): { word: string; rank: number; expected: number } {
  const t = getTables();
  let best = 0;
  for (let r = 0; r < t.vocabulary.length; r++) {
    if (Math.abs(expectedDocFraction(r) - fraction) < Math.abs(expectedDocFraction(best) - fraction)) best = r;
    if (expectedDocFraction(r) < fraction / 2) break; // shares only fall with rank
  }
  return { word: t.vocabulary[best]!, rank: best, expected: expectedDocFraction(best) };
}

/** The message vocabulary, most frequent first. */
export function vocabulary(): readonly string[] {
  return getTables().vocabulary;
}

// ---------------------------------------------------------------------------------------------
// CLI

function parseFlag(args: string[], name: string): string | undefined {
  const k = args.indexOf(`--${name}`);
  return k >= 0 ? args[k + 1] : undefined;
}

/** Write `count` documents as NDJSON to a file descriptor, in ~1 MB writes. */
export function writeNdjson(fd: number, count: number, seed: number = DEFAULT_SEED): number {
  const gen = makeGenerator(seed, count);
  let chunk: string[] = [];
  let chunkBytes = 0;
  let written = 0;
  for (let i = 0; i < count; i++) {
    const line = gen.docLine(i) + '\n';
    chunk.push(line);
    chunkBytes += line.length;
    if (chunkBytes >= 1 << 20 || i === count - 1) {
      const buf = Buffer.from(chunk.join(''), 'utf8');
      let off = 0;
      while (off < buf.length) {
        try {
          off += writeSync(fd, buf, off);
        } catch (err) {
          // stdout may be a non-blocking pipe: wait for it to drain rather than fail.
          if ((err as NodeJS.ErrnoException).code !== 'EAGAIN') throw err;
          Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 5);
        }
      }
      written += buf.length;
      chunk = [];
      chunkBytes = 0;
    }
  }
  return written;
}

function main(): void {
  const args = process.argv.slice(2);
  if (args.includes('--help')) {
    process.stderr.write('usage: tsx loadtest/generate.ts --count N [--seed S] > logs.ndjson\n');
    return;
  }
  const count = Number(parseFlag(args, 'count') ?? parseFlag(args, 'docs') ?? 1000);
  const seed = Number(parseFlag(args, 'seed') ?? DEFAULT_SEED);
  if (!Number.isInteger(count) || count < 0 || !Number.isInteger(seed)) throw new Error('--count and --seed take integers');
  writeNdjson(1, count, seed);
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) main();
