// Background tasks for `wait_for_completion=false` requests: each gets an id `node:n`, and
// GET _tasks/<id> reports it running or completed with its response (or error).

import { OpenSearchError } from '../index/errors.ts';
import { NODE_NAME } from '../index/indices/indices-service.ts';

interface Task {
  id: number;
  action: string;
  description: string;
  startTime: number;
  completed: boolean;
  response?: unknown;
  error?: Record<string, unknown>;
}

export const NODE_ID = 'lookout0000000000000001';

export class TaskManager {
  private next = 1;
  private tasks = new Map<number, Task>();

  /** Starts a task; returns its `node:id` string. */
  start(action: string, description: string, work: () => Promise<unknown>): string {
    const task: Task = { id: this.next++, action, description, startTime: Date.now(), completed: false };
    this.tasks.set(task.id, task);
    setImmediate(() => {
      work().then(
        (response) => Object.assign(task, { completed: true, response }),
        (err) => Object.assign(task, { completed: true, error: err instanceof OpenSearchError ? err.toJSON() : { type: 'exception', reason: String(err) } }),
      );
    });
    return `${NODE_ID}:${task.id}`;
  }

  /** The GET _tasks/<id> body. */
  get(taskId: string): Record<string, unknown> {
    const [node, num] = taskId.split(':');
    const task = node === NODE_ID ? this.tasks.get(Number(num)) : undefined;
    if (!task) {
      throw new OpenSearchError('resource_not_found_exception', `task [${taskId}] isn't running and hasn't stored its results`, 404);
    }
    const body: Record<string, unknown> = {
      completed: task.completed,
      task: {
        node: NODE_ID, id: task.id, type: 'transport', action: task.action, description: task.description,
        start_time_in_millis: task.startTime, running_time_in_nanos: (Date.now() - task.startTime) * 1e6,
        cancellable: true, cancelled: false, headers: {},
      },
    };
    if (task.response !== undefined) body.response = task.response;
    if (task.error !== undefined) body.error = task.error;
    return body;
  }

  /** Running tasks for GET _tasks. */
  list(): Record<string, unknown> {
    const tasks: Record<string, unknown> = {};
    for (const t of this.tasks.values()) {
      if (t.completed) continue;
      tasks[`${NODE_ID}:${t.id}`] = { node: NODE_ID, id: t.id, type: 'transport', action: t.action, description: t.description, start_time_in_millis: t.startTime };
    }
    return { nodes: Object.keys(tasks).length ? { [NODE_ID]: { name: NODE_NAME, tasks } } : {} };
  }

  get pending(): number {
    return [...this.tasks.values()].filter((t) => !t.completed).length;
  }
}
