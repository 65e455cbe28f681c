import { describe, expect, it } from 'vitest';
import { parseFirehoseConfig } from './firehose-config.ts';

describe('parseFirehoseConfig', () => {
  it('reads keys, streams (full form or an index name) and defaults', () => {
    const c = parseFirehoseConfig({ access_keys: ['k'], streams: { a: { index: 'ia', rotation: 'OneHour', format: 'metric-streams', access_keys: ['ka'] }, b: 'ib' } });
    expect(c.accessKeys).toEqual(['k']);
    expect(c.streams.get('a')).toEqual({ index: 'ia', rotation: 'OneHour', template: undefined, format: 'metric-streams', accessKeys: ['ka'] });
    expect(c.streams.get('b')).toEqual({ index: 'ib', rotation: 'NoRotation', format: 'auto' });
    expect(c.weekScheme).toBe('iso');
    expect(c.dedupeTtlMs).toBe(3 * 3600_000);
    expect(parseFirehoseConfig(undefined).streams.size).toBe(0);
  });

  it('says what is wrong with a bad value', () => {
    expect(() => parseFirehoseConfig({ streams: { a: { rotation: 'Daily' } } })).toThrow(/firehose.streams.a.rotation must be one of NoRotation, OneHour/);
    expect(() => parseFirehoseConfig({ streams: { a: { idx: 'x' } } })).toThrow(/unknown key \[idx\]/);
    expect(() => parseFirehoseConfig({ access_keys: 'k' })).toThrow(/firehose.access_keys must be a list/);
    expect(() => parseFirehoseConfig({ week_numbering: 'fr' })).toThrow(/iso or us/);
    expect(() => parseFirehoseConfig({ dedupe_ttl_seconds: -1 })).toThrow(/positive/);
  });
});
