// Exports of a visualization: the vega-lite spec (with its data inlined) as a JSON download, a PNG from
// the rendered vega view, and the data table's rows as CSV. Browser-only (Blob + anchor download).

import type { TopLevelSpec } from 'vega-lite';
import type { FlatTable } from './specs/flatten-response.ts';
import type { ChartView } from './VegaChart.tsx';

/** A file name from a title: lower-case words joined by dashes. */
export function fileNameFor(title: string, ext: string): string {
  const base = title.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '') || 'visualization';
  return `${base}.${ext}`;
}

function download(href: string, name: string): void {
  const a = document.createElement('a');
  a.href = href;
  a.download = name;
  document.body.appendChild(a);
  a.click();
  a.remove();
}

/** Saves text as a file through the browser (also used for the Dashboards NDJSON exports). */
export function downloadText(text: string, type: string, name: string): void {
  const url = URL.createObjectURL(new Blob([text], { type }));
  download(url, name);
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

export function downloadSpec(spec: TopLevelSpec, title: string): void {
  downloadText(JSON.stringify(spec, null, 2), 'application/json', fileNameFor(title, 'vl.json'));
}

export async function downloadPng(view: ChartView, title: string): Promise<void> {
  download(await view.toImageURL('png', 2), fileNameFor(title, 'png'));
}

/** RFC 4180 CSV of the table (quotes doubled, fields with separators quoted). */
export function tableToCsv(table: FlatTable): string {
  const esc = (v: unknown) => {
    const s = v === null || v === undefined ? '' : String(v);
    return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
  };
  const lines = [table.columns.map((c) => esc(c.label)).join(',')];
  for (const r of table.rows) lines.push(table.columns.map((c) => esc(r[c.id])).join(','));
  return lines.join('\r\n') + '\r\n';
}

export function downloadCsv(table: FlatTable, title: string): void {
  downloadText(tableToCsv(table), 'text/csv', fileNameFor(title, 'csv'));
}
