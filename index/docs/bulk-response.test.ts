import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { bulkResponseBytes, type BulkResponse } from './bulk-response.ts';

const shards = fc.record({ total: fc.integer({ min: 0, max: 3 }), successful: fc.integer({ min: 0, max: 3 }), failed: fc.constant(0) });
const writeItem = fc.record({
  _index: fc.string({ unit: 'binary' }),
  _id: fc.string({ unit: 'binary' }),
  _version: fc.integer({ min: 1, max: 2 ** 40 }),
  result: fc.constantFrom('created', 'updated', 'deleted', 'not_found', 'noop'),
  _shards: shards,
  _seq_no: fc.integer({ min: 0, max: 2 ** 50 }),
  _primary_term: fc.integer({ min: 1, max: 9 }),
  status: fc.constantFrom(200, 201, 404),
});
// Items the template must not write: other key sets or orders, errors, non-finite or odd values.
const otherItem = fc.oneof(
  writeItem.map((w) => ({ ...w, forced_refresh: true })),
  writeItem.map(({ status, ...rest }) => ({ status, ...rest })),
  writeItem.map((w) => ({ ...w, get: { found: true, _source: { a: [1, 'x'] } } })),
  writeItem.map((w) => ({ ...w, _version: Number.NaN })),
  writeItem.map((w) => ({ ...w, _seq_no: -0 })),
  writeItem.map((w) => ({ ...w, _shards: { ...w._shards, extra: 1 } })),
  fc.record({ _index: fc.string(), _id: fc.constant(null), status: fc.constant(400), error: fc.record({ type: fc.string(), reason: fc.string({ unit: 'binary' }) }) }),
);
const wrapper = fc.tuple(fc.constantFrom('index', 'create', 'update', 'delete'), fc.oneof(writeItem, otherItem)).map(([k, v]) => ({ [k]: v }) as Record<string, unknown>);

describe('bulk response bytes', () => {
  it('are exactly JSON.stringify of the response, for write results and every other kind of item', () => {
    fc.assert(
      fc.property(fc.array(fc.oneof(wrapper, fc.constant({ index: {}, create: {} })), { maxLength: 20 }), fc.boolean(), fc.nat(), (items, errors, took) => {
        const out: BulkResponse = { took, errors, items };
        expect(bulkResponseBytes(out).toString('utf8')).toBe(JSON.stringify(out));
      }),
      { numRuns: 500 },
    );
  });

  it('write a typical item through the template (same text as the generic path)', () => {
    const out: BulkResponse = {
      took: 3,
      errors: false,
      items: [{ index: { _index: 'logs', _id: 'é"\\\n', _version: 1, result: 'created', _shards: { total: 2, successful: 1, failed: 0 }, _seq_no: 41, _primary_term: 1, status: 201 } }],
    };
    expect(bulkResponseBytes(out).toString('utf8')).toBe(JSON.stringify(out));
  });
});
