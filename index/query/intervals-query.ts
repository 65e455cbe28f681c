// `intervals`: proximity rules over a text field's positions (OpenSearch's IntervalQueryBuilder and
// IntervalsSourceProvider). Parsed here into a tree of rules; intervals-compile.ts resolves them
// against the shard and exec/intervals-exec.ts evaluates them per document.

import { illegalArgument, parsingError } from '../errors.ts';
import { isObject, readCommon, readParam, renderCommon, tokenName, unknownField, type ParamKind, type ParseContext } from './parse-util.ts';
import type { IntervalFilter, IntervalFilterKind, IntervalMode, IntervalsQuery, IntervalsRule, Scalar } from './query.ts';

const RULES = ['match', 'any_of', 'all_of', 'prefix', 'wildcard', 'regexp', 'fuzzy'] as const;
const FILTERS: IntervalFilterKind[] = [
  'containing', 'not_containing', 'contained_by', 'not_contained_by', 'overlapping', 'not_overlapping', 'before', 'after',
];
const MODES: IntervalMode[] = ['ordered', 'unordered', 'unordered_no_overlap'];

/** Scalar options of each leaf-ish rule (`filter` and `intervals` are handled apart). */
const OPTIONS: Record<string, Record<string, ParamKind>> = {
  match: { query: 'text', max_gaps: 'int', mode: 'text', ordered: 'bool', analyzer: 'text', use_field: 'text' },
  prefix: { prefix: 'text', analyzer: 'text', use_field: 'text' },
  wildcard: { pattern: 'text', analyzer: 'text', use_field: 'text', max_expansions: 'int' },
  regexp: { pattern: 'text', flags: 'text', flags_value: 'int', case_insensitive: 'bool', max_expansions: 'int', use_field: 'text' },
  fuzzy: { term: 'text', prefix_length: 'int', transpositions: 'bool', fuzziness: 'fuzziness', analyzer: 'text', use_field: 'text' },
  all_of: { max_gaps: 'int', mode: 'text', ordered: 'bool' },
  any_of: {},
};
/** The option every rule must have. */
const REQUIRED: Record<string, string> = { match: 'query', prefix: 'prefix', wildcard: 'pattern', regexp: 'pattern', fuzzy: 'term' };

/** Parses the body of `{"intervals": {field: {rule: …, boost, _name}}}`. */
export function parseIntervals(body: Record<string, unknown>, _ctx: ParseContext): IntervalsQuery {
  const keys = Object.keys(body);
  if (keys.length === 0) throw parsingError('Expected [FIELD_NAME] but got [END_OBJECT]');
  const field = keys[0];
  const inner = body[field];
  if (!isObject(inner)) throw parsingError(`Expected [START_OBJECT] but got [${tokenName(inner)}]`);
  if (keys.length > 1) throw parsingError('Expected [END_OBJECT] but got [FIELD_NAME]');
  const q: Partial<IntervalsQuery> & { type: 'intervals'; field: string } = { type: 'intervals', field };
  let ruleName: string | undefined;
  for (const [key, value] of Object.entries(inner)) {
    if (readCommon(key, value, q)) continue;
    if (ruleName !== undefined) throw parsingError(`Only one interval rule can be specified, found [${ruleName}] and [${key}]`);
    ruleName = key;
    q.source = parseRuleBody(key, value);
  }
  if (!q.source) throw parsingError('Missing intervals from interval query definition');
  return q as IntervalsQuery;
}

/** Parses `{rule: {…}}` (one key), as nested in all_of / any_of / filters. */
function parseRuleObject(json: unknown): IntervalsRule {
  if (!isObject(json)) throw parsingError(`Expected [START_OBJECT] but got [${tokenName(json)}]`);
  const keys = Object.keys(json);
  if (keys.length === 0) throw parsingError('Missing intervals from interval query definition');
  if (keys.length > 1) throw parsingError(`Only one interval rule can be specified, found [${keys[0]}] and [${keys[1]}]`);
  return parseRuleBody(keys[0], json[keys[0]]);
}

function parseRuleBody(name: string, body: unknown): IntervalsRule {
  if (!(RULES as readonly string[]).includes(name)) {
    throw parsingError(`Unknown interval type [${name}], expecting one of [${RULES.join(', ')}]`);
  }
  if (!isObject(body)) throw parsingError(`[${name}] Expected [START_OBJECT] but got [${tokenName(body)}]`);
  const spec = OPTIONS[name];
  const out: Record<string, unknown> = { rule: name };
  for (const [key, value] of Object.entries(body)) {
    if (key === 'filter' && name !== 'prefix' && name !== 'wildcard' && name !== 'regexp' && name !== 'fuzzy') {
      out.filter = parseFilter(value);
    } else if (key === 'intervals' && (name === 'all_of' || name === 'any_of')) {
      if (!Array.isArray(value)) throw parsingError(`[${name}] intervals must be an array`);
      out.intervals = value.map(parseRuleObject);
    } else if (key in spec) {
      const v = readParam(spec[key], value, key);
      if (v !== undefined && v !== null) out[key] = v;
    } else {
      throw unknownField(name, key, [...Object.keys(spec), ...(name === 'all_of' || name === 'any_of' ? ['intervals', 'filter'] : [])]);
    }
  }
  const required = REQUIRED[name];
  if (required && out[required] === undefined) throw illegalArgument(`[${name}] Required [${required}]`);
  if ((name === 'all_of' || name === 'any_of') && !Array.isArray(out.intervals)) throw illegalArgument(`[${name}] Required [intervals]`);
  if (out.mode !== undefined && !MODES.includes(out.mode as IntervalMode)) {
    throw illegalArgument(`No mode with name [${String(out.mode)}] found`);
  }
  return out as unknown as IntervalsRule;
}

function parseFilter(json: unknown): IntervalFilter {
  if (!isObject(json)) throw parsingError(`Expected [START_OBJECT] but got [${tokenName(json)}]`);
  const keys = Object.keys(json);
  if (keys.length !== 1) throw parsingError('Expected [END_OBJECT] but got [FIELD_NAME]');
  const kind = keys[0];
  if (kind === 'script') throw illegalArgument('[intervals] script filters are not supported');
  if (!FILTERS.includes(kind as IntervalFilterKind)) throw parsingError(`Unknown interval filter type [${kind}]`);
  return { kind: kind as IntervalFilterKind, rule: parseRuleObject(json[kind]) };
}

/** The effective combination mode: `mode`, else the deprecated `ordered` flag, else unordered. */
export function modeOf(r: { mode?: IntervalMode; ordered?: boolean }): IntervalMode {
  return r.mode ?? (r.ordered ? 'ordered' : 'unordered');
}

/** Renders an intervals query body. */
export function renderIntervals(q: IntervalsQuery): Record<string, unknown> {
  return { [q.field]: renderCommon(q, renderRule(q.source)) };
}

function renderRule(r: IntervalsRule): Record<string, unknown> {
  const body: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(r)) {
    if (k === 'rule' || v === undefined) continue;
    if (k === 'intervals') body.intervals = (v as IntervalsRule[]).map(renderRule);
    else if (k === 'filter') body.filter = { [(v as IntervalFilter).kind]: renderRule((v as IntervalFilter).rule) };
    else body[k] = v as Scalar;
  }
  return { [r.rule]: body };
}
