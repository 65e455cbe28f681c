// `skip` steps: version ranges and required runner features.
// Versions order legacy Elasticsearch (5.x–7.x) below every OpenSearch version, as upstream's
// XOR-masked version ids do, so " - 7.9.99" never skips on OpenSearch and "7.3.0 - " always does.

/** A parsed version: OpenSearch (1.x–4.x) sorts above legacy Elasticsearch (major ≥ 5). */
export interface Version {
  openSearch: boolean;
  major: number;
  minor: number;
  patch: number;
}

/** Features OpenSearch's YAML runner declares (plus spi_on_classpath_jdk9, always true). */
export const SUPPORTED_FEATURES: ReadonlySet<string> = new Set([
  'catch_unauthorized',
  'default_shards',
  'embedded_stash_key',
  'headers',
  'node_selector',
  'stash_in_key',
  'stash_in_path',
  'stash_path_replace',
  'warnings',
  'yaml',
  'contains',
  'transform_and_set',
  'arbitrary_key',
  'allowed_warnings',
  'spi_on_classpath_jdk9',
]);

/** Parses "2.19.0", "2.19.0-SNAPSHOT" or "7.10" into a Version. Throws on anything else. */
export function parseVersion(text: string): Version {
  const match = /^\s*(\d+)\.(\d+)(?:\.(\d+))?(?:[-.+][\w.-]*)?\s*$/.exec(text);
  if (!match) throw new Error(`invalid version [${text}]`);
  const major = Number(match[1]);
  return { openSearch: major < 5, major, minor: Number(match[2]), patch: Number(match[3] ?? 0) };
}

/** Orders versions: every legacy (≥ 5.x) version is below every OpenSearch version. */
export function compareVersions(a: Version, b: Version): number {
  if (a.openSearch !== b.openSearch) return a.openSearch ? 1 : -1;
  return a.major - b.major || a.minor - b.minor || a.patch - b.patch;
}

/**
 * True when `version` falls in any of the comma-separated inclusive ranges: "all",
 * "X - Y", " - Y" (up to Y) and "X - " (from X). Throws on a malformed range.
 */
export function versionInRanges(version: Version, ranges: string): boolean {
  return ranges.split(',').some((range) => {
    const trimmed = range.trim();
    if (trimmed === 'all') return true;
    const dash = trimmed.indexOf('-');
    if (dash < 0) throw new Error(`version range [${trimmed}] must contain '-'`);
    const lower = trimmed.slice(0, dash).trim();
    const upper = trimmed.slice(dash + 1).trim();
    if (lower === '' && upper === '') throw new Error(`version range [${trimmed}] has no bounds`);
    if (lower !== '' && compareVersions(version, parseVersion(lower)) < 0) return false;
    if (upper !== '' && compareVersions(version, parseVersion(upper)) > 0) return false;
    return true;
  });
}

/**
 * Decides a `skip` step. Returns the reason to skip, or null to run. The step is skipped when
 * the server version is in `version`, or when any listed feature is not supported.
 */
export function skipReason(args: unknown, serverVersion: Version): string | null {
  if (typeof args !== 'object' || args === null || Array.isArray(args)) {
    throw new Error('skip must be a map with version, reason and/or features');
  }
  const { version, reason, features } = args as { version?: unknown; reason?: unknown; features?: unknown };
  const featureList = features === undefined ? [] : Array.isArray(features) ? features : [features];
  const missing = featureList.map(String).filter((feature) => !SUPPORTED_FEATURES.has(feature));
  if (missing.length > 0) return `runner lacks feature(s) ${missing.join(', ')}`;
  if (version !== undefined && versionInRanges(serverVersion, String(version))) {
    return `version ${String(version).trim()}: ${reason === undefined ? 'no reason given' : String(reason)}`;
  }
  return null;
}
