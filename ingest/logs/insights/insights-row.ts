// One row of a Logs Insights pipeline: a log event (system fields `@timestamp`, `@message`,
// `@logStream`, `@log`, `@ingestionTime`, `@ptr`, and the event's JSON fields flattened to dotted
// names on first use) plus the fields commands computed for it; after `stats`, only computed fields.

import { ACCOUNT_ID } from '../../aws/aws-arn.ts';

/** A stored log event as the pipeline reads it. */
export interface LogRecord {
  timestamp: number;
  message: string;
  logStream: string;
  logGroup: string;
  ingestionTime: number;
  eventId: string;
}

/** A log event as a row: system fields, lazily flattened JSON fields and computed fields. */
export class Row {
  private vals: Map<string, unknown> | null = null;
  /** The message's JSON fields, flattened; null when the message is not a JSON object. */
  private json: Record<string, unknown> | null | undefined;

  constructor(readonly ev: LogRecord | null) {}

  get(name: string): unknown {
    if (this.vals !== null && this.vals.has(name)) return this.vals.get(name);
    const ev = this.ev;
    if (ev === null) return undefined;
    switch (name) {
      case '@timestamp':
        return ev.timestamp;
      case '@message':
        return ev.message;
      case '@logStream':
        return ev.logStream;
      case '@log':
        return `${ACCOUNT_ID}:${ev.logGroup}`;
      case '@logGroup':
        return ev.logGroup;
      case '@ingestionTime':
        return ev.ingestionTime;
      case '@ptr':
        return Buffer.from(`${ev.logGroup}\n${ev.eventId}`).toString('base64url');
    }
    if (this.json === undefined) this.json = flattenJson(ev.message);
    return this.json === null ? undefined : this.json[name];
  }

  set(name: string, value: unknown): void {
    (this.vals ??= new Map()).set(name, value);
  }
}

/** `{"a":{"b":[1,2]}}` → `{"a.b.0": 1, "a.b.1": 2}`; null for anything but a JSON object. */
export function flattenJson(message: string): Record<string, unknown> | null {
  const start = message.trimStart();
  if (!start.startsWith('{')) return null;
  let doc: unknown;
  try {
    doc = JSON.parse(message);
  } catch {
    return null;
  }
  if (doc === null || typeof doc !== 'object' || Array.isArray(doc)) return null;
  const out: Record<string, unknown> = {};
  const walk = (v: unknown, path: string) => {
    if (v !== null && typeof v === 'object') {
      for (const [k, child] of Object.entries(v)) walk(child, path === '' ? k : `${path}.${k}`);
    } else {
      out[path] = v;
    }
  };
  walk(doc, '');
  return out;
}
