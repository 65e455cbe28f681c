// The worker side of segment-jobs.ts: builds a segment from a batch of parsed documents, or merges
// segment files, then writes and fsyncs the result's file and replies with its parts.

import { PackedStrings } from './packed-strings.ts';
import { workerData, type MessagePort } from 'node:worker_threads';
import { buildAnalysisRegistry, type AnalysisRegistry } from '../analysis/registry.ts';
import { parseDocument, type IndexedField } from '../mapping/document-parser.ts';
import { Mapping, type MappingJSON } from '../mapping/mapping.ts';
import { fullGc } from './full-gc.ts';
import { analyzerResolver, SegmentWriter } from './segment-builder.ts';
import { buildSourceStore } from './source-store.ts';
import { readSegment, writeSegment } from './segment-file.ts';
import { mergeSegments } from './segment-merger.ts';
import { chunkViews, sourcesOf, sourceText } from '../shard/source-arena.ts';
import { RoaringBitmap32 } from './segment.ts';
import { largeBuffers, segmentParts, type BuildJob, type JobResult, type MergeJob, type SegmentJob, type SegmentParts } from './segment-jobs.ts';

const { port, signal } = workerData as { port: MessagePort; signal: Int32Array };

// The thread runs at nice 10 from its first line (see WORKER_NICE in segment-jobs.ts).

/** Analysis registries by settings (an index's settings rarely change; building one is not free). */
const registries = new Map<string, AnalysisRegistry>();
function registryFor(settings: Record<string, unknown>): AnalysisRegistry {
  const key = JSON.stringify(settings);
  let r = registries.get(key);
  if (!r) {
    if (registries.size > 100) registries.clear();
    registries.set(key, (r = buildAnalysisRegistry(settings)));
  }
  return r;
}

/** Mappings by their JSON (they change only when a document adds fields). */
let mappingCache: { key: string; mapping: Mapping } | null = null;
function mappingFor(json: Record<string, unknown>): Mapping {
  const key = JSON.stringify(json);
  if (mappingCache?.key !== key) mappingCache = { key, mapping: new Mapping(json as MappingJSON) };
  return mappingCache.mapping;
}

/**
 * Parses each source against the index's mapping (every field in it was mapped when the document
 * was accepted, so this gives the fields the event loop saw) and adds it to the segment at once, so
 * no parsed document outlives its turn (a build of 100k docs would otherwise promote them all).
 * Sources are decoded straight from their shared chunks: a buffer per document made up front would
 * live through the whole build (and be promoted, then marked, by the collector).
 */
function build(job: BuildJob): SegmentParts {
  const ids = PackedStrings.of(job.meta.ids);
  const n = ids.length;
  const mapping = mappingFor(job.mapping);
  const writer = new SegmentWriter(analyzerResolver(registryFor(job.settings)), n);
  const views = chunkViews(job.sources);
  for (let d = 0; d < n; d++) writer.add(parseFields(mapping, sourceText(job.sources, views, d), ids.get(d)));
  const meta = { ...job.meta, ids };
  const seg = writer.finish(job.name, meta, buildSourceStore(sourcesOf(job.sources)));
  return segmentParts(seg, writeSegment(job.dir, seg));
}

/** A document's fields; one that no longer parses (it did when accepted) keeps only its `_source`, as on replay. */
function parseFields(mapping: Mapping, text: string, id: string): IndexedField[] {
  try {
    return parseDocument(mapping, JSON.parse(text) as Record<string, unknown>, id).fields;
  } catch {
    return [];
  }
}

function merge(job: MergeJob): SegmentParts {
  const inputs = job.inputs.map((i) => {
    const seg = readSegment(job.dir, i.name, null);
    if (i.deletes.length > 0) seg.deletes = RoaringBitmap32.from(i.deletes);
    return seg;
  });
  const merged = mergeSegments(job.name, inputs);
  return segmentParts(merged, writeSegment(job.dir, merged));
}

/**
 * A job leaves hundreds of megabytes of garbage (per-document objects, a merge's inputs) that V8
 * would keep for a while on top of the main thread's memory: collected once the worker has been idle
 * this long. Not after every job: under sustained ingest the next build comes within a second or two,
 * and a forced full collection per build was 1 of every 3 the build workers ran.
 */
const IDLE_GC_MS = 1_000;
let idleGc: ReturnType<typeof setTimeout> | null = null;

port.on('message', ({ id, job }: { id: number; job: SegmentJob }) => {
  if (idleGc) clearTimeout(idleGc);
  idleGc = null;
  let result: JobResult;
  try {
    result = { ok: true, segment: job.kind === 'build' ? build(job) : merge(job) };
  } catch (e) {
    result = { ok: false, error: e instanceof Error ? e.message : String(e) };
  }
  const transfer = result.ok ? largeBuffers(result.segment) : [];
  port.postMessage({ id, result }, transfer);
  Atomics.add(signal, 0, 1);
  Atomics.notify(signal, 0);
  idleGc = setTimeout(() => {
    idleGc = null;
    fullGc();
  }, IDLE_GC_MS);
});
