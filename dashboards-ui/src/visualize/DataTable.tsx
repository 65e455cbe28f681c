// The data table visualization: the flattened rows as they are, with bucket keys formatted (dates as
// local time) and metric values rounded. Click a header to sort.

import { useMemo, useState } from 'react';
import type { Cell, FlatTable } from './specs/flatten-response.ts';

export function DataTable({ table }: { table: FlatTable }) {
  const [sort, setSort] = useState<{ id: string; desc: boolean } | null>(null);
  const rows = useMemo(() => {
    if (!sort) return table.rows;
    const dir = sort.desc ? -1 : 1;
    return [...table.rows].sort((a, b) => compare(a[sort.id], b[sort.id]) * dir);
  }, [table, sort]);
  if (!table.rows.length) return <div className="empty-state">No results</div>;
  return (
    <div className="vis-table-wrap">
      <table className="vis-table">
        <thead>
          <tr>
            {table.columns.map((c) => (
              <th key={c.id} className={c.kind === 'metric' ? 'num' : ''} onClick={() => setSort({ id: c.id, desc: sort?.id === c.id ? !sort.desc : c.kind === 'metric' })}>
                {c.label}{sort?.id === c.id ? (sort.desc ? ' ▼' : ' ▲') : ''}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.map((r, i) => (
            <tr key={i}>
              {table.columns.map((c) => (
                <td key={c.id} className={c.kind === 'metric' ? 'num' : ''}>
                  {formatCell(r[c.id], c.bucketType === 'date_histogram')}
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function compare(a: Cell, b: Cell): number {
  if (a === b) return 0;
  if (a === null) return -1;
  if (b === null) return 1;
  return typeof a === 'number' && typeof b === 'number' ? a - b : String(a).localeCompare(String(b));
}

/** A cell as shown: dates as local date-time, numbers with up to 3 decimals, null as a dash. */
export function formatCell(v: Cell, isDate: boolean): string {
  if (v === null || v === undefined) return '–';
  if (isDate && typeof v === 'number') return new Date(v).toLocaleString();
  if (typeof v === 'number') return v.toLocaleString(undefined, { maximumFractionDigits: 3 });
  return v;
}
