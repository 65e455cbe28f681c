// Runs a parsed Logs Insights query over log events: the leading per-row commands (fields, parse,
// filter, display) are applied as events stream in, so events that are filtered out are never kept;
// `stats` aggregates while streaming; sort, limit, dedup and anything after them work on the rows kept.

import type { Column, Command, Expr, InsightsQuery } from './insights-ast.ts';
import { evaluate, isTimeExpr, renderValue, sortCompare, truthy } from './insights-eval.ts';
import { Row, type LogRecord } from './insights-row.ts';
import { StatsCollector } from './insights-stats.ts';

/** A result row as GetQueryResults returns it. */
export type ResultRow = { field: string; value: string }[];

interface OutputColumn {
  name: string;
  time: boolean;
}

const DEFAULT_COLUMNS: OutputColumn[] = [
  { name: '@timestamp', time: true },
  { name: '@message', time: false },
  { name: '@logStream', time: false },
  { name: '@log', time: false },
];

/** One query's pipeline: feed events with `push`, then take the result rows with `finish`. */
export class InsightsPipeline {
  /** Events that passed every filter before the first blocking command (recordsMatched). */
  matched = 0;
  private readonly streaming: Command[];
  private readonly rest: Command[];
  private stats: StatsCollector | null = null;
  private kept: Row[] = [];
  private columns: OutputColumn[] = [];
  private hasFields = false;
  private aggregated = false;
  private display: string[] | null = null;
  /** N of a `limit any N` that may end the scan early. */
  private readonly stopAfter: number | undefined;

  constructor(private readonly query: InsightsQuery) {
    const firstBlocking = query.commands.findIndex((c) => c.cmd === 'stats' || c.cmd === 'sort' || c.cmd === 'limit' || c.cmd === 'dedup');
    const cut = firstBlocking < 0 ? query.commands.length : firstBlocking;
    this.streaming = query.commands.slice(0, cut);
    this.rest = query.commands.slice(cut);
    for (const c of this.streaming) this.declare(c);
    const head = this.rest[0];
    if (head?.cmd === 'stats') this.stats = new StatsCollector(head.aggs, head.by);
    // Only a `limit any` that directly follows the per-row commands can end the scan: after a sort or
    // stats, which N rows come out depends on every event.
    if (head?.cmd === 'limit' && head.any) this.stopAfter = head.n;
  }

  /** Whether reading more events can no longer change the result (`limit any N` has its N rows). */
  get satisfied(): boolean {
    return this.stopAfter !== undefined && this.kept.length >= this.stopAfter;
  }

  /** Feeds one event. */
  push(ev: LogRecord): void {
    const row = new Row(ev);
    for (const c of this.streaming) if (!applyRowCommand(c, row)) return;
    this.matched++;
    if (this.stats) this.stats.add(row);
    else this.kept.push(row);
  }

  /** The result rows (at most `limit`), each a list of present fields. */
  finish(limit: number): ResultRow[] {
    let rows = this.kept;
    let rest = this.rest;
    if (this.stats && rest[0]?.cmd === 'stats') {
      this.declare(rest[0]);
      rows = this.stats.rows();
      rest = rest.slice(1);
    }
    for (const c of rest) {
      this.declare(c);
      switch (c.cmd) {
        case 'stats': {
          const s = new StatsCollector(c.aggs, c.by);
          rows.forEach((r) => s.add(r));
          rows = s.rows();
          break;
        }
        case 'sort':
          rows = sortRows(rows, c.keys);
          break;
        case 'limit':
          rows = rows.slice(0, c.n);
          break;
        case 'dedup': {
          const seen = new Set<string>();
          rows = rows.filter((r) => {
            const values = c.names.map((n) => r.get(n));
            // "Null values are not considered duplicates": a row missing any dedup field is kept.
            if (values.some((v) => v === undefined || v === null)) return true;
            const key = JSON.stringify(values);
            if (seen.has(key)) return false;
            seen.add(key);
            return true;
          });
          break;
        }
        default:
          rows = rows.filter((r) => applyRowCommand(c, r));
      }
    }
    let columns = this.hasFields || this.aggregated ? this.columns : [...DEFAULT_COLUMNS, ...this.columns];
    if (this.display) columns = this.display.map((name) => columns.find((c) => c.name === name) ?? { name, time: name === '@timestamp' || name === '@ingestionTime' });
    return rows.slice(0, limit).map((row) => {
      const out: ResultRow = [];
      for (const c of columns) {
        const value = renderValue(row.get(c.name), c.time);
        if (value !== undefined) out.push({ field: c.name, value });
      }
      if (!this.aggregated && row.ev) out.push({ field: '@ptr', value: String(row.get('@ptr')) });
      return out;
    });
  }

  /** Records the output columns a command introduces. */
  private declare(c: Command): void {
    const add = (name: string, time: boolean) => {
      const at = this.columns.findIndex((x) => x.name === name);
      if (at >= 0) this.columns[at] = { name, time };
      else this.columns.push({ name, time });
    };
    switch (c.cmd) {
      case 'fields':
        this.hasFields = true;
        for (const col of c.columns) add(col.name, isTimeExpr(col.expr));
        break;
      case 'parse':
        for (const name of c.glob ? c.glob.names : namedGroups(c.regex!)) add(name, false);
        break;
      case 'stats':
        this.aggregated = true;
        this.columns = [];
        for (const col of [...c.by, ...c.aggs]) add(col.name, isTimeExpr(col.expr));
        break;
      case 'display':
        this.display = c.names;
        break;
      default:
        break;
    }
  }
}

/** Applies a per-row command; false drops the row. */
function applyRowCommand(c: Command, row: Row): boolean {
  switch (c.cmd) {
    case 'filter':
      return truthy(evaluate(c.expr, row));
    case 'fields':
      for (const col of c.columns) if (!isPlainField(col)) row.set(col.name, evaluate(col.expr, row));
      return true;
    case 'parse': {
      const v = evaluate(c.source, row);
      const text = v === undefined || v === null ? '' : String(v);
      if (c.glob) {
        const m = c.glob.re.exec(text);
        if (m) c.glob.names.forEach((name, i) => row.set(name, m[i + 1]));
      } else {
        const m = c.regex!.exec(text);
        if (m?.groups) for (const [name, value] of Object.entries(m.groups)) if (value !== undefined) row.set(name, value);
      }
      return true;
    }
    default:
      return true;
  }
}

/** `fields @message` just selects: no need to copy the value into the row. */
function isPlainField(col: Column): boolean {
  return col.expr.k === 'field' && col.expr.name === col.name;
}

function namedGroups(re: RegExp): string[] {
  return [...re.source.matchAll(/\(\?<([A-Za-z_][A-Za-z0-9_]*)>/g)].map((m) => m[1]);
}

function sortRows(rows: Row[], keys: { expr: Expr; desc: boolean }[]): Row[] {
  const decorated = rows.map((row, i) => ({ row, i, keys: keys.map((k) => evaluate(k.expr, row)) }));
  decorated.sort((a, b) => {
    for (let k = 0; k < keys.length; k++) {
      const x = a.keys[k];
      const y = b.keys[k];
      const xMissing = x === undefined || x === null;
      const yMissing = y === undefined || y === null;
      if (xMissing || yMissing) {
        if (xMissing && yMissing) continue;
        // The sort docs say nothing of absent fields; they stay last in both directions, so a
        // `sort f desc | limit N` shows events that have f.
        return xMissing ? 1 : -1;
      }
      // "If you sort in descending order, the sort results are the reverse."
      const c = sortCompare(x, y);
      if (c !== 0) return keys[k].desc ? -c : c;
    }
    return a.i - b.i;
  });
  return decorated.map((d) => d.row);
}
