// AWS Signature Version 4 verification for the AWS APIs on `POST /` (specs/aws.md §2): recompute the
// signature from the request as received (the raw, possibly gzipped, body bytes) and compare.

import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import { AwsError } from '../../ingest/aws/aws-error.ts';

/** A configured credential pair. */
export interface AwsCredential {
  accessKeyId: string;
  secretAccessKey: string;
}

/** The parts of a request that a signature covers. */
export interface SignedRequest {
  method: string;
  /** Path and query string as sent (`/`, `/?a=b`). */
  url: string;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
}

/** How far a request's `x-amz-date` may be from now, as AWS allows. */
const MAX_SKEW_MS = 15 * 60 * 1000;

const denied = (code: string, queryCode: string, message: string) => new AwsError(code, message, 403, { queryCode });

/** The SigV4 signing names of the services on `POST /` (specs/aws.md §2). */
export type SigningService = 'logs' | 'monitoring';

/**
 * What a region in a credential scope must look like: a lowercase DNS label. A custom endpoint has no
 * region of its own, so any region a client can be configured with is accepted (the SDKs build
 * endpoint host names from it, so it is a host label), but not an empty or garbled scope part.
 */
const REGION = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;

/**
 * Throws an AWS 403 error unless the request carries a valid signature by one of the credentials,
 * scoped to `service` (the signing name of the service the call is for).
 */
export function verifySigV4(req: SignedRequest, credentials: AwsCredential[], service: SigningService, now = Date.now()): void {
  const auth = header(req, 'authorization');
  if (!auth) throw denied('MissingAuthenticationTokenException', 'MissingAuthenticationToken', 'Request is missing Authentication Token');
  const m = /^AWS4-HMAC-SHA256\s+Credential=([^,\s]+),\s*SignedHeaders=([^,\s]+),\s*Signature=([0-9a-f]{64})$/.exec(auth.trim());
  if (!m) throw denied('IncompleteSignatureException', 'IncompleteSignature', `Authorization header requires 'Credential', 'SignedHeaders' and 'Signature' parameters.`);
  const [, credential, signedHeaderList, signature] = m;
  const [accessKeyId, date, region, scopedService, terminator] = credential.split('/');
  const cred = credentials.find((c) => c.accessKeyId === accessKeyId);
  if (!cred) throw denied('UnrecognizedClientException', 'InvalidClientTokenId', 'The security token included in the request is invalid.');
  const amzDate = header(req, 'x-amz-date');
  if (!amzDate || !/^\d{8}T\d{6}Z$/.test(amzDate) || terminator !== 'aws4_request' || !amzDate.startsWith(date)) {
    throw denied('IncompleteSignatureException', 'IncompleteSignature', 'Date must be in ISO-8601 basic format and match the credential scope.');
  }
  // The scope binds a signature to one service: a call signed for CloudWatch is refused by Logs even
  // with the right key, with AWS's wording (trailing space included). Any well-formed region passes.
  if (scopedService !== service) throw denied('InvalidSignatureException', 'SignatureDoesNotMatch', `Credential should be scoped to correct service: '${service}'. `);
  if (!REGION.test(region ?? '')) throw denied('InvalidSignatureException', 'SignatureDoesNotMatch', 'Credential should be scoped to a valid region. ');
  const signedAt = Date.parse(`${amzDate.slice(0, 4)}-${amzDate.slice(4, 6)}-${amzDate.slice(6, 8)}T${amzDate.slice(9, 11)}:${amzDate.slice(11, 13)}:${amzDate.slice(13, 15)}Z`);
  if (Math.abs(now - signedAt) > MAX_SKEW_MS) {
    throw denied('InvalidSignatureException', 'SignatureDoesNotMatch', `Signature expired: ${amzDate} is now earlier or later than the allowed 15 minutes of server time.`);
  }
  // Logs and CloudWatch always sign the payload (UNSIGNED-PAYLOAD is an S3 feature): the canonical
  // request below uses the hash of the bytes received whatever x-amz-content-sha256 says, so the body is
  // always covered, and a client that did put UNSIGNED-PAYLOAD in its canonical request gets the
  // signature mismatch AWS gives it. A hex hash that differs from the body gets its own message.
  const payloadHash = createHash('sha256').update(req.body).digest('hex');
  const claimed = header(req, 'x-amz-content-sha256');
  if (claimed && claimed !== 'UNSIGNED-PAYLOAD' && claimed !== payloadHash) {
    throw denied('InvalidSignatureException', 'SignatureDoesNotMatch', 'The provided x-amz-content-sha256 header does not match what was computed.');
  }
  const signedHeaders = signedHeaderList.split(';');
  const q = req.url.indexOf('?');
  const path = q < 0 ? req.url : req.url.slice(0, q);
  const canonical = [
    req.method.toUpperCase(),
    path.split('/').map((seg) => uriEncode(uriDecode(seg))).join('/') || '/',
    canonicalQuery(q < 0 ? '' : req.url.slice(q + 1)),
    signedHeaders.map((h) => `${h}:${(header(req, h) ?? '').trim().replace(/\s+/g, ' ')}\n`).join(''),
    signedHeaderList,
    payloadHash,
  ].join('\n');
  const scope = `${date}/${region}/${scopedService}/aws4_request`;
  const toSign = `AWS4-HMAC-SHA256\n${amzDate}\n${scope}\n${createHash('sha256').update(canonical).digest('hex')}`;
  let key: Buffer = createHmac('sha256', `AWS4${cred.secretAccessKey}`).update(date).digest();
  for (const part of [region, scopedService, 'aws4_request']) key = createHmac('sha256', key).update(part).digest();
  const expected = createHmac('sha256', key).update(toSign).digest();
  const given = Buffer.from(signature, 'hex');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
    throw denied('InvalidSignatureException', 'SignatureDoesNotMatch', 'The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method.');
  }
}

function header(req: SignedRequest, name: string): string | undefined {
  const v = req.headers[name];
  return Array.isArray(v) ? v.join(',') : v;
}

/** RFC 3986 encoding as SigV4 wants it (unreserved characters kept, everything else %XX). */
function uriEncode(s: string): string {
  return encodeURIComponent(s).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

/**
 * Percent-decodes a path segment or query component. A malformed escape (`%zz`, a cut UTF-8 sequence)
 * has no decoded form, so no signer could have canonicalised it and no signature can match it: that is
 * the client's fault, answered with the 403 of any other signature mismatch (not decodeURIComponent's
 * URIError, which would surface as a 500).
 */
function uriDecode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    throw denied('InvalidSignatureException', 'SignatureDoesNotMatch', 'The request URI has a malformed percent-encoding, so its signature cannot be verified.');
  }
}

function canonicalQuery(qs: string): string {
  if (!qs) return '';
  return qs
    .split('&')
    .filter(Boolean)
    .map((pair) => {
      const i = pair.indexOf('=');
      const k = uriDecode((i < 0 ? pair : pair.slice(0, i)).replace(/\+/g, ' '));
      const v = i < 0 ? '' : uriDecode(pair.slice(i + 1).replace(/\+/g, ' '));
      return [uriEncode(k), uriEncode(v)] as const;
    })
    .sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : a[1] < b[1] ? -1 : a[1] > b[1] ? 1 : 0))
    .map(([k, v]) => `${k}=${v}`)
    .join('&');
}
