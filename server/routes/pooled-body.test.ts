import { PassThrough } from 'node:stream';
import type { FastifyRequest } from 'fastify';
import { describe, expect, it } from 'vitest';
import { BodyPool } from './pooled-body.ts';

/** Runs the pool's parser over `chunks` sent with `contentLength` (undefined: chunked). */
function parse(pool: BodyPool, chunks: Buffer[], contentLength?: number): Promise<{ err: (Error & { code?: string; statusCode?: number }) | null; body?: Buffer }> {
  const payload = new PassThrough();
  const req = { headers: contentLength === undefined ? {} : { 'content-length': String(contentLength) } } as unknown as FastifyRequest;
  return new Promise((resolve) => {
    pool.parser(req, payload, (err, body) => resolve({ err, body }));
    for (const c of chunks) payload.write(c);
    payload.end();
  });
}

describe('BodyPool', () => {
  it('reads a body in chunks, of known or unknown length, growing past its first buffer', async () => {
    const pool = new BodyPool(1 << 24);
    const parts = [Buffer.alloc(700_000, 1), Buffer.alloc(900_000, 2), Buffer.from('end')];
    const whole = Buffer.concat(parts);
    for (const length of [whole.length, undefined]) {
      const { err, body } = await parse(pool, parts, length);
      expect(err).toBeNull();
      expect(body!.equals(whole)).toBe(true);
    }
  });

  it('gives a released buffer to the next body, and never one still handed out', async () => {
    const pool = new BodyPool(1 << 24);
    const a = (await parse(pool, [Buffer.alloc(600_000, 7)], 600_000)).body!;
    const b = (await parse(pool, [Buffer.alloc(600_000, 8)], 600_000)).body!;
    expect(a.buffer).not.toBe(b.buffer);
    pool.release(a);
    pool.release(a); // a second release is ignored: one buffer is never handed out twice
    const c = (await parse(pool, [Buffer.alloc(610_000, 9)], 610_000)).body!;
    const d = (await parse(pool, [Buffer.alloc(610_000, 9)], 610_000)).body!;
    expect(c.buffer).toBe(a.buffer);
    expect(d.buffer).not.toBe(a.buffer);
    expect(b[0]).toBe(8);
    pool.release(Buffer.alloc(10)); // not the pool's: ignored
  });

  it('does not allocate a declared length up front beyond a pooled buffer, and grows to it as bytes arrive', async () => {
    const pool = new BodyPool(1 << 26);
    const parts = Array.from({ length: 5 }, (_, i) => Buffer.alloc(3_000_000, i));
    const { err, body } = await parse(pool, parts, 15_000_000);
    expect(err).toBeNull();
    expect(body!.length).toBe(15_000_000);
    expect(body![14_999_999]).toBe(4);
  });

  it("answers fastify's errors: over the limit (declared or sent), and a length unlike Content-Length", async () => {
    const pool = new BodyPool(1000);
    expect((await parse(pool, [Buffer.alloc(10)], 5000)).err).toMatchObject({ code: 'FST_ERR_CTP_BODY_TOO_LARGE', statusCode: 413 });
    expect((await parse(pool, [Buffer.alloc(600), Buffer.alloc(600)])).err).toMatchObject({ code: 'FST_ERR_CTP_BODY_TOO_LARGE', statusCode: 413 });
    expect((await parse(pool, [Buffer.alloc(10)], 20)).err).toMatchObject({ code: 'FST_ERR_CTP_INVALID_CONTENT_LENGTH', statusCode: 400 });
  });
});
