// Runs a visualization: builds its request (stage 1), searches, flattens the response (stage 2) and
// builds the vega-lite spec (stage 3). Shared by the editor and by dashboard panels.

import { search } from '../api/client.ts';
import { translateQuery } from './dql.ts';
import { buildSearchRequest } from './specs/aggs-request.ts';
import type { Dsl } from './specs/aggs-request.ts';
import { flattenResponse } from './specs/flatten-response.ts';
import type { FlatTable } from './specs/flatten-response.ts';
import { buildVegaSpec } from './specs/vega-spec.ts';
import type { TimeRange } from '../query/time-range.ts';
import type { VisState } from './specs/vis-state.ts';
import type { TopLevelSpec } from 'vega-lite';

export interface RunContext {
  timeRange: TimeRange;
  query?: string;
  filters?: Dsl[];
  signal?: AbortSignal;
}

export interface VisResult {
  table: FlatTable;
  spec: TopLevelSpec | null;
  request: { index: string; body: Dsl };
  tookMs: number;
}

export async function runVisualization(state: VisState, ctx: RunContext): Promise<VisResult> {
  const request = buildSearchRequest(state, {
    now: Date.now(), timeRange: ctx.timeRange, query: ctx.query, filters: ctx.filters, translate: translateQuery,
  });
  const started = performance.now();
  const response = await search(request.index, request.body, ctx.signal);
  const table = flattenResponse(state, response);
  return { table, spec: buildVegaSpec(state, table), request, tookMs: Math.round(performance.now() - started) };
}
