// A delivery Lookout refuses or cannot take now, with the HTTP status Firehose understands
// (specs/aws.md §1.3: 400 misconfiguration, 401 bad/missing key, 403 key lacks permission, 413 too
// large, 429 slow down, 5xx our problem → retried). Rendered once, as the §1.2 error body, by the route.

/** A refused delivery: its HTTP status and the message Firehose records. */
export class FirehoseError extends Error {
  constructor(
    readonly status: number,
    /** Becomes `errorMessage` (≤ 8192 chars; Firehose writes it next to the record in its error bucket). */
    message: string,
    /** The body's requestId when it was read before the failure (the header's is used otherwise). */
    readonly requestId?: string,
  ) {
    super(message);
    this.name = 'FirehoseError';
  }
}

/** The §1.2 response body: `{"requestId","timestamp"}` plus `errorMessage` on failure, in that key order. */
export function responseBody(requestId: string, timestamp: number, errorMessage?: string): string {
  const body: Record<string, unknown> = { requestId, timestamp };
  if (errorMessage !== undefined) body.errorMessage = errorMessage.slice(0, 8192);
  return JSON.stringify(body);
}
