// Request bodies read into reused buffers, for routes that are done with the body once their handler
// has started (Firehose deliveries: the records are decoded out of it before the first await). A
// fresh ~620 KB buffer per delivery, as fastify's buffer parser makes (chunks, then a concat), is
// above glibc's mmap threshold: every delivery mapped new memory and faulted it in page by page while
// copying into it (~0.9 µs per record on the event loop, profiled).

import type { FastifyRequest } from 'fastify';
import { errorCodes } from 'fastify';

/** Buffers kept for reuse, and the largest one kept (bigger bodies get a buffer of their own). */
const MAX_FREE = 16;
const MAX_POOLED_BYTES = 8 * 1024 * 1024;
/** First size for a body of unknown length (chunked), doubled as it grows. */
const UNKNOWN_LENGTH_BYTES = 1024 * 1024;

export class BodyPool {
  private readonly free: Buffer[] = [];
  /** The buffers this pool handed out (only they come back). */
  private readonly issued = new WeakSet<ArrayBufferLike>();

  constructor(private readonly limit: number) {}

  /**
   * A fastify content-type parser (`addContentTypeParser('*', pool.parser)`): reads the body into a
   * pooled buffer, with fastify's own errors for a body over the limit (413) or a length that differs
   * from Content-Length (400).
   */
  readonly parser = (req: FastifyRequest, payload: NodeJS.ReadableStream, done: (err: Error | null, body?: Buffer) => void): void => {
    const declared = Number(req.headers['content-length']);
    if (declared > this.limit) {
      done(new errorCodes.FST_ERR_CTP_BODY_TOO_LARGE());
      return;
    }
    const known = Number.isInteger(declared) && declared >= 0;
    // Sized from Content-Length up to a pooled buffer's size, then grown as bytes arrive: a client that
    // declares a huge body and sends nothing does not get the memory up front.
    let buf = this.take(known ? Math.min(declared, MAX_POOLED_BYTES) : UNKNOWN_LENGTH_BYTES);
    let length = 0;
    const finish = (err: Error | null, body?: Buffer): void => {
      payload.removeListener('data', onData);
      payload.removeListener('end', onEnd);
      payload.removeListener('error', onEnd);
      done(err, body);
    };
    const onData = (chunk: Buffer | string): void => {
      const bytes = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
      if (length + bytes.length > this.limit) {
        finish(new errorCodes.FST_ERR_CTP_BODY_TOO_LARGE());
        return;
      }
      if (length + bytes.length > buf.length) {
        const bigger = this.take(Math.max(length + bytes.length, buf.length * 2));
        buf.copy(bigger, 0, 0, length);
        this.release(buf);
        buf = bigger;
      }
      bytes.copy(buf, length);
      length += bytes.length;
    };
    const onEnd = (err?: Error & { statusCode?: number }): void => {
      if (err) {
        if (!(typeof err.statusCode === 'number' && err.statusCode >= 400)) err.statusCode = 400;
        finish(err);
        return;
      }
      if (known && length !== declared) {
        finish(new errorCodes.FST_ERR_CTP_INVALID_CONTENT_LENGTH());
        return;
      }
      finish(null, buf.subarray(0, length));
    };
    payload.on('data', onData);
    payload.on('end', onEnd);
    payload.on('error', onEnd);
    payload.resume();
  };

  /** Gives a body from `parser` back for reuse: the caller holds no reference into it any more. */
  release(body: Buffer): void {
    const whole = body.buffer;
    if (!this.issued.has(whole) || whole.byteLength > MAX_POOLED_BYTES || this.free.length >= MAX_FREE) return;
    this.issued.delete(whole);
    this.free.push(Buffer.from(whole));
  }

  private take(n: number): Buffer {
    for (let i = this.free.length - 1; i >= 0; i--) {
      if (this.free[i].length >= n) {
        const b = this.free[i];
        this.free[i] = this.free[this.free.length - 1];
        this.free.pop();
        this.issued.add(b.buffer);
        return b;
      }
    }
    // Its own ArrayBuffer (not a slice of Node's pool), so `release` can give the whole of it back;
    // a power of two, so bodies of about the same size reuse it.
    const b = Buffer.allocUnsafeSlow(n > MAX_POOLED_BYTES ? n : Math.max(64 * 1024, 2 ** Math.ceil(Math.log2(Math.max(n, 1)))));
    this.issued.add(b.buffer);
    return b;
  }
}
