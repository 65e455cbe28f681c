// Runs a list of test files against a server and collects the section results. Shared by the
// CLI (run.ts) and the vitest conformance test; the server is reached through a ServerHandle so
// a crashed, runner-started server can be restarted before the next file.
import { ApiSpecs } from './api-spec.ts';
import { wipeCluster } from './cluster-wipe.ts';
import type { CorpusFile } from './corpus.ts';
import { HttpClient } from './http-client.ts';
import { parseJson } from './json-codec.ts';
import { ServerProcess } from './server-process.ts';
import { runTestFile, type SectionResult } from './section-runner.ts';
import { parseVersion } from './skip.ts';
import { isMap } from './values.ts';
import { loadTestFile } from './yaml-loader.ts';

/** Where the server is; `ensureUp` is called before each file. */
export interface ServerHandle {
  /** The URL of a live server; `note` explains a restart. */
  ensureUp(): Promise<{ url: string; note?: string }>;
  /** Stops the server if the runner started it. */
  stop(): Promise<void>;
}

/** A server that someone else runs (`--url`). */
export function externalServer(url: string): ServerHandle {
  const base = url.replace(/\/+$/, '');
  return { ensureUp: async () => ({ url: base }), stop: async () => {} };
}

/** A server the runner starts, and restarts (with a fresh data dir) if it dies. */
export async function managedServer(projectRoot: string, echoOutput = false): Promise<ServerHandle> {
  let server = await ServerProcess.start({ projectRoot, echoOutput });
  return {
    async ensureUp() {
      if (server.running) return { url: server.url };
      const note = `server died; restarting. Its last output:\n${server.recentOutput()}`;
      await server.stop();
      server = await ServerProcess.start({ projectRoot, echoOutput });
      return { url: server.url, note };
    },
    stop: () => server.stop(),
  };
}

/** Options for `runCorpus`. */
export interface CorpusRunOptions {
  files: readonly CorpusFile[];
  server: ServerHandle;
  /** Folder of api/*.json specs. */
  apiDir: string;
  /** Only sections whose "file :: title" contains this. */
  filter?: string;
  /** Called after each file (for progress output). */
  onFileDone?: (file: CorpusFile, results: SectionResult[]) => void;
  /** Called with notes worth showing (server restarts). */
  onNote?: (note: string) => void;
}

/** The outcome of a run. */
export interface CorpusRunSummary {
  results: SectionResult[];
  /** `version.number` reported by `GET /`. */
  serverVersion: string;
  /** Cluster-wipe problems and how many times each occurred. */
  wipeProblems: Map<string, number>;
}

/** Runs the files in order, one section at a time, and returns every section's result. */
export async function runCorpus(options: CorpusRunOptions): Promise<CorpusRunSummary> {
  const specs = ApiSpecs.load(options.apiDir);
  const wipeProblems = new Map<string, number>();
  const results: SectionResult[] = [];
  const first = await options.server.ensureUp();
  if (first.note) options.onNote?.(first.note);
  let url = first.url;
  let client = new HttpClient(url);
  const serverVersion = await fetchVersion(client);
  const version = parseVersion(serverVersion);
  // Start from a clean cluster even when pointed at a server that was used before.
  await wipeCluster(client);
  try {
    for (const file of options.files) {
      const up = await options.server.ensureUp();
      if (up.note) options.onNote?.(up.note);
      if (up.url !== url) {
        client.close();
        url = up.url;
        client = new HttpClient(url);
      }
      const fileResults = await runOneFile(file, {
        specs,
        client,
        serverVersion: version,
        include: (key) => !options.filter || key.includes(options.filter),
        onWipeProblems: (problems) => {
          for (const problem of problems) wipeProblems.set(problem, (wipeProblems.get(problem) ?? 0) + 1);
        },
      });
      results.push(...fileResults);
      options.onFileDone?.(file, fileResults);
    }
  } finally {
    client.close();
  }
  return { results, serverVersion, wipeProblems };
}

async function runOneFile(file: CorpusFile, context: Parameters<typeof runTestFile>[3]): Promise<SectionResult[]> {
  try {
    return await runTestFile(loadTestFile(file.path), file.id, file.area, context);
  } catch (error) {
    const reason = `cannot run file: ${(error as Error).message.split('\n')[0]}`;
    return [{ file: file.id, area: file.area, section: '(file)', status: 'fail', reason, durationMs: 0 }];
  }
}

/** Reads `version.number` from `GET /`; throws with the answer when there is none. */
async function fetchVersion(client: HttpClient): Promise<string> {
  const response = await client.request('GET', '/');
  let number: unknown;
  try {
    const body = parseJson(response.text);
    number = isMap(body) && isMap(body.version) ? body.version.number : undefined;
  } catch {
    number = undefined;
  }
  if (response.status !== 200 || typeof number !== 'string') {
    throw new Error(`GET / must answer 200 with version.number; got ${response.status}: ${response.text.slice(0, 300)}`);
  }
  return number;
}
