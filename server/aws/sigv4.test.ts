import { createHash, createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { SignatureV4 } from '@smithy/signature-v4';
import { verifySigV4 } from './sigv4.ts';

const credentials = { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY' };

class Sha256 {
  private readonly h = createHash('sha256');
  private readonly hmac;
  constructor(secret?: Uint8Array | string) {
    this.hmac = secret === undefined ? null : createHmac('sha256', Buffer.from(secret as Uint8Array));
  }
  update(data: Uint8Array | string): void {
    (this.hmac ?? this.h).update(data);
  }
  async digest(): Promise<Uint8Array> {
    return new Uint8Array((this.hmac ?? this.h).digest());
  }
}

/** Signs a request the way the AWS SDK does (the SDK's own signer), returning what the server receives. */
async function signed(body: string, opts: { service?: string; region?: string; now?: Date; headers?: Record<string, string> } = {}) {
  const { service = 'logs', region = 'us-east-1', now = new Date() } = opts;
  const signer = new SignatureV4({ credentials, region, service, sha256: Sha256 as never });
  const req = (await signer.sign(
    {
      method: 'POST', protocol: 'http:', hostname: '127.0.0.1', port: 9200, path: '/', query: {},
      headers: { host: '127.0.0.1:9200', 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': 'Logs_20140328.CreateLogGroup', ...opts.headers },
      body,
    } as never,
    { signingDate: now },
  )) as unknown as { headers: Record<string, string> };
  const headers: Record<string, string> = {};
  for (const [k, v] of Object.entries(req.headers as Record<string, string>)) headers[k.toLowerCase()] = v;
  return { method: 'POST', url: '/', headers, body: Buffer.from(body) };
}

/** Asserts that `fn` throws a 403 AwsError with this code (and message, when given). */
function expectCode(fn: () => void, code: string, message?: RegExp | string): void {
  let caught: unknown;
  try {
    fn();
  } catch (err) {
    caught = err;
  }
  expect(caught, 'expected a rejection').toBeDefined();
  expect((caught as { code: string }).code).toBe(code);
  expect((caught as { status: number }).status).toBe(403);
  if (message !== undefined) expect((caught as Error).message).toMatch(message);
}

describe('verifySigV4', () => {
  it('accepts a request signed by the SDK signer', async () => {
    const req = await signed('{"logGroupName":"a"}');
    expect(() => verifySigV4(req, [credentials], 'logs')).not.toThrow();
  });

  it('rejects a tampered body, a wrong secret, an unknown key and a missing header with 403', async () => {
    const req = await signed('{"logGroupName":"a"}');
    expectCode(() => verifySigV4({ ...req, body: Buffer.from('{"logGroupName":"b"}') }, [credentials], 'logs'), 'InvalidSignatureException');
    expectCode(() => verifySigV4(req, [{ ...credentials, secretAccessKey: 'other' }], 'logs'), 'InvalidSignatureException');
    expectCode(() => verifySigV4(req, [{ ...credentials, accessKeyId: 'OTHER' }], 'logs'), 'UnrecognizedClientException');
    const { authorization: _a, ...noAuth } = req.headers;
    expectCode(() => verifySigV4({ ...req, headers: noAuth }, [credentials], 'logs'), 'MissingAuthenticationTokenException');
  });

  it('rejects a signature older than 15 minutes', async () => {
    const req = await signed('{}', { now: new Date(Date.now() - 20 * 60 * 1000) });
    expect(() => verifySigV4(req, [credentials], 'logs')).toThrow(/Signature expired/);
  });

  it('rejects a valid signature scoped to another service, as AWS does', async () => {
    // Signed correctly with the right secret, but for CloudWatch metrics: a Logs call must be scoped to `logs`.
    const req = await signed('{"logGroupName":"a"}', { service: 'monitoring' });
    expectCode(() => verifySigV4(req, [credentials], 'logs'), 'InvalidSignatureException', "Credential should be scoped to correct service: 'logs'.");
    expect(() => verifySigV4(req, [credentials], 'monitoring')).not.toThrow();
  });

  it('accepts any well-formed region and rejects a malformed one', async () => {
    // A custom endpoint has no region of its own, so no particular region is required.
    for (const region of ['eu-west-3', 'us-gov-west-1', 'local']) {
      const req = await signed('{}', { region });
      expect(() => verifySigV4(req, [credentials], 'logs'), region).not.toThrow();
    }
    for (const region of ['', 'US-EAST-1', 'us_east_1', 'us-east-1;x', '-us-east-1']) {
      const req = await signed('{}', { region });
      expectCode(() => verifySigV4(req, [credentials], 'logs'), 'InvalidSignatureException', 'Credential should be scoped to a valid region.');
    }
  });

  it('covers the real body even when x-amz-content-sha256 says UNSIGNED-PAYLOAD', async () => {
    // The signer puts UNSIGNED-PAYLOAD in its canonical request, so the signature says nothing about the body.
    const req = await signed('{"logGroupName":"a"}', { headers: { 'x-amz-content-sha256': 'UNSIGNED-PAYLOAD' } });
    expect(req.headers['x-amz-content-sha256']).toBe('UNSIGNED-PAYLOAD');
    expect(req.headers.authorization).toMatch(/x-amz-content-sha256/);
    // A body swapped in transit must not pass ...
    expectCode(() => verifySigV4({ ...req, body: Buffer.from('{"logGroupName":"evil"}') }, [credentials], 'logs'), 'InvalidSignatureException', /signature we calculated does not match/);
    // ... and, as on AWS (these services always sign the payload), neither does the untouched request.
    expectCode(() => verifySigV4(req, [credentials], 'logs'), 'InvalidSignatureException', /signature we calculated does not match/);
  });

  it('answers malformed percent-encoding in the query string with a 403, not a URIError', async () => {
    const req = await signed('{}');
    expectCode(() => verifySigV4({ ...req, url: '/?a=%zz' }, [credentials], 'logs'), 'InvalidSignatureException', /percent-encoding/);
    expectCode(() => verifySigV4({ ...req, url: '/?%E0%A4%A=1' }, [credentials], 'logs'), 'InvalidSignatureException', /percent-encoding/);
  });
});
