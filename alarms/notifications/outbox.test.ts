import { appendFileSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { Outbox } from './outbox.ts';
import type { AlertNotification } from './notifier.ts';

const n = (key: string): AlertNotification => ({
  channelId: 'c', kind: 'trigger', source: 'monitor', name: 'x', dedupKey: key, idempotencyKey: key + ':1',
  state: 'ACTIVE', previousState: 'NONE', reason: 'r', time: 1,
});

let dir: string;
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('Outbox', () => {
  it('replays pending entries and delivery history; ignores a torn last line', () => {
    dir = mkdtempSync(join(tmpdir(), 'outbox-'));
    const path = join(dir, 'outbox.ndjson');
    const a = new Outbox(path);
    a.open();
    a.enqueue('1', n('k1'), 10);
    a.enqueue('2', n('k2'), 11);
    a.attempt('1', { attempt: 1, time: 12, status_code: 503, latency_ms: 3, outcome: 'retry', error: 'HTTP 503' });
    a.attempt('2', { attempt: 1, time: 12, status_code: 200, latency_ms: 3, outcome: 'delivered' });
    a.close();
    appendFileSync(path, '{"op":"attempt","id":"1","a":{"attempt":2,'); // crash mid-append

    const b = new Outbox(path);
    const pending = b.open();
    expect(pending.map((e) => e.id)).toEqual(['1']);
    expect(pending[0].attempts).toHaveLength(1);
    expect(b.get('2')!.status).toBe('delivered');
    // Compaction on open rewrote the file without the torn line.
    expect(readFileSync(path, 'utf8').split('\n').filter(Boolean).every((l) => JSON.parse(l))).toBe(true);
    b.close();
  });
});
