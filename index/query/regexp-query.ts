// `regexp`: Lucene regular expressions over a field's terms. Parsed here (flags validated as
// OpenSearch's RegexpFlag does); translated and run by exec/lucene-regexp.ts + exec/multi-term.ts.

import { illegalArgument } from '../errors.ts';
import { parseFieldQuery, renderCommon, renderParams, requireField, toText, type ParseContext } from './parse-util.ts';
import type { RegexpQuery } from './query.ts';

const SPEC = {
  value: 'scalar', flags: 'text', flags_value: 'int', max_determinized_states: 'int', rewrite: 'text', case_insensitive: 'bool',
} as const;
const OPTIONS = ['flags', 'flags_value', 'max_determinized_states', 'rewrite', 'case_insensitive'];

/** Flags OpenSearch accepts in `flags` (pipe separated, case-insensitive). */
export const REGEXP_FLAGS = ['INTERSECTION', 'COMPLEMENT', 'EMPTY', 'ANYSTRING', 'INTERVAL', 'NONE', 'ALL'];

/** Parses the body of `{"regexp": …}`. */
export function parseRegexp(body: Record<string, unknown>, _ctx: ParseContext): RegexpQuery {
  const parts = parseFieldQuery('regexp', body, 'value', SPEC);
  const field = requireField(parts.field);
  const raw = parts.params.value;
  if (raw === undefined || raw === null) throw illegalArgument('value cannot be null');
  const q: RegexpQuery = { type: 'regexp', field, value: toText(raw, 'value') };
  renderParams(parts.params, OPTIONS, q as unknown as Record<string, unknown>);
  if (q.flags !== undefined) {
    for (const f of q.flags.split('|')) {
      if (f.trim() !== '' && !REGEXP_FLAGS.includes(f.trim().toUpperCase())) {
        throw illegalArgument(`Unknown regexp flag [${f}]`);
      }
    }
  }
  if (parts.boost !== undefined) q.boost = parts.boost;
  if (parts._name !== undefined) q._name = parts._name;
  return q;
}

/** Renders a regexp query body. */
export function renderRegexp(q: RegexpQuery): Record<string, unknown> {
  return { [q.field]: renderCommon(q, renderParams(q, OPTIONS, { value: q.value })) };
}
