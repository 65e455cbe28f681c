// Renders reduced aggregations as the `aggregations` object of a search response: `meta` first, then
// each module's body, keys prefixed with the type under `typed_keys` (`sterms#name`).

import { lookup } from './registry.ts';
import type { AggregationRequest, ReducedAggregations, RenderOptions } from './types.ts';
import { hasString, formatNumber, type FormatSpec } from './doc-value-format.ts';

/** The response `aggregations` object. */
export function renderAggregations(
  aggs: AggregationRequest[],
  reduced: ReducedAggregations,
  opts: RenderOptions,
): Record<string, unknown> {
  return renderSubs(aggs, reduced, opts);
}

/** Renders one level of aggregations (also used for the sub-aggregations of each bucket). */
export function renderSubs(reqs: AggregationRequest[], reduced: Record<string, unknown>, opts: RenderOptions): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const req of reqs) {
    const r = reduced[req.name];
    if (r === undefined) continue;
    const entry = lookup(req.type)!;
    const body = entry.render(req, r, opts);
    const key = opts.typedKeys ? `${entry.typedName(req, r)}#${req.name}` : req.name;
    out[key] = req.meta ? { meta: req.meta, ...body } : body;
  }
  return out;
}

/** `{value, value_as_string?}` as single-value metrics render (null for no value). */
export function valueBody(value: number | null, format: FormatSpec | undefined): Record<string, unknown> {
  const out: Record<string, unknown> = { value };
  if (value !== null && format && hasString(format)) out.value_as_string = formatNumber(format, value);
  return out;
}

/** A metric value as OpenSearch prints doubles: non-finite values become null. */
export function finiteOrNull(v: number): number | null {
  return Number.isFinite(v) ? v : null;
}
