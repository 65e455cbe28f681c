// `filter_path`: response filtering by dotted patterns with `*` and `**` wildcards and `-` exclusions.

import { RawJson } from '../index/docs/raw-json.ts';

/** Filters a response body by OpenSearch `filter_path` expressions. */
export function filterPath(body: unknown, patterns: string[]): unknown {
  const includes = patterns.filter((p) => !p.startsWith('-')).map((p) => p.split('.'));
  const excludes = patterns.filter((p) => p.startsWith('-')).map((p) => p.slice(1).split('.'));
  let out = includes.length > 0 ? include(materialize(body), includes) : materialize(body);
  if (excludes.length > 0) out = exclude(out, excludes);
  return out ?? {};
}

function materialize(v: unknown): unknown {
  if (v instanceof RawJson) return JSON.parse(v.text);
  if (Array.isArray(v)) return v.map(materialize);
  if (v !== null && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, materialize(x)]));
  return v;
}

const segMatch = (seg: string, key: string) =>
  seg === '*' || seg === key || (seg.includes('*') && new RegExp('^' + seg.split('*').map((s) => s.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*') + '$').test(key));

function include(v: unknown, paths: string[][]): unknown {
  if (paths.some((p) => p.length === 0)) return v;
  if (Array.isArray(v)) {
    const items = v.map((x) => include(x, paths)).filter((x) => x !== undefined);
    return items.length ? items : undefined;
  }
  if (v === null || typeof v !== 'object') return undefined;
  const out: Record<string, unknown> = {};
  for (const [k, x] of Object.entries(v)) {
    const next: string[][] = [];
    for (const p of paths) {
      if (p[0] === '**') {
        next.push(p);
        if (p.length > 1 && segMatch(p[1], k)) next.push(p.slice(2));
      } else if (segMatch(p[0], k)) next.push(p.slice(1));
    }
    if (next.length === 0) continue;
    const r = include(x, next);
    if (r !== undefined) out[k] = r;
  }
  return Object.keys(out).length ? out : undefined;
}

function exclude(v: unknown, paths: string[][]): unknown {
  if (Array.isArray(v)) return v.map((x) => exclude(x, paths));
  if (v === null || typeof v !== 'object') return v;
  const out: Record<string, unknown> = {};
  for (const [k, x] of Object.entries(v)) {
    const next = paths.filter((p) => segMatch(p[0], k)).map((p) => p.slice(1));
    if (next.some((p) => p.length === 0)) continue;
    out[k] = next.length ? exclude(x, next) : x;
  }
  return out;
}
