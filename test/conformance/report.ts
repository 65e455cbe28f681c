// Text output of a run: a line per file with its failing sections, per-area totals with pass
// rates (passed / runnable, where runnable excludes skipped sections), and the overall total.
import type { SectionResult } from './section-runner.ts';

/** Counts for a group of sections. */
export interface Tally {
  pass: number;
  fail: number;
  skip: number;
}

/** Counts results by status. */
export function tally(results: readonly SectionResult[]): Tally {
  const counts: Tally = { pass: 0, fail: 0, skip: 0 };
  for (const result of results) counts[result.status]++;
  return counts;
}

/** Groups results by area, areas sorted by name. */
export function tallyByArea(results: readonly SectionResult[]): Map<string, Tally> {
  const byArea = new Map<string, SectionResult[]>();
  for (const result of results) {
    const list = byArea.get(result.area) ?? [];
    list.push(result);
    byArea.set(result.area, list);
  }
  return new Map([...byArea.keys()].sort().map((area) => [area, tally(byArea.get(area)!)]));
}

/** "12/15 (80.0%)" — passed over runnable. */
export function passRate(counts: Tally): string {
  const runnable = counts.pass + counts.fail;
  if (runnable === 0) return '-';
  return `${counts.pass}/${runnable} (${((100 * counts.pass) / runnable).toFixed(1)}%)`;
}

/**
 * The lines for one file: `PASS|FAIL|SKIP  <file>  <counts>`, then one line per failing section;
 * with `verbose`, also its reason, the request, the expected/actual values and the response body.
 */
export function formatFile(fileId: string, results: readonly SectionResult[], verbose: boolean): string[] {
  const counts = tally(results);
  const label = counts.fail > 0 ? 'FAIL' : counts.pass > 0 ? 'PASS' : 'SKIP';
  const parts = [`${counts.pass} passed`];
  if (counts.fail > 0) parts.push(`${counts.fail} failed`);
  if (counts.skip > 0) parts.push(`${counts.skip} skipped`);
  const lines = [`${label}  ${fileId}  (${parts.join(', ')})`];
  for (const result of results) {
    if (result.status !== 'fail') continue;
    lines.push(`      ✗ ${result.section}`);
    if (!verbose) continue;
    lines.push(`          ${result.reason}`);
    const { request, expected, actual, response } = result.details ?? {};
    if (request) lines.push(`          request:  ${request}`);
    if (expected !== undefined) lines.push(`          expected: ${expected}`);
    if (actual !== undefined) lines.push(`          actual:   ${actual}`);
    if (response) lines.push(...`response: ${response}`.split('\n').map((l) => `          ${l}`));
  }
  return lines;
}

/** The per-area table and the total line. */
export function formatAreaTotals(results: readonly SectionResult[]): string[] {
  const rows = [...tallyByArea(results)].map(([area, counts]) => [area, counts] as const);
  const width = Math.max(5, ...rows.map(([area]) => area.length));
  const line = (name: string, c: Tally): string =>
    `${name.padEnd(width)}  ${String(c.pass).padStart(5)}  ${String(c.fail).padStart(5)}  ${String(c.skip).padStart(5)}  ${passRate(c)}`;
  return [
    `${'area'.padEnd(width)}  ${'pass'.padStart(5)}  ${'fail'.padStart(5)}  ${'skip'.padStart(5)}  pass rate (passed/runnable)`,
    ...rows.map(([area, counts]) => line(area, counts)),
    line('TOTAL', tally(results)),
  ];
}
