// One index: its settings, mapping, analysis and shards. Routes documents to shards, parses sources
// against the (dynamically growing) mapping, and refreshes on its refresh_interval.

import { join } from 'node:path';
import { rmSync } from 'node:fs';
import type { Analyzer } from '../analysis/analyzer.ts';
import { buildAnalysisRegistry, type AnalysisRegistry } from '../analysis/registry.ts';
import { OpenSearchError, mapperParsing } from '../errors.ts';
import { parseDocument, type ParsedDocument } from '../mapping/document-parser.ts';
import type { FieldInfo } from '../mapping/field-types.ts';
import { Mapping } from '../mapping/mapping.ts';
import { analyzerResolver, type AnalyzerResolver } from '../segment/segment-builder.ts';
import type { SearchAnalyzers } from '../search/shard-context.ts';
import { Shard } from '../shard/shard.ts';
import { defaultRoutingShards, shardForRouting } from './routing.ts';
import { intSetting, parseTimeValue, type FlatSettings } from './settings.ts';

/** Index metadata as persisted in the cluster state. */
export interface IndexMeta {
  name: string;
  uuid: string;
  settings: FlatSettings;
  mapping: Record<string, unknown>;
  aliases: Record<string, AliasMeta>;
  state: 'open' | 'close';
  creationDate: number;
}

/** An alias of an index, with its filter and routing. */
export interface AliasMeta {
  filter?: Record<string, unknown>;
  index_routing?: string;
  search_routing?: string;
  is_write_index?: boolean;
  is_hidden?: boolean;
}

export class Index implements AnalyzerResolver, SearchAnalyzers {
  mapping: Mapping;
  shards: Shard[] = [];
  analysis: AnalysisRegistry;
  private readonly indexing: AnalyzerResolver;
  readonly numShards: number;
  readonly routingShards: number;
  private refreshTimer: NodeJS.Timeout | null = null;
  /** Called when a document added fields to the mapping (the cluster state persists it). */
  onMappingChange: (() => void) | null = null;
  /** The persist of the cluster state listing this index, while it runs (or failed: then retried by the next write). */
  private metadataPending: Promise<void> | null = null;
  private metadataPersist: (() => Promise<void>) | null = null;
  private metadataFailed = false;

  constructor(readonly meta: IndexMeta, readonly dir: string) {
    this.mapping = new Mapping(meta.mapping);
    this.analysis = buildAnalysisRegistry(meta.settings);
    // The same index-time analysis the build worker constructs from the settings.
    this.indexing = analyzerResolver(this.analysis);
    this.numShards = intSetting(meta.settings, 'index.number_of_shards', 1);
    this.routingShards = intSetting(meta.settings, 'index.number_of_routing_shards', defaultRoutingShards(this.numShards));
  }

  get name(): string {
    return this.meta.name;
  }
  get uuid(): string {
    return this.meta.uuid;
  }
  get isOpen(): boolean {
    return this.meta.state === 'open';
  }

  /** Opens every shard (replaying translogs) and starts the refresh timer. */
  open(): void {
    this.shards = [];
    for (let i = 0; i < this.numShards; i++) {
      this.shards.push(Shard.open(join(this.dir, String(i)), i, { parseSource: (s, id) => this.parseForReplay(s, id), analyzers: this, settings: () => this.meta.settings, mapping: () => this.mapping.json, metadataDurable: () => this.metadataDurable() }));
    }
    for (const s of this.shards) s.refresh();
    this.scheduleRefresh();
  }

  /** Flushes and closes the shards. */
  close(): void {
    if (this.refreshTimer) clearInterval(this.refreshTimer);
    this.refreshTimer = null;
    for (const s of this.shards) s.close();
    this.shards = [];
  }

  /** Deletes the index's files (after close). */
  destroy(): void {
    if (this.refreshTimer) clearInterval(this.refreshTimer);
    for (const s of this.shards) {
      try {
        s.close();
      } catch {
        /* files are deleted next anyway */
      }
    }
    this.shards = [];
    rmSync(this.dir, { recursive: true, force: true });
  }

  /** Re-reads refresh_interval (after a settings update). */
  scheduleRefresh(): void {
    if (this.refreshTimer) clearInterval(this.refreshTimer);
    this.refreshTimer = null;
    const interval = parseTimeValue(this.meta.settings['index.refresh_interval'] as string | undefined, 1000, 'index.refresh_interval');
    if (interval > 0) {
      this.refreshTimer = setInterval(() => this.refreshInBackground(), interval);
      this.refreshTimer.unref();
    }
  }

  /**
   * Makes this index's writes wait for `persist` (the cluster state that lists it, persisted in the
   * background) before they are acknowledged: an acknowledged document must not sit in an index a
   * restart would not know. A failed persist fails the writes waiting for it; the next write tries again.
   */
  awaitMetadata(persist: () => Promise<void>): void {
    this.metadataPersist = persist;
    this.startMetadataPersist();
  }

  private startMetadataPersist(): Promise<void> {
    const p: Promise<void> = this.metadataPersist!().then(
      () => {
        if (this.metadataPending === p) this.metadataPending = null;
      },
      (err: unknown) => {
        if (this.metadataPending === p) this.metadataFailed = true;
        throw err;
      },
    );
    p.catch(() => {}); // reported to the writes that wait for it
    this.metadataPending = p;
    this.metadataFailed = false;
    return p;
  }

  /** What a write must wait for before it is acknowledged, beyond its translog: null when nothing. */
  metadataDurable(): Promise<void> | null {
    return this.metadataFailed ? this.startMetadataPersist() : this.metadataPending;
  }

  refresh(): void {
    for (const s of this.shards) s.refresh();
  }

  /** The scheduled refresh: large buffers are built into segments on a worker thread. */
  refreshInBackground(): void {
    for (const s of this.shards) s.refreshInBackground();
  }

  /** Background upkeep: flush shards whose translog grew large, or that went idle with unflushed writes. */
  maintain(now: number, idleMs = 5000): void {
    for (const s of this.shards) {
      if (s.failure) continue;
      if (s.needsFlush || (s.hasUncommitted && now - s.lastWriteAt > idleMs)) s.flushInBackground();
      s.maybeMerge();
    }
  }

  flush(): void {
    for (const s of this.shards) s.flush();
  }

  /** The shard a document with this id/routing belongs to. */
  shardFor(id: string, routing: string | null | undefined): Shard {
    const n = this.numShards === 1 ? 0 : shardForRouting(routing ?? id, this.numShards, this.routingShards);
    return this.shards[n];
  }

  /** Parses a source for indexing; mapping updates are applied to the index at once. */
  parse(source: Record<string, unknown>, id: string) {
    this.checkNestedLimit(source);
    return this.adopt(parseDocument(this.mapping, source, id)).fields;
  }

  /** What a write needs before it is logged: the document's errors and its dynamic mapping update, not its field values. */
  check(source: Record<string, unknown>, id: string): void {
    this.checkNestedLimit(source);
    this.adopt(parseDocument(this.mapping, source, id, true));
  }

  private adopt(parsed: ParsedDocument): ParsedDocument {
    if (parsed.mappingChanged) {
      this.mapping = parsed.mapping;
      this.meta.mapping = parsed.mapping.json;
      this.onMappingChange?.();
    }
    return parsed;
  }

  /** `index.mapping.nested_objects.limit`: nested objects per document (default 10,000). */
  private checkNestedLimit(source: Record<string, unknown>): void {
    const nested = nestedPaths(this.mapping);
    if (nested.length === 0) return;
    const limit = intSetting(this.meta.settings, 'index.mapping.nested_objects.limit', 10000);
    let count = 0;
    for (const path of nested) {
      let nodes: unknown[] = [source];
      for (const part of path.split('.')) {
        nodes = nodes.flatMap((n) => (n && typeof n === 'object' ? [(n as Record<string, unknown>)[part]] : [])).flatMap((v) => (Array.isArray(v) ? v : [v])).filter((v) => v !== undefined && v !== null);
      }
      count += nodes.filter((n) => typeof n === 'object').length;
    }
    if (count > limit) {
      throw new OpenSearchError('illegal_argument_exception', `The number of nested documents has exceeded the allowed limit of [${limit}]. This limit can be set by changing the [index.mapping.nested_objects.limit] index level setting.`, 400);
    }
  }

  private parseForReplay(source: Buffer, id: string) {
    try {
      return this.parse(JSON.parse(source.toString('utf8')), id);
    } catch {
      // A logged document that no longer parses (it parsed when acknowledged) keeps its _source only.
      return [];
    }
  }

  // AnalyzerResolver / SearchAnalyzers
  indexAnalyzer(info: FieldInfo): Analyzer {
    return this.indexing.indexAnalyzer(info);
  }
  searchAnalyzer(info: FieldInfo): Analyzer {
    const name = info.searchAnalyzer ?? info.analyzer ?? 'default';
    return name === 'default' ? this.analysis.defaultSearchAnalyzer() : this.analyzerNamed(name);
  }
  searchQuoteAnalyzer(info: FieldInfo): Analyzer {
    return info.searchQuoteAnalyzer ? this.analyzerNamed(info.searchQuoteAnalyzer) : this.searchAnalyzer(info);
  }
  named(name: string): Analyzer {
    try {
      return this.analyzerNamed(name);
    } catch {
      throw new OpenSearchError('illegal_argument_exception', `analyzer [${name}] has not been configured in mappings`, 400);
    }
  }
  normalize(info: FieldInfo, value: string): string {
    return this.indexing.normalize(info, value);
  }
  private analyzerNamed(name: string): Analyzer {
    return name === 'default' ? this.analysis.defaultAnalyzer() : this.analysis.get(name);
  }
}

const nestedCache = new WeakMap<Mapping, string[]>();
/** The nested object paths of a mapping (computed once per mapping: this runs for every document). */
function nestedPaths(mapping: Mapping): string[] {
  let paths = nestedCache.get(mapping);
  if (!paths) {
    paths = [...mapping.objects].filter(([, o]) => o.type === 'nested').map(([p]) => p);
    nestedCache.set(mapping, paths);
  }
  return paths;
}

/** Validates a mapping against the index's analysis settings (unknown analyzers fail index creation). */
export function checkAnalyzers(mapping: Mapping, analysis: AnalysisRegistry): void {
  for (const f of mapping.fields.values()) {
    for (const name of [f.analyzer, f.searchAnalyzer, f.searchQuoteAnalyzer]) {
      if (!name || name === 'default') continue;
      try {
        analysis.get(name);
      } catch {
        throw mapperParsing(`Failed to parse mapping: analyzer [${name}] has not been configured in mappings`,
          mapperParsing(`analyzer [${name}] has not been configured in mappings`));
      }
    }
    if (f.normalizer) {
      try {
        analysis.normalizer(f.normalizer);
      } catch {
        throw mapperParsing(`Failed to parse mapping: normalizer [${f.normalizer}] not found for field [${f.path}]`);
      }
    }
  }
}
