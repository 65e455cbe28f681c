import { describe, expect, it } from 'vitest';
import type { VisState } from '../visualize/specs/vis-state.ts';
import {
  ALL, parseVariableChoices, referencedVariables, resolveValues, substituteInVisState, substituteVariables, variableChoicesRequest, withDefaults,
} from './variables.ts';
import type { VariableDef } from './variables.ts';

const service: VariableDef = { name: 'service', index: 'logs-*', field: 'service', timeField: '@timestamp', size: 20 };

describe('substituteVariables', () => {
  it('replaces $name and ${name} with the value', () => {
    expect(substituteVariables('service:$service and level:error', { service: 'checkout' })).toBe('service:checkout and level:error');
    expect(substituteVariables('logGroup:/aws/lambda/${fn}*', { fn: 'ingest' })).toBe('logGroup:/aws/lambda/ingest*');
  });
  it('turns All into a wildcard', () => {
    expect(substituteVariables('service:$service', { service: ALL })).toBe('service:*');
  });
  it('quotes values with spaces or DQL syntax, escaping quotes, but not inside quotes', () => {
    expect(substituteVariables('service:$service', { service: 'web api' })).toBe('service:"web api"');
    expect(substituteVariables('service:$service', { service: 'a"b' })).toBe('service:"a\\"b"');
    expect(substituteVariables('service:$service', { service: 'or' })).toBe('service:"or"');
    expect(substituteVariables('msg:"user $user failed"', { user: 'bob "x"' })).toBe('msg:"user bob \\"x\\" failed"');
  });
  it('leaves unknown names, escaped dollars and a bare dollar alone', () => {
    expect(substituteVariables('price:\\$service or x:$other or y:$', { service: 'a' })).toBe('price:\\$service or x:$other or y:$');
  });
  it('lists referenced names', () => {
    expect(referencedVariables('a:$x and b:${y} or c:$x')).toEqual(['x', 'y']);
  });
});

describe('variable choices', () => {
  it('asks for the top terms in the time range, sorted by key', () => {
    const now = Date.UTC(2026, 0, 1);
    const req = variableChoicesRequest(service, { from: 'now-1h', to: 'now' }, now);
    expect(req).toEqual({
      index: 'logs-*',
      body: {
        size: 0,
        query: { bool: { filter: [{ range: { '@timestamp': { gte: now - 3_600_000, lte: now, format: 'epoch_millis' } } }] } },
        aggs: { values: { terms: { field: 'service', size: 20, order: { _key: 'asc' } } } },
      },
    });
  });
  it('reads the terms buckets, All first unless disabled', () => {
    const res = { hits: { total: { value: 3 } }, aggregations: { values: { buckets: [{ key: 'api', doc_count: 2 }, { key: 1, key_as_string: 'true', doc_count: 1 }] } } };
    expect(parseVariableChoices(service, res)).toEqual([ALL, 'api', 'true']);
    expect(parseVariableChoices({ ...service, includeAll: false }, res)).toEqual(['api', 'true']);
    expect(parseVariableChoices(service, { error: 'x' })).toEqual([ALL]);
  });
  it('stands for All until a value is chosen', () => {
    expect(withDefaults([service, { ...service, name: 'region' }], { region: 'eu' })).toEqual({ service: ALL, region: 'eu' });
  });
  it('keeps a still-valid choice and falls back to the first choice', () => {
    const defs = [service, { ...service, name: 'region', includeAll: false }];
    expect(resolveValues(defs, { service: 'api', region: 'gone' }, { service: [ALL, 'api'], region: ['eu', 'us'] })).toEqual({ service: 'api', region: 'eu' });
  });
});

describe('substituteInVisState', () => {
  it('substitutes in the query and in filters buckets', () => {
    const state: VisState = {
      type: 'bar', index: 'logs-*', query: 'service:$service', metrics: [{ id: 'm', type: 'count' }],
      buckets: [{ id: 'b', type: 'filters', role: 'x', filters: [{ query: 'service:$service and status>=500', label: 'errors' }] }],
    };
    const out = substituteInVisState(state, { service: 'web api' });
    expect(out.query).toBe('service:"web api"');
    expect(out.buckets[0].filters![0]).toEqual({ query: 'service:"web api" and status>=500', label: 'errors' });
    expect(state.query).toBe('service:$service');
  });
});
