// Dotted response paths (`hits.hits.0._source.foo`, `values.99\.0`), as upstream's ObjectPath:
// `\.` is a literal dot, a number indexes a list, `""` is the whole value, a missing map key
// yields undefined, and a segment that is a stash reference (`$id`, `${id}`) is replaced first.
import { isMap, javaToString } from './values.ts';

/** Replaces a path segment that refers to the stash (stash_in_path); others pass through. */
export interface SegmentResolver {
  resolveSegment(segment: string): string;
}

/** Raised when a path cannot be followed (non-numeric list index, index out of bounds, scalar). */
export class PathError extends Error {}

/** Key that returns an arbitrary key of a map (feature `arbitrary_key`). */
const ARBITRARY_KEY = '_arbitrary_key_';

/** Splits a dotted path into segments; `\x` escapes x (used for `\.`); empty segments vanish. */
export function splitPath(path: string): string[] {
  const segments: string[] = [];
  let current = '';
  for (let i = 0; i < path.length; i++) {
    const c = path[i]!;
    if (c === '\\' && i + 1 < path.length) {
      current += path[++i];
    } else if (c === '.') {
      if (current.length > 0) segments.push(current);
      current = '';
    } else {
      current += c;
    }
  }
  if (current.length > 0) segments.push(current);
  return segments;
}

/**
 * Follows `path` from `root`. Returns undefined as soon as a level is null or absent; throws
 * PathError where upstream throws (a list with a bad index, a scalar with more path to go).
 */
export function evaluatePath(root: unknown, path: string, resolver?: SegmentResolver): unknown {
  let current = root;
  for (const raw of splitPath(path)) {
    const key = resolver ? resolver.resolveSegment(raw) : raw;
    current = step(current, key);
    if (current === null || current === undefined) return undefined;
  }
  return current;
}

function step(current: unknown, key: string): unknown {
  if (isMap(current)) {
    if (key === ARBITRARY_KEY) {
      if (Object.hasOwn(current, key)) throw new PathError(`requested meta-key [${key}] but the map unexpectedly contains this key`);
      return Object.keys(current)[0];
    }
    return Object.hasOwn(current, key) ? current[key] : undefined;
  }
  if (Array.isArray(current)) {
    if (!/^[-+]?\d+$/.test(key)) throw new PathError(`element was a list, but [${key}] was not numeric`);
    const index = Number(key);
    if (index < 0 || index >= current.length) {
      throw new PathError(`element was a list with ${current.length} elements, but [${key}] was out of bounds`);
    }
    return current[index];
  }
  const kind = typeof current === 'string' ? 'String' : typeof current;
  throw new PathError(`no object found for [${key}] within ${kind} ${truncated(javaToString(current))}`);
}

function truncated(text: string): string {
  return text.length > 60 ? `${text.slice(0, 60)}…` : text;
}
