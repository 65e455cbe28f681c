// The JSON envelope of a Firehose delivery (`{"requestId":…,"timestamp":…,"records":[{"data":"<base64>"},…]}`,
// specs/aws.md §1.1) read straight from the body's bytes. `JSON.parse(body.toString())` made a string
// of the whole body (~620 KB for 500 records of 1 KB, born in V8's large-object space, so every
// delivery grew the old generation and brought the next full collection closer) and then a string per
// record's base64; here each record's base64 is decoded from a short slice of the bytes.
//
// Only well-formed JSON is read this way, and it yields exactly what JSON.parse would: every member
// is checked by a validating scan, `requestId` and `timestamp` (and any record that is not a plain
// `{"data":"<base64>"}`) are JSON.parse'd from their own bytes. Anything the scan does not accept
// returns null and the caller parses the body the ordinary way, so its errors are JSON.parse's own.

import { isStrictBase64 } from './base64.ts';
import type { ByteArena } from './byte-arena.ts';

/**
 * The envelope's members as JSON.parse would give them, present ones only (a missing one is absent,
 * as in the parsed object); a record is its decoded bytes or its parsed JSON value.
 */
export type ScannedEnvelope = {
  requestId?: unknown;
  timestamp?: unknown;
  records?: unknown;
};

const SPACE = 0x20, TAB = 0x09, LF = 0x0a, CR = 0x0d;
const QUOTE = 0x22, BACKSLASH = 0x5c, COMMA = 0x2c, COLON = 0x3a;
const OPEN_OBJECT = 0x7b, CLOSE_OBJECT = 0x7d, OPEN_ARRAY = 0x5b, CLOSE_ARRAY = 0x5d;

/** The scan's failure: the caller falls back to JSON.parse. */
class NotScanned extends Error {}
const NOT_SCANNED = new NotScanned();

/**
 * Reads the envelope from `body`, plain records decoded into `arena`; null when the body is not a
 * well-formed JSON object (or too odd to scan).
 */
export function scanEnvelope(body: Buffer, arena: ByteArena): ScannedEnvelope | null {
  try {
    return new Scanner(body, arena).envelope();
  } catch (err) {
    // Deep nesting overflows the recursive scan: JSON.parse decides about such bodies.
    if (err === NOT_SCANNED || err instanceof RangeError) return null;
    throw err;
  }
}

class Scanner {
  private pos = 0;
  /** The first backslash at or after `pos` seen so far (-1: none left), so a record's base64 is checked for escapes without a scan per record. */
  private nextBackslash = -2;

  constructor(private readonly b: Buffer, private readonly arena: ByteArena) {}

  envelope(): ScannedEnvelope {
    const members: ScannedEnvelope = {};
    this.ws();
    this.expect(OPEN_OBJECT);
    this.ws();
    if (this.peek() === CLOSE_OBJECT) this.pos++;
    else {
      for (;;) {
        const key = this.key();
        this.ws();
        this.expect(COLON);
        this.ws();
        if (key === 'records' && this.peek() === OPEN_ARRAY) members.records = this.records();
        else if (key === 'requestId' || key === 'timestamp' || key === 'records') members[key] = this.parsedValue();
        else this.skipValue();
        this.ws();
        const c = this.next();
        if (c === CLOSE_OBJECT) break;
        if (c !== COMMA) throw NOT_SCANNED;
        this.ws();
      }
    }
    this.ws();
    if (this.pos !== this.b.length) throw NOT_SCANNED;
    return members;
  }

  /** The records array: each a plain `{"data":"<base64>"}` decoded, or anything else as JSON.parse gives it. */
  private records(): unknown[] {
    const out: unknown[] = [];
    this.pos++; // [
    this.ws();
    if (this.peek() === CLOSE_ARRAY) {
      this.pos++;
      return out;
    }
    for (;;) {
      const start = this.pos;
      const bytes = this.plainRecord();
      if (bytes !== null) out.push(bytes);
      else {
        this.pos = start;
        out.push(this.parsedValue());
      }
      this.ws();
      const c = this.next();
      if (c === CLOSE_ARRAY) return out;
      if (c !== COMMA) throw NOT_SCANNED;
      this.ws();
    }
  }

  /**
   * A record that is exactly `{"data":"<strict base64>"}` (whitespace allowed) decoded to its bytes,
   * with `pos` after it; null for any other record (`pos` is then left anywhere).
   */
  private plainRecord(): Buffer | null {
    const b = this.b;
    if (b[this.pos] !== OPEN_OBJECT) return null;
    this.pos++;
    this.ws();
    const p = this.pos;
    if (b[p] !== QUOTE || b[p + 1] !== 0x64 || b[p + 2] !== 0x61 || b[p + 3] !== 0x74 || b[p + 4] !== 0x61 || b[p + 5] !== QUOTE) return null;
    this.pos = p + 6;
    this.ws();
    if (b[this.pos] !== COLON) return null;
    this.pos++;
    this.ws();
    if (b[this.pos] !== QUOTE) return null;
    const start = this.pos + 1;
    const end = b.indexOf(QUOTE, start);
    if (end < 0) return null;
    // An escape inside means the quote found may not close the string, and the text is not plain base64.
    if (this.backslashAfter(start) < end) return null;
    const text = b.toString('latin1', start, end);
    const bytes = this.arena.decodeBase64(text);
    // Anything but the alphabet (control characters, non-ASCII, spaces) fails here: such a record is
    // read by JSON.parse instead, which also rejects what JSON does not allow in a string.
    if (!isStrictBase64(text, bytes.length)) return null;
    this.pos = end + 1;
    this.ws();
    if (b[this.pos] !== CLOSE_OBJECT) return null;
    this.pos++;
    return bytes;
  }

  private backslashAfter(from: number): number {
    if (this.nextBackslash === -2 || (this.nextBackslash >= 0 && this.nextBackslash < from)) {
      this.nextBackslash = this.b.indexOf(BACKSLASH, from);
    }
    return this.nextBackslash < 0 ? Infinity : this.nextBackslash;
  }

  /** A member name, as JSON.parse reads it. */
  private key(): string {
    const start = this.pos;
    this.skipString();
    const raw = this.b.toString('utf8', start + 1, this.pos - 1);
    return raw.indexOf('\\') < 0 ? raw : (JSON.parse(this.b.toString('utf8', start, this.pos)) as string);
  }

  /** The value at `pos`, JSON.parse'd from its own bytes after a validating scan. */
  private parsedValue(): unknown {
    const start = this.pos;
    this.skipValue();
    return JSON.parse(this.b.toString('utf8', start, this.pos));
  }

  // --- A validating scan of any JSON value (RFC 8259), moving `pos` past it. ---

  private skipValue(): void {
    const c = this.peek();
    if (c === QUOTE) this.skipString();
    else if (c === OPEN_OBJECT) this.skipObject();
    else if (c === OPEN_ARRAY) this.skipArray();
    else if (c === 0x74) this.literal('true');
    else if (c === 0x66) this.literal('false');
    else if (c === 0x6e) this.literal('null');
    else this.skipNumber();
  }

  private skipObject(): void {
    this.pos++;
    this.ws();
    if (this.peek() === CLOSE_OBJECT) {
      this.pos++;
      return;
    }
    for (;;) {
      if (this.peek() !== QUOTE) throw NOT_SCANNED;
      this.skipString();
      this.ws();
      this.expect(COLON);
      this.ws();
      this.skipValue();
      this.ws();
      const c = this.next();
      if (c === CLOSE_OBJECT) return;
      if (c !== COMMA) throw NOT_SCANNED;
      this.ws();
    }
  }

  private skipArray(): void {
    this.pos++;
    this.ws();
    if (this.peek() === CLOSE_ARRAY) {
      this.pos++;
      return;
    }
    for (;;) {
      this.skipValue();
      this.ws();
      const c = this.next();
      if (c === CLOSE_ARRAY) return;
      if (c !== COMMA) throw NOT_SCANNED;
      this.ws();
    }
  }

  private skipString(): void {
    const b = this.b;
    if (b[this.pos] !== QUOTE) throw NOT_SCANNED;
    let i = this.pos + 1;
    for (;;) {
      if (i >= b.length) throw NOT_SCANNED;
      const c = b[i];
      if (c === QUOTE) break;
      if (c < 0x20) throw NOT_SCANNED;
      if (c === BACKSLASH) {
        const e = b[i + 1];
        if (e === 0x75) {
          for (let k = 2; k < 6; k++) if (!isHex(b[i + k])) throw NOT_SCANNED;
          i += 6;
          continue;
        }
        // " \ / b f n r t
        if (e !== QUOTE && e !== BACKSLASH && e !== 0x2f && e !== 0x62 && e !== 0x66 && e !== 0x6e && e !== 0x72 && e !== 0x74) throw NOT_SCANNED;
        i += 2;
        continue;
      }
      i++;
    }
    this.pos = i + 1;
  }

  private skipNumber(): void {
    const b = this.b;
    let i = this.pos;
    if (b[i] === 0x2d) i++;
    if (b[i] === 0x30) i++;
    else if (isDigit(b[i]) && b[i] !== 0x30) while (isDigit(b[i])) i++;
    else throw NOT_SCANNED;
    if (b[i] === 0x2e) {
      i++;
      if (!isDigit(b[i])) throw NOT_SCANNED;
      while (isDigit(b[i])) i++;
    }
    if (b[i] === 0x65 || b[i] === 0x45) {
      i++;
      if (b[i] === 0x2b || b[i] === 0x2d) i++;
      if (!isDigit(b[i])) throw NOT_SCANNED;
      while (isDigit(b[i])) i++;
    }
    this.pos = i;
  }

  private literal(word: string): void {
    for (let k = 0; k < word.length; k++) if (this.b[this.pos + k] !== word.charCodeAt(k)) throw NOT_SCANNED;
    this.pos += word.length;
  }

  private ws(): void {
    const b = this.b;
    let i = this.pos;
    for (;;) {
      const c = b[i];
      if (c !== SPACE && c !== LF && c !== CR && c !== TAB) break;
      i++;
    }
    this.pos = i;
  }

  private peek(): number {
    if (this.pos >= this.b.length) throw NOT_SCANNED;
    return this.b[this.pos];
  }

  private next(): number {
    const c = this.peek();
    this.pos++;
    return c;
  }

  private expect(c: number): void {
    if (this.next() !== c) throw NOT_SCANNED;
  }
}

function isDigit(c: number | undefined): boolean {
  return c !== undefined && c >= 0x30 && c <= 0x39;
}

function isHex(c: number | undefined): boolean {
  return c !== undefined && ((c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x46) || (c >= 0x61 && c <= 0x66));
}
