// A response as the assertions see it: JSON and YAML bodies parsed (big integers exact), other
// content types kept as text (reachable only as `$body`), and HEAD answered as a boolean
// (200 → true, 404 → false), as upstream's ClientYamlTestResponse does.
import type { HttpResponse } from './http-client.ts';
import { parseJson } from './json-codec.ts';
import { PathError, evaluatePath, type SegmentResolver } from './object-path.ts';
import { truncate } from './values.ts';
import { parseYaml } from './yaml-loader.ts';

/** The result of one API call. */
export interface ApiResponse {
  method: string;
  url: string;
  status: number;
  headers: Record<string, string[]>;
  /** Raw body text. */
  text: string;
  /** True when `body` was parsed from JSON/YAML (or is the HEAD boolean); paths work only then. */
  parsed: boolean;
  /** Parsed body, the text itself (maybe empty) for other responses, or the boolean for HEAD. */
  body: unknown;
  /** Why a JSON/YAML body could not be parsed (it is then kept as text). */
  parseError?: string;
}

/** Wraps a raw HTTP response, parsing its body according to its Content-Type. */
export function toApiResponse(method: string, url: string, raw: HttpResponse): ApiResponse {
  const base = { method, url, status: raw.status, headers: raw.headers, text: raw.text };
  if (method === 'HEAD') return { ...base, parsed: true, body: raw.status < 400 };
  const contentType = (raw.headers['content-type']?.[0] ?? '').toLowerCase();
  let parseError: string | undefined;
  if (raw.text.length > 0) {
    try {
      if (contentType.includes('json')) return { ...base, parsed: true, body: parseJson(raw.text) };
      if (contentType.includes('yaml')) return { ...base, parsed: true, body: parseYaml(raw.text) };
    } catch (error) {
      // Kept as text; assertions on paths report the parse error.
      parseError = `${contentType} body does not parse: ${(error as Error).message.split('\n')[0]}`;
    }
  }
  return { ...base, parsed: false, body: raw.text, parseError };
}

/**
 * The value at `path` in the response. Text bodies have no paths (undefined), as upstream; the
 * empty path is the whole parsed body. Throws PathError when a JSON/YAML body did not parse.
 */
export function evaluateResponse(response: ApiResponse | undefined, path: string, resolver: SegmentResolver): unknown {
  if (response?.parseError) throw new PathError(response.parseError);
  if (!response || !response.parsed) return undefined;
  return evaluatePath(response.body, path, resolver);
}

/** "GET /x?y → 404" plus the body, truncated, for failure messages. */
export function describeResponse(response: ApiResponse, maxBody = 1500): string {
  const body = response.text.length > 0 ? `\n${truncate(response.text, maxBody)}` : ' (empty body)';
  return `${response.status}${body}`;
}
