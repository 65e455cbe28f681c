// Dashboard variables: a named dropdown (e.g. `service`) whose choices come from a terms aggregation,
// substituted as `$service` or `${service}` into every panel's query before it runs. "All" becomes
// `*`, so `service:$service` means "has a service" — the Grafana convention.

import type { Dsl } from '../visualize/specs/aggs-request.ts';
import { resolveRange } from '../query/time-range.ts';
import type { TimeRange } from '../query/time-range.ts';
import type { VisState } from '../visualize/specs/vis-state.ts';

export interface VariableDef {
  /** Used as `$name` in queries: letters, digits, underscore. */
  name: string;
  label?: string;
  /** Where the choices come from: the top `size` terms of `field` in `index`. */
  index: string;
  field: string;
  size?: number;
  /** Offer "All" (the default); when chosen the variable becomes `*`. */
  includeAll?: boolean;
  /** Time field limiting the choices to the dashboard's time range. */
  timeField?: string;
}

/** The value standing for "every value". */
export const ALL = '__all__';

export type VariableValues = Record<string, string>;

const NAME_RE = /^[A-Za-z_][A-Za-z0-9_]*$/;

export function isValidVariableName(name: string): boolean {
  return NAME_RE.test(name);
}

/** The `_search` request listing a variable's choices. */
export function variableChoicesRequest(def: VariableDef, timeRange: TimeRange | undefined, now: number): { index: string; body: Dsl } {
  const filter: Dsl[] = [];
  if (def.timeField && timeRange) {
    const { from, to } = resolveRange(timeRange, now);
    filter.push({ range: { [def.timeField]: { gte: from, lte: to, format: 'epoch_millis' } } });
  }
  return {
    index: def.index,
    body: {
      size: 0,
      query: filter.length ? { bool: { filter } } : { match_all: {} },
      aggs: { values: { terms: { field: def.field, size: def.size ?? 50, order: { _key: 'asc' } } } },
    },
  };
}

/** The choices from that request's response, "All" first when offered. */
export function parseVariableChoices(def: VariableDef, response: unknown): string[] {
  const buckets = (response as { aggregations?: { values?: { buckets?: { key: unknown; key_as_string?: string }[] } } })
    ?.aggregations?.values?.buckets ?? [];
  const values = buckets.map((b) => b.key_as_string ?? String(b.key));
  return def.includeAll === false ? values : [ALL, ...values];
}

/** The current value of each variable: the chosen one when still valid, else the first choice. */
export function resolveValues(defs: VariableDef[], chosen: VariableValues, choices: Record<string, string[]>): VariableValues {
  const out: VariableValues = {};
  for (const d of defs) {
    const list = choices[d.name] ?? [];
    const c = chosen[d.name];
    out[d.name] = c !== undefined && (list.includes(c) || c === ALL) ? c : list[0] ?? ALL;
  }
  return out;
}

/** Every defined variable's value: the chosen one, else All (choices not loaded yet). */
export function withDefaults(defs: VariableDef[], chosen: VariableValues): VariableValues {
  return Object.fromEntries(defs.map((d) => [d.name, chosen[d.name] ?? ALL]));
}

/**
 * Replaces `$name` and `${name}` in a query with the variable's value, as a DQL value: "All" → `*`,
 * a value with spaces or DQL syntax quoted (unless the placeholder already sits inside quotes).
 * Unknown names are left as they are so the query error names them.
 */
export function substituteVariables(query: string, values: VariableValues): string {
  let out = '';
  let inQuotes = false;
  for (let i = 0; i < query.length; i++) {
    const ch = query[i];
    if (ch === '\\') { out += ch + (query[i + 1] ?? ''); i++; continue; }
    if (ch === '"') { inQuotes = !inQuotes; out += ch; continue; }
    if (ch === '$') {
      const m = /^\$(?:\{([A-Za-z_][A-Za-z0-9_]*)\}|([A-Za-z_][A-Za-z0-9_]*))/.exec(query.slice(i));
      const name = m ? (m[1] ?? m[2]) : undefined;
      if (m && name !== undefined && name in values) {
        out += dqlValue(values[name], inQuotes);
        i += m[0].length - 1;
        continue;
      }
    }
    out += ch;
  }
  return out;
}

function dqlValue(v: string, inQuotes: boolean): string {
  if (v === ALL) return '*';
  if (inQuotes) return v.replace(/["\\]/g, '\\$&');
  if (/^[^\s\\():<>"*{}]+$/.test(v) && !/^(and|or|not)$/i.test(v)) return v;
  return `"${v.replace(/["\\]/g, '\\$&')}"`;
}

/** The names a query refers to (for the editor's "unknown variable" hint). */
export function referencedVariables(query: string): string[] {
  const names = new Set<string>();
  for (const m of query.matchAll(/\$(?:\{([A-Za-z_][A-Za-z0-9_]*)\}|([A-Za-z_][A-Za-z0-9_]*))/g)) names.add(m[1] ?? m[2]);
  return [...names];
}

/** A visualization with variables substituted in its query and its filters buckets. */
export function substituteInVisState(state: VisState, values: VariableValues): VisState {
  return {
    ...state,
    query: state.query ? substituteVariables(state.query, values) : state.query,
    buckets: state.buckets.map((b) => b.type === 'filters'
      ? { ...b, filters: (b.filters ?? []).map((f) => ({ ...f, query: substituteVariables(f.query, values) })) }
      : b),
  };
}
