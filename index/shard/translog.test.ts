import { describe, it, expect } from 'vitest';
import { crc32 } from 'node:zlib';
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

/** A record framed as versions before the binary header wrote it (u32 length, JSON header, source). */
function legacyRecord(o: TranslogOp): Buffer {
  const header = Buffer.from(JSON.stringify({ o: o.op, i: o.id, s: o.seqNo, v: o.version, t: o.primaryTerm, r: o.routing ?? null, ...(o.autoId ? { a: 1 } : {}) }));
  const len = Buffer.alloc(4);
  len.writeUInt32LE(header.length);
  const payload = Buffer.concat([len, header, o.source ?? Buffer.alloc(0)]);
  const frame = Buffer.alloc(8);
  frame.writeUInt32LE(payload.length, 0);
  frame.writeUInt32LE(crc32(payload), 4);
  return Buffer.concat([frame, payload]);
}

describe('translog', () => {
  it('keeps every member of an operation: routing, non-ASCII and long ids, deletes, auto ids, large numbers', () => {
    const ops: TranslogOp[] = [
      { op: 'index', id: 'ümlaut-😀', seqNo: 0, version: 1, primaryTerm: 1, routing: 'r-ß', source: Buffer.from('{"a":1}'), autoId: false },
      { op: 'index', id: 'x'.repeat(300), seqNo: 2 ** 40, version: 2 ** 52, primaryTerm: 7, routing: null, source: Buffer.from('{}'), autoId: true },
      { op: 'delete', id: 'gone', seqNo: 5, version: 3, primaryTerm: 2, routing: 'y'.repeat(70_000), source: undefined, autoId: false },
      { op: 'noop', id: '', seqNo: 6, version: 0, primaryTerm: 2, routing: null, source: undefined, autoId: false },
    ];
    const dir = mkdtempSync(join(tmpdir(), 'tlog-'));
    const path = join(dir, 'translog-1.tlog');
    writeFileSync(path, Buffer.concat(ops.map(encodeRecord)));
    const back = readTranslogFile(path).ops;
    expect(back.map((o) => ({ ...o, source: o.source?.toString() || undefined }))).toEqual(ops.map((o) => ({ ...o, source: o.source?.toString() })));
  });

  it('replays records in the JSON-header format earlier versions wrote, mixed with new ones', () => {
    const dir = mkdtempSync(join(tmpdir(), 'tlog-'));
    const old = [op(0), { ...op(1), routing: 'r1', autoId: true }, { op: 'delete' as const, id: 'doc-0', seqNo: 2, version: 2, primaryTerm: 1, routing: null }];
    writeFileSync(join(dir, 'translog-1.tlog'), Buffer.concat([...old.map(legacyRecord), encodeRecord(op(3))]));
    const { ops, tornTail } = Translog.open(dir, 1);
    expect(tornTail).toBe(false);
    expect(ops.map((o) => [o.op, o.id, o.seqNo, o.version, o.routing, o.autoId])).toEqual([
      ['index', 'doc-0', 0, 1, null, false],
      ['index', 'doc-1', 1, 1, 'r1', true],
      ['delete', 'doc-0', 2, 2, null, false],
      ['index', 'doc-3', 3, 1, null, false],
    ]);
    expect(ops[1].source!.equals(op(1).source!)).toBe(true);
    expect(ops[3].source!.equals(op(3).source!)).toBe(true);
  });

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
