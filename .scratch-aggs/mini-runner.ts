import fs from 'node:fs';
import yaml from 'js-yaml';
import { makeShard, matchAll } from '/work/main/index/aggs/test-support.ts';
import { collectAggregations, parseAggregations, reduceAggregations, renderAggregations } from '/work/main/index/aggs/index.ts';
import { compileFilter } from '/work/main/index/aggs/query-adapter.ts';

const dir = '/work/shared/opensearch-rest-tests/tests/search.aggregation';
const only = process.argv[2];
let pass = 0, fail = 0, skip = 0;
const fails: string[] = [];
for (const file of fs.readdirSync(dir).sort()) {
  if (only && !file.includes(only)) continue;
  const docsY = yaml.loadAll(fs.readFileSync(`${dir}/${file}`, 'utf8'), undefined, { schema: yaml.JSON_SCHEMA }) as any[];
  const setup = docsY.find((d) => d && d.setup)?.setup ?? [];
  for (const d of docsY) {
    if (!d) continue;
    const title = Object.keys(d)[0];
    if (title === 'setup' || title === 'teardown') continue;
    const steps = d[title] as any[];
    const sk = steps[0]?.skip;
    if (sk && skipped(String(sk.version ?? ''))) { skip++; continue; }
    const indices = new Map<string, { mapping: any; docs: any[]; shards: number }>();
    let last: any = null;
    let maxBuckets = 65535;
    let ok = true, why = '';
    const run = (step: any) => {
      const [k, v] = Object.entries(step)[0] as [string, any];
      if (k === 'skip') return;
      if (k === 'do') {
        const { catch: c, ...rest } = v;
        const [api, args] = Object.entries(rest).filter(([a]) => !['allowed_warnings', 'node_selector', 'headers', 'warnings'].includes(a))[0] as [string, any];
        try {
          last = doApi(api, args ?? {});
          if (c) { ok = false; why = `expected error ${c}`; }
        } catch (e: any) {
          if (!c) { ok = false; why = `${api}: ${e.message}`; }
          else if (c.startsWith('/') && !new RegExp(c.slice(1, -1)).test(e.reason ?? e.message)) { ok = false; why = `error mismatch ${c} vs ${e.reason ?? e.message}`; }
          last = null;
        }
        return;
      }
      if (!last) return;
      const check = (path: string, exp: any, kind: string) => {
        if (!path.startsWith('aggregations')) return;
        const got = get(last, path);
        let good = true;
        if (kind === 'match') good = typeof exp === 'string' && exp.startsWith('/') ? new RegExp(exp.slice(1, -1).replace(/\s+/g, '')).test(String(got)) : eq(got, exp);
        if (kind === 'length') good = got != null && (Array.isArray(got) ? got.length : Object.keys(got).length) === exp;
        if (kind === 'is_true') good = got !== undefined && got !== null && got !== false && got !== '' && got !== 0;
        if (kind === 'is_false') good = got === undefined || got === null || got === false || got === '' || got === 0;
        if (kind === 'gt') good = got > exp; if (kind === 'gte') good = got >= exp; if (kind === 'lt') good = got < exp; if (kind === 'lte') good = got <= exp;
        if (!good && ok) { ok = false; why = `${kind} ${path}: got ${JSON.stringify(got)} expected ${JSON.stringify(exp)}`; }
      };
      if (k === 'is_true' || k === 'is_false') check(v, null, k);
      else for (const [p, e] of Object.entries(v)) check(p, e, k);
    };
    const doApi = (api: string, a: any): any => {
      switch (api) {
        case 'indices.create': indices.set(a.index, { mapping: a.body?.mappings ?? {}, docs: [], shards: Number(a.body?.settings?.number_of_shards ?? a.body?.settings?.index?.number_of_shards ?? 1) }); return {};
        case 'index': { const ix = indices.get(a.index) ?? (indices.set(a.index, { mapping: {}, docs: [], shards: 1 }), indices.get(a.index)!); ix.docs.push(a.body); return {}; }
        case 'bulk': {
          const lines = (typeof a.body === 'string' ? a.body.split('\n').filter((l: string) => l.trim()) : a.body as any[]).map((l) => (typeof l === 'string' ? JSON.parse(l) : l));
          for (let i = 0; i < lines.length; i += 2) {
            const meta = lines[i].index ?? lines[i].create;
            const name = meta._index ?? a.index;
            const ix = indices.get(name) ?? (indices.set(name, { mapping: {}, docs: [], shards: 1 }), indices.get(name)!);
            ix.docs.push(lines[i + 1]);
          }
          return {};
        }
        case 'search': {
          const body = a.body ?? {};
          const aggsJson = body.aggs ?? body.aggregations;
          if (!aggsJson) return {};
          const reqs = parseAggregations(aggsJson);
          const names = a.index ? String(a.index).split(',') : [...indices.keys()];
          const partials: any[] = [];
          for (const n of names) {
            const ix = indices.get(n);
            if (!ix) continue;
            for (let s = 0; s < ix.shards; s++) {
              const shard = makeShard(inferMapping(ix.mapping, ix.docs), ix.docs.filter((_, i) => i % ix.shards === s));
              const q = body.query ? compileFilter(body.query, shard) : null;
              const m = matchAll(shard, q ? (seg, d) => q(seg)[d] === 1 : undefined);
              partials.push(JSON.parse(JSON.stringify(collectAggregations(reqs, shard, m, { maxBuckets, memoryBudgetBytes: 1e9 }))));
            }
          }
          const red = reduceAggregations(reqs, partials, { maxBuckets });
          return { aggregations: renderAggregations(reqs, red, { typedKeys: a.typed_keys === true || a.typed_keys === 'true' }) };
        }
        case 'cluster.put_settings': maxBuckets = a.body?.transient?.['search.max_buckets'] ?? a.body?.persistent?.['search.max_buckets'] ?? 65535; return {};
        default: return {};
      }
    };
    try {
      for (const s of setup) run(s);
      for (const s of steps) { run(s); }
    } catch (e: any) { ok = false; why = 'runner: ' + e.message; }
    if (ok) pass++; else { fail++; fails.push(`${file} :: ${title} :: ${why}`); }
  }
}
console.log(fails.join('\n'));
console.log(`${pass} passed, ${fail} failed, ${skip} skipped`);

function get(o: any, path: string): any {
  const parts = path.split(/(?<!\\)\./).map((p) => p.replace(/\\\./g, '.'));
  for (const p of parts) { if (o == null) return undefined; o = o[p]; }
  return o;
}
function eq(a: any, b: any): boolean {
  if (typeof a === 'number' && typeof b === 'number') return a === b;
  if (b === null) return a === null || a === undefined;
  return JSON.stringify(a) === JSON.stringify(b) || (typeof a === 'object' && typeof b === 'object' && a && b && Object.keys(b).length === Object.keys(a).length && Object.keys(b).every((k) => eq(a[k], b[k])));
}
function inferMapping(m: any, _docs: any[]): any { return m;
}
function inferMappingOld(m: any, docs: any[]): any {
  const props = { ...(m.properties ?? {}) };
  for (const d of docs) for (const [k, v] of Object.entries(d ?? {})) {
    if (props[k]) continue;
    const x = Array.isArray(v) ? v[0] : v;
    if (typeof x === 'number') props[k] = { type: Number.isInteger(x) ? 'long' : 'float' };
    else if (typeof x === 'boolean') props[k] = { type: 'boolean' };
    else if (typeof x === 'string') props[k] = /^\d{4}-\d\d-\d\d/.test(x) ? { type: 'date' } : { type: 'keyword' };
  }
  return { properties: props };
}

function ver(v: string): number { const [a, b, c] = v.trim().split('.').map(Number); return a * 10000 + (b || 0) * 100 + (c || 0); }
function skipped(range: string): boolean {
  if (!range) return false;
  if (range.trim() === 'all') return true;
  return range.split(',').some((r) => {
    const [lo, hi] = r.split('-').map((x) => x.trim());
    const v = ver('2.19.0');
    return (lo === '' || ver(lo) <= v) && (hi === '' || hi === undefined || v <= ver(hi));
  });
}
