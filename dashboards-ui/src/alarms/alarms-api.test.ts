import { afterEach, describe, expect, it, vi } from 'vitest';
import { AlarmApiError, ApiUnavailable, describeAlarms, listMonitors, optional } from './alarms-api.ts';

/** Answers every fetch with one status and body (the server's exact error shapes). */
function answer(status: number, body: unknown): void {
  vi.stubGlobal('fetch', vi.fn(async () => new Response(JSON.stringify(body), { status })));
}

afterEach(() => vi.unstubAllGlobals());

describe('alarms API degradation', () => {
  it('treats an unknown CloudWatch operation as an unavailable API', async () => {
    answer(400, { __type: 'UnknownOperationException', message: 'Unknown operation GraniteServiceVersion20100801.DescribeAlarms' });
    await expect(describeAlarms()).rejects.toBeInstanceOf(ApiUnavailable);
    expect(await optional(describeAlarms)).toMatchObject({ data: null, unavailable: expect.stringMatching(/DescribeAlarms is not available/) });
  });

  it('treats "no handler found" as an unavailable plugin API', async () => {
    const reason = 'no handler found for uri [/_plugins/_alerting/monitors/_search] and method [POST]';
    answer(400, { error: { root_cause: [{ type: 'illegal_argument_exception', reason }], type: 'illegal_argument_exception', reason }, status: 400 });
    expect(await optional(listMonitors)).toMatchObject({ data: null, unavailable: expect.stringMatching(/monitors\/_search is not available/) });
  });

  it('keeps real errors as errors', async () => {
    answer(400, { __type: 'com.amazonaws.cloudwatch#InvalidParameterValue', message: 'bad value' });
    await expect(describeAlarms()).rejects.toEqual(new AlarmApiError(400, 'InvalidParameterValue', 'bad value'));
    expect(await optional(describeAlarms)).toEqual({ data: null, unavailable: null, error: 'bad value' });
  });
});
