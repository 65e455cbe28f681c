// Filter pills: conditions added from a field's value (+/−) or by hand, each of which can be negated,
// disabled or pinned (kept across saved searches and pages), and their query DSL.

import type { Dsl } from './dql-to-dsl.ts';

export type Filter =
  | { type: 'phrase'; field: string; value: string | number | boolean; negate: boolean; disabled: boolean; pinned: boolean }
  | { type: 'exists'; field: string; negate: boolean; disabled: boolean; pinned: boolean }
  | { type: 'range'; field: string; gte?: string | number; lt?: string | number; negate: boolean; disabled: boolean; pinned: boolean };

/** A `field is value` filter. */
export function phraseFilter(field: string, value: string | number | boolean, negate = false): Filter {
  return { type: 'phrase', field, value, negate, disabled: false, pinned: false };
}

export function existsFilter(field: string, negate = false): Filter {
  return { type: 'exists', field, negate, disabled: false, pinned: false };
}

/** Human-readable pill text. */
export function filterLabel(f: Filter): string {
  const not = f.negate ? 'NOT ' : '';
  switch (f.type) {
    case 'phrase':
      return `${not}${f.field}: ${String(f.value)}`;
    case 'exists':
      return `${not}${f.field}: exists`;
    case 'range':
      return `${not}${f.field}: ${f.gte ?? '−∞'} to ${f.lt ?? '+∞'}`;
  }
}

/** The positive clause of a filter (negation is applied by the caller, as must_not). */
export function filterClause(f: Filter): Dsl {
  switch (f.type) {
    case 'phrase':
      return { match_phrase: { [f.field]: f.value } };
    case 'exists':
      return { exists: { field: f.field } };
    case 'range': {
      const r: Record<string, unknown> = {};
      if (f.gte !== undefined) r.gte = f.gte;
      if (f.lt !== undefined) r.lt = f.lt;
      return { range: { [f.field]: r } };
    }
  }
}

/** Two filters on the same condition (toggling + then − on a value replaces rather than stacks). */
export function sameCondition(a: Filter, b: Filter): boolean {
  if (a.type !== b.type || a.field !== b.field) return false;
  if (a.type === 'phrase' && b.type === 'phrase') return a.value === b.value;
  if (a.type === 'range' && b.type === 'range') return a.gte === b.gte && a.lt === b.lt;
  return true;
}

/** Adds a filter, replacing one on the same condition (so + then − flips it instead of contradicting). */
export function addFilter(list: Filter[], f: Filter): Filter[] {
  const i = list.findIndex((x) => sameCondition(x, f));
  if (i < 0) return [...list, f];
  const next = [...list];
  next[i] = { ...f, pinned: list[i].pinned };
  return next;
}

/** The enabled filters as bool clauses: positive ones in filter, negated ones in must_not. */
export function filtersToBool(filters: Filter[]): { filter: Dsl[]; must_not: Dsl[] } {
  const out = { filter: [] as Dsl[], must_not: [] as Dsl[] };
  for (const f of filters) {
    if (f.disabled) continue;
    (f.negate ? out.must_not : out.filter).push(filterClause(f));
  }
  return out;
}
