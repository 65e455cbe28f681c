// A minimal keep-alive HTTP client for benchmark traffic to 127.0.0.1: one request at a time per
// call, timing measured around the full round trip (request written → last response byte read).

import { Agent, request } from 'node:http';

/** A response as the benchmarks need it. */
export interface Reply {
  status: number;
  body: string;
  /** Round-trip milliseconds. */
  ms: number;
}

/** Keep-alive client bound to one base URL (http://127.0.0.1:<port>). */
export interface HttpClient {
  readonly baseUrl: string;
  /** Send one request; a string/Buffer body is sent as-is with the given content type. */
  send(method: string, path: string, body?: string | Buffer, contentType?: string): Promise<Reply>;
  /** Send a JSON body (or none) and parse the JSON reply; throws on a non-2xx status. */
  json<T = unknown>(method: string, path: string, body?: unknown): Promise<{ status: number; data: T; ms: number }>;
  /** Close pooled sockets. */
  close(): void;
}

/** Make a client that keeps up to `maxSockets` connections alive (1 for sequential latency runs). */
export function makeClient(baseUrl: string, maxSockets = 1): HttpClient {
  const url = new URL(baseUrl);
  if (url.hostname !== '127.0.0.1' && url.hostname !== 'localhost') throw new Error('benchmarks only talk to 127.0.0.1');
  const agent = new Agent({ keepAlive: true, maxSockets });
  const send = (method: string, path: string, body?: string | Buffer, contentType = 'application/json'): Promise<Reply> =>
    new Promise((resolve, reject) => {
      const t0 = performance.now();
      const headers: Record<string, string | number> = {};
      if (body !== undefined) {
        headers['content-type'] = contentType;
        headers['content-length'] = Buffer.byteLength(body);
      }
      const req = request(
        { host: url.hostname, port: url.port, method, path, agent, headers },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () =>
            resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8'), ms: performance.now() - t0 }),
          );
          res.on('error', reject);
        },
      );
      req.on('error', reject);
      req.setTimeout(120_000, () => req.destroy(new Error(`${method} ${path}: timed out after 120 s`)));
      if (body !== undefined) req.write(body);
      req.end();
    });
  return {
    baseUrl,
    send,
    async json<T>(method: string, path: string, body?: unknown) {
      const r = await send(method, path, body === undefined ? undefined : JSON.stringify(body));
      if (r.status < 200 || r.status >= 300) throw new HttpError(method, path, r.status, r.body);
      return { status: r.status, data: (r.body ? JSON.parse(r.body) : undefined) as T, ms: r.ms };
    },
    close: () => agent.destroy(),
  };
}

/** A non-2xx reply, with the start of its body for the report. */
export class HttpError extends Error {
  constructor(
    readonly method: string,
    readonly path: string,
    readonly status: number,
    readonly body: string,
  ) {
    super(`${method} ${path} → ${status}: ${body.slice(0, 300)}`);
  }
}
