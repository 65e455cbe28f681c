// minimum_should_match exactly as OpenSearch's Queries.calculateMinShouldMatch reads it: integers,
// negative integers (all but n), percentages (rounded down, in float as Java computes them),
// negative percentages, and conditional specs like `3<90%` or `2<-25% 9<-3`.

import { illegalArgument } from '../errors.ts';
import type { Scalar } from './query.ts';

/** The number of optional clauses that must match, given the spec and the optional clause count. */
export function calculateMinShouldMatch(optionalClauseCount: number, spec: Scalar | undefined): number {
  if (spec === undefined) return 0;
  let s = String(spec).trim();
  let result = optionalClauseCount;
  if (s.includes('<')) {
    s = s.replace(/\s*<\s*/g, '<');
    for (const part of s.split(/\s+/)) {
      const [upper, rest] = part.split('<');
      const upperBound = parseIntStrict(upper, spec);
      if (optionalClauseCount <= upperBound) return result;
      result = calculateMinShouldMatch(optionalClauseCount, rest);
    }
    return result;
  }
  if (s.includes('%')) {
    const percent = parseIntStrict(s.slice(0, -1), spec);
    // Java: float calc = (result * percent) * (1 / 100f); then truncation toward zero.
    const calc = Math.fround(Math.fround(result * percent) * Math.fround(1 / 100));
    result = calc < 0 ? result + Math.trunc(calc) : Math.trunc(calc);
  } else {
    const calc = parseIntStrict(s, spec);
    result = calc < 0 ? result + calc : calc;
  }
  return result < 0 ? 0 : result;
}

function parseIntStrict(s: string, spec: Scalar): number {
  if (!/^[-+]?\d+$/.test(s.trim())) throw illegalArgument(`Invalid minimum_should_match value [${String(spec)}]`);
  return Number(s.trim());
}
