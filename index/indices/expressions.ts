// Resolves index expressions the way OpenSearch's IndexNameExpressionResolver does: comma lists,
// `_all`, `*` wildcards over indices and aliases, `-` exclusions, hidden and closed indices.

import { indexNotFound, OpenSearchError } from '../errors.ts';
import { wildcardRegExp } from '../mapping/mapping.ts';
import type { IndexMeta } from './index.ts';

/** Options of multi-index APIs (`expand_wildcards`, `ignore_unavailable`, `allow_no_indices`). */
export interface ResolveOptions {
  expandWildcards?: string;
  ignoreUnavailable?: boolean;
  allowNoIndices?: boolean;
  /** Whether names may be aliases (false for delete index). */
  allowAliases?: boolean;
}

/** A resolved target: a concrete index, and the alias names through which it was reached. */
export interface ResolvedIndex {
  name: string;
  viaAliases: string[];
  /** True when the index was named (or reached by alias) explicitly, not by a wildcard. */
  explicit: boolean;
  /** True when the index was reached by its own name or a wildcard over index names (no alias filter applies). */
  direct: boolean;
}

/** Resolves an expression against the cluster's indices. */
export function resolveExpression(
  expression: string | string[] | undefined,
  indices: Map<string, IndexMeta>,
  opts: ResolveOptions = {},
): ResolvedIndex[] {
  const parts = (Array.isArray(expression) ? expression : (expression ?? '').split(','))
    .map((p) => p.trim())
    .filter((p) => p !== '');
  const expand = new Set((opts.expandWildcards ?? 'open').split(',').map((s) => s.trim()));
  if (expand.has('all')) ['open', 'closed', 'hidden'].forEach((s) => expand.add(s));
  const allowNoIndices = opts.allowNoIndices ?? true;
  const allowAliases = opts.allowAliases ?? true;
  const out = new Map<string, ResolvedIndex>();
  const add = (name: string, alias: string | null, explicit: boolean) => {
    const r = out.get(name) ?? { name, viaAliases: [], explicit: false, direct: false };
    if (alias && !r.viaAliases.includes(alias)) r.viaAliases.push(alias);
    if (!alias) r.direct = true;
    r.explicit ||= explicit;
    out.set(name, r);
  };
  const aliasIndex = new Map<string, string[]>();
  for (const meta of indices.values()) {
    for (const a of Object.keys(meta.aliases)) aliasIndex.set(a, [...(aliasIndex.get(a) ?? []), meta.name]);
  }
  // Only `index.hidden` hides an index from wildcards (a pattern starting with '.' still sees dot-hidden ones).
  const wildcardOk = (meta: IndexMeta, pattern: string) => {
    const hidden = meta.settings['index.hidden'] === 'true';
    if (hidden && !expand.has('hidden') && !(meta.name.startsWith('.') && pattern.startsWith('.'))) return false;
    return meta.state === 'open' ? expand.has('open') : expand.has('closed');
  };
  if (parts.length === 0 || (parts.length === 1 && (parts[0] === '_all' || parts[0] === '*'))) {
    for (const meta of indices.values()) if (wildcardOk(meta, '*')) add(meta.name, null, false);
    if (out.size === 0 && !allowNoIndices) throw indexNotFound(parts[0] ?? '_all');
    return [...out.values()];
  }
  let sawWildcard = false;
  for (const part of parts) {
    if (part.startsWith('-') && sawWildcard) {
      const re = wildcardRegExp(part.slice(1));
      for (const name of [...out.keys()]) if (re.test(name)) out.delete(name);
      continue;
    }
    if (part.includes('*')) {
      sawWildcard = true;
      const re = wildcardRegExp(part);
      let matched = false;
      for (const meta of indices.values()) {
        if (re.test(meta.name) && wildcardOk(meta, part)) {
          add(meta.name, null, false);
          matched = true;
        }
      }
      if (allowAliases) {
        for (const [alias, names] of aliasIndex) {
          if (!re.test(alias)) continue;
          for (const n of names) {
            const meta = indices.get(n)!;
            if (meta.state === 'open' ? expand.has('open') : expand.has('closed')) {
              add(n, alias, false);
              matched = true;
            }
          }
        }
      }
      if (!matched && !allowNoIndices) throw indexNotFound(part);
      continue;
    }
    if (indices.has(part)) {
      add(part, null, true);
      continue;
    }
    const viaAlias = aliasIndex.get(part);
    if (viaAlias) {
      if (!allowAliases) {
        if (opts.ignoreUnavailable) continue;
        throw new OpenSearchError('illegal_argument_exception', `The provided expression [${part}] matches an alias, specify the corresponding concrete indices instead.`, 400);
      }
      for (const n of viaAlias) add(n, part, true);
      continue;
    }
    if (!opts.ignoreUnavailable) throw indexNotFound(part);
  }
  if (out.size === 0 && !allowNoIndices) throw indexNotFound(parts.join(','));
  return [...out.values()];
}

/** Index name rules (MetadataCreateIndexService.validateIndexOrAliasName). */
export function indexNameProblem(name: string): string | null {
  if (name !== name.toLowerCase()) return 'must be lowercase';
  if (/[\\/*?"<>| ,#:]/.test(name)) return 'must not contain the following characters [ , ", *, \\, <, |, ,, >, /, ?]';
  if (name.startsWith('_') || name.startsWith('-') || name.startsWith('+')) return "must not start with '_', '-', or '+'";
  if (name === '.' || name === '..') return "must not be '.' or '..'";
  if (Buffer.byteLength(name) > 255) return 'index name is too long, (' + Buffer.byteLength(name) + ' > 255)';
  return null;
}
