// A segment build of Firehose-like ~1 KB log documents, in process, on one core: what a build worker
// spends per document (JSON.parse of the source, mapping parse, text analysis and postings, `_source`
// compression, finishing the segment). The build workers bound sustained ingest of text-heavy logs
// (see RESULTS.md, session 7), so this is where their cost is measured and compared; printed beside
// JSON.parse of the same sources, measured in the same run. Median of the timed rounds.
//
//   npx tsx loadtest/segment-build.ts [--docs 20000] [--rounds 7]

import { PackedStrings } from '../index/segment/packed-strings.ts';
import { pathToFileURL } from 'node:url';
import { buildAnalysisRegistry } from '../index/analysis/registry.ts';
import { parseDocument } from '../index/mapping/document-parser.ts';
import { Mapping } from '../index/mapping/mapping.ts';
import { analyzerResolver, SegmentWriter } from '../index/segment/segment-builder.ts';
import { buildSourceStore } from '../index/segment/source-store.ts';
import { parseFlags } from './lib/args.ts';
import { logRecord, prng } from './lib/log-records.ts';
import { median } from './lib/measure.ts';
import { machineInfo, writeResults, type ScenarioResult } from './lib/results.ts';

/** The Firehose benchmark's records, with the `@timestamp` and common attribute ingest adds. */
function sources(n: number): string[] {
  const rand = prng(42);
  const t0 = Date.parse('2024-01-01T00:00:00Z');
  return Array.from({ length: n }, (_, i) => JSON.stringify({ '@timestamp': new Date(t0 + i * 7).toISOString(), ...logRecord(rand, i, t0), env: 'bench' }));
}

export function runSegmentBuild(o: { docs: number; rounds: number }): ScenarioResult {
  const started = new Date();
  const texts = sources(o.docs);
  const bytes = texts.map((t) => Buffer.from(t));
  // The mapping dynamic mapping gives these documents (as the index would have when a build runs).
  let mapping = new Mapping({});
  for (const t of texts.slice(0, 10)) {
    const r = parseDocument(mapping, JSON.parse(t) as Record<string, unknown>, 'x');
    if (r.mappingChanged) mapping = r.mapping;
  }
  const analyzers = analyzerResolver(buildAnalysisRegistry({}));
  const build: number[] = [];
  const parse: number[] = [];
  let sink = 0;
  for (let round = 0; round < o.rounds + 2; round++) {
    // As segment-worker.ts builds: parse each source and add it at once, then store and finish.
    let t = performance.now();
    const writer = new SegmentWriter(analyzers, o.docs);
    for (let d = 0; d < o.docs; d++) writer.add(parseDocument(mapping, JSON.parse(texts[d]!) as Record<string, unknown>, String(d)).fields);
    const meta = { ids: PackedStrings.from(texts.map((_, d) => String(d))), seqNos: new Float64Array(o.docs), versions: new Float64Array(o.docs), primaryTerms: new Float64Array(o.docs), routings: texts.map(() => null) };
    sink += writer.finish('_bench', meta, buildSourceStore(bytes)).maxDoc;
    const buildUs = ((performance.now() - t) * 1000) / o.docs;
    t = performance.now();
    for (const text of texts) sink += (JSON.parse(text) as { status: number }).status;
    const parseUs = ((performance.now() - t) * 1000) / o.docs;
    if (round >= 2) {
      build.push(buildUs);
      parse.push(parseUs);
    }
  }
  if (sink < 0) console.log(sink);
  const command = `npx tsx loadtest/segment-build.ts --docs ${o.docs} --rounds ${o.rounds}`;
  const avgBytes = Math.round(bytes.reduce((n, b) => n + b.length, 0) / o.docs);
  return {
    scenario: 'segment-build',
    startedAt: started.toISOString(),
    durationMs: Date.now() - started.getTime(),
    machine: machineInfo(),
    params: { ...o, avgDocBytes: avgBytes },
    figures: [
      {
        id: 'segment_build.us_per_doc',
        label: `segment build of ~${avgBytes}-byte log documents (6 text fields), one core`,
        measured: median(build),
        unit: 'µs/doc',
        reference: { label: 'JSON.parse of the same sources', value: median(parse), unit: 'µs/doc' },
        command,
      },
    ],
    details: { buildUsPerDoc: build, parseUsPerDoc: parse },
  };
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const f = parseFlags();
  writeResults(runSegmentBuild({ docs: f.num('docs', 20_000), rounds: f.num('rounds', 7) }));
}
