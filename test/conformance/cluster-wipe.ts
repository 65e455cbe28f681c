// Resets the server between sections, as upstream's OpenSearchRestTestCase.wipeCluster: delete
// every index and template, null every cluster setting, wait for pending tasks to drain.
// Problems are returned rather than thrown so a missing admin API does not fail every section.
import type { HttpClient } from './http-client.ts';
import { parseJson } from './json-codec.ts';
import { isMap } from './values.ts';

const WIPE_CALLS: { method: string; url: string; body?: string }[] = [
  { method: 'DELETE', url: '/*?expand_wildcards=open,closed,hidden' },
  { method: 'DELETE', url: '/_template/*' },
  { method: 'DELETE', url: '/_index_template/*' },
  { method: 'DELETE', url: '/_component_template/*' },
  { method: 'PUT', url: '/_cluster/settings', body: '{"persistent":{"*":null},"transient":{"*":null}}' },
];

const PENDING_TASKS_TIMEOUT_MS = 30_000;

/**
 * Wipes the cluster. Returns one line per problem (e.g. "DELETE /_template/* → 405"); an empty
 * list means the wipe went through. 404 answers are fine (nothing to delete).
 */
export async function wipeCluster(client: HttpClient): Promise<string[]> {
  const problems: string[] = [];
  for (const call of WIPE_CALLS) {
    const headers: Record<string, string> = call.body ? { 'Content-Type': 'application/json' } : {};
    try {
      const response = await client.request(call.method, call.url, headers, call.body);
      if (response.status >= 300 && response.status !== 404) problems.push(`${call.method} ${call.url} → ${response.status}`);
    } catch (error) {
      problems.push(`${call.method} ${call.url} → ${(error as Error).message}`);
    }
  }
  const pending = await waitForPendingTasks(client);
  if (pending) problems.push(pending);
  return problems;
}

/** Polls GET /_cluster/pending_tasks until its `tasks` list is empty; returns a problem or null. */
async function waitForPendingTasks(client: HttpClient): Promise<string | null> {
  const deadline = Date.now() + PENDING_TASKS_TIMEOUT_MS;
  for (;;) {
    let response;
    try {
      response = await client.request('GET', '/_cluster/pending_tasks');
    } catch (error) {
      return `GET /_cluster/pending_tasks → ${(error as Error).message}`;
    }
    if (response.status !== 200) return `GET /_cluster/pending_tasks → ${response.status}`;
    let tasks: unknown;
    try {
      const body = parseJson(response.text);
      tasks = isMap(body) ? body.tasks : undefined;
    } catch {
      return 'GET /_cluster/pending_tasks → body is not JSON';
    }
    if (!Array.isArray(tasks)) return 'GET /_cluster/pending_tasks → no "tasks" list';
    if (tasks.length === 0) return null;
    if (Date.now() > deadline) return `GET /_cluster/pending_tasks → still ${tasks.length} task(s) after 30 s`;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
