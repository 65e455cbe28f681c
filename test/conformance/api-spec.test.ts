import { describe, expect, it } from 'vitest';
import { ApiSpecError, ApiSpecs, chooseMethod, choosePath, encodePathPart, serialiseBody } from './api-spec.ts';

const specs = ApiSpecs.fromDocuments([
  { name: '_common.json', json: { params: { pretty: {}, human: {}, error_trace: {}, source: {}, filter_path: {} } } },
  {
    name: 'indices.get_alias.json',
    json: {
      'indices.get_alias': {
        url: {
          paths: [
            { path: '/_alias', methods: ['GET'] },
            { path: '/_alias/{name}', methods: ['GET'], parts: { name: {} } },
            { path: '/{index}/_alias/{name}', methods: ['GET'], parts: { index: {}, name: {} } },
            { path: '/{index}/_alias', methods: ['GET'], parts: { index: {} } },
          ],
        },
        params: { local: {}, expand_wildcards: {} },
      },
    },
  },
  {
    name: 'index.json',
    json: {
      index: {
        url: {
          paths: [
            { path: '/{index}/_doc/{id}', methods: ['PUT', 'POST'], parts: { id: {}, index: {} } },
            { path: '/{index}/_doc', methods: ['POST'], parts: { index: {} } },
          ],
        },
        params: { refresh: {}, routing: {} },
        body: { required: true },
      },
    },
  },
  {
    name: 'indices.create.json',
    json: { 'indices.create': { url: { paths: [{ path: '/{index}', methods: ['PUT'], parts: { index: {} } }] }, params: {}, body: {} } },
  },
  {
    name: 'exists.json',
    json: { exists: { url: { paths: [{ path: '/{index}/_doc/{id}', methods: ['HEAD'], parts: { id: {}, index: {} } }] }, params: {} } },
  },
  {
    name: 'bulk.json',
    json: { bulk: { url: { paths: [{ path: '/_bulk', methods: ['POST', 'PUT'] }] }, params: { refresh: {} }, body: { required: true } } },
  },
]);

describe('choosePath', () => {
  const api = specs.get('indices.get_alias')!;
  it('uses the path with the most parts whose parts are all given', () => {
    expect(choosePath(api, ['index', 'name']).path).toBe('/{index}/_alias/{name}');
    expect(choosePath(api, ['name', 'local']).path).toBe('/_alias/{name}');
    expect(choosePath(api, ['index']).path).toBe('/{index}/_alias');
    expect(choosePath(api, []).path).toBe('/_alias');
  });
  it('refuses when no path has all its parts given', () => {
    expect(() => choosePath(specs.get('index')!, ['id'])).toThrow(ApiSpecError);
  });
});

describe('chooseMethod', () => {
  it('prefers POST then PUT with a body, GET then HEAD without, else the first listed', () => {
    expect(chooseMethod({ path: '/', methods: ['PUT', 'POST'], parts: [] }, true)).toBe('POST');
    expect(chooseMethod({ path: '/', methods: ['PUT'], parts: [] }, true)).toBe('PUT');
    expect(chooseMethod({ path: '/', methods: ['POST', 'GET'], parts: [] }, false)).toBe('GET');
    expect(chooseMethod({ path: '/', methods: ['HEAD'], parts: [] }, false)).toBe('HEAD');
    expect(chooseMethod({ path: '/', methods: ['PUT'], parts: [] }, false)).toBe('PUT');
  });
});

describe('buildRequest', () => {
  it('puts parts in the path, other params in the query, lists comma-joined', () => {
    const request = specs.buildRequest('indices.get_alias', { index: ['a', 'b'], name: 'x', expand_wildcards: ['open', 'closed'], local: true }, undefined, {});
    expect(request.method).toBe('GET');
    expect(request.url).toBe('/a,b/_alias/x?expand_wildcards=open,closed&local=true&error_trace=true');
  });
  it('URL-encodes path parts, slashes included, and keeps unicode readable on the wire as UTF-8', () => {
    expect(encodePathPart('a/b c')).toBe('a%2Fb%20c');
    expect(encodePathPart('test-weird-index-中文')).toBe('test-weird-index-%E4%B8%AD%E6%96%87');
    expect(encodePathPart('logs-*,x:y')).toBe('logs-*,x:y');
  });
  it('sends a map body as JSON with POST and a JSON content type', () => {
    const request = specs.buildRequest('index', { index: 'i', id: 1, refresh: true }, { f: 9223372036854775807n }, {});
    expect(request).toMatchObject({ method: 'POST', url: '/i/_doc/1?refresh=true&error_trace=true', body: '{"f":9223372036854775807}' });
    expect(request.headers['Content-Type']).toBe('application/json');
  });
  it('keeps a Content-Type given in headers', () => {
    const request = specs.buildRequest('bulk', {}, '{"index":{}}\n{}\n', { 'content-type': 'application/x-ndjson' });
    expect(request.headers).toEqual({ 'content-type': 'application/x-ndjson' });
  });
  it('uses PUT when the path has no POST', () => {
    expect(specs.buildRequest('indices.create', { index: 'i' }, { settings: {} }, {}).method).toBe('PUT');
    expect(specs.buildRequest('indices.create', { index: 'i' }, undefined, {}).method).toBe('PUT');
  });
  it('uses HEAD for exists APIs', () => {
    expect(specs.buildRequest('exists', { index: 'i', id: '1' }, undefined, {}).method).toBe('HEAD');
  });
  it('takes ignore as a client param, not a query param', () => {
    const request = specs.buildRequest('exists', { index: 'i', id: '1', ignore: 404 }, undefined, {});
    expect(request.ignore).toEqual([404]);
    expect(request.url).not.toContain('ignore');
  });
  it('accepts global params and does not add error_trace twice', () => {
    expect(specs.buildRequest('indices.get_alias', { filter_path: ['a', 'b'], error_trace: false }, undefined, {}).url).toBe(
      '/_alias?filter_path=a,b&error_trace=false',
    );
  });
  it('refuses unknown params, a missing required body and a body where none is allowed', () => {
    expect(() => specs.buildRequest('indices.get_alias', { bogus: 1 }, undefined, {})).toThrow(/param \[bogus\] not supported/);
    expect(() => specs.buildRequest('index', { index: 'i' }, undefined, {})).toThrow(/body is required/);
    expect(() => specs.buildRequest('exists', { index: 'i', id: '1' }, {}, {})).toThrow(/body is not supported/);
    expect(() => specs.buildRequest('nope', {}, undefined, {})).toThrow(ApiSpecError);
  });
});

describe('serialiseBody', () => {
  it('writes a list as NDJSON with a trailing newline, strings as given', () => {
    expect(serialiseBody([{ index: { _id: 1 } }, '{"f":1}', { f: 2 }])).toBe('{"index":{"_id":1}}\n{"f":1}\n{"f":2}\n');
  });
  it('sends a string body as is', () => {
    expect(serialiseBody('{"a":1}\n{"b":2}\n')).toBe('{"a":1}\n{"b":2}\n');
  });
});
