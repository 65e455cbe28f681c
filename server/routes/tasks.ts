// Task management APIs over the node's TaskManager: `GET _tasks` (grouped by nodes, parents or
// none), `GET _tasks/{id}` (optionally waiting for completion), and `POST _tasks[/{id}]/_cancel`.

import type { FastifyInstance } from 'fastify';
import { illegalArgument, OpenSearchError } from '../../index/errors.ts';
import { wildcardRegExp } from '../../index/mapping/mapping.ts';
import { parseTimeValue } from '../../index/indices/settings.ts';
import { NODE_NAME } from '../../index/indices/indices-service.ts';
import type { LookoutNode } from '../node.ts';
import { NODE_ID } from '../tasks.ts';
import { boolParam, send, type Req } from '../http.ts';

type TaskInfo = Record<string, unknown> & { action: string };

/** TaskId.parse: `node:number`. */
function checkTaskId(id: string): void {
  const [n, num] = id.split(':');
  if (!id.includes(':') || !n || !/^\d+$/.test(num ?? '')) throw illegalArgument(`malformed task id ${id}`);
}

/** Running tasks of the node, filtered by `actions` patterns. */
function runningTasks(node: LookoutNode, actions: string | undefined): Array<[string, TaskInfo]> {
  const listed = node.tasks.list() as { nodes: Record<string, { tasks: Record<string, TaskInfo> }> };
  const tasks = Object.entries(listed.nodes[NODE_ID]?.tasks ?? {});
  if (!actions) return tasks;
  const res = actions.split(',').map((a) => wildcardRegExp(a.trim()));
  return tasks.filter(([, t]) => res.some((re) => re.test(t.action)));
}

function groupTasks(node: LookoutNode, tasks: Array<[string, TaskInfo]>, groupBy: string): Record<string, unknown> {
  if (groupBy === 'none') return { tasks: tasks.map(([, t]) => t) };
  if (groupBy === 'parents') return { tasks: Object.fromEntries(tasks) };
  const listed = node.tasks.list() as { nodes: Record<string, Record<string, unknown>> };
  const base = listed.nodes[NODE_ID] ?? { name: NODE_NAME };
  return { nodes: tasks.length > 0 ? { [NODE_ID]: { ...base, tasks: Object.fromEntries(tasks) } } : {} };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export function registerTaskRoutes(app: FastifyInstance, node: LookoutNode): void {
  app.get('/_tasks', async (request, reply) => {
    const req = request as Req;
    const groupBy = req.query.group_by ?? 'nodes';
    if (!['nodes', 'parents', 'none'].includes(groupBy)) throw illegalArgument(`[group_by] must be one of [nodes] or [parents] or [none] but was [${groupBy}]`);
    boolParam(req, 'detailed');
    if (boolParam(req, 'wait_for_completion')) {
      const deadline = Date.now() + parseTimeValue(req.query.timeout, 30000, 'timeout');
      while (runningTasks(node, req.query.actions).length > 0 && Date.now() < deadline) await sleep(20);
    }
    return send(req, reply, 200, groupTasks(node, runningTasks(node, req.query.actions), groupBy));
  });

  app.get('/_tasks/:task_id', async (request, reply) => {
    const req = request as Req;
    const id = req.params.task_id;
    checkTaskId(id);
    if (boolParam(req, 'wait_for_completion')) {
      const deadline = Date.now() + parseTimeValue(req.query.timeout, 30000, 'timeout');
      while ((node.tasks.get(id) as { completed: boolean }).completed !== true) {
        if (Date.now() >= deadline) throw new OpenSearchError('timeout_exception', `Timed out waiting for completion of [${id}]`, 500);
        await sleep(20);
      }
    }
    return send(req, reply, 200, node.tasks.get(id));
  });

  const cancel = async (request: unknown, reply: never) => {
    const req = request as Req;
    const id = req.params.task_id;
    let tasks = runningTasks(node, req.query.actions);
    if (id !== undefined) {
      checkTaskId(id);
      tasks = tasks.filter(([key]) => key === id);
      if (tasks.length === 0) {
        const cause = new OpenSearchError('resource_not_found_exception', `task [${id}] is not found`, 404);
        const failure = { type: 'failed_node_exception', reason: `Failed node [${NODE_ID}]`, node_id: NODE_ID, caused_by: cause.toJSON() };
        return send(req, reply, 200, { node_failures: [failure], nodes: {} });
      }
    }
    // Best effort: the task manager has no cancellation hook, so running tasks are reported, not stopped.
    return send(req, reply, 200, groupTasks(node, tasks.map(([k, t]) => [k, { ...t, cancelled: true }]), req.query.group_by ?? 'nodes'));
  };
  app.post('/_tasks/_cancel', cancel as never);
  app.post('/_tasks/:task_id/_cancel', cancel as never);
}
