// The AWS router on `POST /` with the real AWS SDK clients: protocol dispatch, error shapes each client
// understands, gzip bodies, and SigV4 verification when credentials are configured.

import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { CloudWatchLogsClient, DescribeDestinationsCommand, PutLogEventsCommand } from '@aws-sdk/client-cloudwatch-logs';
import { CloudWatchClient, GetDashboardCommand, PutMetricDataCommand } from '@aws-sdk/client-cloudwatch';
import {
  CloudWatchClient as LegacyCloudWatchClient,
  GetDashboardCommand as LegacyGetDashboardCommand,
  PutMetricDataCommand as LegacyPutMetricDataCommand,
} from 'client-cloudwatch-legacy';
import { SignatureV4 } from '@smithy/signature-v4';
import { buildApp } from '../../server/app.ts';
import { DEFAULTS } from '../../server/config.ts';
import { LOGS_TARGET } from '../../server/aws/aws-router.ts';
import { AwsError } from '../../ingest/aws/aws-error.ts';
import { tempDataDir } from '../helpers/server-process.ts';

const credentials = { accessKeyId: 'AKIDLOOKOUT', secretAccessKey: 'lookout-secret' };

async function listen(awsCredentials: typeof credentials[], maxContentLength = DEFAULTS.maxContentLength): Promise<{ app: FastifyInstance; url: string }> {
  const { app, node } = await buildApp({ config: { ...DEFAULTS, maxContentLength, allowInsecure: false, awsCredentials, file: {}, dataDir: tempDataDir() } });
  node.aws.addOperations(LOGS_TARGET, {
    // A router-level probe operation: echoes its input, or fails as asked.
    TestEcho: (input) => {
      if (input.fail) throw new AwsError('InvalidParameterException', String(input.fail), 400, { fields: { expectedSequenceToken: '7' } });
      return { echoed: input };
    },
  });
  await app.listen({ host: '127.0.0.1', port: 0 });
  const port = (app.server.address() as { port: number }).port;
  return { app, url: `http://127.0.0.1:${port}` };
}

/**
 * POSTs to `url` + `pathAndQuery` with headers signed by the SDK's own signer. The query string is sent
 * as given (`signedQuery` is what the signer canonicalised), so a client's malformed encoding reaches the server.
 */
async function signedPost(url: string, pathAndQuery: string, signedQuery: Record<string, string>, service: string, headers: Record<string, string>, body: string): Promise<Response> {
  // The SDK client's own SHA-256 constructor, so the signer hashes as the SDK does.
  const sha256 = new CloudWatchLogsClient({ region: 'us-east-1' }).config.sha256;
  const signer = new SignatureV4({ credentials, region: 'us-east-1', service, sha256 });
  const { hostname, port, host } = new URL(url);
  const req = (await signer.sign({ method: 'POST', protocol: 'http:', hostname, port: Number(port), path: '/', query: signedQuery, headers: { host, ...headers }, body } as never)) as unknown as { headers: Record<string, string> };
  return fetch(url + pathAndQuery, { method: 'POST', headers: req.headers, body });
}

const post = (url: string, headers: Record<string, string>, body: Buffer | string) => fetch(url + '/', { method: 'POST', headers, body: typeof body === 'string' ? body : new Uint8Array(body) });

describe('AWS router without credentials', () => {
  let app: FastifyInstance;
  let url: string;
  beforeAll(async () => ({ app, url } = await listen([])));
  afterAll(() => app.close());

  it('dispatches awsJson 1.1 by X-Amz-Target and echoes the content type and a request id', async () => {
    const r = await post(url, { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': `${LOGS_TARGET}.TestEcho` }, '{"a":1}');
    expect(r.status).toBe(200);
    expect(r.headers.get('content-type')).toContain('application/x-amz-json-1.1');
    expect(r.headers.get('x-amzn-requestid')).toMatch(/^[0-9a-f-]{36}$/);
    expect(await r.json()).toEqual({ echoed: { a: 1 } });
  });

  it('gunzips gzip bodies', async () => {
    const r = await post(url, { 'content-type': 'application/x-amz-json-1.1', 'content-encoding': 'gzip', 'x-amz-target': `${LOGS_TARGET}.TestEcho` }, gzipSync('{"z":true}'));
    expect(await r.json()).toEqual({ echoed: { z: true } });
  });

  it('renders handler errors with __type, message and modelled fields', async () => {
    const r = await post(url, { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': `${LOGS_TARGET}.TestEcho` }, '{"fail":"bad thing"}');
    expect(r.status).toBe(400);
    expect(await r.json()).toEqual({ __type: 'InvalidParameterException', message: 'bad thing', expectedSequenceToken: '7' });
  });

  it('answers malformed JSON with SerializationException, not a 500', async () => {
    const r = await post(url, { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': `${LOGS_TARGET}.TestEcho` }, '{nope');
    expect(r.status).toBe(400);
    expect(((await r.json()) as { __type: string }).__type).toBe('SerializationException');
  });

  it('gives the current CloudWatch client a query-compatible error for an unknown operation', async () => {
    const client = new CloudWatchClient({ endpoint: url, region: 'us-east-1', credentials, maxAttempts: 1 });
    const err = await client.send(new GetDashboardCommand({ DashboardName: 'x' })).catch((e) => e);
    expect(err.name).toBe('UnknownOperationException');
    expect(err.$metadata.httpStatusCode).toBe(400);
  });

  it('gives the legacy (awsQuery) client an XML error for an unknown action', async () => {
    const client = new LegacyCloudWatchClient({ endpoint: url, region: 'us-east-1', credentials, maxAttempts: 1 });
    const err = await client.send(new LegacyGetDashboardCommand({ DashboardName: 'x' })).catch((e) => e);
    expect(err.name).toBe('InvalidAction');
    expect(err.message).toMatch(/GetDashboard/);
  });

  it('leaves POST / without AWS headers to OpenSearch (405)', async () => {
    const r = await post(url, { 'content-type': 'application/json' }, '{}');
    expect(r.status).toBe(405);
    expect(((await r.json()) as { error: { type: string } }).error.type).toBe('illegal_argument_exception');
  });
});

describe('AWS router with credentials', () => {
  let app: FastifyInstance;
  let url: string;
  beforeAll(async () => ({ app, url } = await listen([credentials])));
  afterAll(() => app.close());

  it('accepts the SDK signature and refuses a wrong secret with 403', async () => {
    const good = new CloudWatchLogsClient({ endpoint: url, region: 'us-east-1', credentials, maxAttempts: 1 });
    const ok = await good.send(new DescribeDestinationsCommand({})).catch((e) => e);
    // Signed correctly: reaches dispatch (the operation itself may or may not exist).
    expect(ok.$metadata.httpStatusCode).not.toBe(403);
    expect(ok.name).not.toBe("InvalidSignatureException");
    const bad = new CloudWatchLogsClient({ endpoint: url, region: 'us-east-1', credentials: { ...credentials, secretAccessKey: 'wrong' }, maxAttempts: 1 });
    const err = await bad.send(new DescribeDestinationsCommand({})).catch((e) => e);
    expect(err.name).toBe('InvalidSignatureException');
    expect(err.$metadata.httpStatusCode).toBe(403);
  });

  it('refuses a call signed for the other service with 403, in each protocol', async () => {
    // Correct key and secret, wrong credential scope (SDK config `signingName`): AWS checks the scope's service.
    const logs = new CloudWatchLogsClient({ endpoint: url, region: 'us-east-1', credentials, maxAttempts: 1, signingName: 'monitoring' } as never);
    const logsErr = await logs.send(new DescribeDestinationsCommand({})).catch((e) => e);
    expect(logsErr.name).toBe('InvalidSignatureException');
    expect(logsErr.$metadata.httpStatusCode).toBe(403);
    expect(logsErr.message).toMatch("Credential should be scoped to correct service: 'logs'.");
    const metrics = new CloudWatchClient({ endpoint: url, region: 'us-east-1', credentials, maxAttempts: 1, signingName: 'logs' } as never);
    const metricsErr = await metrics.send(new GetDashboardCommand({ DashboardName: 'x' })).catch((e) => e);
    expect(metricsErr.$metadata.httpStatusCode).toBe(403);
    expect(metricsErr.Code ?? metricsErr.name).toBe('SignatureDoesNotMatch');
    expect(metricsErr.message).toMatch("Credential should be scoped to correct service: 'monitoring'.");
    const legacy = new LegacyCloudWatchClient({ endpoint: url, region: 'us-east-1', credentials, maxAttempts: 1, signingName: 'logs' } as never);
    const legacyErr = await legacy.send(new LegacyGetDashboardCommand({ DashboardName: 'x' })).catch((e) => e);
    expect(legacyErr.$metadata.httpStatusCode).toBe(403);
    expect(legacyErr.name).toBe('SignatureDoesNotMatch');
    expect(legacyErr.message).toMatch("Credential should be scoped to correct service: 'monitoring'.");
  });

  it('answers a malformed percent-encoding in the query string with 403 in the protocol shape, not a 500', async () => {
    // The same helper with a well-formed query is accepted, so the 403s below are about the encoding.
    const ok = await signedPost(url, '/?a=%41b', { a: 'Ab' }, 'logs', { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': `${LOGS_TARGET}.TestEcho` }, '{}');
    expect(ok.status).toBe(200);
    // `%zz` decodes to nothing, so no canonical request (and no signature) can match it.
    const json = await signedPost(url, '/?a=%zz', { a: '%zz' }, 'logs', { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': `${LOGS_TARGET}.TestEcho` }, '{}');
    expect(json.status).toBe(403);
    expect(json.headers.get('content-type')).toContain('application/x-amz-json-1.1');
    expect(((await json.json()) as { __type: string }).__type).toBe('InvalidSignatureException');
    const query = await signedPost(url, '/?a=%zz', { a: '%zz' }, 'monitoring', { 'content-type': 'application/x-www-form-urlencoded' }, 'Action=ListDashboards&Version=2010-08-01');
    expect(query.status).toBe(403);
    expect(await query.text()).toMatch(/<ErrorResponse[^]*<Code>SignatureDoesNotMatch<\/Code>/);
  });

  it('refuses an unsigned call with 403 MissingAuthenticationToken', async () => {
    const r = await post(url, { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': `${LOGS_TARGET}.TestEcho` }, '{}');
    expect(r.status).toBe(403);
    expect(((await r.json()) as { __type: string }).__type).toBe('MissingAuthenticationTokenException');
  });
});

describe('AWS router with a small http.max_content_length', () => {
  const limit = 2048;
  let app: FastifyInstance;
  let url: string;
  beforeAll(async () => ({ app, url } = await listen([], limit)));
  afterAll(() => app.close());

  // ~4 KB requests: over the limit, under the 10 KiB at which the SDK would gzip PutMetricData.
  const metricData = Array.from({ length: 40 }, (_, i) => ({ MetricName: `m${i}`, Value: i, Dimensions: [{ Name: 'host', Value: `host-${i}` }] }));

  it('answers an oversized awsJson 1.1 call with a 413 Logs clients parse', async () => {
    const client = new CloudWatchLogsClient({ endpoint: url, region: 'us-east-1', credentials, maxAttempts: 1 });
    const events = [{ timestamp: Date.now(), message: 'x'.repeat(4000) }];
    const err = await client.send(new PutLogEventsCommand({ logGroupName: 'g', logStreamName: 's', logEvents: events })).catch((e) => e);
    expect(err.$metadata.httpStatusCode).toBe(413);
    expect(err.name).toBe('RequestEntityTooLarge');
    expect(err.message).toMatch(new RegExp(`^Request size \\d+ exceeded ${limit} bytes$`));
    const body = JSON.stringify({ a: 'x'.repeat(3000) });
    const r = await post(url, { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': `${LOGS_TARGET}.TestEcho` }, body);
    expect(r.status).toBe(413);
    expect(r.headers.get('content-type')).toContain('application/x-amz-json-1.1');
    expect(r.headers.get('x-amzn-requestid')).toMatch(/^[0-9a-f-]{36}$/);
    expect(await r.json()).toEqual({ __type: 'RequestEntityTooLarge', message: `Request size ${body.length} exceeded ${limit} bytes` });
  });

  it('answers an oversized CloudWatch awsJson 1.0 call with a query-compatible 413', async () => {
    const client = new CloudWatchClient({ endpoint: url, region: 'us-east-1', credentials, maxAttempts: 1, disableRequestCompression: true });
    const err = await client.send(new PutMetricDataCommand({ Namespace: 'ns', MetricData: metricData })).catch((e) => e);
    expect(err.$metadata.httpStatusCode).toBe(413);
    expect(err.Code ?? err.name).toBe('RequestEntityTooLarge');
    expect(err.message).toMatch(new RegExp(`^Request size \\d+ exceeded ${limit} bytes$`));
    const r = await post(url, { 'content-type': 'application/x-amz-json-1.0', 'x-amz-target': 'GraniteServiceVersion20100801.PutMetricData', 'x-amzn-query-mode': 'true' }, JSON.stringify({ Namespace: 'x'.repeat(3000) }));
    expect(r.status).toBe(413);
    expect(r.headers.get('x-amzn-query-error')).toBe('RequestEntityTooLarge;Sender');
    expect(((await r.json()) as { __type: string }).__type).toBe('com.amazonaws.cloudwatch#RequestEntityTooLarge');
  });

  it('answers an oversized awsQuery call with an XML ErrorResponse 413', async () => {
    const client = new LegacyCloudWatchClient({ endpoint: url, region: 'us-east-1', credentials, maxAttempts: 1, disableRequestCompression: true });
    const err = await client.send(new LegacyPutMetricDataCommand({ Namespace: 'ns', MetricData: metricData })).catch((e) => e);
    expect(err.$metadata.httpStatusCode).toBe(413);
    expect(err.name).toBe('RequestEntityTooLarge');
    expect(err.message).toMatch(new RegExp(`^Request size \\d+ exceeded ${limit} bytes$`));
  });

  it('keeps the OpenSearch error for OpenSearch routes and for POST / without AWS headers', async () => {
    for (const path of ['/logs/_doc', '/']) {
      const r = await fetch(url + path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ a: 'x'.repeat(3000) }) });
      expect(r.status, path).toBe(413);
      const body = (await r.json()) as { error: { type: string }; status: number };
      expect(body.error.type).toBe('content_too_long_exception');
      expect(body.status).toBe(413);
    }
  });
});
