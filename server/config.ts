// Lookout's configuration: defaults, then the config file (YAML or JSON), then environment variables,
// then command-line flags. Everything beyond host/port/data dir/log level lives in the file.

import { readFileSync } from 'node:fs';
import yaml from 'js-yaml';
import type { AwsCredential } from './aws/sigv4.ts';

/** The resolved configuration. */
export interface LookoutConfig {
  host: string;
  port: number;
  dataDir: string;
  logLevel: string;
  allowInsecure: boolean;
  /** `http.max_content_length` in bytes (OpenSearch's default 100 MB). */
  maxContentLength: number;
  /** `aws.credentials`: when any are set, SigV4 signatures on the AWS APIs are verified. */
  awsCredentials: AwsCredential[];
  /** `alarms.*`: metric alarm evaluation (lag after a period boundary for late data, alarm count limit); defaults 2 s and 100,000. */
  alarms?: { evaluationLagMs: number; maxMetricAlarms: number };
  /** The raw config file contents, for later subsystems (firehose, aws, notifications, auth). */
  file: Record<string, unknown>;
}

export const DEFAULTS = { host: '127.0.0.1', port: 9200, dataDir: './data', logLevel: 'info', maxContentLength: 100 * 1024 * 1024 };

const USAGE = `Usage: lookout [--host H] [--port P] [--data-dir DIR] [--log-level LEVEL] [--config FILE] [--allow-insecure]
Environment: LOOKOUT_HOST, LOOKOUT_PORT, LOOKOUT_DATA_DIR, LOOKOUT_LOG_LEVEL, LOOKOUT_CONFIG`;

/** Parses a byte size like `100mb`, `64MiB`, `1048576`. */
export function parseByteSize(value: unknown): number {
  if (typeof value === 'number') return value;
  const m = /^\s*(\d+(?:\.\d+)?)\s*([kmgt]?i?b?)?\s*$/i.exec(String(value));
  if (!m) throw new Error(`invalid byte size [${String(value)}]`);
  const unit = (m[2] ?? '').toLowerCase().replace('i', '').replace('b', '');
  const mult: Record<string, number> = { '': 1, k: 1024, m: 1024 ** 2, g: 1024 ** 3, t: 1024 ** 4 };
  return Math.floor(Number(m[1]) * mult[unit]);
}

/** Reads a nested (`http: {max_content_length}`) or dotted (`http.max_content_length`) key. */
export function configValue(file: Record<string, unknown>, key: string): unknown {
  if (key in file) return file[key];
  let node: unknown = file;
  for (const part of key.split('.')) {
    if (node === null || typeof node !== 'object') return undefined;
    node = (node as Record<string, unknown>)[part];
  }
  return node;
}

/** Builds the configuration from argv and env. Throws with a usage message on bad flags. */
export function loadConfig(argv: string[], env: NodeJS.ProcessEnv): LookoutConfig {
  const flags: Record<string, string | boolean> = {};
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--help' || a === '-h') throw new Error(USAGE);
    if (a === '--allow-insecure') {
      flags['allow-insecure'] = true;
      continue;
    }
    const m = /^--([a-z-]+)(?:=(.*))?$/.exec(a);
    if (!m || !['host', 'port', 'data-dir', 'log-level', 'config'].includes(m[1])) throw new Error(`unknown argument ${a}\n${USAGE}`);
    const value = m[2] ?? argv[++i];
    if (value === undefined) throw new Error(`--${m[1]} needs a value\n${USAGE}`);
    flags[m[1]] = value;
  }
  const configPath = (flags.config as string | undefined) ?? env.LOOKOUT_CONFIG;
  let file: Record<string, unknown> = {};
  if (configPath) {
    const text = readFileSync(configPath, 'utf8');
    const parsed = configPath.endsWith('.json') ? JSON.parse(text) : yaml.load(text);
    if (parsed && typeof parsed === 'object') file = parsed as Record<string, unknown>;
  }
  const pick = (flag: string, envName: string, fileKey: string, dflt: string | number): string =>
    String(flags[flag] ?? env[envName] ?? configValue(file, fileKey) ?? dflt);
  const port = Number(pick('port', 'LOOKOUT_PORT', 'http.port', DEFAULTS.port));
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`invalid port ${port}`);
  return {
    host: pick('host', 'LOOKOUT_HOST', 'http.host', DEFAULTS.host),
    port,
    dataDir: pick('data-dir', 'LOOKOUT_DATA_DIR', 'path.data', DEFAULTS.dataDir),
    logLevel: pick('log-level', 'LOOKOUT_LOG_LEVEL', 'log.level', DEFAULTS.logLevel),
    allowInsecure: flags['allow-insecure'] === true || env.LOOKOUT_ALLOW_INSECURE === 'true',
    maxContentLength: parseByteSize(configValue(file, 'http.max_content_length') ?? DEFAULTS.maxContentLength),
    awsCredentials: parseAwsCredentials(configValue(file, 'aws.credentials')),
    alarms: {
      evaluationLagMs: Math.round(Number(configValue(file, 'alarms.evaluation_lag_seconds') ?? 2) * 1000),
      maxMetricAlarms: Number(configValue(file, 'alarms.max_metric_alarms') ?? 100_000),
    },
    file,
  };
}

/** `aws.credentials: [{access_key_id, secret_access_key}]` (camelCase accepted too). */
function parseAwsCredentials(value: unknown): AwsCredential[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) throw new Error('aws.credentials must be a list of {access_key_id, secret_access_key}');
  return value.map((c: Record<string, unknown>, i) => {
    const accessKeyId = c.access_key_id ?? c.accessKeyId;
    const secretAccessKey = c.secret_access_key ?? c.secretAccessKey;
    if (typeof accessKeyId !== 'string' || typeof secretAccessKey !== 'string') throw new Error(`aws.credentials[${i}] needs access_key_id and secret_access_key`);
    return { accessKeyId, secretAccessKey };
  });
}

/** Whether a host is a loopback address (safe without authentication). */
export function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || host.startsWith('127.');
}
