// Turns a `do` call (API name + params + body) into an HTTP request using the JSON specs in
// api/*.json, like upstream's ClientYamlTestClient: the path with the most parts that are all
// given, every other param in the query string, lists comma-joined, path parts URL-encoded.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { toJson } from './json-codec.ts';
import { isMap, javaToString } from './values.ts';

/** One entry of an API's `url.paths`. */
export interface ApiPath {
  path: string;
  methods: string[];
  parts: string[];
}

/** What the runner needs from one api/<name>.json file. */
export interface ApiSpec {
  name: string;
  paths: ApiPath[];
  params: Set<string>;
  requiredParams: string[];
  body: 'none' | 'optional' | 'required';
}

/** An HTTP request ready to send. */
export interface ApiRequest {
  method: string;
  /** Path plus query string, e.g. `/test_1/_search?size=1`. */
  url: string;
  headers: Record<string, string>;
  body?: string;
  /** Statuses to treat as success (the `ignore` client param). */
  ignore: number[];
}

/** Raised when the test asks for something the spec does not allow (upstream's client refuses). */
export class ApiSpecError extends Error {}

/** Params accepted by every API (from _common.json), plus the one client param. */
const CLIENT_PARAMS = new Set(['ignore']);

/** The loaded set of API specs. */
export class ApiSpecs {
  private constructor(
    private readonly apis: Map<string, ApiSpec>,
    private readonly globalParams: Set<string>,
  ) {}

  /** Loads every api/*.json file in `dir`; `_common.json` supplies the global params. */
  static load(dir: string): ApiSpecs {
    const documents = readdirSync(dir)
      .filter((f) => f.endsWith('.json'))
      .map((f) => ({ name: f, json: JSON.parse(readFileSync(join(dir, f), 'utf8')) as unknown }));
    return ApiSpecs.fromDocuments(documents);
  }

  /** Builds the specs from parsed spec files (`name` is the file name, e.g. `search.json`). */
  static fromDocuments(documents: readonly { name: string; json: unknown }[]): ApiSpecs {
    const apis = new Map<string, ApiSpec>();
    let globalParams = new Set<string>();
    for (const { name: file, json } of documents) {
      if (file === '_common.json') {
        globalParams = new Set(Object.keys((json as RawApi).params ?? {}));
        continue;
      }
      for (const [name, raw] of Object.entries(json as Record<string, RawApi>)) apis.set(name, parseApi(name, raw));
    }
    return new ApiSpecs(apis, globalParams);
  }

  /** The spec for `name`, or undefined. */
  get(name: string): ApiSpec | undefined {
    return this.apis.get(name);
  }

  /**
   * Builds the request for `name` with already stash-resolved `params` (everything under the
   * API key except `body`) and `body`. Throws ApiSpecError where upstream's client refuses.
   */
  buildRequest(name: string, params: Record<string, unknown>, body: unknown, headers: Record<string, string>): ApiRequest {
    const api = this.apis.get(name);
    if (!api) throw new ApiSpecError(`API [${name}] is not in the api/ specs`);
    const { ignore: ignoreParam, ...rest } = params;
    const given = Object.keys(rest);
    const path = choosePath(api, given);
    const query: string[] = [];
    for (const key of given) {
      if (path.parts.includes(key)) continue;
      if (!api.params.has(key) && !this.globalParams.has(key) && !CLIENT_PARAMS.has(key)) {
        throw new ApiSpecError(`param [${key}] not supported by [${name}] api`);
      }
      query.push(`${encodeQueryComponent(key)}=${encodeQueryComponent(paramToString(rest[key]))}`);
    }
    const missing = api.requiredParams.filter((p) => !given.includes(p));
    if (missing.length > 0) throw new ApiSpecError(`missing required parameter: [${missing.join(', ')}] by [${name}] api`);
    if (!given.includes('error_trace')) query.push('error_trace=true'); // upstream asks for traces by default

    const hasBody = body !== undefined && body !== null;
    if (hasBody && api.body === 'none') throw new ApiSpecError(`body is not supported by [${name}] api`);
    if (!hasBody && api.body === 'required') throw new ApiSpecError(`body is required by [${name}] api`);

    let url = path.path;
    for (const part of path.parts) url = url.replace(`{${part}}`, encodePathPart(paramToString(rest[part])));
    if (query.length > 0) url += `?${query.join('&')}`;

    const requestHeaders: Record<string, string> = { ...headers };
    let text: string | undefined;
    if (hasBody) {
      text = serialiseBody(body);
      if (!Object.keys(requestHeaders).some((h) => h.toLowerCase() === 'content-type')) {
        requestHeaders['Content-Type'] = 'application/json';
      }
    }
    return { method: chooseMethod(path, hasBody), url, headers: requestHeaders, body: text, ignore: parseIgnore(ignoreParam) };
  }
}

/**
 * Picks the path to call: among paths whose parts are all in `given`, one with the most parts.
 * (Upstream picks at random among ties; the first is taken here.)
 */
export function choosePath(api: ApiSpec, given: readonly string[]): ApiPath {
  let best: ApiPath | undefined;
  for (const path of api.paths) {
    if (!path.parts.every((part) => given.includes(part))) continue;
    if (!best || path.parts.length > best.parts.length) best = path;
  }
  if (!best) {
    const wanted = api.paths.map((p) => `[${p.parts.join(', ')}]`).join(' or ');
    throw new ApiSpecError(`no path of [${api.name}] matches the given params [${given.join(', ')}]; needs ${wanted}`);
  }
  return best;
}

/** POST (else PUT) with a body; GET (else HEAD, else the first listed) without. */
export function chooseMethod(path: ApiPath, hasBody: boolean): string {
  const preferred = hasBody ? ['POST', 'PUT'] : ['GET', 'HEAD'];
  return preferred.find((m) => path.methods.includes(m)) ?? path.methods[0] ?? 'GET';
}

/** A param value as text: lists comma-joined, booleans and numbers as written. */
export function paramToString(value: unknown): string {
  if (Array.isArray(value)) return value.map(paramToString).join(',');
  if (isMap(value)) return toJson(value);
  return javaToString(value);
}

/**
 * Encodes one path part like upstream's `new URI(null, null, "/" + part, …)` followed by
 * replacing `/` with `%2F`: reserved sub-delimiters such as `,` `*` `:` stay readable.
 */
export function encodePathPart(part: string): string {
  return encodeURIComponent(part).replace(/%(2C|3A|40|24|26|2B|3D|3B)/g, (_m, hex: string) =>
    String.fromCharCode(parseInt(hex, 16)),
  );
}

/** Serialises a body: a map as JSON, a list as NDJSON (one line per element), a string as is. */
export function serialiseBody(body: unknown): string {
  if (typeof body === 'string') return body;
  if (Array.isArray(body)) {
    return body.map((line) => (typeof line === 'string' ? line : toJson(line)) + '\n').join('');
  }
  return toJson(body);
}

function encodeQueryComponent(text: string): string {
  return encodeURIComponent(text).replace(/%(2C|3A|2A)/g, (_m, hex: string) => String.fromCharCode(parseInt(hex, 16)));
}

function parseIgnore(value: unknown): number[] {
  if (value === undefined || value === null) return [];
  const list = Array.isArray(value) ? value : String(value).split(',');
  return list.map((v) => Number(v));
}

interface RawApi {
  url?: { paths?: { path: string; methods: string[]; parts?: Record<string, unknown> }[] };
  params?: Record<string, { required?: boolean }>;
  body?: { required?: boolean } | null;
}

function parseApi(name: string, raw: RawApi): ApiSpec {
  const paths = (raw.url?.paths ?? []).map((p) => ({
    path: p.path,
    methods: p.methods,
    parts: Object.keys(p.parts ?? {}),
  }));
  const params = raw.params ?? {};
  return {
    name,
    paths,
    params: new Set(Object.keys(params)),
    requiredParams: Object.entries(params)
      .filter(([, p]) => p.required === true)
      .map(([k]) => k),
    body: raw.body ? (raw.body.required ? 'required' : 'optional') : 'none',
  };
}
