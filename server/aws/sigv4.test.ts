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
async function signed(body: string, service = 'logs', now = new Date()) {
  const signer = new SignatureV4({ credentials, region: 'us-east-1', service, sha256: Sha256 as never });
  const req = (await signer.sign(
    {
      method: 'POST', protocol: 'http:', hostname: '127.0.0.1', port: 9200, path: '/', query: {},
      headers: { host: '127.0.0.1:9200', 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': 'Logs_20140328.CreateLogGroup' },
      body,
    } as never,
    { signingDate: now },
  )) as unknown as { headers: Record<string, string> };
  const headers: Record<string, string> = {};
  for (const [k, v] of Object.entries(req.headers as Record<string, string>)) headers[k.toLowerCase()] = v;
  return { method: 'POST', url: '/', headers, body: Buffer.from(body) };
}

describe('verifySigV4', () => {
  it('accepts a request signed by the SDK signer', async () => {
    const req = await signed('{"logGroupName":"a"}');
    expect(() => verifySigV4(req, [credentials])).not.toThrow();
  });

  it('rejects a tampered body, a wrong secret, an unknown key and a missing header with 403', async () => {
    const req = await signed('{"logGroupName":"a"}');
    const expectCode = (fn: () => void, code: string) => {
      try {
        fn();
        throw new Error('expected a rejection');
      } catch (err) {
        expect((err as { code: string; status: number }).code).toBe(code);
        expect((err as { status: number }).status).toBe(403);
      }
    };
    expectCode(() => verifySigV4({ ...req, body: Buffer.from('{"logGroupName":"b"}') }, [credentials]), 'InvalidSignatureException');
    expectCode(() => verifySigV4(req, [{ ...credentials, secretAccessKey: 'other' }]), 'InvalidSignatureException');
    expectCode(() => verifySigV4(req, [{ ...credentials, accessKeyId: 'OTHER' }]), 'UnrecognizedClientException');
    const { authorization: _a, ...noAuth } = req.headers;
    expectCode(() => verifySigV4({ ...req, headers: noAuth }, [credentials]), 'MissingAuthenticationTokenException');
  });

  it('rejects a signature older than 15 minutes', async () => {
    const req = await signed('{}', 'logs', new Date(Date.now() - 20 * 60 * 1000));
    expect(() => verifySigV4(req, [credentials])).toThrow(/Signature expired/);
  });
});
