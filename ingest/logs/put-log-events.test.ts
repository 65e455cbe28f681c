import { describe, expect, it } from 'vitest';
import { AwsError } from '../aws/aws-error.ts';
import { batchKey, buildDocuments, eventId, MAX_BATCH_BYTES, planBatch } from './put-log-events.ts';

const NOW = Date.UTC(2024, 0, 15, 12);
const H = 3_600_000;
const D = 24 * H;
const ev = (timestamp: number, message = 'm') => ({ timestamp, message });

function errorOf(fn: () => unknown): AwsError {
  try {
    fn();
  } catch (err) {
    return err as AwsError;
  }
  throw new Error('expected an error');
}

describe('planBatch', () => {
  it('accepts a batch inside every limit', () => {
    const plan = planBatch([ev(NOW - 1000), ev(NOW)], NOW);
    expect([plan.start, plan.end, plan.rejected]).toEqual([0, 2, undefined]);
    expect(plan.bytes).toBe(2 * (1 + 26));
  });

  it('rejects out-of-order batches as a whole', () => {
    const e = errorOf(() => planBatch([ev(NOW), ev(NOW - 1)], NOW));
    expect([e.code, e.message]).toEqual(['InvalidParameterException', 'Log events in a single PutLogEvents request must be in chronological order.']);
  });

  it('counts events and bytes (message bytes + 26 each)', () => {
    expect(errorOf(() => planBatch([], NOW)).code).toBe('InvalidParameterException');
    expect(errorOf(() => planBatch(Array.from({ length: 10_001 }, () => ev(NOW)), NOW)).message).toMatch(/less than or equal to 10000/);
    const big = 'x'.repeat(MAX_BATCH_BYTES / 2);
    expect(errorOf(() => planBatch([ev(NOW, big), ev(NOW, big)], NOW)).message).toBe(`Upload too large: ${MAX_BATCH_BYTES + 52} bytes exceeds limit of ${MAX_BATCH_BYTES}`);
    // Exactly at the limit is fine; multi-byte characters count as their UTF-8 bytes.
    expect(planBatch([ev(NOW, 'x'.repeat(MAX_BATCH_BYTES - 26))], NOW).end).toBe(1);
    expect(() => planBatch([ev(NOW, 'é'.repeat((MAX_BATCH_BYTES - 26) / 2 + 1))], NOW)).toThrow(/Upload too large/);
  });

  it('checks each event (timestamp and non-empty message)', () => {
    expect(errorOf(() => planBatch([{ timestamp: 'x', message: 'm' }], NOW)).message).toMatch(/logEvents.1.member.timestamp/);
    expect(errorOf(() => planBatch([{ timestamp: NOW, message: '' }], NOW)).message).toMatch(/logEvents.1.member.message/);
  });

  it('reports too old, too new and expired events by index, storing the rest', () => {
    const events = [ev(NOW - 15 * D), ev(NOW - 14 * D - 1), ev(NOW - H), ev(NOW), ev(NOW + 2 * H + 1), ev(NOW + 3 * H)];
    const plan = planBatch(events, NOW);
    expect([plan.start, plan.end]).toEqual([2, 4]);
    expect(plan.rejected).toEqual({ tooOldLogEventEndIndex: 2, tooNewLogEventStartIndex: 4 });
    // Exactly 2 h ahead and exactly 14 days old are still accepted.
    expect(planBatch([ev(NOW - 14 * D), ev(NOW - 14 * D + 1)], NOW).rejected).toBeUndefined();
    expect(planBatch([ev(NOW + 2 * H)], NOW).rejected).toBeUndefined();
  });

  it('rejects events older than the retention as expired', () => {
    const plan = planBatch([ev(NOW - 2 * D), ev(NOW - D - 1), ev(NOW - H)], NOW, 1);
    expect(plan.rejected).toEqual({ expiredLogEventEndIndex: 2 });
    expect([plan.start, plan.end]).toEqual([2, 3]);
  });

  it('rejects a batch whose accepted events span more than 24 hours', () => {
    expect(errorOf(() => planBatch([ev(NOW - D - 1), ev(NOW)], NOW)).message).toBe('The batch of log events in a single PutLogEvents request cannot span more than 24 hours.');
    expect(planBatch([ev(NOW - D), ev(NOW)], NOW).end).toBe(2);
    // Rejected events do not count towards the span.
    expect(planBatch([ev(NOW - 20 * D), ev(NOW - H), ev(NOW)], NOW).start).toBe(1);
  });
});

describe('event ids', () => {
  it('are 56 digits that sort by timestamp, then batch, then position', () => {
    const key = batchKey('g', 's', [ev(1), ev(2)]);
    expect(key).toMatch(/^\d{35}$/);
    const a = eventId(NOW, key, 0);
    expect(a).toMatch(/^\d{56}$/);
    expect(a < eventId(NOW, key, 1)).toBe(true);
    expect(eventId(NOW, key, 9) < eventId(NOW + 1, '0'.repeat(35), 0)).toBe(true);
  });

  it('are the same for a retried batch and differ for other content, stream or group', () => {
    const events = [ev(NOW, 'a'), ev(NOW, 'b')];
    const k = batchKey('g', 's', events);
    expect(batchKey('g', 's', events.map((e) => ({ ...e })))).toBe(k);
    expect(batchKey('g', 's', [ev(NOW, 'a'), ev(NOW, 'c')])).not.toBe(k);
    expect(batchKey('g', 's2', events)).not.toBe(k);
    expect(batchKey('g2', 's', events)).not.toBe(k);
    expect(batchKey('g', 's', [ev(NOW, 'ab'), ev(NOW, '')])).not.toBe(batchKey('g', 's', [ev(NOW, 'a'), ev(NOW, 'b')]));
  });
});

describe('buildDocuments', () => {
  it('builds one document per accepted event in the daily index of its timestamp', () => {
    const t = Date.UTC(2024, 0, 15, 23, 59, 59, 999);
    const plan = planBatch([ev(t - 15 * D, 'old'), ev(t, 'last of day'), ev(t + 1, 'first of next')], t);
    const docs = buildDocuments('/app/web', 'i-1', plan, t + 5);
    expect(docs.map((d) => d.index)).toEqual([expect.stringMatching(/^cwl-app_web-[0-9a-f]{8}-2024\.01\.15$/), expect.stringMatching(/-2024\.01\.16$/)]);
    expect(docs[0].source).toEqual({
      '@timestamp': '2024-01-15T23:59:59.999Z',
      message: 'last of day',
      logGroup: '/app/web',
      logStream: 'i-1',
      eventId: docs[0].id,
      ingestionTime: '2024-01-16T00:00:00.004Z',
    });
    expect(docs[0].id!.endsWith('000001')).toBe(true); // its position in the batch, rejected events included
  });

  it('gives each document the bytes JSON.stringify writes for its source, whatever the text holds', () => {
    const t = Date.UTC(2024, 0, 15, 12);
    const messages = ['plain', 'quote " backslash \\ tab \t newline \n', 'control \u0001 and \u2028', 'emoji 🚀 é 中文', 'lone \ud800 surrogate'];
    const plan = planBatch(messages.map((m, i) => ev(t + i, m)), t + 10);
    for (const [group, stream] of [['/app/web', 'i-1'], ['grp"\\#é', 'str\n🚀']]) {
      const docs = buildDocuments(group, stream, plan, t + 20);
      expect(docs).toHaveLength(messages.length);
      for (const d of docs) expect(d.json).toBe(JSON.stringify(d.source));
    }
  });
});
