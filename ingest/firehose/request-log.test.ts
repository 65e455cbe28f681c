import { appendFileSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { RequestLog } from './request-log.ts';

const dirs: string[] = [];
function tmp(): string {
  const d = mkdtempSync(join(tmpdir(), 'lookout-reqlog-'));
  dirs.push(d);
  return RequestLog.pathIn(d);
}
afterEach(() => dirs.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true })));

describe('RequestLog', () => {
  it('remembers acknowledged ids across a reopen, with their response timestamp', async () => {
    const path = tmp();
    const log = new RequestLog(path, 3600_000, 100);
    await Promise.all([log.record('a', 111), log.record('b', 222), log.record('c', 333)]);
    log.close();
    const again = new RequestLog(path, 3600_000, 100);
    expect(again.get('b')?.timestamp).toBe(222);
    expect(again.get('zzz')).toBeUndefined();
    again.close();
  });

  it('on open, drops an entry whose records did not survive (its shard recovered less far than its mark)', async () => {
    const path = tmp();
    const log = new RequestLog(path, 3600_000, 100);
    await log.record('kept', 1, [['u1', 0, 10], ['u2', 1, 5]]);
    await log.record('lost', 2, [['u1', 0, 12]]);
    await log.record('old-format', 3);
    log.close();
    const recovered = new Map([['u1/0', 11], ['u2/1', 5]]);
    const survived = (marks: Array<[string, number, number]>) => marks.every(([u, s, seq]) => seq <= (recovered.get(`${u}/${s}`) ?? Infinity));
    const again = new RequestLog(path, 3600_000, 100, Date.now, survived);
    expect(again.get('kept')?.timestamp).toBe(1);
    expect(again.get('lost')).toBeUndefined();
    expect(again.get('old-format')?.timestamp).toBe(3);
    again.close();
  });

  it('remembers an id only once the records made durable beside it are', async () => {
    const path = tmp();
    const log = new RequestLog(path, 3600_000, 100);
    let stored!: () => void;
    const recorded = log.record('a', 1, [['u', 0, 1]], new Promise<void>((resolve) => (stored = resolve)));
    await new Promise((r) => setTimeout(r, 50));
    expect(log.get('a')).toBeUndefined();
    stored();
    await recorded;
    expect(log.get('a')?.timestamp).toBe(1);
    await log.record('b', 2, [['u', 0, 2]], Promise.reject(new Error('EIO')));
    expect(log.get('b')).toBeUndefined();
    log.close();
  });

  it('ignores a torn last line (a crash while appending: never acknowledged)', async () => {
    const path = tmp();
    const log = new RequestLog(path, 3600_000, 100);
    await log.record('a', 1);
    log.close();
    appendFileSync(path, '{"id":"b","ts":2,"a');
    const again = new RequestLog(path, 3600_000, 100);
    expect(again.get('a')?.timestamp).toBe(1);
    expect(again.get('b')).toBeUndefined();
    await again.record('c', 3);
    again.close();
    const third = new RequestLog(path, 3600_000, 100);
    expect(third.get('c')?.timestamp).toBe(3); // the torn tail was cut, not glued to the next line
    third.close();
  });

  it('forgets ids after the TTL and beyond the cap, oldest first', async () => {
    let now = 1_000_000;
    const path = tmp();
    const log = new RequestLog(path, 10_000, 3, () => now);
    await log.record('a', 1);
    now += 6000;
    await log.record('b', 2);
    await log.record('c', 3);
    now += 5000;
    expect(log.get('a')).toBeUndefined();
    expect(log.get('b')?.timestamp).toBe(2);
    await log.record('d', 4);
    await log.record('e', 5);
    expect(log.get('b')).toBeUndefined();
    expect(['c', 'd', 'e'].map((id) => log.get(id)?.timestamp)).toEqual([3, 4, 5]);
    log.close();
  });

  it('compacts the file to its live entries', async () => {
    const path = tmp();
    const log = new RequestLog(path, 3600_000, 50);
    for (let i = 0; i < 10_200; i += 100) await Promise.all(Array.from({ length: 100 }, (_, k) => log.record(`id-${i + k}`, i + k)));
    log.close();
    const lines = readFileSync(path, 'utf8').trim().split('\n');
    expect(lines.length).toBeLessThan(1000);
    const again = new RequestLog(path, 3600_000, 50);
    expect(again.get('id-10199')?.timestamp).toBe(10199);
    expect(again.size).toBe(50);
    again.close();
  });

  it('a compaction keeps the ids acknowledged in the same group commit (regression: they were dropped)', async () => {
    const path = tmp();
    const log = new RequestLog(path, 3600_000, 50);
    await Promise.all(Array.from({ length: 10_050 }, (_, i) => log.record(`id-${i}`, i)));
    log.close();
    const again = new RequestLog(path, 3600_000, 50);
    expect(again.get('id-10049')?.timestamp).toBe(10049);
    expect(again.size).toBe(50);
    again.close();
  });
});
