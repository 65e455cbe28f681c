// Which API a finished HTTP request belongs to, for Lookout's own metrics: an ingest API (with how many
// documents it carried, estimated from the body when the handler did not say) or a query API. Reads
// only the route pattern, a header and — for ingest — the raw body, so it works for every route
// without touching the handlers.

import { gunzipSync } from 'node:zlib';

export type IngestApi = 'bulk' | 'document' | 'firehose' | 'PutLogEvents' | 'PutMetricData';
export type QueryApi = 'search' | 'msearch' | 'count' | 'GetLogEvents' | 'FilterLogEvents' | 'GetMetricData' | 'GetMetricStatistics';

export type Classified = { kind: 'ingest'; api: IngestApi } | { kind: 'query'; api: QueryApi } | { kind: 'other' };

const QUERY_ROUTES: Record<string, QueryApi> = {
  '/_search': 'search', '/:index/_search': 'search', '/_msearch': 'msearch', '/:index/_msearch': 'msearch', '/_count': 'count', '/:index/_count': 'count',
};
const INGEST_ROUTES: Record<string, IngestApi> = {
  '/_bulk': 'bulk', '/:index/_bulk': 'bulk', '/_firehose': 'firehose', '/_firehose/:stream': 'firehose',
  '/:index/_doc/:id': 'document', '/:index/_doc': 'document', '/:index/_create/:id': 'document',
};
const AWS_OPS: Record<string, Classified> = {
  PutLogEvents: { kind: 'ingest', api: 'PutLogEvents' },
  PutMetricData: { kind: 'ingest', api: 'PutMetricData' },
  GetLogEvents: { kind: 'query', api: 'GetLogEvents' },
  FilterLogEvents: { kind: 'query', api: 'FilterLogEvents' },
  GetMetricData: { kind: 'query', api: 'GetMetricData' },
  GetMetricStatistics: { kind: 'query', api: 'GetMetricStatistics' },
};

/** Classifies by route pattern (fastify's `routeOptions.url`), method and, for `POST /`, the AWS operation. */
export function classify(method: string, route: string | undefined, target: string | undefined, body: Buffer | undefined): Classified {
  if (route === undefined) return { kind: 'other' };
  const q = QUERY_ROUTES[route];
  if (q) return { kind: 'query', api: q };
  const i = INGEST_ROUTES[route];
  if (i && method !== 'GET') return { kind: 'ingest', api: i };
  if (route === '/' && method === 'POST') {
    const op = target ? target.slice(target.indexOf('.') + 1) : formAction(body);
    return (op && AWS_OPS[op]) || { kind: 'other' };
  }
  return { kind: 'other' };
}

/** `Action=<Op>` of an awsQuery form body. */
function formAction(body: Buffer | undefined): string | undefined {
  if (!body || body.length === 0) return undefined;
  const m = /(?:^|&)Action=([A-Za-z]+)/.exec(body.toString('latin1', 0, Math.min(body.length, 4096)));
  return m?.[1];
}

/**
 * Documents carried by an ingest request, from its body: `_bulk` action lines that write
 * (index/create/update), PutLogEvents events, PutMetricData datapoints (values, or one per entry).
 */
export function countDocuments(api: IngestApi, body: Buffer | undefined, contentEncoding: string | undefined): number {
  if (!body || body.length === 0) return 0;
  try {
    if (contentEncoding === 'gzip') body = gunzipSync(body);
    switch (api) {
      case 'document':
        return 1;
      case 'bulk':
        return bulkWrites(body);
      case 'PutLogEvents':
        return countFromInput(api, JSON.parse(body.toString('utf8')));
      case 'PutMetricData': {
        const text = body.toString('utf8');
        if (text.trimStart().startsWith('{')) return countFromInput(api, JSON.parse(text));
        return formDatapoints(text);
      }
      case 'firehose':
        return 0; // the Firehose route reports its own count (it alone knows how records decoded)
      default: {
        const never: never = api;
        return never;
      }
    }
  } catch {
    return 0;
  }
}

/** Counts `_bulk` writes by reading only the first key of each action line, skipping source lines. */
function bulkWrites(body: Buffer): number {
  let n = 0;
  let start = 0;
  let expectSource = false;
  while (start < body.length) {
    let end = body.indexOf(0x0a, start);
    if (end < 0) end = body.length;
    if (end > start) {
      if (expectSource) expectSource = false;
      else {
        const head = body.toString('latin1', start, Math.min(end, start + 32));
        const m = /^\s*\{\s*"(\w+)"/.exec(head);
        if (m && m[1] !== 'delete') {
          n++;
          expectSource = true;
        }
      }
    }
    start = end + 1;
  }
  return n;
}

/**
 * Documents of a PutLogEvents or (JSON) PutMetricData input already parsed by the AWS router, so
 * counting does not parse a megabyte body a second time.
 */
export function countFromInput(api: 'PutLogEvents' | 'PutMetricData', input: unknown): number {
  if (api === 'PutLogEvents') {
    const events = (input as { logEvents?: unknown[] } | null)?.logEvents;
    return Array.isArray(events) ? events.length : 0;
  }
  const data = (input as { MetricData?: { Values?: unknown[] }[] } | null)?.MetricData;
  if (!Array.isArray(data)) return 0;
  return data.reduce((n, d) => n + (Array.isArray(d?.Values) && d.Values.length > 0 ? d.Values.length : 1), 0);
}

/** awsQuery form: one MetricData.member.N.MetricName per entry, plus its Values.member.M if any. */
function formDatapoints(text: string): number {
  const names = new Set<string>();
  const values = new Map<string, number>();
  for (const m of text.matchAll(/MetricData\.member\.(\d+)\.(MetricName|Values\.member\.\d+)=/g)) {
    if (m[2] === 'MetricName') names.add(m[1]);
    else values.set(m[1], (values.get(m[1]) ?? 0) + 1);
  }
  let n = 0;
  for (const k of names) n += values.get(k) || 1;
  return n;
}
