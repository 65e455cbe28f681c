// The `firehose:` section of Lookout's configuration file: accepted access keys, and per delivery stream
// the index its records go to, the index rotation, an optional index template and the record format.

import { ROTATIONS, type Rotation, type WeekScheme } from './index-rotation.ts';

/** How a stream's records are read: by their shape (default), or all as Metric Streams JSON lines. */
export type RecordFormat = 'auto' | 'metric-streams';

/** One configured delivery stream (`firehose.streams.<name>`). */
export interface StreamConfig {
  /** Index (before rotation) for every record of the stream; absent → the stream name for plain
   * records, `cwl-*` for CloudWatch Logs events and `cwm-*` for Metric Streams datapoints. */
  index?: string;
  rotation: Rotation;
  /** `template: {settings, mappings}` installed as a composable template for the stream's indices. */
  template?: Record<string, unknown>;
  format: RecordFormat;
  /** Keys accepted for this stream only (absent → the global `firehose.access_keys`). */
  accessKeys?: string[];
}

export interface FirehoseConfig {
  /** Accepted `X-Amz-Firehose-Access-Key` values; empty → every request is accepted. */
  accessKeys: string[];
  streams: Map<string, StreamConfig>;
  weekScheme: WeekScheme;
  /** How long a delivered request id is remembered (retries arrive for up to 2 h + 3 min). */
  dedupeTtlMs: number;
  /** Most request ids remembered; the oldest are forgotten first. */
  dedupeMaxEntries: number;
  /** Records being decoded or written at once before new deliveries are told to slow down (429). */
  maxInFlightRecords: number;
}

export const FIREHOSE_DEFAULTS = { dedupeTtlMs: 3 * 3600_000, dedupeMaxEntries: 500_000, maxInFlightRecords: 100_000 };

/** Parses `firehose:` (camelCase keys accepted as well); throws a readable message on a bad value. */
export function parseFirehoseConfig(value: unknown): FirehoseConfig {
  const v = (value ?? {}) as Record<string, unknown>;
  if (typeof v !== 'object' || Array.isArray(v)) throw new Error('firehose must be a mapping');
  const streams = new Map<string, StreamConfig>();
  const rawStreams = (v.streams ?? {}) as Record<string, unknown>;
  if (typeof rawStreams !== 'object' || Array.isArray(rawStreams)) throw new Error('firehose.streams must be a mapping of stream name → {index, rotation, template, format}');
  for (const [name, raw] of Object.entries(rawStreams)) streams.set(name, parseStream(name, raw));
  const weeks = String(v.week_numbering ?? v.weekNumbering ?? 'iso');
  if (weeks !== 'iso' && weeks !== 'us') throw new Error(`firehose.week_numbering must be iso or us, got [${weeks}]`);
  return {
    accessKeys: stringList(v.access_keys ?? v.accessKeys, 'firehose.access_keys') ?? [],
    streams,
    weekScheme: weeks,
    dedupeTtlMs: positive(v.dedupe_ttl_seconds ?? v.dedupeTtlSeconds, 'firehose.dedupe_ttl_seconds', FIREHOSE_DEFAULTS.dedupeTtlMs / 1000) * 1000,
    dedupeMaxEntries: positive(v.dedupe_max_entries ?? v.dedupeMaxEntries, 'firehose.dedupe_max_entries', FIREHOSE_DEFAULTS.dedupeMaxEntries),
    maxInFlightRecords: positive(v.max_in_flight_records ?? v.maxInFlightRecords, 'firehose.max_in_flight_records', FIREHOSE_DEFAULTS.maxInFlightRecords),
  };
}

function parseStream(name: string, raw: unknown): StreamConfig {
  const where = `firehose.streams.${name}`;
  if (typeof raw === 'string') return { index: raw, rotation: 'NoRotation', format: 'auto' };
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) throw new Error(`${where} must be an index name or {index, rotation, template, format}`);
  const s = raw as Record<string, unknown>;
  const known = new Set(['index', 'rotation', 'index_rotation_period', 'template', 'format', 'access_keys', 'accessKeys']);
  for (const k of Object.keys(s)) if (!known.has(k)) throw new Error(`${where}: unknown key [${k}]`);
  if (s.index !== undefined && (typeof s.index !== 'string' || s.index === '')) throw new Error(`${where}.index must be an index name`);
  const rotation = String(s.rotation ?? s.index_rotation_period ?? 'NoRotation');
  if (!(ROTATIONS as readonly string[]).includes(rotation)) throw new Error(`${where}.rotation must be one of ${ROTATIONS.join(', ')}, got [${rotation}]`);
  const format = String(s.format ?? 'auto');
  if (format !== 'auto' && format !== 'metric-streams') throw new Error(`${where}.format must be auto or metric-streams, got [${format}]`);
  if (s.template !== undefined && (s.template === null || typeof s.template !== 'object' || Array.isArray(s.template))) {
    throw new Error(`${where}.template must be {settings, mappings}`);
  }
  return {
    index: s.index as string | undefined,
    rotation: rotation as Rotation,
    template: s.template as Record<string, unknown> | undefined,
    format,
    accessKeys: stringList(s.access_keys ?? s.accessKeys, `${where}.access_keys`),
  };
}

function stringList(value: unknown, where: string): string[] | undefined {
  if (value === undefined || value === null) return undefined;
  if (!Array.isArray(value) || value.some((k) => typeof k !== 'string' || k === '')) throw new Error(`${where} must be a list of non-empty strings`);
  return value as string[];
}

function positive(value: unknown, where: string, dflt: number): number {
  if (value === undefined || value === null) return dflt;
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0) throw new Error(`${where} must be a positive number`);
  return n;
}
