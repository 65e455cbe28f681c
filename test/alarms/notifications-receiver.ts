// A real HTTP receiver on 127.0.0.1 for notification tests: records every request (raw body and
// headers) and answers with scripted statuses (default 200 "ok").

import { createServer, type Server } from 'node:http';

export interface Received {
  method: string;
  url: string;
  headers: Record<string, string>;
  body: string;
  json(): any;
}

export interface Receiver {
  url: string;
  port: number;
  requests: Received[];
  /** Statuses to answer, in order; once used up, `fallback` answers. */
  script: number[];
  fallback: number;
  /** Resolves when at least `n` requests have arrived (or rejects after timeoutMs). */
  waitFor(n: number, timeoutMs?: number): Promise<Received[]>;
  close(): Promise<void>;
}

export async function startReceiver(port = 0): Promise<Receiver> {
  const r: Receiver = {
    url: '',
    port: 0,
    requests: [],
    script: [],
    fallback: 200,
    async waitFor(n, timeoutMs = 10_000) {
      const deadline = Date.now() + timeoutMs;
      while (r.requests.length < n) {
        if (Date.now() > deadline) throw new Error(`receiver got ${r.requests.length} requests, expected ${n}`);
        await new Promise((res) => setTimeout(res, 10));
      }
      return r.requests;
    },
    close: () => new Promise<void>((res) => {
      server.close(() => res());
      server.closeAllConnections();
    }),
  };
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      r.requests.push({ method: req.method!, url: req.url!, headers: req.headers as Record<string, string>, body, json: () => JSON.parse(body) });
      const status = r.script.length > 0 ? r.script.shift()! : r.fallback;
      res.writeHead(status, { 'content-type': 'text/plain' });
      res.end(status < 300 ? 'ok' : status === 400 ? 'invalid_payload' : 'error');
    });
  });
  server.keepAliveTimeout = 100;
  await new Promise<void>((res) => server.listen(port, '127.0.0.1', () => res()));
  r.port = (server.address() as { port: number }).port;
  r.url = `http://127.0.0.1:${r.port}`;
  return r;
}
