// Results of a benchmark scenario: the headline figures (each with its target and a reference
// measured in the same run), written as JSON to loadtest/results/<scenario>.json and printed as a table.

import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import os from 'node:os';

/** Folder the JSON results go to. */
export const RESULTS_DIR = join(dirname(fileURLToPath(import.meta.url)), '..', 'results');

/** A figure's goal: measured `op` value must hold. */
export interface Target {
  op: '>=' | '<=';
  value: number;
}

/** One headline number, as it appears in RESULTS.md. */
export interface Figure {
  /** Stable key, e.g. `search.match.p50`. */
  id: string;
  /** What was measured, for humans. */
  label: string;
  measured: number;
  unit: string;
  target?: Target;
  /** The same-run reference this figure should be read beside. */
  reference?: { label: string; value: number; unit: string };
  /** Command that reproduces it. */
  command: string;
  /** Set when the number cannot be trusted (errors, wrong results, too few samples); fails the target. */
  problem?: string;
}

/** Everything a scenario reports. */
export interface ScenarioResult {
  scenario: string;
  startedAt: string;
  durationMs: number;
  machine: { cpus: number; cpuModel: string; memoryBytes: number; node: string; platform: string };
  params: Record<string, unknown>;
  figures: Figure[];
  /** Scenario-specific detail (full percentile sets, per-window rates, hit counts, errors…). */
  details: Record<string, unknown>;
}

/** Description of the machine the run happened on. */
export function machineInfo(): ScenarioResult['machine'] {
  const cpus = os.cpus();
  return {
    cpus: cpus.length,
    cpuModel: cpus[0]?.model ?? 'unknown',
    memoryBytes: os.totalmem(),
    node: process.version,
    platform: `${os.platform()} ${os.release()}`,
  };
}

/** Whether a figure meets its target (undefined when it has none or was not measured). */
export function meetsTarget(f: Figure): boolean | undefined {
  if (f.problem && f.target) return false;
  if (!f.target || !Number.isFinite(f.measured)) return undefined;
  return f.target.op === '>=' ? f.measured >= f.target.value : f.measured <= f.target.value;
}

/** Format a number for tables: thousands separators for big values, 2–3 significant decimals for small. */
export function fmt(n: number): string {
  if (!Number.isFinite(n)) return 'n/a';
  const a = Math.abs(n);
  if (a >= 1000) return Math.round(n).toLocaleString('en-US');
  if (a >= 100) return n.toFixed(0);
  if (a >= 10) return n.toFixed(1);
  if (a >= 1) return n.toFixed(2);
  return n.toFixed(3);
}

/** `value unit`, e.g. `3.21 ms`. */
export function fmtWithUnit(n: number, unit: string): string {
  return unit === '×' ? `${fmt(n)}×` : `${fmt(n)} ${unit}`;
}

/** Print rows as an aligned plain-text table. */
export function printTable(header: string[], rows: string[][]): void {
  const widths = header.map((h, c) => Math.max(h.length, ...rows.map((r) => (r[c] ?? '').length)));
  const line = (cells: string[]): string => cells.map((cell, c) => cell.padEnd(widths[c]!)).join('  ');
  console.log(line(header));
  console.log(widths.map((w) => '-'.repeat(w)).join('  '));
  for (const r of rows) console.log(line(r));
}

/** Print a scenario's figures as a table. */
export function printFigures(result: ScenarioResult): void {
  console.log(`\n== ${result.scenario} (${(result.durationMs / 1000).toFixed(1)} s) ==`);
  printTable(
    ['figure', 'measured', 'target', 'ok', 'reference (same run)'],
    result.figures.map((f) => {
      const ok = meetsTarget(f);
      return [
        f.label,
        fmtWithUnit(f.measured, f.unit),
        f.target ? `${f.target.op} ${fmtWithUnit(f.target.value, f.unit)}` : '',
        ok === undefined ? '' : ok ? 'yes' : f.problem ? `NO (${f.problem})` : 'NO',
        f.reference ? `${f.reference.label}: ${fmtWithUnit(f.reference.value, f.reference.unit)}` : '',
      ];
    }),
  );
}

/** Write `results/<scenario>.json` (or `<name>.json`) and print the figures; returns the path. */
export function writeResults(result: ScenarioResult, name = result.scenario): string {
  mkdirSync(RESULTS_DIR, { recursive: true });
  const path = join(RESULTS_DIR, `${name}.json`);
  writeFileSync(path, JSON.stringify(result, null, 2) + '\n');
  printFigures(result);
  console.log(`(written to ${path})`);
  return path;
}
