import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiSpecs } from './api-spec.ts';
import { HttpClient } from './http-client.ts';
import { runTestFile, type SectionResult } from './section-runner.ts';
import { parseVersion } from './skip.ts';
import { parseTestFile } from './yaml-loader.ts';

// A tiny in-process server: documents in a map, enough to drive every kind of step.
const docs = new Map<string, string>();
const requests: string[] = [];
const server = http.createServer((req, res) => {
  let body = '';
  req.on('data', (chunk) => (body += chunk));
  req.on('end', () => {
    requests.push(`${req.method} ${req.url}`);
    const url = new URL(req.url ?? '/', 'http://x');
    const send = (status: number, payload: string, type = 'application/json'): void => {
      res.writeHead(status, { 'content-type': type });
      res.end(payload);
    };
    const doc = /^\/(\w+)\/_doc\/(\w+)$/.exec(url.pathname);
    if (url.pathname === '/_cluster/pending_tasks') return send(200, '{"tasks":[]}');
    if (url.pathname === '/_cat/count') return send(200, `${docs.size}\n`, 'text/plain');
    if (doc && (req.method === 'PUT' || req.method === 'POST')) {
      docs.set(doc[2]!, body);
      return send(201, `{"_id":"${doc[2]}","_seq_no":9223372036854775807,"result":"created"}`);
    }
    if (doc && req.method === 'HEAD') return send(docs.has(doc[2]!) ? 200 : 404, '');
    if (doc && req.method === 'GET') {
      const source = docs.get(doc[2]!);
      if (!source) return send(404, '{"found":false}');
      return send(200, `{"found":true,"_source":${source}}`);
    }
    if (req.method === 'DELETE' && url.pathname === '/*') {
      docs.clear();
      return send(200, '{}');
    }
    return send(400, `{"error":{"type":"illegal_argument_exception","reason":"no handler for [${req.method} ${url.pathname}]"},"status":400}`);
  });
});

const specs = ApiSpecs.fromDocuments([
  { name: '_common.json', json: { params: { error_trace: {} } } },
  { name: 'index.json', json: { index: { url: { paths: [{ path: '/{index}/_doc/{id}', methods: ['PUT', 'POST'], parts: { index: {}, id: {} } }] }, params: { if_seq_no: {} }, body: {} } } },
  { name: 'get.json', json: { get: { url: { paths: [{ path: '/{index}/_doc/{id}', methods: ['GET'], parts: { index: {}, id: {} } }] }, params: {} } } },
  { name: 'exists.json', json: { exists: { url: { paths: [{ path: '/{index}/_doc/{id}', methods: ['HEAD'], parts: { index: {}, id: {} } }] }, params: {} } } },
  { name: 'cat.count.json', json: { 'cat.count': { url: { paths: [{ path: '/_cat/count', methods: ['GET'] }] }, params: {} } } },
  { name: 'create.json', json: { create: { url: { paths: [{ path: '/{index}/_create/{id}', methods: ['PUT'], parts: { index: {}, id: {} } }] }, params: {}, body: { required: true } } } },
]);

let client: HttpClient;
beforeAll(async () => {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  client = new HttpClient(`http://127.0.0.1:${(server.address() as AddressInfo).port}`, 5_000);
});
afterAll(() => {
  client.close();
  server.close();
});

async function run(yaml: string): Promise<SectionResult[]> {
  const context = { specs, client, serverVersion: parseVersion('2.19.0'), include: () => true, onWipeProblems: () => {} };
  return runTestFile(parseTestFile(yaml, 't.yml'), 'area/t.yml', 'area', context);
}

describe('runTestFile', () => {
  it('runs do, set, stash and assertions, with big integers exact', async () => {
    const [result] = await run(`
"Index and get":
  - do: { index: { index: test, id: "1", body: { big: 9223372036854775807 } } }
  - set: { _seq_no: seqno }
  - match: { _seq_no: 9223372036854775807 }
  - match: { _seq_no: $seqno }
  - do: { get: { index: test, id: "1" } }
  - match: { _source.big: 9223372036854775807 }
  - is_true: found
`);
    expect(result).toMatchObject({ status: 'pass', section: 'Index and get' });
  });

  it('applies catch, ignore and HEAD semantics', async () => {
    const [result] = await run(`
"Errors":
  - do: { catch: missing, get: { index: test, id: "nope" } }
  - do: { get: { index: test, id: "nope", ignore: 404 } }
  - match: { found: false }
  - do: { exists: { index: test, id: "nope" } }
  - is_false: ''
  - do:
      catch: /no handler for \\[PUT \\/test\\/_create/
      create: { index: test, id: "1", body: { a: 1 } }
  - do: { catch: missing, cat.count: { } }
`);
    expect(result!.status).toBe('fail');
    expect(result!.reason).toBe('step 7: do cat.count: expected an error (catch: missing) but got 200');
  });

  it('treats catch: param as passed without sending anything', async () => {
    const before = requests.length;
    const [result] = await run(`
"Param":
  - do: { catch: param, create: { index: test } }
`);
    expect(result!.status).toBe('pass');
    expect(requests.slice(before).every((r) => !r.includes('_create'))).toBe(true);
  });

  it('fails on the wrong error status, and on an error without catch, naming the error', async () => {
    const [wrongStatus] = await run(`
"Wrong status":
  - do: { catch: bad_request, get: { index: test, id: "nope" } }
`);
    expect(wrongStatus!.reason).toBe('step 1: do get: catch bad_request expects 400, got 404');
    const [noCatch] = await run(`
"No catch":
  - do: { create: { index: test, id: "1", body: { a: 1 } } }
`);
    expect(noCatch!.reason).toBe('step 1: do create: expected 2xx, got 400, illegal_argument_exception: no handler for [PUT /test/_create/1]');
  });

  it('clears the stash after setup, runs teardown, wipes, and skips by version', async () => {
    const results = await run(`
setup:
  - do: { index: { index: test, id: "s", body: { a: 1 } } }
---
teardown:
  - do: { index: { index: test, id: "t", body: { a: 1 } } }
---
"Sees setup's document but not its body":
  - do: { cat.count: { } }
  - match: { $body: "/^ 1 \\\\n $/" }
---
"Skipped":
  - skip: { version: " - 2.99.99", reason: "3.x only" }
  - do: { cat.count: { } }
---
"Legacy skip never applies":
  - skip: { version: " - 7.99.99", reason: "old" }
  - do: { cat.count: { } }
  - match: { $body: "/^1\\\\n$/" }
`);
    expect(results.map((r) => r.status)).toEqual(['pass', 'skip', 'pass']);
    expect(results[1]!.reason).toContain('3.x only');
  });

  it('drops null params and, like upstream, calls only the last API of a do naming several', async () => {
    const before = requests.length;
    const [result] = await run(`
"Two APIs":
  - do:
      catch: missing
      index: { index: test, id: "never", body: { a: 1 } }
      get: { index: test, id: "s", if_seq_no: null }
  - match: { found: false }
`);
    expect(result!.status).toBe('pass');
    expect(requests.slice(before).some((r) => r.includes('never'))).toBe(false);
  });

  it('sends an empty path part as an empty segment', async () => {
    const before = requests.length;
    await client.request('GET', '//_refresh');
    expect(requests.slice(before)).toEqual(['GET //_refresh']);
  });

  it('reports a missing stash key as a failure', async () => {
    const [result] = await run(`
"Missing stash":
  - do: { get: { index: test, id: $nothing } }
`);
    expect(result!.reason).toContain('stashed value not found for key [nothing]');
  });
});
