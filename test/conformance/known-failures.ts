// known-failures.txt: the sections expected to fail today, one per line as
// `<file under tests/> :: <section title>  # <reason>`. Read to judge a run, rewritten by
// `--write-known-failures`, and compared with results by the vitest conformance test.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { sectionKey, type SectionResult } from './section-runner.ts';

/** The default known-failures file, beside this module. */
export const KNOWN_FAILURES_PATH = join(dirname(fileURLToPath(import.meta.url)), 'known-failures.txt');

const HEADER = [
  '# Sections of the OpenSearch YAML REST tests that Lookout fails today.',
  '# <file under tests/> :: <section title>  # <reason>',
  '# Regenerate with: npm run test:conformance -- --write-known-failures',
];

/** Known failures by section key ("file :: title"), each with its reason. */
export type KnownFailures = Map<string, string>;

/** Reads the file; a missing file means no known failures. Comment and blank lines are skipped. */
export function readKnownFailures(path = KNOWN_FAILURES_PATH): KnownFailures {
  const known: KnownFailures = new Map();
  if (!existsSync(path)) return known;
  for (const line of readFileSync(path, 'utf8').split('\n')) {
    const parsed = parseLine(line);
    if (parsed) known.set(parsed.key, parsed.reason);
  }
  return known;
}

/** Parses one line into its key and reason; null for comments, blanks and malformed lines. */
export function parseLine(line: string): { key: string; reason: string } | null {
  const trimmed = line.trim();
  if (trimmed === '' || trimmed.startsWith('#') || !trimmed.includes(' :: ')) return null;
  const hash = trimmed.indexOf('  # ');
  const key = (hash < 0 ? trimmed : trimmed.slice(0, hash)).trim();
  const reason = hash < 0 ? '' : trimmed.slice(hash + 4).trim();
  return { key, reason };
}

/** How a run compares with the known failures. */
export interface KnownFailureComparison {
  /** Failed but not listed. */
  unexpectedFailures: SectionResult[];
  /** Listed but passed this time. */
  nowPassing: SectionResult[];
  /** Failed and listed. */
  expectedFailures: SectionResult[];
}

/** Compares results with the known failures; sections that did not run are left out. */
export function compareWithKnown(results: readonly SectionResult[], known: KnownFailures): KnownFailureComparison {
  const comparison: KnownFailureComparison = { unexpectedFailures: [], nowPassing: [], expectedFailures: [] };
  for (const result of results) {
    const listed = known.has(sectionKey(result.file, result.section));
    if (result.status === 'fail') (listed ? comparison.expectedFailures : comparison.unexpectedFailures).push(result);
    else if (result.status === 'pass' && listed) comparison.nowPassing.push(result);
  }
  return comparison;
}

/**
 * Rewrites the known failures from a run: sections that ran are listed if and only if they
 * failed (an existing reason is kept, a new one is derived from the failure); lines for
 * sections that did not run this time are kept as they were.
 */
export function mergeKnownFailures(results: readonly SectionResult[], known: KnownFailures): KnownFailures {
  const ran = new Set(results.map((r) => sectionKey(r.file, r.section)));
  const merged: KnownFailures = new Map([...known].filter(([key]) => !ran.has(key)));
  for (const result of results) {
    if (result.status !== 'fail') continue;
    const key = sectionKey(result.file, result.section);
    merged.set(key, known.get(key) || shortReason(result.reason));
  }
  return new Map([...merged].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

/** Writes the file, sorted by key, with a short header. */
export function writeKnownFailures(known: KnownFailures, path = KNOWN_FAILURES_PATH): void {
  const lines = [...known].map(([key, reason]) => (reason ? `${key}  # ${reason}` : key));
  writeFileSync(path, [...HEADER, ...lines].join('\n') + '\n');
}

/**
 * A one-line reason from a failure message: the step prefix dropped, the first line only,
 * at most 120 characters ("do cat.count: expected 2xx, got 404, …").
 */
export function shortReason(reason: string): string {
  const firstLine = reason.split('\n')[0] ?? '';
  const withoutStep = firstLine.replace(/^(setup |teardown )?step \d+(?: \([^)]*\))?: /, (_m, phase?: string) =>
    phase ? `${phase.trim()}: ` : '',
  );
  const oneLine = withoutStep.replace(/\s+/g, ' ').replaceAll('  # ', ' # ').trim();
  return oneLine.length > 120 ? `${oneLine.slice(0, 119)}…` : oneLine;
}
