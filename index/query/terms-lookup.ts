// Terms lookup values: `{"terms": {"field": {"index", "id", "path"}}}` takes its values from a field
// of another document. The coordinator fetches that document (search/terms-lookup-rewrite.ts); this
// reads the values at `path` out of its `_source` the way OpenSearch does.

import type { Scalar } from './query.ts';

/** XContentMapValues.extractRawValues: scalars at a dotted path, through arrays and dotted keys. */
export function extractValues(node: unknown, path: string): Scalar[] {
  const out: Scalar[] = [];
  const walk = (n: unknown, rest: string): void => {
    if (Array.isArray(n)) {
      for (const x of n) walk(x, rest);
      return;
    }
    if (rest === '') {
      if (typeof n === 'string' || typeof n === 'number' || typeof n === 'boolean') out.push(n);
      return;
    }
    if (n === null || typeof n !== 'object') return;
    for (const [k, v] of Object.entries(n)) {
      if (k === rest) walk(v, '');
      else if (rest.startsWith(k + '.')) walk(v, rest.slice(k.length + 1));
    }
  };
  walk(node, path);
  return out;
}
