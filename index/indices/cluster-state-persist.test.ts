import { describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { IndicesService } from './indices-service.ts';
import { DocumentService } from '../docs/document-service.ts';

/** A started IndicesService over a new data dir, with a DocumentService writing to it. */
function started(): { dir: string; indices: IndicesService; docs: DocumentService } {
  const dir = mkdtempSync(join(tmpdir(), 'lookout-state-'));
  const indices = new IndicesService(dir);
  indices.start();
  return { dir, indices, docs: new DocumentService(indices) };
}

const onDisk = (dir: string) => Object.keys((JSON.parse(readFileSync(join(dir, 'cluster-state.json'), 'utf8')) as { indices: object }).indices).sort();

describe('cluster state persisted in the background', () => {
  it('never puts an older state in place of a newer one', async () => {
    const { dir, indices } = started();
    indices.createIndex('a');
    const older = indices.persistInBackground(); // a state listing `a` only
    indices.createIndex('b'); // persisted at once, while the background one is still writing
    await older;
    expect(onDisk(dir)).toEqual(['a', 'b']);
    expect(readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
    indices.stop();
  });

  it('creates an index a write names with its state persisted before the write is acknowledged', async () => {
    const { dir, indices, docs } = started();
    const pending = docs.index('auto-created', 'x', Buffer.from('{"n":1}'), {}, 'false');
    // The index exists at once, but its state is not yet on disk (nor its write acknowledged).
    expect(indices.indices.has('auto-created')).toBe(true);
    expect(onDisk(dir)).toEqual([]);
    const { status } = await pending;
    expect(status).toBe(201);
    expect(onDisk(dir)).toEqual(['auto-created']);
    indices.stop();
  });

  it('acknowledges no write into the index before its persist is done, and retries a failed one', async () => {
    const { indices, docs } = started();
    indices.createIndex('held');
    const idx = indices.indices.get('held')!;
    let release!: () => void;
    idx.awaitMetadata(() => new Promise<void>((resolve) => (release = resolve)));
    let acknowledged = false;
    const write = docs.index('held', 'x', Buffer.from('{"n":1}'), {}, 'false').then(() => (acknowledged = true));
    await new Promise((r) => setTimeout(r, 50));
    expect(acknowledged).toBe(false);
    release();
    await write;
    expect(acknowledged).toBe(true);

    let attempts = 0;
    idx.awaitMetadata(() => (++attempts === 1 ? Promise.reject(new Error('no space left on device')) : Promise.resolve()));
    await expect(docs.index('held', 'y', Buffer.from('{"n":2}'), {}, 'false')).rejects.toThrow('no space left');
    expect((await docs.index('held', 'z', Buffer.from('{"n":3}'), {}, 'false')).status).toBe(201);
    expect(attempts).toBe(2);
    indices.stop();
  });

  it('removes temporary files a crash left behind', () => {
    const dir = mkdtempSync(join(tmpdir(), 'lookout-state-'));
    writeFileSync(join(dir, 'cluster-state.json.7.tmp'), '{');
    const indices = new IndicesService(dir);
    indices.start();
    expect(readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
    indices.stop();
  });
});
