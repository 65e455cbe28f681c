// Highlighting for text fields (what Discover shows): finds the query's terms in a hit's field text by
// re-analysing it with offsets, and wraps matches in pre/post tags, cut into fragments around them.

import type { Segment } from '../segment/segment.ts';
import type { ShardSearchContext } from './shard-context.ts';
import { valuesAt } from './fetch-phase.ts';

interface HighlightOptions {
  preTags: string[];
  postTags: string[];
  fragmentSize: number;
  numberOfFragments: number;
  requireFieldMatch: boolean;
  noMatchSize: number;
}

function options(spec: Record<string, unknown>, base?: HighlightOptions): HighlightOptions {
  return {
    preTags: (spec.pre_tags as string[] | undefined) ?? base?.preTags ?? ['<em>'],
    postTags: (spec.post_tags as string[] | undefined) ?? base?.postTags ?? ['</em>'],
    fragmentSize: Number(spec.fragment_size ?? base?.fragmentSize ?? 100),
    numberOfFragments: Number(spec.number_of_fragments ?? base?.numberOfFragments ?? 5),
    requireFieldMatch: (spec.require_field_match as boolean | undefined) ?? base?.requireFieldMatch ?? true,
    noMatchSize: Number(spec.no_match_size ?? base?.noMatchSize ?? 0),
  };
}

/** Collects (field or '*', text) pairs whose terms should be highlighted, from a query's JSON. */
export function queryTexts(query: unknown, out: Array<{ field: string; text: string }> = []): Array<{ field: string; text: string }> {
  if (query === null || typeof query !== 'object') return out;
  if (Array.isArray(query)) {
    for (const q of query) queryTexts(q, out);
    return out;
  }
  for (const [type, body] of Object.entries(query as Record<string, unknown>)) {
    if (body === null || typeof body !== 'object') continue;
    const b = body as Record<string, unknown>;
    switch (type) {
      case 'match': case 'match_phrase': case 'match_phrase_prefix': case 'match_bool_prefix': case 'term': case 'prefix': case 'wildcard': case 'fuzzy':
        for (const [field, v] of Object.entries(b)) {
          if (field === 'boost' || field === '_name') continue;
          const text = v !== null && typeof v === 'object' ? ((v as Record<string, unknown>).query ?? (v as Record<string, unknown>).value) : v;
          if (text !== undefined) out.push({ field, text: String(text).replace(/[*?]/g, '') });
        }
        break;
      case 'terms':
        for (const [field, v] of Object.entries(b)) if (Array.isArray(v)) for (const t of v) out.push({ field, text: String(t) });
        break;
      case 'multi_match': {
        const fields = (b.fields as string[] | undefined) ?? ['*'];
        for (const f of fields) out.push({ field: f.split('^')[0], text: String(b.query) });
        break;
      }
      case 'query_string': case 'simple_query_string': {
        const words = String(b.query).replace(/\b(AND|OR|NOT|TO)\b/g, ' ').split(/[\s()"+\-|~^[\]{}!]+/);
        for (const w of words) {
          if (!w) continue;
          const colon = w.indexOf(':');
          if (colon > 0) out.push({ field: w.slice(0, colon), text: w.slice(colon + 1).replace(/[*?]/g, '') });
          else out.push({ field: '*', text: w.replace(/[*?]/g, '') });
        }
        break;
      }
      default:
        queryTexts(body, out);
    }
  }
  return out;
}

/** Highlights one hit; returns field → fragments. */
export function highlightHit(ctx: ShardSearchContext, query: unknown, segment: Segment, doc: number, spec: Record<string, unknown>): Record<string, string[]> {
  const base = options(spec);
  const fieldSpecs = normalizeFields(spec.fields);
  const texts = queryTexts(query);
  const source = JSON.parse(segment.source(doc).toString('utf8'));
  const out: Record<string, string[]> = {};
  for (const [pattern, fspec] of fieldSpecs) {
    const opts = options(fspec, base);
    for (const path of ctx.mapping.matchFields(pattern)) {
      const info = ctx.mapping.field(path)!;
      if (info.storage !== 'text' && info.storage !== 'keyword') continue;
      const analyzer = info.storage === 'text' ? ctx.analyzers.searchAnalyzer(info) : null;
      const wanted = new Set<string>();
      for (const t of texts) {
        if (opts.requireFieldMatch && t.field !== path && t.field !== '*' && !(t.field.includes('*') && new RegExp('^' + t.field.replace(/\*/g, '.*') + '$').test(path))) continue;
        if (analyzer) for (const term of analyzer.terms(t.text)) wanted.add(term);
        else wanted.add(t.text);
      }
      if (wanted.size === 0) continue;
      const fragments: string[] = [];
      for (const value of valuesAt(source, info.parentPath ?? path)) {
        const text = String(value);
        const tokens = analyzer ? analyzer.analyze(text) : [{ term: text, position: 0, startOffset: 0, endOffset: text.length }];
        const hits = tokens.filter((t) => wanted.has(t.term));
        if (hits.length === 0) continue;
        fragments.push(...fragment(text, hits, opts));
      }
      if (fragments.length > 0) out[path] = opts.numberOfFragments === 0 ? fragments : fragments.slice(0, opts.numberOfFragments);
    }
  }
  return out;
}

function normalizeFields(fields: unknown): Array<[string, Record<string, unknown>]> {
  if (Array.isArray(fields)) return fields.flatMap((f) => Object.entries(f as Record<string, Record<string, unknown>>));
  return Object.entries((fields ?? {}) as Record<string, Record<string, unknown>>);
}

function fragment(text: string, hits: Array<{ startOffset: number; endOffset: number }>, opts: HighlightOptions): string[] {
  const mark = (from: number, to: number) => {
    let s = '';
    let pos = from;
    for (const h of hits) {
      if (h.startOffset < from || h.endOffset > to) continue;
      s += text.slice(pos, h.startOffset) + opts.preTags[0] + text.slice(h.startOffset, h.endOffset) + opts.postTags[0];
      pos = h.endOffset;
    }
    return s + text.slice(pos, to);
  };
  if (opts.numberOfFragments === 0 || text.length <= opts.fragmentSize) return [mark(0, text.length)];
  const out: string[] = [];
  let covered = -1;
  for (const h of hits) {
    if (h.startOffset < covered) continue;
    let start = Math.max(0, h.startOffset - Math.floor(opts.fragmentSize / 4));
    const sp = text.lastIndexOf(' ', start);
    if (start > 0 && sp >= 0) start = sp + 1;
    let end = Math.min(text.length, start + opts.fragmentSize);
    const spEnd = text.indexOf(' ', end);
    if (end < text.length && spEnd >= 0 && spEnd - end < 20) end = spEnd;
    out.push(mark(start, end));
    covered = end;
  }
  return out;
}
