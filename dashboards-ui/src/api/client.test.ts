import { describe, expect, it } from 'vitest';
import { flattenMapping, type FieldSpec } from './client.ts';

describe('flattenMapping', () => {
  it('flattens objects into dotted names and exposes keyword sub-fields for aggregation', () => {
    const out = new Map<string, FieldSpec>();
    flattenMapping(
      {
        '@timestamp': { type: 'date' },
        message: { type: 'text' },
        level: { type: 'text', fields: { keyword: { type: 'keyword', ignore_above: 256 } } },
        host: { properties: { name: { type: 'keyword' }, ip: { type: 'ip' } } },
        blob: { type: 'keyword', doc_values: false },
      },
      '',
      out,
    );
    expect([...out.values()]).toEqual([
      { name: '@timestamp', type: 'date', aggregatable: true, keywordSubField: undefined },
      { name: 'message', type: 'text', aggregatable: false, keywordSubField: undefined },
      { name: 'level', type: 'text', aggregatable: false, keywordSubField: 'level.keyword' },
      { name: 'level.keyword', type: 'keyword', aggregatable: true },
      { name: 'host.name', type: 'keyword', aggregatable: true, keywordSubField: undefined },
      { name: 'host.ip', type: 'ip', aggregatable: true, keywordSubField: undefined },
      { name: 'blob', type: 'keyword', aggregatable: false, keywordSubField: undefined },
    ]);
  });
});
