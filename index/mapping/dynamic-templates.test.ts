import { describe, expect, it } from 'vitest';
import { Mapping } from './mapping.ts';
import { parseDocument } from './document-parser.ts';

function mapAfter(mappingBody: Record<string, unknown>, doc: Record<string, unknown>) {
  const parsed = parseDocument(Mapping.parse(mappingBody), doc, '1');
  return { props: parsed.mapping.json.properties as Record<string, any>, parsed };
}

describe('dynamic_templates', () => {
  it('path_match maps every dimension to keyword (the cwm-* template)', () => {
    const { props, parsed } = mapAfter(
      { dynamic_templates: [{ dims: { path_match: 'dimensions.*', mapping: { type: 'keyword' } } }] },
      { dimensions: { Service: 'api', Host: 'h-1' }, other: 'text here' },
    );
    expect(props.dimensions.properties.Service).toEqual({ type: 'keyword' });
    expect(props.dimensions.properties.Host).toEqual({ type: 'keyword' });
    expect(props.other.type).toBe('text');
    const svc = parsed.fields.find((f) => f.info.path === 'dimensions.Service')!;
    expect(svc.info.type).toBe('keyword');
    expect(svc.values).toEqual(['api']);
  });

  it('first matching template wins; unmatch and path_unmatch exclude', () => {
    const { props } = mapAfter(
      {
        dynamic_templates: [
          { no_skip: { match: '*_s', unmatch: 'skip_*', mapping: { type: 'keyword' } } },
          { rest: { match: '*_s', mapping: { type: 'text' } } },
          { deep: { path_match: 'a.*', path_unmatch: ['a.x', 'a.x.*'], mapping: { type: 'integer' } } },
        ],
      },
      { name_s: 'x', skip_s: 'y', a: { n: 1, x: { m: 2 } } },
    );
    expect(props.name_s.type).toBe('keyword');
    expect(props.skip_s.type).toBe('text');
    expect(props.a.properties.n.type).toBe('integer');
    expect(props.a.properties.x.properties.m.type).toBe('long');
  });

  it('match_mapping_type selects on the detected JSON type, with {name} and {dynamic_type}', () => {
    const { props } = mapAfter(
      {
        dynamic_templates: [
          { longs: { match_mapping_type: 'long', mapping: { type: 'integer', meta: { from: '{name}' } } } },
          { dbl: { match_mapping_type: 'double', mapping: { type: '{dynamic_type}' } } },
          { dates: { match_mapping_type: 'date', mapping: { type: 'date', format: 'strict_date_optional_time' } } },
          { strs: { match_mapping_type: 'string', mapping: { type: 'keyword', ignore_above: 10 } } },
          { bools: { match_mapping_type: 'boolean', mapping: { index: false } } },
        ],
      },
      { n: 3, f: 1.5, d: '2024-01-01T00:00:00Z', s: 'abc', b: true },
    );
    expect(props.n).toEqual({ type: 'integer', meta: { from: 'n' } });
    expect(props.f.type).toBe('float');
    expect(props.d.format).toBe('strict_date_optional_time');
    expect(props.s).toEqual({ type: 'keyword', ignore_above: 10 });
    expect(props.b).toEqual({ type: 'boolean', index: false });
  });

  it('regex match_pattern', () => {
    const { props } = mapAfter({ dynamic_templates: [{ r: { match_pattern: 'regex', match: '^id_\\d+$', mapping: { type: 'keyword' } } }] }, { id_12: 'a', id_x: 'b' });
    expect(props.id_12.type).toBe('keyword');
    expect(props.id_x.type).toBe('text');
  });

  it('object templates with properties; false_allow_templates adds only templated fields', () => {
    const { props, parsed } = mapAfter(
      {
        dynamic: 'false_allow_templates',
        dynamic_templates: [
          { obj: { match: 'objectField*', match_mapping_type: 'object', mapping: { type: 'object', properties: { bar1: { type: 'keyword' }, bar2: { type: 'text' } } } } },
          { arr: { match: 'arrayField*', mapping: { type: 'keyword' } } },
        ],
      },
      { objectField: { bar1: 'x', bar2: 'y z' }, arrayField: ['a', 'b'], author: 'John' },
    );
    expect(props.objectField.properties.bar1.type).toBe('keyword');
    expect(props.objectField.properties.bar2.type).toBe('text');
    expect(props.arrayField.type).toBe('keyword');
    expect(props.author).toBeUndefined();
    expect(parsed.fields.find((f) => f.info.path === 'objectField.bar1')?.values).toEqual(['x']);
    expect(parsed.fields.find((f) => f.info.path === 'arrayField')?.values).toEqual(['a', 'b']);
  });

  it('strict_allow_templates refuses fields no template maps', () => {
    const m = Mapping.parse({ dynamic: 'strict_allow_templates', dynamic_templates: [{ k: { match: 'k_*', mapping: { type: 'keyword' } } }] });
    expect(parseDocument(m, { k_a: 'x' }, '1').mappingChanged).toBe(true);
    expect(() => parseDocument(m, { other: 'x' }, '1')).toThrow(/strict/);
  });

  it('rejects malformed templates', () => {
    expect(() => Mapping.parse({ dynamic_templates: { a: {} } })).toThrow(/array of named objects/);
    expect(() => Mapping.parse({ dynamic_templates: [{ a: { match: 'x' } }] })).toThrow(/mapping/);
    expect(() => Mapping.parse({ dynamic_templates: [{ a: { match_mapping_type: 'nope', mapping: {} } }] })).toThrow(/No field type matched/);
    expect(() => Mapping.parse({ dynamic_templates: [{ a: { bogus: 1, mapping: {} } }] })).toThrow(/Illegal dynamic template parameter/);
  });
});
