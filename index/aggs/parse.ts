// Parses a search body's `aggs` / `aggregations` object into a typed tree, with OpenSearch's messages
// for unknown types, malformed definitions and misplaced aggregations (AggregatorFactories.parseAggregators
// and the validate() step that follows it).

import { OpenSearchError, actionRequestValidation, illegalArgument, parsingError } from '../errors.ts';
import { suggest, tokenName, type Json } from './parse-helpers.ts';
import { REGISTRY, isPipeline, lookup } from './registry.ts';
import type { AggregationRequest, ParseContext } from './types.ts';

const VALID_NAME = /^[^[\]>]+$/;

/** Parses an `aggs` object of any nesting depth; throws OpenSearch errors. */
export function parseAggregations(json: unknown): AggregationRequest[] {
  const reqs = parseLevel(json);
  const problems: string[] = [];
  validate(reqs, null, problems);
  if (problems.length > 0) throw actionRequestValidation(problems);
  return reqs;
}

const ctx: ParseContext = { parseAggs: (json) => parseLevel(json) };

function parseLevel(json: unknown): AggregationRequest[] {
  if (json === null || typeof json !== 'object' || Array.isArray(json)) {
    throw parsingError(`Unexpected token ${tokenName(json)} in [aggs].`);
  }
  const out: AggregationRequest[] = [];
  for (const [name, defUnknown] of Object.entries(json as Json)) {
    if (!VALID_NAME.test(name)) {
      throw parsingError(`Invalid aggregation name [${name}]. Aggregation names can contain any character except '[', ']', and '>'`);
    }
    if (defUnknown === null || typeof defUnknown !== 'object' || Array.isArray(defUnknown)) {
      throw parsingError(`Aggregation definition for [${name} starts with a [${tokenName(defUnknown)}], expected a [START_OBJECT].`);
    }
    let type: string | undefined;
    let params: unknown;
    let meta: Record<string, unknown> | undefined;
    let subs: AggregationRequest[] | undefined;
    for (const [key, value] of Object.entries(defUnknown as Json)) {
      if (value === null || typeof value !== 'object' || Array.isArray(value)) {
        throw parsingError(`Expected [START_OBJECT] under [${key}], but got a [${tokenName(value)}] in [${name}]`);
      }
      if (key === 'meta') {
        meta = value as Record<string, unknown>;
      } else if (key === 'aggs' || key === 'aggregations') {
        if (subs) throw parsingError(`Found two sub aggregation definitions under [${name}]`);
        subs = parseLevel(value);
      } else {
        if (type) throw parsingError(`Found two aggregation type definitions in [${name}]: [${type}] and [${key}]`);
        const entry = lookup(key);
        if (!entry) {
          throw parsingError(`Unknown aggregation type [${key}]${suggest(key, Object.keys(REGISTRY))}`);
        }
        type = key;
        params = entry.parse(name, value as Json, ctx);
      }
    }
    if (!type) throw parsingError(`Missing definition for aggregation [${name}]`);
    if (out.some((a) => a.name === name)) throw illegalArgument(`Two sibling aggregations cannot have the same name: [${name}]`);
    out.push({ name, type, params, ...(meta ? { meta } : {}), subAggs: subs ?? [] });
  }
  return out;
}

/** Checks placement rules OpenSearch enforces in validate(). */
function validate(reqs: AggregationRequest[], parent: AggregationRequest | null, problems: string[]): void {
  for (const req of reqs) {
    const entry = lookup(req.type)!;
    if (isPipeline(entry)) {
      if (entry.scope === 'parent') {
        const parentEntry = parent ? lookup(parent.type) : undefined;
        if (!parent) {
          problems.push(`${req.type} aggregation [${req.name}] must be declared inside of another aggregation`);
        } else if (!parentEntry || parentEntry.kind !== 'bucket' || !MULTI_BUCKET.has(parent.type)) {
          problems.push(`${req.type} aggregation [${req.name}] must have a histogram, date_histogram or auto_date_histogram as parent`);
        } else if (HISTO_ONLY.has(req.type) && !HISTOGRAMS.has(parent.type)) {
          problems.push(`${req.type} aggregation [${req.name}] must have a histogram, date_histogram or auto_date_histogram as parent`);
        }
      }
      if (req.subAggs.length > 0) {
        throw parsingError(`Aggregation [${req.name}] cannot define sub-aggregations`);
      }
      continue;
    }
    if (req.type === 'composite' && parent) {
      throw illegalArgument(`[composite] aggregation cannot be used with a parent aggregation of type: [${parent.type}]`);
    }
    if (req.type === 'global' && parent) {
      throw new OpenSearchError('aggregation_execution_exception',
        `Aggregation [${parent.name}] cannot have a global sub-aggregation [${req.name}]. Global aggregations can only be defined as top level aggregations`, 400);
    }
    if (entry.kind === 'metric' && req.subAggs.length > 0) {
      throw new OpenSearchError('aggregation_initialization_exception',
        `Aggregator [${req.name}] of type [${req.type}] cannot accept sub-aggregations`, 400);
    }
    validate(req.subAggs, req, problems);
  }
}

/** Bucket aggregations that may host parent pipelines (derivative needs a histogram). */
const MULTI_BUCKET = new Set([
  'terms', 'multi_terms', 'rare_terms', 'histogram', 'date_histogram', 'auto_date_histogram', 'range', 'date_range',
  'ip_range', 'filters', 'composite', 'significant_terms',
]);
const HISTOGRAMS = new Set(['histogram', 'date_histogram', 'auto_date_histogram']);
const HISTO_ONLY = new Set(['derivative', 'cumulative_sum', 'moving_fn', 'serial_diff', 'moving_avg']);
