import { describe, expect, it } from 'vitest';
import { prng } from '../../loadtest/lib/log-records.ts';
import { ByteArena } from './byte-arena.ts';
import { scanEnvelope } from './envelope.ts';
import { decodeRecords, type DecodeContext } from './record-decoder.ts';

const ctx: DecodeContext = {
  idBase: 'req', deliveryMs: Date.parse('2024-01-01T00:00:00Z'), recordIndex: 'idx', explicitIndex: false, format: 'auto', commonAttributes: {}, maxRecordBytes: 1 << 20,
};
const b64 = (s: string) => Buffer.from(s).toString('base64');

/** What the service reads from a body the ordinary way: JSON.parse, then the records decoded. */
function viaJsonParse(body: Buffer): unknown {
  const p = JSON.parse(body.toString('utf8')) as Record<string, unknown>;
  return summary(p);
}

function viaScan(body: Buffer): unknown {
  const s = scanEnvelope(body, new ByteArena());
  return s === null ? null : summary(s);
}

function summary(p: Record<string, unknown>): unknown {
  const out: Record<string, unknown> = {};
  if ('requestId' in p) out.requestId = p.requestId;
  if ('timestamp' in p) out.timestamp = p.timestamp;
  if ('records' in p) out.records = Array.isArray(p.records) ? decodeRecords(p.records, ctx) : p.records;
  return out;
}

/** Envelopes of every shape a sender might produce, as bytes. */
function randomEnvelope(rand: () => number): Buffer {
  const pick = <T>(xs: T[]): T => xs[Math.floor(rand() * xs.length)];
  const records: string[] = [];
  const n = Math.floor(rand() * 6);
  for (let i = 0; i < n; i++) {
    const doc = JSON.stringify({ i, msg: pick(['a', 'ü', 'x\ny', '']) });
    records.push(pick([
      `{"data":"${b64(doc)}"}`,
      `{ "data" : "${b64(doc)}" }`,
      `{"data":"${b64(doc).replace(/\//g, '\\/')}"}`, // an escaped slash, as some JSON encoders write
      `{"data":"${b64(doc)}","extra":[1,{"a":null}]}`,
      `{"extra":true,"data":"${b64(doc)}"}`,
      `{"data":"${b64(doc).slice(0, -1)}"}`, // not strict base64
      `{"data":"ab cd"}`,
      '{"data":""}',
      '{"data":17}',
      '{}',
      '"text"',
      'null',
      `{"d\\u0061ta":"${b64(doc)}"}`, // an escaped member name
    ]));
  }
  const sep = pick(['', ' ', '\n  ', '\t']);
  const members = [
    `"requestId"${sep}:${sep}${pick(['"r-1"', '"r\\u002d2"', '17', 'null'])}`,
    `"timestamp":${pick(['1700000000000', '-1.5e3', '0', '"x"'])}`,
    `"records":${sep}[${sep}${records.join(`,${sep}`)}${sep}]`,
    `"other":{"nested":[true,false,null,-0.25E+2,"\\"q\\""]}`,
  ];
  for (let i = members.length - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    [members[i], members[j]] = [members[j], members[i]];
  }
  if (rand() < 0.2) members.push(`"records":[{"data":"${b64('{"last":"wins"}')}"}]`);
  return Buffer.from(`${sep}{${sep}${members.slice(0, 2 + Math.floor(rand() * 3)).join(`,${sep}`)}${sep}}${sep}`);
}

describe('scanEnvelope', () => {
  it('reads a Firehose envelope as JSON.parse does, records decoded from the bytes', () => {
    const body = Buffer.from(JSON.stringify({ requestId: 'r', timestamp: 5, records: [{ data: b64('{"a":1}') }, { data: b64('plain text') }] }));
    const s = scanEnvelope(body, new ByteArena())!;
    expect(s.requestId).toBe('r');
    expect(s.timestamp).toBe(5);
    expect(s.records).toEqual([Buffer.from('{"a":1}'), Buffer.from('plain text')]);
    expect(viaScan(body)).toEqual(viaJsonParse(body));
  });

  it('gives the same records, ids and failures as JSON.parse on envelopes of every shape', () => {
    const rand = prng(7);
    let scanned = 0;
    for (let k = 0; k < 2000; k++) {
      const body = randomEnvelope(rand);
      const got = viaScan(body);
      expect(got).not.toBeNull();
      expect(got).toEqual(viaJsonParse(body));
      scanned++;
    }
    expect(scanned).toBe(2000);
  });

  it('leaves every malformed body to JSON.parse, and never reads one differently', () => {
    const rand = prng(11);
    const alphabet = ['', '"', '\\', '{', '}', '[', ']', ',', ':', ' ', '0', '-', 'e', '.', 'u', 'n', '\u0001', 'é', 'A'];
    for (let k = 0; k < 60; k++) {
      const body = randomEnvelope(rand);
      for (let at = 0; at <= body.length; at++) {
        const variants = [body.subarray(0, at), Buffer.concat([body.subarray(0, at), Buffer.from(alphabet[Math.floor(rand() * alphabet.length)]), body.subarray(at + 1)])];
        for (const v of variants) {
          let expected: unknown;
          try {
            expected = viaJsonParse(v);
          } catch {
            expect(scanEnvelope(v, new ByteArena())).toBeNull();
            continue;
          }
          const got = viaScan(v);
          if (got !== null) expect(got).toEqual(expected);
        }
      }
    }
  });

  it('declines what is not a JSON object, and nesting too deep for its recursion', () => {
    for (const s of ['', '[]', '"x"', '\ufeff{}', '{"a":1} x', '{"a":01}', '{"a":tru}']) expect(scanEnvelope(Buffer.from(s), new ByteArena())).toBeNull();
    const deep = `{"x":${'['.repeat(200_000)}${']'.repeat(200_000)},"requestId":"r"}`;
    const s = scanEnvelope(Buffer.from(deep), new ByteArena());
    // Either read correctly or left to JSON.parse; never a thrown RangeError.
    if (s !== null) expect(s.requestId).toBe('r');
  });
});
