// CLI for the YAML REST test runner: `npm run test:conformance -- [folders/files] [options]`.
// Starts Lookout (or uses --url), runs the files, prints per-file and per-area results, and
// optionally writes JSON results or rewrites known-failures.txt.
import { existsSync, writeFileSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { PROJECT_ROOT, defaultCorpusDir, findApiDir, listTestFiles } from './corpus.ts';
import { externalServer, managedServer, runCorpus, type ServerHandle } from './corpus-runner.ts';
import { KNOWN_FAILURES_PATH, compareWithKnown, mergeKnownFailures, readKnownFailures, writeKnownFailures } from './known-failures.ts';
import { formatAreaTotals, formatFile, tally } from './report.ts';
import { sectionKey } from './section-runner.ts';

const USAGE = `Usage: npm run test:conformance -- [folder-or-file ...] [options]

Runs OpenSearch YAML REST tests (default: $OPENSEARCH_REST_TESTS or ../shared/opensearch-rest-tests/).
  --url <url>               use a running server instead of starting server/main.ts
  --filter <text>           only sections whose "file :: section title" contains <text>
  --verbose                 print each failure's step, expected and actual values and response
  --json <path>             write [{file, area, section, status, reason}] to <path>
  --write-known-failures    rewrite known-failures.txt from this run (other sections' lines kept)
  --known-failures <path>   use another known-failures file
  --server-output           echo the started server's output
  --help                    show this text

Exit status: 0 when every failure is listed in known-failures.txt, 1 otherwise, 2 on usage errors.`;

async function main(): Promise<number> {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: {
      url: { type: 'string' },
      filter: { type: 'string' },
      verbose: { type: 'boolean', default: false },
      json: { type: 'string' },
      'write-known-failures': { type: 'boolean', default: false },
      'known-failures': { type: 'string', default: KNOWN_FAILURES_PATH },
      'server-output': { type: 'boolean', default: false },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help) {
    console.log(USAGE);
    return 0;
  }

  const targets = positionals.length > 0 ? positionals.map((p) => resolve(p)) : [defaultCorpusDir()];
  if (positionals.length === 0 && !existsSync(targets[0]!)) {
    console.log(`No YAML REST test corpus at ${targets[0]} (set OPENSEARCH_REST_TESTS); nothing to run.`);
    return 0;
  }
  const missing = targets.filter((t) => !existsSync(t));
  if (missing.length > 0) {
    console.error(`Not found: ${missing.join(', ')}\n\n${USAGE}`);
    return 2;
  }
  const files = listTestFiles(targets);
  const apiDir = findApiDir(targets[0]!);
  if (!apiDir) {
    console.error(`No api/ spec folder found beside or above ${targets[0]}.`);
    return 2;
  }
  if (files.length === 0) {
    console.log('No .yml test files found.');
    return 0;
  }

  let server: ServerHandle;
  if (values.url) {
    server = externalServer(values.url);
  } else {
    if (!existsSync(join(PROJECT_ROOT, 'server', 'main.ts'))) {
      console.error('server/main.ts does not exist yet; start a server yourself and pass --url.');
      return 2;
    }
    try {
      server = await managedServer(PROJECT_ROOT, values['server-output']);
    } catch (error) {
      console.error(`Could not start Lookout: ${(error as Error).message}`);
      return 1;
    }
  }
  const stopOnSignal = (): void => {
    void server.stop().finally(() => process.exit(130));
  };
  process.once('SIGINT', stopOnSignal);
  process.once('SIGTERM', stopOnSignal);

  let summary;
  try {
    summary = await runCorpus({
      files,
      server,
      apiDir,
      filter: values.filter,
      onFileDone: (file, results) => {
        if (results.length > 0) console.log(formatFile(file.id, results, values.verbose).join('\n'));
      },
      onNote: (note) => console.log(`! ${note}`),
    });
  } catch (error) {
    console.error(`Run aborted: ${(error as Error).message}`);
    return 1;
  } finally {
    await server.stop();
  }

  const { results } = summary;
  console.log(`\nServer version ${summary.serverVersion}\n`);
  console.log(formatAreaTotals(results).join('\n'));
  const total = tally(results);
  console.log(`\n${results.length} sections: ${total.pass} passed, ${total.fail} failed, ${total.skip} skipped`);
  if (summary.wipeProblems.size > 0) {
    console.log('\nCluster wipe problems (sections may not be isolated):');
    for (const [problem, count] of summary.wipeProblems) console.log(`  ${problem}  (×${count})`);
  }

  const knownPath = resolve(values['known-failures']);
  const known = readKnownFailures(knownPath);
  const comparison = compareWithKnown(results, known);
  if (comparison.unexpectedFailures.length > 0) {
    console.log(`\n${comparison.unexpectedFailures.length} failing section(s) not in ${basename(knownPath)}`);
  }
  if (comparison.nowPassing.length > 0) {
    console.log(`\n${comparison.nowPassing.length} known failure(s) now pass:`);
    for (const r of comparison.nowPassing) console.log(`  remove from known-failures: ${sectionKey(r.file, r.section)}`);
  }

  if (values.json) {
    const rows = results.map(({ file, area, section, status, reason }) => ({ file, area, section, status, reason }));
    writeFileSync(values.json, JSON.stringify(rows, null, 2) + '\n');
    console.log(`\nResults written to ${values.json}`);
  }
  if (values['write-known-failures']) {
    const merged = mergeKnownFailures(results, known);
    writeKnownFailures(merged, knownPath);
    console.log(`\n${knownPath} rewritten: ${merged.size} known failure(s).`);
    return 0;
  }
  return comparison.unexpectedFailures.length > 0 ? 1 : 0;
}

process.exitCode = await main();
