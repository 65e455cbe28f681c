// `exists` answered from `_source` for fields the segments keep no index of (binary, geo_point).
// Lucene uses its `_field_names` field for these; a scan of the stored sources gives the same set
// and is cached per segment, which is immutable.

import type { Bitmap, Segment } from '../../segment/segment.ts';
import { BitmapBuilder } from './bitmaps.ts';

const cache = new WeakMap<Segment, Map<string, Bitmap>>();

/** Docs of the segment whose `_source` has a non-null value at `path` (dotted keys and arrays followed). */
export function sourceExists(seg: Segment, path: string): Bitmap {
  let perField = cache.get(seg);
  if (!perField) cache.set(seg, (perField = new Map()));
  const hit = perField.get(path);
  if (hit) return hit;
  const b = new BitmapBuilder();
  for (const [d, src] of parsedSources(seg)) if (hasValue(src, path)) b.add(d);
  const out = b.build();
  perField.set(path, out);
  return out;
}

/** Every doc's parsed `_source` in doc order (docs whose source does not parse are skipped). */
export function* parsedSources(seg: Segment): Generator<[number, unknown]> {
  for (let d = 0; d < seg.maxDoc; d++) {
    let src: unknown;
    try {
      src = JSON.parse(seg.source(d).toString('utf8'));
    } catch {
      continue;
    }
    yield [d, src];
  }
}

/** The values at `path` in a parsed `_source` (arrays of leaf values kept as they are, e.g. `[lon, lat]`). */
export function sourceValuesAt(node: unknown, path: string, out: unknown[] = []): unknown[] {
  if (Array.isArray(node)) {
    for (const x of node) sourceValuesAt(x, path, out);
    return out;
  }
  if (node === null || typeof node !== 'object') return out;
  for (const [key, value] of Object.entries(node)) {
    if (key === path) {
      if (value !== null && value !== undefined) out.push(value);
    } else if (path.startsWith(key + '.')) sourceValuesAt(value, path.slice(key.length + 1), out);
  }
  return out;
}

function hasValue(node: unknown, path: string): boolean {
  if (Array.isArray(node)) return node.some((x) => hasValue(x, path));
  if (node === null || typeof node !== 'object') return false;
  for (const [key, value] of Object.entries(node)) {
    if (key === path) return present(value);
    if (path.startsWith(key + '.') && hasValue(value, path.slice(key.length + 1))) return true;
  }
  return false;
}

function present(v: unknown): boolean {
  if (Array.isArray(v)) return v.some(present);
  return v !== null && v !== undefined;
}
