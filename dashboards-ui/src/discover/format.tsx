// How Discover shows values: flattened field paths, times in the browser's zone with milliseconds,
// and server highlights (tagged with HL_PRE/HL_POST) rendered as <mark> without ever using innerHTML.

import type { ReactNode } from 'react';
import { HL_POST, HL_PRE } from './discover-search.ts';

/** Flattens nested objects into dotted keys (arrays stay values). */
export function flattenSource(obj: Record<string, unknown>, prefix = '', out: Record<string, unknown> = {}): Record<string, unknown> {
  for (const [k, v] of Object.entries(obj)) {
    if (v && typeof v === 'object' && !Array.isArray(v)) flattenSource(v as Record<string, unknown>, prefix + k + '.', out);
    else out[prefix + k] = v;
  }
  return out;
}

/** A date value as `May 15, 2024 @ 13:45:30.500` (local time), as OpenSearch Dashboards shows it. */
export function formatTime(v: unknown): string {
  const t = typeof v === 'number' ? v : typeof v === 'string' ? Date.parse(v) : NaN;
  if (Number.isNaN(t)) return String(v ?? '');
  const d = new Date(t);
  const date = d.toLocaleDateString('en-US', { month: 'short', day: 'numeric', year: 'numeric' });
  const time = d.toLocaleTimeString('en-GB', { hour12: false }) + '.' + String(d.getMilliseconds()).padStart(3, '0');
  return `${date} @ ${time}`;
}

export function formatValue(v: unknown): string {
  if (v === null || v === undefined) return '-';
  if (typeof v === 'string') return v;
  return JSON.stringify(v);
}

/** Renders a highlighted fragment (from the server) with <mark> around the matches. */
export function Highlighted(props: { text: string }): ReactNode {
  const parts: ReactNode[] = [];
  let rest = props.text;
  let i = 0;
  for (;;) {
    const a = rest.indexOf(HL_PRE);
    if (a < 0) break;
    const b = rest.indexOf(HL_POST, a);
    if (b < 0) break;
    if (a > 0) parts.push(rest.slice(0, a));
    parts.push(<mark key={i++}>{rest.slice(a + HL_PRE.length, b)}</mark>);
    rest = rest.slice(b + HL_POST.length);
  }
  if (rest) parts.push(rest);
  return <>{parts}</>;
}

/** A field's value in a cell: the highlight when the server returned one, else the plain value. */
export function CellValue(props: { value: unknown; highlight?: string[] }): ReactNode {
  if (props.highlight?.length) return <Highlighted text={props.highlight.join(' … ')} />;
  return formatValue(props.value);
}
