// The `do` step: resolve the stash, build the request from the API spec, send it, save the body
// as `$body`, then apply `catch` / `ignore` / warnings the way upstream's DoSection does.
import { ApiSpecError, type ApiSpecs } from './api-spec.ts';
import { describeResponse, toApiResponse, type ApiResponse } from './api-response.ts';
import { HttpError, type HttpClient } from './http-client.ts';
import { compileJavaRegex, isRegexLiteral, regexBody } from './java-regex.ts';
import { StashError, type Stash } from './stash.ts';
import { StepFailure } from './step-failure.ts';
import { isMap, javaToString } from './values.ts';
import { checkWarnings, warningsOk } from './warnings.ts';

/** What a `do` step needs. */
export interface DoContext {
  specs: ApiSpecs;
  client: HttpClient;
  stash: Stash;
}

/** The result of a `do` step: the API name and the response (absent for `catch: param`). */
export interface DoResult {
  api: string;
  response?: ApiResponse;
}

/** `catch` names, the statuses they accept (upstream DoSection's table) and how to say so. */
const CATCH_STATUSES: Record<string, { expects: string; accepts: (status: number) => boolean }> = {
  bad_request: { expects: '400', accepts: (s) => s === 400 },
  unauthorized: { expects: '401', accepts: (s) => s === 401 },
  forbidden: { expects: '403', accepts: (s) => s === 403 },
  missing: { expects: '404', accepts: (s) => s === 404 },
  request_timeout: { expects: '408', accepts: (s) => s === 408 },
  conflict: { expects: '409', accepts: (s) => s === 409 },
  unavailable: { expects: '503', accepts: (s) => s === 503 },
  request: { expects: '4xx/5xx other than 400, 401, 403, 404, 408, 409', accepts: (s) => s >= 400 && ![400, 401, 403, 404, 408, 409].includes(s) },
};

const DO_KEYS = new Set(['catch', 'headers', 'warnings', 'allowed_warnings', 'node_selector']);

/** Runs one `do` step. Throws StepFailure when the call or its status is not as expected. */
export async function runDo(args: unknown, context: DoContext): Promise<DoResult> {
  if (!isMap(args)) throw new StepFailure('do must be a map');
  const apiNames = Object.keys(args).filter((key) => !DO_KEYS.has(key));
  if (apiNames.length === 0) throw new StepFailure('do must name an API');
  // Upstream's parser keeps only the last API of a `do` that names several (one corpus file
  // does: index/90_unsigned_long.yml), so the others are never called.
  const api = apiNames[apiNames.length - 1]!;
  const catchValue = args.catch === undefined ? undefined : String(args.catch);
  // The client would refuse the call before sending it; there is nothing to test here.
  if (catchValue === 'param') return { api };

  const { params, body, headers } = resolveInputs(api, args, context.stash);
  let request;
  try {
    request = context.specs.buildRequest(api, params, body, headers);
  } catch (error) {
    if (error instanceof ApiSpecError) throw new StepFailure(`do ${api}: the runner cannot send this call: ${error.message}`);
    throw error;
  }
  const requestLine = `${request.method} ${request.url}`;
  let response: ApiResponse;
  try {
    const raw = await context.client.request(request.method, request.url, request.headers, request.body);
    response = toApiResponse(request.method, request.url, raw);
  } catch (error) {
    if (error instanceof HttpError) {
      context.stash.set('body', undefined);
      throw new StepFailure(`do ${api}: ${error.message}`, { request: requestLine });
    }
    throw error;
  }
  context.stash.set('body', response.body);

  const details = { request: requestLine, response: describeResponse(response) };
  const isError = response.status >= 300 && !(request.method === 'HEAD' && response.status === 404) && !request.ignore.includes(response.status);
  if (!isError) {
    if (catchValue !== undefined) {
      throw new StepFailure(`do ${api}: expected an error (catch: ${catchValue}) but got ${response.status}`, details);
    }
    checkStepWarnings(api, args, response, details);
    return { api, response };
  }
  if (catchValue === undefined) {
    throw new StepFailure(`do ${api}: expected 2xx, got ${response.status}${errorSummary(response)}`, details);
  }
  const expectedStatus = CATCH_STATUSES[catchValue];
  if (expectedStatus) {
    if (!expectedStatus.accepts(response.status)) {
      const summary = errorSummary(response);
      throw new StepFailure(`do ${api}: catch ${catchValue} expects ${expectedStatus.expects}, got ${response.status}${summary}`, details);
    }
  } else if (isRegexLiteral(catchValue)) {
    if (response.status < 400) throw new StepFailure(`do ${api}: catch ${catchValue} expected 4xx/5xx, got ${response.status}`, details);
    const error = response.parsed && isMap(response.body) ? response.body.error : undefined;
    if (error === undefined || error === null) {
      throw new StepFailure(`do ${api}: catch ${catchValue}: the ${response.status} response has no "error" field`, details);
    }
    // Upstream matches Java's toString() of the error map, with find() and no flags.
    const regex = compileJavaRegex(regexBody(catchValue), { comments: false });
    if (!regex.test(javaToString(error))) {
      throw new StepFailure(`do ${api}: error does not match ${catchValue}: ${javaToString(error).slice(0, 300)}`, details);
    }
  } else {
    throw new StepFailure(`do ${api}: unsupported catch value [${catchValue}]`);
  }
  return { api, response };
}

/** The call's params, body and headers with stash references replaced. */
function resolveInputs(api: string, args: Record<string, unknown>, stash: Stash): { params: Record<string, unknown>; body: unknown; headers: Record<string, string> } {
  const apiArgs = isMap(args[api]) ? args[api] : {};
  const { body, ...given } = apiArgs;
  // Upstream's parser skips null-valued params (`index: null` means "not given").
  const params = Object.fromEntries(Object.entries(given).filter(([, value]) => value !== null && value !== undefined));
  try {
    const headers = stash.replace(isMap(args.headers) ? args.headers : {}) as Record<string, unknown>;
    return {
      params: stash.replace(params) as Record<string, unknown>,
      body: stash.replace(body),
      headers: Object.fromEntries(Object.entries(headers).map(([name, value]) => [name, javaToString(value)])),
    };
  } catch (error) {
    if (error instanceof StashError) throw new StepFailure(`do ${api}: ${error.message}`);
    throw error;
  }
}

function checkStepWarnings(api: string, args: Record<string, unknown>, response: ApiResponse, details: { request: string; response: string }): void {
  const expected = toStringList(args.warnings);
  const allowed = toStringList(args.allowed_warnings);
  const problems = checkWarnings(response.headers['warning'] ?? [], expected, allowed);
  if (warningsOk(problems)) return;
  const parts: string[] = [];
  const list = (items: string[]): string => items.map((item) => `[${item}]`).join(', ');
  if (problems.unexpected.length > 0) parts.push(`unexpected warning(s) ${list(problems.unexpected)}`);
  if (problems.missing.length > 0) parts.push(`missing warning(s) ${list(problems.missing)}`);
  if (problems.malformed.length > 0) parts.push(`malformed Warning header(s) ${list(problems.malformed)}`);
  throw new StepFailure(`do ${api}: ${parts.join('; ')}`, details);
}

function toStringList(value: unknown): string[] {
  if (value === undefined || value === null) return [];
  return (Array.isArray(value) ? value : [value]).map(String);
}

/** ", index_not_found_exception: no such index [x]" from an OpenSearch error body. */
function errorSummary(response: ApiResponse): string {
  if (!response.parsed || !isMap(response.body)) return '';
  const error = response.body.error;
  if (isMap(error)) return `, ${javaToString(error.type)}: ${javaToString(error.reason)}`.slice(0, 200);
  if (typeof error === 'string') return `, ${error}`.slice(0, 200);
  return '';
}
