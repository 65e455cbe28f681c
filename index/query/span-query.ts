// The span family (span_term, span_near, span_or, span_first, span_multi, span_not,
// span_containing, span_within, field_masking_span): parsed here with OpenSearch's messages, and
// compiled by span-compile.ts onto the interval engine (exec/intervals-exec.ts).

import { illegalArgument, parsingError } from '../errors.ts';
import {
  isObject, parseFieldQuery, readCommon, renderCommon, requireField, toBool, toInt, toText, type ParseContext,
} from './parse-util.ts';
import type {
  FieldMaskingSpanQuery, Query, Scalar, SpanContainingQuery, SpanFirstQuery, SpanMultiQuery, SpanNearQuery, SpanNotQuery,
  SpanOrQuery, SpanQuery, SpanTermQuery, SpanWithinQuery,
} from './query.ts';
import { renderQuery } from './registry.ts';

const SPAN_TYPES = new Set<string>([
  'span_term', 'span_near', 'span_or', 'span_first', 'span_multi', 'span_not', 'span_containing', 'span_within', 'field_masking_span',
]);
const MULTI_TERM_TYPES = new Set<string>(['prefix', 'wildcard', 'regexp', 'fuzzy', 'range']);

/** Whether a parsed query belongs to the span family. */
export function isSpanQuery(q: Query): q is SpanQuery {
  return SPAN_TYPES.has(q.type);
}

/** Parses a nested clause that must be a span query without a boost of its own. */
function spanClause(ctx: ParseContext, owner: string, key: string, json: unknown): SpanQuery {
  const q = ctx.parseInner(json);
  if (!isSpanQuery(q)) throw parsingError(`${owner} [${key}] must be of type span query`);
  if (q.boost !== undefined && q.boost !== 1) {
    throw parsingError(`${owner} [${key}] as a nested span clause can't have non-default boost value [${q.boost.toFixed(1)}]`);
  }
  return q;
}

/**
 * Walks an object-style span body: `objects` parse nested clauses, `arrays` lists of clauses,
 * `scalars` read options; boost and _name are common; anything else is OpenSearch's rejection.
 */
function walk(
  name: string,
  body: Record<string, unknown>,
  handlers: { objects?: Record<string, (v: unknown) => void>; arrays?: Record<string, (v: unknown[]) => void>; scalars?: Record<string, (v: unknown) => void> },
  common: { boost?: number; _name?: string },
): void {
  for (const [key, value] of Object.entries(body)) {
    if (isObject(value)) {
      const h = handlers.objects?.[key];
      if (!h) throw parsingError(`[${name}] query does not support [${key}]`);
      h(value);
    } else if (Array.isArray(value)) {
      const h = handlers.arrays?.[key];
      if (!h) throw parsingError(`[${name}] query does not support [${key}]`);
      h(value);
    } else if (!readCommon(key, value, common)) {
      const h = handlers.scalars?.[key];
      if (!h) throw parsingError(`[${name}] query does not support [${key}]`);
      h(value);
    }
  }
}

/** `{"span_term": {field: value}}` or `{field: {value|term, boost, _name}}`. */
export function parseSpanTerm(body: Record<string, unknown>, _ctx: ParseContext): SpanTermQuery {
  const parts = parseFieldQuery('span_term', body, 'value', { value: 'scalar', term: 'scalar' });
  const field = requireField(parts.field);
  const value = (parts.params.value ?? parts.params.term) as Scalar | undefined;
  if (value === undefined || value === null) throw illegalArgument('value cannot be null');
  const q: SpanTermQuery = { type: 'span_term', field, value };
  if (parts.boost !== undefined) q.boost = parts.boost;
  if (parts._name !== undefined) q._name = parts._name;
  return q;
}

export function parseSpanNear(body: Record<string, unknown>, ctx: ParseContext): SpanNearQuery {
  const q: Partial<SpanNearQuery> = { type: 'span_near' };
  walk('span_near', body, {
    arrays: { clauses: (v) => (q.clauses = v.map((c) => spanClause(ctx, 'span_near', 'clauses', c))) },
    scalars: {
      slop: (v) => (q.slop = toInt(v, 'slop')),
      in_order: (v) => (q.in_order = toBool(v)),
      collect_payloads: () => undefined,
    },
  }, q);
  if (!q.clauses || q.clauses.length === 0) throw parsingError('span_near must include [clauses]');
  return q as SpanNearQuery;
}

export function parseSpanOr(body: Record<string, unknown>, ctx: ParseContext): SpanOrQuery {
  const q: Partial<SpanOrQuery> = { type: 'span_or' };
  walk('span_or', body, { arrays: { clauses: (v) => (q.clauses = v.map((c) => spanClause(ctx, 'span_or', 'clauses', c))) } }, q);
  if (!q.clauses || q.clauses.length === 0) throw parsingError('span_or must include [clauses]');
  return q as SpanOrQuery;
}

export function parseSpanFirst(body: Record<string, unknown>, ctx: ParseContext): SpanFirstQuery {
  const q: Partial<SpanFirstQuery> = { type: 'span_first' };
  walk('span_first', body, {
    objects: { match: (v) => (q.match = spanClause(ctx, 'span_first', 'match', v)) },
    scalars: { end: (v) => (q.end = toInt(v, 'end')) },
  }, q);
  if (!q.match) throw parsingError('span_first must have [match] span query clause');
  if (q.end === undefined) throw parsingError('span_first must have [end] set for it');
  return q as SpanFirstQuery;
}

export function parseSpanMulti(body: Record<string, unknown>, ctx: ParseContext): SpanMultiQuery {
  const q: Partial<SpanMultiQuery> = { type: 'span_multi' };
  walk('span_multi', body, {
    objects: {
      match: (v) => {
        const inner = ctx.parseInner(v);
        if (!MULTI_TERM_TYPES.has(inner.type)) throw parsingError('spanMultiTerm [match] must be of type multi term query');
        q.match = inner as SpanMultiQuery['match'];
      },
    },
  }, q);
  if (!q.match) throw parsingError('spanMultiTerm must have [match] multi term query clause');
  return q as SpanMultiQuery;
}

export function parseSpanNot(body: Record<string, unknown>, ctx: ParseContext): SpanNotQuery {
  const q: Partial<SpanNotQuery> = { type: 'span_not' };
  walk('span_not', body, {
    objects: {
      include: (v) => (q.include = spanClause(ctx, 'span_not', 'include', v)),
      exclude: (v) => (q.exclude = spanClause(ctx, 'span_not', 'exclude', v)),
    },
    scalars: {
      pre: (v) => (q.pre = toInt(v, 'pre')),
      post: (v) => (q.post = toInt(v, 'post')),
      dist: (v) => (q.dist = toInt(v, 'dist')),
    },
  }, q);
  if (!q.include) throw parsingError('span_not must have [include] span query clause');
  if (!q.exclude) throw parsingError('span_not must have [exclude] span query clause');
  if (q.dist !== undefined && (q.pre !== undefined || q.post !== undefined)) {
    throw parsingError('span_not can either use [dist] or [pre] & [post] (or none)');
  }
  return q as SpanNotQuery;
}

function parseBigLittle<T extends SpanContainingQuery | SpanWithinQuery>(type: T['type'], body: Record<string, unknown>, ctx: ParseContext): T {
  const q: Partial<SpanContainingQuery | SpanWithinQuery> = { type };
  walk(type, body, {
    objects: {
      big: (v) => (q.big = spanClause(ctx, type, 'big', v)),
      little: (v) => (q.little = spanClause(ctx, type, 'little', v)),
    },
  }, q);
  if (!q.big) throw parsingError(`${type} must include [big]`);
  if (!q.little) throw parsingError(`${type} must include [little]`);
  return q as T;
}

export const parseSpanContaining = (body: Record<string, unknown>, ctx: ParseContext): SpanContainingQuery =>
  parseBigLittle<SpanContainingQuery>('span_containing', body, ctx);
export const parseSpanWithin = (body: Record<string, unknown>, ctx: ParseContext): SpanWithinQuery =>
  parseBigLittle<SpanWithinQuery>('span_within', body, ctx);

export function parseFieldMaskingSpan(body: Record<string, unknown>, ctx: ParseContext): FieldMaskingSpanQuery {
  const q: Partial<FieldMaskingSpanQuery> = { type: 'field_masking_span' };
  walk('field_masking_span', body, {
    objects: { query: (v) => (q.query = spanClause(ctx, 'field_masking_span', 'query', v)) },
    scalars: { field: (v) => (q.field = toText(v, 'field')) },
  }, q);
  if (!q.query) throw parsingError('field_masking_span must have [query] span query clause');
  if (q.field === undefined) throw parsingError('field_masking_span must have [field] set for it');
  return q as FieldMaskingSpanQuery;
}

/** Renders the body of any span query. */
export function renderSpan(q: SpanQuery): Record<string, unknown> {
  switch (q.type) {
    case 'span_term': return { [q.field]: renderCommon(q, { value: q.value }) };
    case 'span_near': {
      const body: Record<string, unknown> = { clauses: q.clauses.map(renderQuery) };
      if (q.slop !== undefined) body.slop = q.slop;
      if (q.in_order !== undefined) body.in_order = q.in_order;
      return renderCommon(q, body);
    }
    case 'span_or': return renderCommon(q, { clauses: q.clauses.map(renderQuery) });
    case 'span_first': return renderCommon(q, { match: renderQuery(q.match), end: q.end });
    case 'span_multi': return renderCommon(q, { match: renderQuery(q.match) });
    case 'span_not': {
      const body: Record<string, unknown> = { include: renderQuery(q.include), exclude: renderQuery(q.exclude) };
      for (const k of ['pre', 'post', 'dist'] as const) if (q[k] !== undefined) body[k] = q[k];
      return renderCommon(q, body);
    }
    case 'span_containing':
    case 'span_within': return renderCommon(q, { big: renderQuery(q.big), little: renderQuery(q.little) });
    case 'field_masking_span': return renderCommon(q, { query: renderQuery(q.query), field: q.field });
  }
}
