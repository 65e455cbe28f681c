// Runs OpenSearch's whole YAML REST corpus against a Lookout server started for this test, one
// vitest case per area. A case fails when a section fails that known-failures.txt does not list,
// or when a listed section now passes. Skipped when the corpus folder is absent.
import { existsSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PROJECT_ROOT, defaultCorpusDir, findApiDir, listTestFiles } from './corpus.ts';
import { managedServer, runCorpus, type ServerHandle } from './corpus-runner.ts';
import { compareWithKnown, readKnownFailures, shortReason } from './known-failures.ts';
import { formatAreaTotals } from './report.ts';
import { sectionKey, type SectionResult } from './section-runner.ts';

const AREA_TIMEOUT_MS = 15 * 60_000;
const corpusDir = defaultCorpusDir();
const apiDir = existsSync(corpusDir) ? findApiDir(corpusDir) : undefined;
const hasCorpus = existsSync(corpusDir) && apiDir !== undefined;
if (!hasCorpus) console.log(`OpenSearch YAML REST corpus not found at ${corpusDir}; skipping the conformance run.`);

const files = hasCorpus ? listTestFiles([corpusDir]) : [];
const areas = [...new Set(files.map((f) => f.area))].sort();

describe.skipIf(!hasCorpus)('OpenSearch YAML REST conformance', () => {
  const known = readKnownFailures();
  const allResults: SectionResult[] = [];
  let server: ServerHandle | undefined;

  beforeAll(async () => {
    server = await managedServer(PROJECT_ROOT);
  }, 60_000);

  afterAll(async () => {
    await server?.stop();
    if (allResults.length > 0) console.log(`\nConformance pass rates (passed / runnable):\n${formatAreaTotals(allResults).join('\n')}`);
  });

  for (const area of areas) {
    it(
      area,
      async () => {
        const summary = await runCorpus({
          files: files.filter((f) => f.area === area),
          server: server!,
          apiDir: apiDir!,
          onNote: (note) => console.log(`[${area}] ${note}`),
        });
        allResults.push(...summary.results);
        const { unexpectedFailures, nowPassing } = compareWithKnown(summary.results, known);
        const problems = [
          ...unexpectedFailures.map((r) => `failing, not in known-failures: ${sectionKey(r.file, r.section)}  # ${shortReason(r.reason)}`),
          ...nowPassing.map((r) => `remove from known-failures: ${sectionKey(r.file, r.section)}`),
        ];
        expect(problems, problems.join('\n')).toEqual([]);
      },
      AREA_TIMEOUT_MS,
    );
  }
});
