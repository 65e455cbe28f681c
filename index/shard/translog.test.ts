import { describe, it, expect } from 'vitest';
import { mkdtempSync, readFileSync, writeFileSync, statSync, appendFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Translog, encodeRecord, readTranslogFile, type TranslogOp } from './translog.ts';

const op = (i: number): TranslogOp => ({ op: 'index', id: `doc-${i}`, seqNo: i, version: 1, primaryTerm: 1, routing: null, source: Buffer.from(JSON.stringify({ n: i, text: 'x'.repeat(i % 50) })) });

function fixture(count: number): string {
  const dir = mkdtempSync(join(tmpdir(), 'tlog-'));
  writeFileSync(join(dir, 'translog-1.tlog'), Buffer.concat(Array.from({ length: count }, (_, i) => encodeRecord(op(i)))));
  return dir;
}

describe('translog', () => {
  it('replays every record it wrote, byte for byte', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tlog-'));
    const { translog } = Translog.open(dir, 1);
    translog.append([op(0), op(1)]);
    translog.append([op(2)]);
    await translog.sync();
    translog.close();
    const { ops, tornTail } = Translog.open(dir, 1);
    expect(tornTail).toBe(false);
    expect(ops.map((o) => o.id)).toEqual(['doc-0', 'doc-1', 'doc-2']);
    expect(ops[2].source!.equals(op(2).source!)).toBe(true);
  });

  it('cuts a torn tail (a partially written last record) and keeps the rest', () => {
    const dir = fixture(10);
    const path = join(dir, 'translog-1.tlog');
    const whole = statSync(path).size;
    const extra = encodeRecord(op(10));
    appendFileSync(path, extra.subarray(0, extra.length - 7));
    const { ops, tornTail, translog } = Translog.open(dir, 1);
    translog.close();
    expect(tornTail).toBe(true);
    expect(ops).toHaveLength(10);
    expect(statSync(path).size).toBe(whole);
  });

  it('cuts a last record whose checksum fails (torn write that kept its length)', () => {
    const dir = fixture(5);
    const path = join(dir, 'translog-1.tlog');
    const buf = readFileSync(path);
    buf[buf.length - 3] ^= 0xff;
    writeFileSync(path, buf);
    const { ops, tornTail, translog } = Translog.open(dir, 1);
    translog.close();
    expect(tornTail).toBe(true);
    expect(ops.map((o) => o.seqNo)).toEqual([0, 1, 2, 3]);
  });

  it('refuses a log whose middle record is corrupted instead of silently dropping what follows', () => {
    const dir = fixture(6);
    const path = join(dir, 'translog-1.tlog');
    const buf = readFileSync(path);
    const first = encodeRecord(op(0)).length + encodeRecord(op(1)).length;
    buf[first + 12] ^= 0x55; // inside record 2's payload
    writeFileSync(path, buf);
    expect(() => readTranslogFile(path)).toThrow(/corrupted/);
  });

  it('drops generations older than the commit on open', () => {
    const dir = fixture(3);
    writeFileSync(join(dir, 'translog-2.tlog'), encodeRecord(op(3)));
    const { ops, translog } = Translog.open(dir, 2);
    translog.close();
    expect(ops.map((o) => o.seqNo)).toEqual([3]);
  });
});
