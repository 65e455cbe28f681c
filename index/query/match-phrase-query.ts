// `match_phrase` and `match_phrase_prefix`: analyzed text as a positional phrase (with slop);
// the prefix variant expands its last term over the term dictionary (max_expansions).

import { parsingError } from '../errors.ts';
import { parseFieldQuery, renderCommon, renderParams, type ParseContext } from './parse-util.ts';
import type { MatchPhrasePrefixQuery, MatchPhraseQuery, Scalar } from './query.ts';

const PHRASE_SPEC = { query: 'scalar', analyzer: 'text', slop: 'int', zero_terms_query: 'text' } as const;
const PREFIX_SPEC = { ...PHRASE_SPEC, max_expansions: 'int' } as const;
const PHRASE_OPTIONS = ['analyzer', 'slop', 'zero_terms_query'];
const PREFIX_OPTIONS = ['analyzer', 'slop', 'max_expansions', 'zero_terms_query'];

function checkZeroTerms(v: unknown): void {
  if (v !== undefined && !['none', 'all'].includes(String(v).toLowerCase())) {
    throw parsingError(`Unsupported zero_terms_query value [${String(v)}]`);
  }
}

/** Parses the body of `{"match_phrase": …}`. */
export function parseMatchPhrase(body: Record<string, unknown>, _ctx: ParseContext): MatchPhraseQuery {
  const parts = parseFieldQuery('match_phrase', body, 'query', PHRASE_SPEC);
  const query = parts.params.query as Scalar | undefined;
  if (query === undefined) throw parsingError('No text specified for text query');
  const q: MatchPhraseQuery = { type: 'match_phrase', field: parts.field ?? '', query };
  renderParams(parts.params, PHRASE_OPTIONS, q as unknown as Record<string, unknown>);
  checkZeroTerms(q.zero_terms_query);
  if (q.slop !== undefined && q.slop < 0) throw parsingError('No negative slop allowed.');
  if (parts.boost !== undefined) q.boost = parts.boost;
  if (parts._name !== undefined) q._name = parts._name;
  return q;
}

/** Parses the body of `{"match_phrase_prefix": …}`. */
export function parseMatchPhrasePrefix(body: Record<string, unknown>, _ctx: ParseContext): MatchPhrasePrefixQuery {
  const parts = parseFieldQuery('match_phrase_prefix', body, 'query', PREFIX_SPEC);
  const query = parts.params.query as Scalar | undefined;
  if (query === undefined) throw parsingError('No text specified for text query');
  const q: MatchPhrasePrefixQuery = { type: 'match_phrase_prefix', field: parts.field ?? '', query };
  renderParams(parts.params, PREFIX_OPTIONS, q as unknown as Record<string, unknown>);
  checkZeroTerms(q.zero_terms_query);
  if (q.slop !== undefined && q.slop < 0) throw parsingError('No negative slop allowed.');
  if (parts.boost !== undefined) q.boost = parts.boost;
  if (parts._name !== undefined) q._name = parts._name;
  return q;
}

/** Renders a match_phrase body. */
export function renderMatchPhrase(q: MatchPhraseQuery): Record<string, unknown> {
  return { [q.field]: renderCommon(q, renderParams(q, PHRASE_OPTIONS, { query: q.query })) };
}

/** Renders a match_phrase_prefix body. */
export function renderMatchPhrasePrefix(q: MatchPhrasePrefixQuery): Record<string, unknown> {
  return { [q.field]: renderCommon(q, renderParams(q, PREFIX_OPTIONS, { query: q.query })) };
}
