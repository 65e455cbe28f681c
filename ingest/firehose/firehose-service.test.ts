import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { DocumentSink, SinkDocument, SinkItemResult } from '../document-sink.ts';
import { parseFirehoseConfig } from './firehose-config.ts';
import { FirehoseError } from './firehose-error.ts';
import { FirehoseService } from './firehose-service.ts';

/** A DocumentSink whose write can be told to fail: disk full, or per-item engine errors. */
class FlakySink implements DocumentSink {
  written: SinkDocument[] = [];
  mode: 'ok' | 'enospc' | 'item-503' = 'ok';
  async write(docs: SinkDocument[]): Promise<SinkItemResult[]> {
    if (this.mode === 'enospc') throw Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' });
    if (this.mode === 'item-503') return docs.map((d) => ({ index: d.index, id: d.id!, status: 503, error: { type: 'unavailable_shards_exception', reason: 'primary shard is not active' } }));
    this.written.push(...docs);
    return docs.map((d) => ({ index: d.index, id: d.id!, status: 201, result: 'created' as const }));
  }
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

function service(sink: DocumentSink): FirehoseService {
  const dir = mkdtempSync(join(tmpdir(), 'lookout-fh-svc-'));
  dirs.push(dir);
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

  it('answers 503 (retry) when the engine fails items with a server error', async () => {
    const sink = new FlakySink();
    const svc = service(sink);
    sink.mode = 'item-503';
    const err = await svc.deliver({ streamName: 's', headers: {}, body: body('r2') }).catch((e) => e);
    expect(err.status).toBe(503);
    expect(err.message).toMatch(/unavailable_shards_exception/);
    svc.close();
  });
});
