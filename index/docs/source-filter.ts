// `_source` filtering (`_source: false`, includes/excludes with wildcards) for get, mget and search.
// Unfiltered sources are passed through as raw bytes; filtered ones are rebuilt from parsed JSON.

import { RawJson } from './raw-json.ts';
import { wildcardRegExp } from '../mapping/mapping.ts';

/** A parsed `_source` option. */
export interface SourceFilter {
  enabled: boolean;
  includes: string[];
  excludes: string[];
}

/** Parses `_source` from a body value or the `_source`, `_source_includes`, `_source_excludes` params. */
export function parseSourceFilter(value: unknown, includesParam?: string, excludesParam?: string): SourceFilter | null {
  let f: SourceFilter | null = null;
  if (value === false || value === 'false') f = { enabled: false, includes: [], excludes: [] };
  else if (value === true || value === 'true') f = { enabled: true, includes: [], excludes: [] };
  else if (typeof value === 'string') f = { enabled: true, includes: value.split(','), excludes: [] };
  else if (Array.isArray(value)) f = { enabled: true, includes: value.map(String), excludes: [] };
  else if (value && typeof value === 'object') {
    const o = value as Record<string, unknown>;
    const list = (v: unknown) => (v === undefined ? [] : Array.isArray(v) ? v.map(String) : [String(v)]);
    f = { enabled: true, includes: list(o.includes ?? o.include), excludes: list(o.excludes ?? o.exclude) };
  }
  if (includesParam !== undefined || excludesParam !== undefined) {
    f = f && !f.enabled ? { enabled: true, includes: [], excludes: [] } : (f ?? { enabled: true, includes: [], excludes: [] });
    if (includesParam) f.includes = includesParam.split(',');
    if (excludesParam) f.excludes = excludesParam.split(',');
  }
  return f;
}

/** Applies a filter to stored source bytes: RawJson when unfiltered, an object when filtered, undefined when disabled. */
export function filterSource(bytes: Buffer, filter: SourceFilter | null): unknown {
  if (filter && !filter.enabled) return undefined;
  if (!filter || (filter.includes.length === 0 && filter.excludes.length === 0)) return new RawJson(bytes.toString('utf8'));
  const obj = JSON.parse(bytes.toString('utf8'));
  return filterObject(obj, filter);
}

/** Filters a parsed source object by include/exclude patterns over dotted paths. */
export function filterObject(obj: unknown, filter: SourceFilter): unknown {
  const inc = filter.includes.filter((p) => p !== '').map(pathMatcher);
  const exc = filter.excludes.filter((p) => p !== '').map(pathMatcher);
  const walk = (node: unknown, path: string): unknown => {
    if (node === null || typeof node !== 'object') return node;
    if (Array.isArray(node)) {
      const items = node.map((v) => (v !== null && typeof v === 'object' ? walk(v, path) : v)).filter((v) => v !== DROP);
      return items;
    }
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(node)) {
      const p = path ? `${path}.${k}` : k;
      if (exc.some((m) => m.full(p))) continue;
      const included = inc.length === 0 || inc.some((m) => m.full(p));
      const mayContain = inc.length === 0 || inc.some((m) => m.prefix(p));
      if (included) {
        out[k] = v !== null && typeof v === 'object' ? walkExcludesOnly(v, p) : v;
      } else if (mayContain && v !== null && typeof v === 'object') {
        const sub = walk(v, p);
        if (Array.isArray(sub) ? sub.length > 0 : Object.keys(sub as object).length > 0) out[k] = sub;
      }
    }
    return out;
  };
  const walkExcludesOnly = (node: unknown, path: string): unknown => {
    if (exc.length === 0) return node;
    if (Array.isArray(node)) return node.map((v) => (v !== null && typeof v === 'object' ? walkExcludesOnly(v, path) : v));
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(node as Record<string, unknown>)) {
      const p = `${path}.${k}`;
      if (exc.some((m) => m.full(p))) continue;
      out[k] = v !== null && typeof v === 'object' ? walkExcludesOnly(v, p) : v;
    }
    return out;
  };
  return walk(obj, '');
}

const DROP = Symbol('drop');

function pathMatcher(pattern: string): { full: (p: string) => boolean; prefix: (p: string) => boolean } {
  const re = wildcardRegExp(pattern);
  // A path matches fully if it or one of its ancestors matches (including `a` includes `a.b`).
  return {
    full: (p: string) => {
      if (re.test(p)) return true;
      let i = p.lastIndexOf('.');
      while (i > 0) {
        if (re.test(p.slice(0, i))) return true;
        i = p.lastIndexOf('.', i - 1);
      }
      return false;
    },
    // Could a descendant of p match? (p is a prefix of the pattern, or the pattern has a wildcard.)
    prefix: (p: string) => pattern.startsWith(p + '.') || pattern.includes('*'),
  };
}
