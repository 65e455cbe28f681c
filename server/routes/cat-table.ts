// The `_cat` table renderer, after OpenSearch's RestTable: column selection (`h`, with aliases and
// wildcards), sorting (`s`), headers (`v`), `help`, unit rendering (`bytes`, `time`), and the
// whitespace-aligned text format or JSON/YAML (`format`, or the Accept header).

import type { FastifyReply } from 'fastify';
import yaml from 'js-yaml';
import { OpenSearchError } from '../../index/errors.ts';
import { wildcardRegExp } from '../../index/mapping/mapping.ts';
import { boolParam, send, type Req } from '../http.ts';

/** One column of a cat table, as declared by the API (`getTableWithHeader` upstream). */
export interface CatColumn {
  name: string;
  aliases?: string[];
  desc: string;
  /** Shown when `h` is not given (default true). */
  dflt?: boolean;
  /** Right-aligned in text output (numbers). */
  right?: boolean;
  /** With `pri=true`, the `pri.<name>` column is shown next to this one. */
  sibling?: boolean;
}

/** A byte count, rendered like ByteSizeValue (`1.5kb`) or in the unit of `bytes`. */
export class ByteSize {
  constructor(readonly bytes: number) {}
}

/** A duration, rendered like TimeValue (`12ms`) or in the unit of `time`. */
export class Duration {
  constructor(readonly millis: number) {}
}

export type CatCell = string | number | boolean | null | undefined | ByteSize | Duration;
export type CatRow = Record<string, CatCell>;

/** A table: its declared columns and rows keyed by column name. */
export interface CatTable {
  columns: CatColumn[];
  rows: CatRow[];
}

interface DisplayColumn {
  column: CatColumn;
  display: string;
}

const BYTE_UNITS: Array<[string, number]> = [['pb', 1024 ** 5], ['tb', 1024 ** 4], ['gb', 1024 ** 3], ['mb', 1024 ** 2], ['kb', 1024]];

/** Java's `Strings.format1Decimals`: one decimal, truncated, `.0` dropped. */
function format1Decimals(value: number, suffix: string): string {
  const truncated = Math.floor(value * 10) / 10;
  return (Number.isInteger(truncated) ? String(truncated) : truncated.toFixed(1)) + suffix;
}

/** ByteSizeValue.toString(). */
export function formatBytes(bytes: number): string {
  for (const [suffix, size] of BYTE_UNITS) if (bytes >= size) return format1Decimals(bytes / size, suffix);
  return `${bytes}b`;
}

/** TimeValue.toString(). */
export function formatMillis(ms: number): string {
  if (ms < 0) return String(ms);
  if (ms === 0) return '0s';
  const units: Array<[string, number]> = [['d', 86400000], ['h', 3600000], ['m', 60000], ['s', 1000], ['ms', 1], ['micros', 0.001]];
  for (const [suffix, size] of units) {
    if (ms >= size) {
      const v = Math.round((ms / size) * 10) / 10;
      return (Number.isInteger(v) ? String(v) : v.toFixed(1)) + suffix;
    }
  }
  return `${Math.round(ms * 1e6)}nanos`;
}

function renderCell(req: Req, cell: CatCell): string | null {
  if (cell === null || cell === undefined) return null;
  if (cell instanceof ByteSize) {
    const unit = req.query.bytes;
    const div: Record<string, number> = { b: 1, k: 1024, kb: 1024, m: 1024 ** 2, mb: 1024 ** 2, g: 1024 ** 3, gb: 1024 ** 3, t: 1024 ** 4, tb: 1024 ** 4, p: 1024 ** 5, pb: 1024 ** 5 };
    return unit && div[unit] ? String(Math.floor(cell.bytes / div[unit])) : formatBytes(cell.bytes);
  }
  if (cell instanceof Duration) {
    const unit = req.query.time;
    const div: Record<string, number> = { d: 86400000, h: 3600000, m: 60000, s: 1000, ms: 1, micros: 0.001, nanos: 1e-6 };
    return unit && div[unit] ? String(Math.floor(cell.millis / div[unit])) : formatMillis(cell.millis);
  }
  return String(cell);
}

const TIMESTAMP_COLUMNS = new Set(['epoch', 'timestamp']);

/** `ts=false` hides the epoch and timestamp columns (RestTable.checkOutputTimestamp). */
function timestampAllowed(req: Req, column: CatColumn): boolean {
  return !TIMESTAMP_COLUMNS.has(column.name) || boolParam(req, 'ts', true);
}

function displayColumns(req: Req, table: CatTable): DisplayColumn[] {
  const byName = new Map(table.columns.map((c) => [c.name, c]));
  const h = req.query.h;
  if (h === undefined) {
    return table.columns.filter((c) => c.dflt !== false && timestampAllowed(req, c)).map((c) => ({ column: c, display: c.name }));
  }
  const wanted = new Set<string>();
  for (const part of h.split(',').map((s) => s.trim()).filter(Boolean)) {
    if (!part.includes('*')) {
      wanted.add(part);
      continue;
    }
    const re = wildcardRegExp(part);
    for (const c of table.columns) if (re.test(c.name) || (c.aliases ?? []).some((a) => re.test(a))) wanted.add(c.name);
  }
  const out: DisplayColumn[] = [];
  for (const want of wanted) {
    let found: DisplayColumn | undefined;
    const direct = byName.get(want);
    if (direct) found = { column: direct, display: want };
    else {
      const c = table.columns.find((col) => (col.aliases ?? []).includes(want));
      if (c) found = { column: c, display: want };
    }
    if (!found || !timestampAllowed(req, found.column)) continue;
    out.push(found);
    const sibling = found.column.sibling ? byName.get(`pri.${found.column.name}`) : undefined;
    if (sibling && boolParam(req, 'pri')) out.push({ column: sibling, display: `pri.${found.display}` });
  }
  return out;
}

function compareCells(a: CatCell, b: CatCell): number {
  const norm = (c: CatCell) => (c instanceof ByteSize ? c.bytes : c instanceof Duration ? c.millis : c);
  const x = norm(a);
  const y = norm(b);
  if ((x === null || x === undefined) && (y === null || y === undefined)) return 0;
  if (x === null || x === undefined) return -1;
  if (y === null || y === undefined) return 1;
  if (typeof x === 'number' && typeof y === 'number') return x - y;
  const sx = String(x);
  const sy = String(y);
  return sx < sy ? -1 : sx > sy ? 1 : 0;
}

function sortedRows(req: Req, table: CatTable): CatRow[] {
  const s = req.query.s;
  if (!s) return table.rows;
  const order = s.split(',').map((part) => {
    const [raw, dir] = part.trim().split(':');
    const column = table.columns.find((c) => c.name === raw) ?? table.columns.find((c) => (c.aliases ?? []).includes(raw));
    if (!column) throw new OpenSearchError('unsupported_operation_exception', `Unable to sort by unknown sort key \`${raw}\``, 500);
    return { name: column.name, desc: dir === 'desc' };
  });
  return table.rows
    .map((row, i) => ({ row, i }))
    .sort((a, b) => {
      for (const o of order) {
        const c = compareCells(a.row[o.name], b.row[o.name]);
        if (c !== 0) return o.desc ? -c : c;
      }
      return a.i - b.i;
    })
    .map((x) => x.row);
}

function pad(value: string | null, width: number, right: boolean, last: boolean): string {
  const v = value ?? '';
  const fill = ' '.repeat(Math.max(0, width - v.length));
  if (right && fill.length > 0) return fill + v;
  return last ? v : v + fill;
}

function helpText(table: CatTable): string {
  const aliases = (c: CatColumn) => (c.aliases ?? []).join(',');
  const w0 = Math.max(0, ...table.columns.map((c) => c.name.length));
  const w1 = Math.max(0, ...table.columns.map((c) => aliases(c).length));
  const w2 = Math.max(0, ...table.columns.map((c) => c.desc.length));
  return table.columns.map((c) => `${pad(c.name, w0, false, false)} | ${pad(aliases(c), w1, false, false)} | ${pad(c.desc, w2, false, false)}\n`).join('');
}

/** The response format: `format` wins, then a JSON/YAML Accept header, else text. */
function outputFormat(req: Req): 'text' | 'json' | 'yaml' {
  const f = req.query.format?.toLowerCase();
  if (f === 'json' || f === 'yaml') return f;
  if (f) return 'text';
  const accept = String(req.headers.accept ?? '').toLowerCase();
  if (/application\/(x-)?yaml/.test(accept)) return 'yaml';
  if (/application\/json/.test(accept)) return 'json';
  return 'text';
}

/** Renders and sends a cat table honouring help, h, s, v, bytes, time and format. */
export function sendCatTable(req: Req, reply: FastifyReply, table: CatTable): FastifyReply {
  if (boolParam(req, 'help')) return reply.code(200).type('text/plain; charset=UTF-8').send(helpText(table));
  const cols = displayColumns(req, table);
  const rows = sortedRows(req, table);
  const format = outputFormat(req);
  if (format !== 'text') {
    const objects = rows.map((row) => Object.fromEntries(cols.map((c) => [c.display, renderCell(req, row[c.column.name])])));
    if (format === 'json') return send(req, reply, 200, objects);
    return reply.code(200).type('application/yaml').send('---\n' + yaml.dump(objects, { lineWidth: -1 }));
  }
  const cells = rows.map((row) => cols.map((c) => renderCell(req, row[c.column.name])));
  const verbose = boolParam(req, 'v');
  const widths = cols.map((c, i) => Math.max(verbose ? c.display.length : 0, ...cells.map((r) => r[i]?.length ?? 0)));
  // Header cells carry their column's alignment too, as upstream's do.
  const line = (values: Array<string | null>) =>
    values.map((v, i) => pad(v, widths[i], cols[i].column.right === true, i === values.length - 1)).join(' ') + '\n';
  let out = verbose ? line(cols.map((c) => c.display)) : '';
  for (const r of cells) out += line(r);
  return reply.code(200).type('text/plain; charset=UTF-8').send(out);
}
