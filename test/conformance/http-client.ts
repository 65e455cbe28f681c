// A small keep-alive HTTP client over node:http for the runner. node:http rather than fetch
// because it keeps repeated `Warning` headers apart and never refuses a method/body combination;
// every request has a hard timeout so a stuck server fails a section instead of hanging the run.
import http from 'node:http';
import https from 'node:https';

/** A raw HTTP response. Header names are lower-case; repeated headers keep every value. */
export interface HttpResponse {
  status: number;
  headers: Record<string, string[]>;
  text: string;
}

/** Raised for connection errors and timeouts (no HTTP status was received). */
export class HttpError extends Error {}

/** The server had closed a kept-alive socket before our request went out; safe to resend. */
class StaleSocketError extends Error {}

/** Sends requests to one base URL over a keep-alive connection pool. */
export class HttpClient {
  private readonly base: URL;
  private readonly agent: http.Agent;

  constructor(
    baseUrl: string,
    private readonly timeoutMs = 30_000,
  ) {
    this.base = new URL(baseUrl);
    const AgentClass = this.base.protocol === 'https:' ? https.Agent : http.Agent;
    this.agent = new AgentClass({ keepAlive: true, maxSockets: 4 });
  }

  /** The base URL, without a trailing slash. */
  get baseUrl(): string {
    return this.base.origin;
  }

  /**
   * Sends one request; `url` is a path with its query string. Rejects with HttpError. A request
   * that fails because the server closed a reused keep-alive socket is sent once more.
   */
  async request(method: string, url: string, headers: Record<string, string> = {}, body?: string): Promise<HttpResponse> {
    try {
      return await this.send(method, url, headers, body);
    } catch (error) {
      if (!(error instanceof StaleSocketError)) throw error;
      return this.send(method, url, headers, body);
    }
  }

  /** `url` is appended to the origin as is, so an empty path part (`//_refresh`) stays a path. */
  private send(method: string, url: string, headers: Record<string, string>, body?: string): Promise<HttpResponse> {
    const transport = this.base.protocol === 'https:' ? https : http;
    const payload = body === undefined ? undefined : Buffer.from(body, 'utf8');
    const allHeaders: Record<string, string | number> = { ...headers };
    if (payload) allHeaders['Content-Length'] = payload.length;
    return new Promise<HttpResponse>((resolve, reject) => {
      const req = transport.request(new URL(`${this.base.origin}${url}`), { method, headers: allHeaders, agent: this.agent }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('error', (error) => reject(new HttpError(`${method} ${url}: ${error.message}`)));
        res.on('end', () => {
          clearTimeout(timer);
          resolve({ status: res.statusCode ?? 0, headers: collectHeaders(res.rawHeaders), text: Buffer.concat(chunks).toString('utf8') });
        });
      });
      const timer = setTimeout(() => {
        req.destroy(new HttpError(`${method} ${url}: no complete response within ${this.timeoutMs / 1000} s`));
      }, this.timeoutMs);
      req.on('error', (error: NodeJS.ErrnoException) => {
        clearTimeout(timer);
        if (error instanceof HttpError) reject(error);
        else if (req.reusedSocket && (error.code === 'ECONNRESET' || error.code === 'EPIPE')) reject(new StaleSocketError());
        else reject(new HttpError(`${method} ${url}: ${error.message}`));
      });
      if (payload) req.write(payload);
      req.end();
    });
  }

  /** Closes idle keep-alive sockets. */
  close(): void {
    this.agent.destroy();
  }
}

function collectHeaders(raw: string[]): Record<string, string[]> {
  const headers: Record<string, string[]> = {};
  for (let i = 0; i + 1 < raw.length; i += 2) {
    const name = raw[i]!.toLowerCase();
    (headers[name] ??= []).push(raw[i + 1]!);
  }
  return headers;
}
