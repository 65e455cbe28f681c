// The cluster's metadata and its open indices: creating (explicitly or on first write, through
// templates), deleting, opening and closing indices, aliases, and persisting all of it atomically.

import { existsSync, mkdirSync, readFileSync, readdirSync, renameSync, rmSync, writeFileSync, openSync, fsyncSync, closeSync } from 'node:fs';
import { open, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { indexClosed, indexNotFound, invalidIndexName, OpenSearchError, resourceAlreadyExists, illegalArgument } from '../errors.ts';
import { Mapping, type MappingJSON } from '../mapping/mapping.ts';
import { buildAnalysisRegistry } from '../analysis/registry.ts';
import { checkAnalyzers, Index, type AliasMeta, type IndexMeta } from './index.ts';
import { indexNameProblem, resolveExpression, type ResolveOptions, type ResolvedIndex } from './expressions.ts';
import { flattenSettings, intSetting, normalizeIndexSettings, type FlatSettings } from './settings.ts';
import { resolveTemplates, stripType, type TemplateStore } from './templates.ts';
import { aliasNameProblem, validateAliasFilter } from './aliases.ts';
import { wildcardRegExp } from '../mapping/mapping.ts';

interface PersistedState extends TemplateStore {
  clusterUuid: string;
  indices: Record<string, IndexMeta>;
  persistentSettings: FlatSettings;
}

/** Body of a create-index request. */
export interface CreateIndexBody {
  settings?: Record<string, unknown>;
  mappings?: MappingJSON;
  aliases?: Record<string, Record<string, unknown>>;
}

export const NODE_NAME = 'lookout-node-1';

export function newUuid(): string {
  return randomBytes(16).toString('base64url').slice(0, 22);
}

export class IndicesService {
  readonly indices = new Map<string, Index>();
  readonly metas = new Map<string, IndexMeta>();
  templates: TemplateStore = { indexTemplates: {}, componentTemplates: {}, legacyTemplates: {} };
  persistentSettings: FlatSettings = {};
  transientSettings: FlatSettings = {};
  clusterUuid = newUuid();
  private persistScheduled = false;
  /** Each persisted state's number (in the order taken), and the newest one renamed into place. */
  private stateSeq = 0;
  private placedSeq = 0;
  private maintenance: NodeJS.Timeout | null = null;

  constructor(readonly dataDir: string) {}

  /** Loads the cluster state and opens every open index (replaying their translogs). */
  start(): void {
    mkdirSync(join(this.dataDir, 'indices'), { recursive: true });
    // Temporary files of states that were never renamed into place (a crash in between).
    for (const f of readdirSync(this.dataDir)) if (/^cluster-state\.json\.\d+\.tmp$/.test(f)) rmSync(join(this.dataDir, f), { force: true });
    const path = join(this.dataDir, 'cluster-state.json');
    if (existsSync(path)) {
      const state = JSON.parse(readFileSync(path, 'utf8')) as PersistedState;
      this.clusterUuid = state.clusterUuid;
      this.templates = { indexTemplates: state.indexTemplates, componentTemplates: state.componentTemplates, legacyTemplates: state.legacyTemplates };
      this.persistentSettings = state.persistentSettings ?? {};
      for (const meta of Object.values(state.indices)) {
        this.metas.set(meta.name, meta);
        if (meta.state === 'open') this.openIndex(meta);
      }
    }
    this.persist();
    this.maintenance = setInterval(() => {
      const now = Date.now();
      for (const idx of this.indices.values()) idx.maintain(now);
    }, 1000);
    this.maintenance.unref();
  }

  /** Flushes and closes every index, then writes the cluster state. */
  stop(): void {
    if (this.maintenance) clearInterval(this.maintenance);
    for (const idx of this.indices.values()) idx.close();
    this.indices.clear();
    this.persist();
  }

  /** The cluster state as persisted, with its number and temporary file (each state has its own). */
  private snapshot(): { seq: number; json: string; tmp: string; path: string } {
    const state: PersistedState = {
      clusterUuid: this.clusterUuid,
      indices: Object.fromEntries(this.metas),
      persistentSettings: this.persistentSettings,
      ...this.templates,
    };
    const seq = ++this.stateSeq;
    const path = join(this.dataDir, 'cluster-state.json');
    return { seq, json: JSON.stringify(state), tmp: `${path}.${seq}.tmp`, path };
  }

  /**
   * Renames a written and fsynced state into place unless a newer one already is (persists in the
   * background may finish out of order; renaming is synchronous, so no other persist runs in between).
   */
  private place(s: { seq: number; tmp: string; path: string }): void {
    if (s.seq < this.placedSeq) {
      rmSync(s.tmp, { force: true });
      return;
    }
    renameSync(s.tmp, s.path);
    this.placedSeq = s.seq;
  }

  /** Writes the cluster state atomically (tmp file, fsync, rename). */
  persist(): void {
    const s = this.snapshot();
    writeFileSync(s.tmp, s.json);
    const fd = openSync(s.tmp, 'r');
    fsyncSync(fd);
    closeSync(fd);
    this.place(s);
  }

  /**
   * `persist` with the write and fsync on libuv's threads: resolves once this state (or a newer one)
   * is in place. For an index a write creates: its fsync took 120 ms on the event loop under a
   * Firehose load (the disk busy with translogs and segments), which every delivery in flight waited
   * out, while only the writes into the new index need it before they are acknowledged.
   */
  async persistInBackground(): Promise<void> {
    const s = this.snapshot();
    await writeFile(s.tmp, s.json);
    const fh = await open(s.tmp, 'r');
    try {
      await fh.sync();
    } finally {
      await fh.close();
    }
    this.place(s);
  }

  /** Persists soon (coalesces the many mapping updates of a bulk request). */
  persistSoon(): void {
    if (this.persistScheduled) return;
    this.persistScheduled = true;
    setImmediate(() => {
      this.persistScheduled = false;
      this.persist();
    });
  }

  private openIndex(meta: IndexMeta): Index {
    const idx = new Index(meta, join(this.dataDir, 'indices', meta.uuid));
    idx.onMappingChange = () => this.persistSoon();
    idx.open();
    this.indices.set(meta.name, idx);
    return idx;
  }

  /**
   * Creates an index; templates matching its name contribute settings, mappings and aliases. With
   * `background`, the cluster state is persisted off the event loop and the index's shards make their
   * writes wait for it before they are acknowledged (Index.metadataDurable).
   */
  createIndex(name: string, body: CreateIndexBody = {}, background = false): Index {
    const problem = indexNameProblem(name);
    if (problem) throw invalidIndexName(name, problem);
    const existing = this.metas.get(name);
    if (existing) throw resourceAlreadyExists(name, existing.uuid);
    if (this.aliasExists(name)) throw invalidIndexName(name, 'already exists as alias');
    const tpl = resolveTemplates(this.templates, name);
    const requested = normalizeIndexSettings(flattenSettings(body.settings ?? {}));
    const settings: FlatSettings = { ...tpl.settings, ...requested };
    validateIndexSettings(settings);
    let mapping = new Mapping(tpl.mappings);
    if (body.mappings) mapping = mapping.merge(Mapping.parse(stripType(body.mappings)).json);
    checkAnalyzers(mapping, buildAnalysisRegistry(settings));
    const uuid = newUuid();
    const finalSettings: FlatSettings = {
      'index.creation_date': String(Date.now()),
      'index.number_of_shards': '1',
      'index.number_of_replicas': '1',
      'index.uuid': uuid,
      'index.version.created': '136408027',
      'index.provided_name': name,
      ...settings,
    };
    const aliases: Record<string, AliasMeta> = {};
    for (const [alias, def] of Object.entries({ ...tpl.aliases, ...(body.aliases ?? {}) })) {
      const problem = aliasNameProblem(alias);
      if (problem) throw new OpenSearchError('invalid_alias_name_exception', `Invalid alias name [${alias}], ${problem}`, 400);
      if (alias === name || this.metas.has(alias)) {
        throw new OpenSearchError('invalid_alias_name_exception', `Invalid alias name [${alias}], an index or data stream exists with the same name as the alias`, 400);
      }
      const meta = aliasFromRequest(def ?? {});
      validateAliasFilter(alias, meta.filter);
      if (meta.is_write_index) {
        const other = [...this.metas.values()].find((m) => m.aliases[alias]?.is_write_index === true);
        if (other) throw illegalArgument(`alias [${alias}] has more than one write index [${name},${other.name}]`);
      }
      aliases[alias] = meta;
    }
    const meta: IndexMeta = { name, uuid, settings: finalSettings, mapping: mapping.json, aliases, state: 'open', creationDate: Number(finalSettings['index.creation_date']) };
    this.metas.set(name, meta);
    const idx = this.openIndex(meta);
    if (background) idx.awaitMetadata(() => this.persistInBackground());
    else this.persist();
    return idx;
  }

  /** The index a write to `name` goes to: an index, a write alias, or a new auto-created index. */
  writeIndex(name: string, autoCreate = true): Index {
    const idx = this.indices.get(name);
    if (idx) return idx;
    const meta = this.metas.get(name);
    if (meta) throw indexClosed(name, meta.uuid);
    const viaAlias = [...this.metas.values()].filter((m) => m.aliases[name]);
    if (viaAlias.length > 0) {
      const writers = viaAlias.filter((m) => m.aliases[name].is_write_index === true);
      const target = writers.length === 1 ? writers[0] : viaAlias.length === 1 && viaAlias[0].aliases[name].is_write_index !== false ? viaAlias[0] : null;
      if (!target) {
        throw illegalArgument(`no write index is defined for alias [${name}]. The write index may be explicitly disabled using is_write_index=false or the alias points to multiple indices without one being designated as a write index`);
      }
      const t = this.indices.get(target.name);
      if (!t) throw indexClosed(target.name, target.uuid);
      return t;
    }
    if (!autoCreate || !autoCreateAllowed(this.clusterSetting('action.auto_create_index'), name)) throw indexNotFound(name);
    return this.createIndex(name, {}, true);
  }

  /** Resolves an expression to open indices for reads; closed ones raise index_closed_exception. */
  resolveOpen(expr: string | string[] | undefined, opts: ResolveOptions = {}): Array<{ index: Index; resolved: ResolvedIndex }> {
    const resolved = resolveExpression(expr, this.metas, opts);
    const out: Array<{ index: Index; resolved: ResolvedIndex }> = [];
    for (const r of resolved) {
      const idx = this.indices.get(r.name);
      if (!idx) {
        if (opts.ignoreUnavailable || !r.explicit) continue;
        throw indexClosed(r.name, this.metas.get(r.name)!.uuid);
      }
      out.push({ index: idx, resolved: r });
    }
    return out;
  }

  /** Resolves an expression to index metadata (open or closed). */
  resolveMetas(expr: string | string[] | undefined, opts: ResolveOptions = {}): IndexMeta[] {
    return resolveExpression(expr, this.metas, opts).map((r) => this.metas.get(r.name)!);
  }

  /** Deletes indices named by an expression (aliases are refused, as in OpenSearch). */
  deleteIndices(expr: string, opts: ResolveOptions = {}): void {
    if (expr === undefined || expr === '') throw indexNotFound(expr);
    const metas = this.resolveMetas(expr, { expandWildcards: 'open,closed', ...opts, allowAliases: false });
    for (const meta of metas) {
      const idx = this.indices.get(meta.name) ?? new Index(meta, join(this.dataDir, 'indices', meta.uuid));
      idx.destroy();
      this.indices.delete(meta.name);
      this.metas.delete(meta.name);
    }
    this.persist();
  }

  closeIndices(expr: string, opts: ResolveOptions = {}): IndexMeta[] {
    const metas = this.resolveMetas(expr, opts);
    for (const meta of metas) {
      const idx = this.indices.get(meta.name);
      idx?.close();
      this.indices.delete(meta.name);
      meta.state = 'close';
    }
    this.persist();
    return metas;
  }

  openIndices(expr: string, opts: ResolveOptions = {}): IndexMeta[] {
    const metas = this.resolveMetas(expr, { expandWildcards: 'closed', ...opts });
    for (const meta of metas) {
      if (meta.state === 'open') continue;
      meta.state = 'open';
      this.openIndex(meta);
    }
    this.persist();
    return metas;
  }

  aliasExists(name: string): boolean {
    for (const m of this.metas.values()) if (m.aliases[name]) return true;
    return false;
  }

  /** A cluster setting: transient over persistent over default. */
  clusterSetting(key: string): string | undefined {
    const v = this.transientSettings[key] ?? this.persistentSettings[key];
    return v === undefined || v === null ? undefined : String(v);
  }

  /** `search.max_buckets` and friends with their defaults. */
  clusterIntSetting(key: string, dflt: number): number {
    const v = this.clusterSetting(key);
    return v === undefined ? dflt : Number(v);
  }
}

/** `action.auto_create_index`: true/false, or a list of `+pattern`/`-pattern` (first match wins). */
export function autoCreateAllowed(setting: string | undefined, name: string): boolean {
  if (setting === undefined || setting === 'true') return true;
  if (setting === 'false') return false;
  for (const raw of setting.split(',').map((s) => s.trim()).filter(Boolean)) {
    const negate = raw.startsWith('-');
    const pattern = raw.replace(/^[+-]/, '');
    if (wildcardRegExp(pattern).test(name)) return !negate;
  }
  return false;
}

/** Normalizes an alias definition from a request (`filter`, `routing`, `is_write_index`, …). */
export function aliasFromRequest(def: Record<string, unknown>): AliasMeta {
  const allowed = new Set(['filter', 'routing', 'index_routing', 'search_routing', 'is_write_index', 'is_hidden']);
  for (const k of Object.keys(def)) {
    if (!allowed.has(k)) throw new OpenSearchError('parsing_exception', `[aliases] failed to parse field [${k}]`, 400);
  }
  const meta: AliasMeta = {};
  if (def.filter) meta.filter = def.filter as Record<string, unknown>;
  const routing = def.routing === undefined ? undefined : String(def.routing);
  if (def.index_routing !== undefined || routing !== undefined) meta.index_routing = String(def.index_routing ?? routing);
  if (def.search_routing !== undefined || routing !== undefined) meta.search_routing = String(def.search_routing ?? routing);
  if (def.is_write_index !== undefined) meta.is_write_index = def.is_write_index === true || def.is_write_index === 'true';
  if (def.is_hidden !== undefined) meta.is_hidden = def.is_hidden === true || def.is_hidden === 'true';
  return meta;
}

function validateIndexSettings(settings: FlatSettings): void {
  const shards = intSetting(settings, 'index.number_of_shards', 1);
  if (shards < 1 || shards > 1024) {
    throw illegalArgument(`Failed to parse value [${shards}] for setting [index.number_of_shards] must be >= 1`);
  }
  const replicas = intSetting(settings, 'index.number_of_replicas', 1);
  if (replicas < 0) throw illegalArgument(`Failed to parse value [${replicas}] for setting [index.number_of_replicas] must be >= 0`);
  const routing = settings['index.number_of_routing_shards'];
  if (routing === null) delete settings['index.number_of_routing_shards'];
  else if (routing !== undefined) {
    const r = Number(routing);
    if (r < shards || r % shards !== 0) {
      throw illegalArgument(`the number of source shards [${shards}] must be a factor of [${r}]`);
    }
  }
}
