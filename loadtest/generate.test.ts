import { describe, expect, it } from 'vitest';
import { END_TIME_MS, START_TIME_MS, makeGenerator, makeQueryWordSampler, wordSelecting } from './generate.ts';

describe('generate', () => {
  const N = 20_000;
  const gen = makeGenerator(7, N);
  const lines = Array.from({ length: N }, (_, i) => gen.docLine(i));
  const docs = lines.map((l) => JSON.parse(l) as Record<string, unknown>);

  it('gives the same documents for the same seed, in any order', () => {
    const a = makeGenerator(7, N);
    const b = makeGenerator(7, N);
    expect(Array.from({ length: 100 }, () => JSON.stringify(a.next()))).toEqual(lines.slice(0, 100));
    expect(b.docLine(12_345)).toBe(lines[12_345]);
    expect(makeGenerator(8, N).docLine(0)).not.toBe(lines[0]);
  });

  it('makes documents of about 500 bytes with the expected fields', () => {
    const avg = lines.reduce((s, l) => s + Buffer.byteLength(l) + 1, 0) / N;
    expect(avg).toBeGreaterThan(450);
    expect(avg).toBeLessThan(550);
    expect(Object.keys(docs[0]!)).toEqual(['@timestamp', 'service', 'host', 'level', 'status', 'latency_ms', 'bytes', 'path', 'user_agent', 'trace_id', 'message']);
    expect(new Set(docs.map((d) => d.service)).size).toBe(20);
    const hosts = new Set(docs.map((d) => d.host)).size;
    expect(hosts).toBeGreaterThan(180);
    expect(hosts).toBeLessThanOrEqual(200);
    expect(new Set(docs.map((d) => d.level))).toEqual(new Set(['DEBUG', 'INFO', 'WARN', 'ERROR']));
    expect(docs.filter((d) => d.status === 200).length / N).toBeGreaterThan(0.6);
    expect(docs.every((d) => /^[0-9a-f]{32}$/.test(d.trace_id as string))).toBe(true);
  });

  it('spreads timestamps over the 7 days, roughly increasing', () => {
    const ts = docs.map((d) => Date.parse(d['@timestamp'] as string));
    expect(docs[0]!['@timestamp']).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    expect(Math.min(...ts)).toBeGreaterThanOrEqual(START_TIME_MS);
    expect(Math.max(...ts)).toBeLessThan(END_TIME_MS);
    expect(ts[N - 1]! - ts[0]!).toBeGreaterThan(6.9 * 86_400_000);
    expect(ts[N / 2]!).toBeGreaterThan(ts[N / 4]!);
  });

  it('has a word selecting ~10% of documents and Zipf-drawn query words', () => {
    const { word } = wordSelecting(0.1);
    const hit = docs.filter((d) => (d.message as string).toLowerCase().split(/[^a-z0-9]+/).includes(word)).length / N;
    expect(hit).toBeGreaterThan(0.08);
    expect(hit).toBeLessThan(0.12);
    const draw = makeQueryWordSampler(1);
    const words = Array.from({ length: 2000 }, draw);
    expect(words.filter((w) => w === 'the').length).toBeGreaterThan(100); // the top word: ~9% of draws
  });
});
