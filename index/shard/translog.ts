// The per-shard write-ahead log. Every operation is appended as a length + CRC32 framed record before
// it is acknowledged; with durability `request` the acknowledgement waits for fdatasync. On start the
// records after the last commit are replayed; a torn tail (a partial or CRC-failing last record) is cut.

import { closeSync, fdatasync, fsyncSync, openSync, readdirSync, readFileSync, statSync, truncateSync, unlinkSync, writeSync, existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { crc32 } from 'node:zlib';
import { OpenSearchError } from '../errors.ts';

/** One logged operation. `source` is the exact bytes the client sent. */
export interface TranslogOp {
  op: 'index' | 'delete' | 'noop';
  id: string;
  seqNo: number;
  version: number;
  primaryTerm: number;
  routing?: string | null;
  source?: Buffer;
}

const HEADER = 8; // u32 payload length + u32 crc32

/** Encodes an operation as a framed record. */
export function encodeRecord(op: TranslogOp): Buffer {
  const header = Buffer.from(JSON.stringify({ o: op.op, i: op.id, s: op.seqNo, v: op.version, t: op.primaryTerm, r: op.routing ?? null }));
  const source = op.source ?? Buffer.alloc(0);
  const payload = Buffer.allocUnsafe(4 + header.length + source.length);
  payload.writeUInt32LE(header.length, 0);
  header.copy(payload, 4);
  source.copy(payload, 4 + header.length);
  const frame = Buffer.allocUnsafe(HEADER);
  frame.writeUInt32LE(payload.length, 0);
  frame.writeUInt32LE(crc32(payload), 4);
  return Buffer.concat([frame, payload]);
}

function decodePayload(payload: Buffer): TranslogOp {
  const hlen = payload.readUInt32LE(0);
  const h = JSON.parse(payload.subarray(4, 4 + hlen).toString('utf8'));
  return { op: h.o, id: h.i, seqNo: h.s, version: h.v, primaryTerm: h.t, routing: h.r, source: Buffer.from(payload.subarray(4 + hlen)) };
}

/** The result of reading a translog file. */
export interface TranslogReadResult {
  ops: TranslogOp[];
  /** Byte length of the valid prefix. */
  validLength: number;
  /** True when a partial or CRC-failing tail was found after the valid prefix. */
  tornTail: boolean;
}

/**
 * Reads a translog file. A bad record followed by nothing but garbage is a torn tail (cut on open);
 * a bad record followed by a valid one means the middle of the log is corrupted, which is refused.
 */
export function readTranslogFile(path: string): TranslogReadResult {
  const buf = readFileSync(path);
  const ops: TranslogOp[] = [];
  let pos = 0;
  while (pos < buf.length) {
    const bad = () => {
      if (findValidRecordAfter(buf, pos + 1)) {
        throw new OpenSearchError('translog_corrupted_exception', `translog [${path}] is corrupted at offset ${pos}: a record fails its checksum and valid records follow it`, 500);
      }
      return { ops, validLength: pos, tornTail: true };
    };
    if (pos + HEADER > buf.length) return bad();
    const len = buf.readUInt32LE(pos);
    const crc = buf.readUInt32LE(pos + 4);
    if (len < 4 || pos + HEADER + len > buf.length) return bad();
    const payload = buf.subarray(pos + HEADER, pos + HEADER + len);
    if (crc32(payload) !== crc) return bad();
    ops.push(decodePayload(payload));
    pos += HEADER + len;
  }
  return { ops, validLength: pos, tornTail: false };
}

function findValidRecordAfter(buf: Buffer, from: number): boolean {
  for (let p = from; p + HEADER <= buf.length; p++) {
    const len = buf.readUInt32LE(p);
    if (len < 4 || p + HEADER + len > buf.length) continue;
    if (crc32(buf.subarray(p + HEADER, p + HEADER + len)) === buf.readUInt32LE(p + 4)) return true;
  }
  return false;
}

/** An open translog directory: appends to the current generation, syncs in groups. */
export class Translog {
  private fd: number;
  private gen: number;
  private written = 0;
  private synced = 0;
  private syncing: Promise<void> | null = null;
  private closed = false;
  /** Bytes in the current generation (drives flush decisions). */
  sizeInBytes = 0;
  operations = 0;

  private constructor(readonly dir: string, gen: number) {
    this.gen = gen;
    const path = this.pathOf(gen);
    this.fd = openSync(path, 'a');
    this.sizeInBytes = statSync(path).size;
  }

  /**
   * Opens the translog in `dir`, returning the operations of every generation >= `fromGen` to replay.
   * Torn tails are truncated here, so a later append never follows garbage.
   */
  static open(dir: string, fromGen: number): { translog: Translog; ops: TranslogOp[]; tornTail: boolean } {
    mkdirSync(dir, { recursive: true });
    const gens = listGenerations(dir);
    const ops: TranslogOp[] = [];
    let tornTail = false;
    for (const g of gens) {
      const path = join(dir, `translog-${g}.tlog`);
      if (g < fromGen) {
        unlinkSync(path);
        continue;
      }
      const r = readTranslogFile(path);
      if (r.tornTail) {
        truncateSync(path, r.validLength);
        tornTail = true;
      }
      ops.push(...r.ops);
    }
    const current = Math.max(fromGen, gens.length ? gens[gens.length - 1] : fromGen);
    const t = new Translog(dir, current);
    t.operations = ops.length;
    return { translog: t, ops, tornTail };
  }

  get generation(): number {
    return this.gen;
  }

  private pathOf(gen: number): string {
    return join(this.dir, `translog-${gen}.tlog`);
  }

  /** Appends records (written to the OS, not yet durable: call sync()). */
  append(ops: TranslogOp[]): void {
    if (this.closed) throw new OpenSearchError('already_closed_exception', 'translog is already closed', 500);
    const buf = ops.length === 1 ? encodeRecord(ops[0]) : Buffer.concat(ops.map(encodeRecord));
    let off = 0;
    while (off < buf.length) off += writeSync(this.fd, buf, off, buf.length - off);
    this.sizeInBytes += buf.length;
    this.operations += ops.length;
    this.written++;
  }

  /** Resolves once every record appended before the call is on disk (one fdatasync serves many callers). */
  async sync(): Promise<void> {
    const target = this.written;
    while (this.synced < target) {
      if (!this.syncing) {
        const upTo = this.written;
        const fd = this.fd;
        this.syncing = new Promise<void>((resolve, reject) => {
          fdatasync(fd, (err) => {
            this.syncing = null;
            if (err) reject(new OpenSearchError('translog_exception', `failed to sync translog: ${err.message}`, 500));
            else {
              this.synced = Math.max(this.synced, upTo);
              resolve();
            }
          });
        });
      }
      await this.syncing;
    }
  }

  /** Starts a new generation (after a commit); older generations can then be trimmed. */
  roll(): number {
    fsyncSync(this.fd);
    closeSync(this.fd);
    this.gen++;
    this.fd = openSync(this.pathOf(this.gen), 'a');
    this.sizeInBytes = 0;
    this.operations = 0;
    this.synced = this.written;
    return this.gen;
  }

  /** Deletes generations older than `gen` (their operations are in a commit). */
  trimBelow(gen: number): void {
    for (const g of listGenerations(this.dir)) if (g < gen) unlinkSync(this.pathOf(g));
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    fsyncSync(this.fd);
    closeSync(this.fd);
  }
}

function listGenerations(dir: string): number[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .map((f) => /^translog-(\d+)\.tlog$/.exec(f))
    .filter((m): m is RegExpExecArray => m !== null)
    .map((m) => Number(m[1]))
    .sort((a, b) => a - b);
}
