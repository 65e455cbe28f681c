import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { DocumentSink, SinkDocument, SinkItemResult, StagedWrite } from '../document-sink.ts';
import { parseFirehoseConfig } from './firehose-config.ts';
import { FirehoseError } from './firehose-error.ts';
import { FirehoseService } from './firehose-service.ts';
import { RequestLog } from './request-log.ts';

/** A DocumentSink whose write can be told to fail (disk full, per-item engine errors, a failed fsync) or to hold its fsync. */
class FlakySink implements DocumentSink {
  written: SinkDocument[] = [];
  mode: 'ok' | 'enospc' | 'item-503' | 'fsync-eio' = 'ok';
  /** When set, writes become durable only once it resolves. */
  fsync: Promise<void> | null = null;
  async write(docs: SinkDocument[]): Promise<SinkItemResult[]> {
    const staged = this.stage(docs);
    await staged.durable;
    return staged.items;
  }
  stage(docs: SinkDocument[]): StagedWrite {
    if (this.mode === 'enospc') throw Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' });
    if (this.mode === 'item-503') return { items: docs.map((d) => ({ index: d.index, id: d.id!, status: 503, error: { type: 'unavailable_shards_exception', reason: 'primary shard is not active' } })), marks: [], durable: Promise.resolve() };
    // Copies the bytes, as the engine does before its write returns (the caller reuses them after).
    this.written.push(...docs.map((d) => ({ ...d, bytes: d.bytes && Buffer.from(d.bytes) })));
    const durable = this.mode === 'fsync-eio' ? Promise.reject(Object.assign(new Error('EIO: i/o error, fdatasync'), { code: 'EIO' })) : (this.fsync ?? Promise.resolve());
    return { items: docs.map((d) => ({ index: d.index, id: d.id!, status: 201, result: 'created' as const })), marks: [['uuid', 0, this.written.length - 1]], durable };
  }
  survived = () => true;
  search = async () => ({});
  count = async () => 0;
  get = async () => null;
  deleteByQuery = async () => 0;
  putIndexTemplate = async () => undefined;
  listIndices = async () => [];
  deleteIndices = async () => undefined;
  refresh = async () => undefined;
}

const silent = { info: () => undefined, warn: () => undefined };
const dirs: string[] = [];
afterEach(() => dirs.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true })));

function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'lookout-fh-svc-'));
  dirs.push(dir);
  return dir;
}

function service(sink: DocumentSink, dir = tempDir()): FirehoseService {
  return new FirehoseService(sink, parseFirehoseConfig({}), dir, silent, 1 << 20, () => 1_700_000_000_000);
}

const body = (requestId: string) => Buffer.from(JSON.stringify({ requestId, timestamp: 1, records: [{ data: Buffer.from('{"a":1}').toString('base64') }] }));

describe('FirehoseService', () => {
  it('answers 503 when the disk is full, records nothing, and stores the retry once space is back', async () => {
    const sink = new FlakySink();
    const svc = service(sink);
    sink.mode = 'enospc';
    const err = await svc.deliver({ streamName: 's', headers: {}, body: body('r1') }).catch((e) => e);
    expect(err).toBeInstanceOf(FirehoseError);
    expect(err.status).toBe(503);
    expect(err.message).toMatch(/ENOSPC/);
    sink.mode = 'ok';
    const out = await svc.deliver({ streamName: 's', headers: {}, body: body('r1') });
    expect(out).toMatchObject({ requestId: 'r1', timestamp: 1_700_000_000_000, docs: 1, replay: false });
    expect(await svc.deliver({ streamName: 's', headers: {}, body: body('r1') })).toMatchObject({ replay: true, timestamp: 1_700_000_000_000 });
    expect(sink.written.map((d) => d.id)).toEqual(['r1-0']);
    svc.close();
  });

  it('answers 503 when the records fail to become durable, and does not remember the request id: the retry stores them', async () => {
    const sink = new FlakySink();
    const svc = service(sink);
    sink.mode = 'fsync-eio';
    const err = await svc.deliver({ streamName: 's', headers: {}, body: body('r3') }).catch((e) => e);
    expect(err).toBeInstanceOf(FirehoseError);
    expect(err.status).toBe(503);
    expect(err.message).toMatch(/EIO/);
    sink.mode = 'ok';
    expect(await svc.deliver({ streamName: 's', headers: {}, body: body('r3') })).toMatchObject({ docs: 1, replay: false });
    expect(sink.written.map((d) => d.id)).toEqual(['r3-0', 'r3-0']);
    svc.close();
  });

  it('writes the request id while the records are made durable, and answers once both are on disk', async () => {
    const sink = new FlakySink();
    const dir = tempDir();
    const svc = service(sink, dir);
    let fsynced!: () => void;
    sink.fsync = new Promise((resolve) => (fsynced = resolve));
    let answered = false;
    const delivered = svc.deliver({ streamName: 's', headers: {}, body: body('r4') }).then((out) => ((answered = true), out));
    const logged = () => existsSync(RequestLog.pathIn(dir)) && readFileSync(RequestLog.pathIn(dir), 'utf8').includes('"r4"');
    for (let i = 0; i < 400 && !logged(); i++) await new Promise((r) => setTimeout(r, 5));
    expect(logged()).toBe(true);
    // Its line says where the records went, for the check after a crash.
    expect(JSON.parse(readFileSync(RequestLog.pathIn(dir), 'utf8').trim().split('\n').at(-1)!).w).toEqual([['uuid', 0, 0]]);
    expect(answered).toBe(false);
    fsynced();
    expect(await delivered).toMatchObject({ requestId: 'r4', docs: 1, replay: false });
    expect(await svc.deliver({ streamName: 's', headers: {}, body: body('r4') })).toMatchObject({ replay: true });
    svc.close();
  });

  it('answers 503 (retry) when the engine fails items with a server error', async () => {
    const sink = new FlakySink();
    const svc = service(sink);
    sink.mode = 'item-503';
    const err = await svc.deliver({ streamName: 's', headers: {}, body: body('r2') }).catch((e) => e);
    expect(err.status).toBe(503);
    expect(err.message).toMatch(/unavailable_shards_exception/);
    svc.close();
  });

  it('is done with the body when deliver returns: the caller may overwrite it (bodies are reused)', async () => {
    const sink = new FlakySink();
    const svc = service(sink);
    const records = ['{"a":1}', '{"@timestamp":"2024-01-01T00:00:00Z","b":"x"}', 'plain text'];
    const envelope = (requestId: string, how: 'scan' | 'record' | 'parse') => {
      const json = JSON.stringify({ requestId, timestamp: 1, records: records.map((r) => ({ data: Buffer.from(r).toString('base64'), ...(how === 'record' ? { extra: 1 } : {}) })) });
      // Records with another member are JSON.parse'd one by one; nesting too deep for the scan sends
      // the whole body to JSON.parse.
      return Buffer.from(how === 'parse' ? `{"deep":${'['.repeat(50_000)}${']'.repeat(50_000)},${json.slice(1)}` : json);
    };
    for (const how of ['scan', 'record', 'parse'] as const) {
      const b = envelope(how, how);
      const delivered = svc.deliver({ streamName: 's', headers: {}, body: b });
      b.fill(0x20);
      expect(await delivered).toMatchObject({ requestId: how, docs: 3, failures: 0 });
    }
    const docs = sink.written;
    expect(docs.map((d) => d.id)).toEqual(['scan', 'record', 'parse'].flatMap((how) => [0, 1, 2].map((i) => `${how}-${i}`)));
    for (const k of [0, 3, 6]) {
      expect(JSON.parse(docs[k].bytes!.toString())).toEqual({ '@timestamp': '1970-01-01T00:00:00.001Z', a: 1 });
      expect(docs[k + 1].bytes?.toString()).toBe(records[1]);
      expect(docs[k + 2].source).toMatchObject({ message: 'plain text' });
    }
    svc.close();
  });
});
