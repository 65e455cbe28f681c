// Locates the test corpus: the default folder, the YAML files under given folders or files,
// each file's id (`<area>/<file>.yml`, its path under tests/) and the api/ specs that go with it.
import { existsSync, readdirSync, statSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The project root (two levels above this folder). */
export const PROJECT_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** One YAML test file to run. */
export interface CorpusFile {
  /** Absolute path. */
  path: string;
  /** Path under tests/: `<area>/<name>.yml`. */
  id: string;
  /** The folder the file is in, e.g. `search.aggregation`. */
  area: string;
}

/**
 * The default corpus folder: `$OPENSEARCH_REST_TESTS` if set, else
 * `../shared/opensearch-rest-tests/` next to the project root. Returns its `tests/` folder when
 * it has one.
 */
export function defaultCorpusDir(env: NodeJS.ProcessEnv = process.env): string {
  const root = env.OPENSEARCH_REST_TESTS ? resolve(env.OPENSEARCH_REST_TESTS) : resolve(PROJECT_ROOT, '..', 'shared', 'opensearch-rest-tests');
  const tests = join(root, 'tests');
  return existsSync(tests) ? tests : root;
}

/** Every `.yml`/`.yaml` file under the given folders or files, sorted by id, without duplicates. */
export function listTestFiles(targets: readonly string[]): CorpusFile[] {
  const byPath = new Map<string, CorpusFile>();
  const visit = (path: string): void => {
    if (statSync(path).isDirectory()) {
      for (const entry of readdirSync(path)) visit(join(path, entry));
    } else if (/\.ya?ml$/.test(path)) {
      const area = basename(dirname(path));
      byPath.set(path, { path, id: `${area}/${basename(path)}`, area });
    }
  };
  for (const target of targets) visit(resolve(target));
  return [...byPath.values()].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

/**
 * Finds the api/ spec folder for a target: the first `api/` beside or above it (the corpus keeps
 * `api/` next to `tests/`), else the default corpus's. Returns undefined when there is none.
 */
export function findApiDir(target: string): string | undefined {
  let dir = resolve(target);
  if (existsSync(dir) && !statSync(dir).isDirectory()) dir = dirname(dir);
  for (;;) {
    const candidate = join(dir, 'api');
    if (existsSync(candidate) && statSync(candidate).isDirectory()) return candidate;
    const parent = dirname(dir);
    if (parent === dir) break;
    dir = parent;
  }
  const fallback = join(dirname(defaultCorpusDir()), 'api');
  return existsSync(fallback) ? fallback : undefined;
}
