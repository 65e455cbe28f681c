// The awsQuery wire format (AWS CLI v1/botocore, SDK v3 ≤ 3.948.0 for CloudWatch): form-encoded
// requests whose lists are flattened as `Name.member.N` and maps as `Name.entry.N.key/value`, and XML
// responses `<OpResponse><OpResult>…</OpResult><ResponseMetadata>…` with lists as `<member>`.

/** Parses an `Action=…&Version=…&…` body into the action, version and a nested input object. */
export function parseQueryForm(body: string): { action: string | undefined; version: string | undefined; input: Record<string, unknown> } {
  const params = new URLSearchParams(body);
  const input: Record<string, unknown> = {};
  let action: string | undefined;
  let version: string | undefined;
  for (const [key, value] of params) {
    if (key === 'Action') action = value;
    else if (key === 'Version') version = value;
    else setPath(input, key.split('.'), value);
  }
  return { action, version, input: fold(input) as Record<string, unknown> };
}

function setPath(obj: Record<string, unknown>, parts: string[], value: string): void {
  let node = obj;
  for (let i = 0; i < parts.length - 1; i++) {
    const next = node[parts[i]];
    if (next === undefined || typeof next !== 'object' || next === null) node[parts[i]] = {};
    node = node[parts[i]] as Record<string, unknown>;
  }
  node[parts[parts.length - 1]] = value;
}

/** Turns `{member: {1: a, 2: b}}` into `[a, b]` and `{entry: {1: {key, value}}}` into a map, recursively. */
function fold(v: unknown): unknown {
  if (v === null || typeof v !== 'object') return v;
  const o = v as Record<string, unknown>;
  const keys = Object.keys(o);
  if (keys.length === 1 && keys[0] === 'member') {
    const m = o.member as Record<string, unknown>;
    return Object.keys(m).filter((k) => /^\d+$/.test(k)).sort((a, b) => Number(a) - Number(b)).map((k) => fold(m[k]));
  }
  if (keys.length === 1 && keys[0] === 'entry') {
    const e = o.entry as Record<string, { key?: string; value?: unknown }>;
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(e).sort((a, b) => Number(a) - Number(b))) out[String(e[k].key)] = fold(e[k].value);
    return out;
  }
  // An empty list is sent as `Name=` (no members): it stays '' here, and optList reads '' as [].
  const out: Record<string, unknown> = {};
  for (const k of keys) out[k] = fold(o[k]);
  return out;
}

const XML_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' };
function esc(s: string): string {
  return s.replace(/[&<>"']/g, (c) => XML_ESCAPES[c]);
}

/** ISO-8601 as AWS writes it (no milliseconds when they are zero). */
export function isoTimestamp(d: Date): string {
  return d.toISOString().replace('.000Z', 'Z');
}

function xmlValue(v: unknown): string {
  if (v instanceof Date) return isoTimestamp(v);
  // A `Map` is an awsQuery map (e.g. Datapoint.ExtendedStatistics): `<entry><key>…</key><value>…</value></entry>`.
  if (v instanceof Map) return [...v].map(([k, x]) => `<entry><key>${esc(String(k))}</key><value>${xmlValue(x)}</value></entry>`).join('');
  if (Array.isArray(v)) return v.map((m) => `<member>${xmlValue(m)}</member>`).join('');
  if (v !== null && typeof v === 'object') {
    let s = '';
    for (const [k, x] of Object.entries(v)) if (x !== undefined && x !== null) s += `<${k}>${xmlValue(x)}</${k}>`;
    return s;
  }
  return esc(String(v));
}

/** The XML reply of an awsQuery operation; `Date` values become ISO-8601 timestamps, `Map`s entry lists. */
export function renderQueryResponse(action: string, output: unknown, xmlns: string, requestId: string): string {
  const result = output !== null && typeof output === 'object' && Object.keys(output).length > 0 ? `<${action}Result>${xmlValue(output)}</${action}Result>` : '';
  return `<${action}Response xmlns="${xmlns}">${result}<ResponseMetadata><RequestId>${requestId}</RequestId></ResponseMetadata></${action}Response>`;
}

/** The XML error reply of awsQuery. */
export function renderQueryError(code: string, message: string, fault: 'Sender' | 'Receiver', requestId: string): string {
  return `<ErrorResponse xmlns="http://monitoring.amazonaws.com/doc/2010-08-01/"><Error><Type>${fault}</Type><Code>${esc(code)}</Code><Message>${esc(message)}</Message></Error><RequestId>${requestId}</RequestId></ErrorResponse>`;
}

/** JSON for the awsJson protocols: `Date` values become epoch seconds (CloudWatch's timestamp format), `Map`s objects. */
export function renderJson(output: unknown): string {
  // A plain walk, then JSON.stringify without a replacer: a replacer function takes V8 off its fast
  // path (it cost ~20 ms for a 10,080-point GetMetricData reply; the walk costs well under 1 ms).
  return JSON.stringify(toJsonValue(output ?? {}));
}

function toJsonValue(v: unknown): unknown {
  if (v === null || typeof v !== 'object') return v;
  if (v instanceof Date) return v.getTime() / 1000;
  if (v instanceof Map) return toJsonValue(Object.fromEntries(v));
  if (Array.isArray(v)) {
    let out: unknown[] | undefined;
    for (let i = 0; i < v.length; i++) {
      const x = v[i];
      if (x !== null && typeof x === 'object') {
        out ??= v.slice();
        out[i] = toJsonValue(x);
      }
    }
    return out ?? v;
  }
  const out: Record<string, unknown> = {};
  for (const k of Object.keys(v)) out[k] = toJsonValue((v as Record<string, unknown>)[k]);
  return out;
}
