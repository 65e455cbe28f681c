import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { decodeRecords, idBaseFor, type DecodeContext } from './record-decoder.ts';

const ctx: DecodeContext = {
  idBase: 'req', deliveryMs: Date.parse('2024-01-01T00:00:00Z'), recordIndex: 'idx', explicitIndex: false, format: 'auto', commonAttributes: {}, maxRecordBytes: 1 << 20,
};
const rec = (b: Buffer | string) => ({ data: Buffer.from(b).toString('base64') });

describe('decodeRecords', () => {
  it('rejects base64 with characters outside the alphabet (Node would skip them silently)', () => {
    const out = decodeRecords([{ data: 'eyJhIjox fQ==' }, { data: 'eyJhIjoxfQ' }, { data: 'eyJhIjoxfQ=' }, { data: 'e' }], ctx);
    expect(out.docs.map((d) => d.id)).toEqual(['req-1', 'req-2']);
    expect(out.failures.map((f) => f.id)).toEqual(['req-0', 'req-3']);
  });

  it('gunzips records by their magic bytes, two layers deep is not needed for plain gzip JSON', () => {
    const out = decodeRecords([rec(gzipSync('{"zipped":true}'))], ctx);
    expect(out.docs[0].source).toEqual({ zipped: true, '@timestamp': '2024-01-01T00:00:00.000Z' });
  });

  it('treats a decompressed CloudWatch Logs envelope (Decompression processor) like a gzipped one', () => {
    const env = { messageType: 'DATA_MESSAGE', owner: '1', logGroup: 'g', logStream: 's', subscriptionFilters: [], logEvents: [{ id: '1', timestamp: 0, message: 'm' }] };
    const plain = decodeRecords([rec(JSON.stringify(env))], ctx);
    const zipped = decodeRecords([rec(gzipSync(JSON.stringify(env)))], ctx);
    expect(plain.docs).toEqual(zipped.docs);
    expect(plain.docs[0]).toMatchObject({ id: '1', source: { eventId: '1', logGroup: 'g', message: 'm' } });
  });

  it('reports bad log events alone and counts control messages', () => {
    const env = { messageType: 'DATA_MESSAGE', logGroup: 'g', logStream: 's', logEvents: [{ id: '1', timestamp: 0, message: 'ok' }, { id: 2, timestamp: 0, message: 'bad id' }, { id: '3', timestamp: 1e20, message: 'beyond year 9999' }] };
    const control = { messageType: 'CONTROL_MESSAGE', logGroup: '', logStream: '', logEvents: [{ id: '', timestamp: 0, message: 'CWL CONTROL MESSAGE' }] };
    const out = decodeRecords([rec(JSON.stringify(env)), rec(gzipSync(JSON.stringify(control)))], ctx);
    expect(out.docs).toHaveLength(1);
    expect(out.failures).toMatchObject([{ recordIndex: 0, part: 1, id: 'req-0-1' }, { recordIndex: 0, part: 2, id: 'req-0-2' }]);
    expect(out.controlMessages).toBe(1);
  });

  it('keeps a complete record byte for byte as its _source, and writes the fields it adds in front of the record\'s own bytes', () => {
    const sent = '{ "@timestamp" : "2024-01-01T00:00:01Z",  "msg":"a\\u0041" }';
    const withAttrs = { ...ctx, commonAttributes: { env: 'prod' } };
    const [kept] = decodeRecords([rec(sent + '\n')], ctx).docs;
    expect(kept.bytes?.toString('utf8')).toBe(sent);
    expect(kept.source).toEqual({ '@timestamp': '2024-01-01T00:00:01Z', msg: 'aA' });
    const lines = decodeRecords([rec(`${sent}\n{"msg":"no time"}`)], ctx).docs;
    expect(lines.map((d) => d.bytes?.toString('utf8'))).toEqual([sent, '{"@timestamp":"2024-01-01T00:00:00.000Z","msg":"no time"}']);
    expect(lines[1].source).toEqual({ msg: 'no time', '@timestamp': '2024-01-01T00:00:00.000Z' });
    const [completed] = decodeRecords([rec(sent)], withAttrs).docs;
    expect(completed.bytes?.toString('utf8')).toBe('{"env":"prod", "@timestamp" : "2024-01-01T00:00:01Z",  "msg":"a\\u0041" }');
    expect(completed.source).toMatchObject({ env: 'prod' });
    // An empty object, a record's own `timestamp`, pretty-printed JSON: the bytes always parse to the source.
    const odd = decodeRecords([rec('{}'), rec('\r\n {"timestamp": 1700000000000, "k": [1, {"@timestamp": 2}]}'), rec(' \t{\n  "a": 1\n}')], withAttrs).docs;
    expect(odd.map((d) => d.bytes?.toString('utf8'))).toEqual([
      '{"env":"prod","@timestamp":"2024-01-01T00:00:00.000Z"}',
      '{"env":"prod","@timestamp":"2023-11-14T22:13:20.000Z","timestamp": 1700000000000, "k": [1, {"@timestamp": 2}]}',
      '{"env":"prod","@timestamp":"2024-01-01T00:00:00.000Z",\n  "a": 1\n}',
    ]);
    for (const d of odd) expect(JSON.parse(d.bytes!.toString('utf8'))).toEqual(d.source);
  });

  it('counts empty records without storing them', () => {
    const out = decodeRecords([{ data: '' }, rec('\n')], ctx);
    expect(out).toMatchObject({ docs: [], failures: [], emptyRecords: 2 });
  });
});

describe('idBaseFor', () => {
  it('keeps GUIDs and hashes long or unprintable request ids', () => {
    expect(idBaseFor('ed4acda5-034f-9f42-bba1-f29aea6d7d8f')).toBe('ed4acda5-034f-9f42-bba1-f29aea6d7d8f');
    expect(idBaseFor('x'.repeat(300))).toMatch(/^[0-9a-f]{40}$/);
    expect(idBaseFor('with space')).toMatch(/^[0-9a-f]{40}$/);
  });
});
