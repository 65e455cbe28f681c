// Alias management for `POST _aliases`, `PUT/DELETE {index}/_alias/{name}` and `GET _alias`: parses
// alias actions, applies them atomically to the cluster's index metadata (OpenSearch's
// MetadataIndexAliasesService), and finds aliases by name patterns (Metadata.findAliases).

import { illegalArgument, OpenSearchError, xContentParseError } from '../errors.ts';
import { wildcardRegExp } from '../mapping/mapping.ts';
import { parseQuery } from '../query/index.ts';
import type { AliasMeta, IndexMeta } from './index.ts';
import type { IndicesService } from './indices-service.ts';
import type { ResolveOptions } from './expressions.ts';

/** One alias action as requested: add, remove or remove_index over index and alias expressions. */
export interface AliasAction {
  type: 'add' | 'remove' | 'remove_index';
  indices: string[];
  aliases: string[];
  filter?: Record<string, unknown>;
  routing?: string;
  indexRouting?: string;
  searchRouting?: string;
  isWriteIndex?: boolean;
  isHidden?: boolean;
  mustExist?: boolean;
}

const ACTION_FIELDS = new Set(['index', 'indices', 'alias', 'aliases', 'filter', 'routing', 'index_routing', 'search_routing', 'is_write_index', 'is_hidden', 'must_exist']);

const str = (v: unknown): string | undefined => (v === null || v === undefined ? undefined : String(v));
const strList = (v: unknown): string[] => (Array.isArray(v) ? v.map(String) : v === undefined || v === null ? [] : [String(v)]);
const bool = (v: unknown): boolean | undefined => (v === undefined || v === null ? undefined : v === true || v === 'true');

/** Parses the body of `POST _aliases` (`{"actions": [{"add": {...}}, …]}`). */
export function parseAliasActions(body: Record<string, unknown> | null): AliasAction[] {
  const actions: AliasAction[] = [];
  for (const [key, value] of Object.entries(body ?? {})) {
    if (key !== 'actions') throw xContentParseError(`[aliases] unknown field [${key}]`);
    for (const entry of Array.isArray(value) ? value : [value]) {
      if (entry === null || typeof entry !== 'object') throw xContentParseError('[aliases] failed to parse field [actions]');
      const types = Object.keys(entry);
      if (types.length > 1) throw illegalArgument('Too many operations declared on operation entry');
      for (const type of types) {
        if (type !== 'add' && type !== 'remove' && type !== 'remove_index') throw xContentParseError(`[alias_action] unknown field [${type}]`);
        actions.push(parseAction(type, (entry as Record<string, unknown>)[type]));
      }
    }
  }
  validateActions(actions);
  return actions;
}

function parseAction(type: AliasAction['type'], raw: unknown): AliasAction {
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) throw xContentParseError(`[${type}] failed to parse, expected an object`);
  const def = raw as Record<string, unknown>;
  for (const k of Object.keys(def)) if (!ACTION_FIELDS.has(k)) throw xContentParseError(`[${type}] unknown field [${k}]`);
  if (def.index !== undefined && def.indices !== undefined) throw illegalArgument('Only one of [index] and [indices] is supported');
  if (def.alias !== undefined && def.aliases !== undefined) throw illegalArgument('Only one of [alias] and [aliases] is supported');
  const unsupported = (field: string) => illegalArgument(`[${field}] is unsupported for [${type}]`);
  if (type === 'remove_index' && (def.alias !== undefined || def.aliases !== undefined)) throw unsupported(def.alias !== undefined ? 'alias' : 'aliases');
  if (type !== 'remove' && def.must_exist !== undefined) throw unsupported('must_exist');
  if (type !== 'add') {
    for (const f of ['filter', 'routing', 'index_routing', 'search_routing', 'is_write_index', 'is_hidden']) if (def[f] !== undefined) throw unsupported(f);
  }
  if (typeof def.alias === 'string' && def.alias.trim() === '') throw illegalArgument('[alias] can\'t be empty string');
  if (def.filter !== undefined && def.filter !== null && (typeof def.filter !== 'object' || Array.isArray(def.filter))) {
    throw illegalArgument(`failed to parse filter for alias [${str(def.alias) ?? strList(def.aliases).join(',')}]`);
  }
  return {
    type,
    indices: strList(def.index ?? def.indices).flatMap((s) => s.split(',')).map((s) => s.trim()).filter(Boolean),
    aliases: strList(def.alias ?? def.aliases),
    filter: (def.filter ?? undefined) as Record<string, unknown> | undefined,
    routing: str(def.routing),
    indexRouting: str(def.index_routing),
    searchRouting: str(def.search_routing),
    isWriteIndex: bool(def.is_write_index),
    isHidden: bool(def.is_hidden),
    mustExist: bool(def.must_exist),
  };
}

/** IndicesAliasesRequest.validate(). */
export function validateActions(actions: AliasAction[]): void {
  const errors: string[] = [];
  if (actions.length === 0) errors.push('No action specified');
  for (const a of actions) {
    if (a.type !== 'remove_index' && a.aliases.length === 0) errors.push(`Alias action [${a.type}]: Property [alias/aliases] is either missing or null`);
    if (a.indices.length === 0) errors.push(`Alias action [${a.type}]: Property [index/indices] is either missing or null`);
  }
  if (errors.length > 0) {
    throw new OpenSearchError('action_request_validation_exception', `Validation Failed: ${errors.map((e, i) => `${i + 1}: ${e};`).join('')}`, 400);
  }
}

/** Alias name rules (MetadataCreateIndexService.validateIndexOrAliasName, without the lowercase rule). */
export function aliasNameProblem(name: string): string | null {
  if (/[\\/*?"<>| ,]/.test(name)) return 'must not contain the following characters [ , ", *, \\, <, |, ,, >, /, ?]';
  if (name.includes('#')) return "must not contain '#'";
  if (name.includes(':')) return "must not contain ':'";
  if (/^[_\-+]/.test(name)) return "must not start with '_', '-', or '+'";
  const bytes = Buffer.byteLength(name);
  if (bytes > 255) return `index name is too long, (${bytes} > 255)`;
  if (name === '.' || name === '..') return "must not be '.' or '..'";
  return null;
}

const invalidAlias = (alias: string, why: string, meta?: IndexMeta) =>
  new OpenSearchError('invalid_alias_name_exception', `Invalid alias name [${alias}], ${why}`, 400, meta ? { index_uuid: meta.uuid, index: meta.name } : {});

/** An alias definition (from a template or create-index body) normalised like OpenSearch stores it. */
export function aliasMetaFrom(action: Pick<AliasAction, 'filter' | 'routing' | 'indexRouting' | 'searchRouting' | 'isWriteIndex' | 'isHidden'>): AliasMeta {
  const meta: AliasMeta = {};
  if (action.filter && Object.keys(action.filter).length > 0) meta.filter = action.filter;
  const indexRouting = action.indexRouting ?? action.routing;
  const searchRouting = action.searchRouting ?? action.routing;
  if (indexRouting !== undefined) meta.index_routing = indexRouting;
  if (searchRouting !== undefined) meta.search_routing = searchRouting;
  if (action.isWriteIndex !== undefined) meta.is_write_index = action.isWriteIndex;
  if (action.isHidden !== undefined) meta.is_hidden = action.isHidden;
  return meta;
}

/** Checks an alias filter parses as a query (AliasValidator.validateAliasFilter). */
export function validateAliasFilter(alias: string, filter: Record<string, unknown> | undefined): void {
  if (!filter || Object.keys(filter).length === 0) return;
  try {
    parseQuery(filter);
  } catch (err) {
    const msg = `failed to parse filter for alias [${alias}]`;
    const cause = err instanceof OpenSearchError ? err : new OpenSearchError('exception', String(err), 400);
    throw new OpenSearchError('illegal_argument_exception', msg, 400, {}, cause, [new OpenSearchError('illegal_argument_exception', msg, 400)]);
  }
}

/**
 * IndicesAliasesRequest's options: every named index must exist (closed ones too), wildcards expand
 * to open indices and must match something, and names resolve against indices only.
 */
const ACTION_RESOLVE: ResolveOptions = { expandWildcards: 'open', ignoreUnavailable: false, allowNoIndices: false, allowAliases: false };

/** Applies alias actions atomically: all of them succeed and are persisted, or none is. */
export function applyAliasActions(svc: IndicesService, actions: AliasAction[]): void {
  validateActions(actions);
  const toDelete = new Set<string>();
  for (const a of actions.filter((x) => x.type === 'remove_index')) {
    for (const m of svc.resolveMetas(a.indices, ACTION_RESOLVE)) toDelete.add(m.name);
  }
  // Work on copies so a failing action leaves the cluster untouched.
  const next = new Map<string, Record<string, AliasMeta>>();
  for (const m of svc.metas.values()) if (!toDelete.has(m.name)) next.set(m.name, { ...m.aliases });
  let applied = 0;
  const requested = new Set<string>();
  for (const a of actions) {
    a.aliases.forEach((x) => requested.add(x));
    if (a.type === 'remove_index') {
      applied++;
      continue;
    }
    const metas = svc.resolveMetas(a.indices, ACTION_RESOLVE).filter((m) => !toDelete.has(m.name));
    for (const meta of metas) {
      const aliases = next.get(meta.name)!;
      if (a.type === 'add') {
        for (const alias of a.aliases) {
          const problem = aliasNameProblem(alias);
          if (problem) throw invalidAlias(alias, problem);
          const indexRouting = a.indexRouting ?? a.routing;
          if (indexRouting !== undefined && indexRouting.includes(',')) throw illegalArgument(`alias [${alias}] has several index routing values associated with it`);
          const clash = svc.metas.get(alias);
          if (clash && !toDelete.has(alias)) throw invalidAlias(alias, 'an index or data stream exists with the same name as the alias', clash);
          validateAliasFilter(alias, a.filter);
          aliases[alias] = aliasMetaFrom(a);
          applied++;
        }
      } else {
        const names = matchAliasNames(Object.keys(aliases), a.aliases, false);
        if (a.mustExist && names.length === 0) throw aliasesNotFound(a.aliases);
        for (const n of names) {
          delete aliases[n];
          applied++;
        }
      }
    }
  }
  if (applied === 0) throw aliasesNotFound([...requested]);
  validateAliasState(next);
  if (toDelete.size > 0) svc.deleteIndices([...toDelete].join(','), { expandWildcards: 'open,closed,hidden' });
  for (const [name, aliases] of next) {
    const meta = svc.metas.get(name);
    if (meta) meta.aliases = aliases;
  }
  svc.persist();
}

/** 404 `aliases_not_found_exception` (AliasesNotFoundException). */
export function aliasesNotFound(names: string[]): OpenSearchError {
  return new OpenSearchError('aliases_not_found_exception', `aliases [${names.join(', ')}] missing`, 404, {
    'resource.type': 'aliases',
    'resource.id': names.length === 1 ? names[0] : names,
  });
}

/** One write index per alias, and one is_hidden value per alias (Metadata.Builder.build checks). */
function validateAliasState(next: Map<string, Record<string, AliasMeta>>): void {
  const byAlias = new Map<string, Array<[string, AliasMeta]>>();
  for (const [index, aliases] of next) {
    for (const [alias, meta] of Object.entries(aliases)) byAlias.set(alias, [...(byAlias.get(alias) ?? []), [index, meta]]);
  }
  for (const [alias, entries] of byAlias) {
    const writers = entries.filter(([, m]) => m.is_write_index === true).map(([i]) => i);
    if (writers.length > 1) throw new OpenSearchError('illegal_state_exception', `alias [${alias}] has more than one write index [${writers.sort().join(',')}]`, 500);
    const hidden = entries.filter(([, m]) => m.is_hidden === true).map(([i]) => i);
    if (hidden.length > 0 && hidden.length < entries.length) {
      const notHidden = entries.filter(([, m]) => m.is_hidden !== true).map(([i]) => i);
      throw new OpenSearchError('illegal_state_exception', `alias [${alias}] has is_hidden set to true on indices [${hidden.sort().join(',')}] but does not have is_hidden set to true on indices [${notHidden.sort().join(',')}]; alias must have the same is_hidden setting on all indices`, 500);
    }
  }
}

/**
 * Alias names among `available` selected by `patterns` (names, `*` wildcards, `_all`, and `-`
 * exclusions that apply after an include). Empty patterns select everything when `emptyIsAll`.
 */
export function matchAliasNames(available: string[], patterns: string[], emptyIsAll = true): string[] {
  if (patterns.length === 0) return emptyIsAll ? [...available] : [];
  return available.filter((alias) => {
    let matched = false;
    for (const p of patterns) {
      if (p.startsWith('-') && p.length > 1) {
        if (matched && wildcardRegExp(p.slice(1)).test(alias)) matched = false;
      } else if (!matched) {
        matched = p === '_all' || wildcardRegExp(p).test(alias);
      }
    }
    return matched;
  });
}

/** Result of a GET alias lookup: per index, its matching aliases (sorted), plus names asked for but absent. */
export interface AliasLookup {
  indices: Array<{ index: string; aliases: Array<[string, AliasMeta]> }>;
  missing: string[];
}

/**
 * Finds aliases for `GET [index]/_alias[/name]` (Metadata.findAliases and RestGetAliasesAction):
 * with no names (or `_all`) every resolved index is listed, even without aliases; with names only
 * indices holding a match are, and explicitly named aliases that matched nothing are reported missing.
 */
export function findAliases(svc: IndicesService, indexExpr: string | undefined, names: string[] | undefined, opts: ResolveOptions): AliasLookup {
  const metas = svc.resolveMetas(indexExpr ?? '_all', opts);
  const patterns = names === undefined || (names.length === 1 && names[0] === '_all') ? [] : names;
  const out: AliasLookup = { indices: [], missing: [] };
  const returned = new Set<string>();
  for (const meta of metas) {
    const matched = matchAliasNames(Object.keys(meta.aliases), patterns).sort();
    matched.forEach((n) => returned.add(n));
    if (matched.length > 0 || (names === undefined)) {
      out.indices.push({ index: meta.name, aliases: matched.map((n) => [n, meta.aliases[n]]) });
    }
  }
  if (names) {
    const firstWildcard = names.findIndex((n) => n.includes('*'));
    const fw = firstWildcard === -1 ? names.length : firstWildcard;
    const missing = new Set<string>();
    names.forEach((n, i) => {
      if (n === '_all' || n.includes('*') || (i > fw && n.startsWith('-'))) return;
      const excluded = names.slice(Math.max(i + 1, fw)).some((x) => x.startsWith('-') && (x === '-_all' || wildcardRegExp(x.slice(1)).test(n)));
      if (!excluded && !returned.has(n)) missing.add(n);
    });
    out.missing = [...missing].sort();
  }
  return out;
}

/** An alias as GET APIs render it (AliasMetadata.toXContent). */
export function renderAliasMeta(a: AliasMeta): Record<string, unknown> {
  const r: Record<string, unknown> = {};
  if (a.filter) r.filter = a.filter;
  if (a.index_routing !== undefined) r.index_routing = a.index_routing;
  if (a.search_routing !== undefined) r.search_routing = a.search_routing;
  if (a.is_write_index !== undefined) r.is_write_index = a.is_write_index;
  if (a.is_hidden !== undefined) r.is_hidden = a.is_hidden;
  return r;
}
