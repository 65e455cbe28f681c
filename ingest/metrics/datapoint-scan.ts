// The read path of metrics: the datapoint documents of one metric (by its `metricKey` term) in a time
// range, read straight from the engine's columnar doc values (postings of the key term, then the
// `@timestamp`, `value`, `count`, `sum`, `min`, `max` and `unit` columns). This is what the engine's
// term query + date_histogram + stats would do, without building a search request per query and with
// exact percentiles over the stored values (CloudWatch percentiles are over raw values).

import type { IndicesService } from '../../index/indices/indices-service.ts';
import type { DocValuesField, Segment } from '../../index/segment/segment.ts';
import type { Index } from '../../index/indices/index.ts';

const DAY_MS = 24 * 3600 * 1000;

/** One stored datapoint as the scan hands it over: a value (with multiplicity) or a statistic set. */
export interface Datapoint {
  ts: number;
  /** Value documents: the value, and how many times it occurred. */
  value: number;
  count: number;
  /** True for a StatisticValues document (then sum/min/max are set and `value` is NaN). */
  isSet: boolean;
  sum: number;
  min: number;
  max: number;
  unit: string;
  /** A Metric Streams datapoint's additional statistics, when the scan was asked for them (else null). */
  extended?: Record<string, number> | null;
}

/** Segments of the `cwm-*` indices, refreshed so the latest acknowledged writes are visible. */
export class DatapointScanner {
  constructor(private readonly indices: IndicesService) {}

  /** Open `cwm-*` indices whose UTC day (from the name) can hold timestamps in [startMs, endMs). */
  metricIndices(startMs = -Infinity, endMs = Infinity): Index[] {
    const out: Index[] = [];
    for (const [name, index] of this.indices.indices) {
      if (!name.startsWith('cwm-') || !index.isOpen) continue;
      const m = /^cwm-(\d{4})\.(\d{2})\.(\d{2})$/.exec(name);
      if (m) {
        const day = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
        if (day >= endMs || day + DAY_MS <= startMs) continue;
      }
      out.push(index);
    }
    return out;
  }

  /** The live segments of those indices, after a refresh (a no-op for shards without new writes). */
  segments(startMs = -Infinity, endMs = Infinity): Segment[] {
    const out: Segment[] = [];
    for (const index of this.metricIndices(startMs, endMs)) {
      for (const shard of index.shards) {
        shard.refresh();
        out.push(...shard.segments);
      }
    }
    return out;
  }

  /**
   * Calls `visit` for every datapoint of the metric with a timestamp in [startMs, endMs) (and the unit,
   * if given); `withExtended`: with Metric Streams' additional statistics (read from `_source`).
   */
  scan(key: string, startMs: number, endMs: number, unit: string | undefined, visit: (d: Datapoint) => void, withExtended = false): void {
    const d: Datapoint = { ts: 0, value: NaN, count: 1, isSet: false, sum: NaN, min: NaN, max: NaN, unit: '', extended: null };
    for (const seg of this.segments(startMs, endMs)) {
      const docs = seg.postings('metricKey', key);
      if (docs.length === 0) continue;
      const tsCol = seg.docValues.get('@timestamp');
      if (!tsCol) continue;
      const valueCol = seg.docValues.get('value');
      const countCol = seg.docValues.get('count');
      const sumCol = seg.docValues.get('sum');
      const minCol = seg.docValues.get('min');
      const maxCol = seg.docValues.get('max');
      const unitCol = seg.docValues.get('unit');
      const resolutionCol = seg.docValues.get('storageResolution');
      const extendedCol = withExtended ? seg.docValues.get('extendedStatisticsCount') : undefined;
      let unitOrd = -1;
      if (unit !== undefined) {
        unitOrd = unitCol?.terms ? unitCol.terms.indexOf(unit) : -1;
        if (unitOrd < 0) continue;
      }
      const deletes = seg.deletes;
      for (let i = 0; i < docs.length; i++) {
        const doc = docs[i];
        if (deletes !== null && deletes.has(doc)) continue;
        const ts = first(tsCol, doc);
        if (!(ts >= startMs && ts < endMs)) continue;
        if (unit !== undefined && first(unitCol!, doc) !== unitOrd) continue;
        // Standard resolution is one-minute data: a sub-minute period sees it at its minute, as CloudWatch
        // (which keeps it per minute) answers; high resolution (1) keeps its second.
        d.ts = resolutionCol && first(resolutionCol, doc) === 1 ? ts : Math.floor(ts / 60_000) * 60_000;
        d.unit = unitCol?.terms ? (unitCol.terms[first(unitCol, doc)] ?? 'None') : 'None';
        const v = valueCol ? first(valueCol, doc) : NaN;
        if (!Number.isNaN(v)) {
          d.isSet = false;
          d.value = v;
          const c = countCol ? first(countCol, doc) : NaN;
          d.count = Number.isNaN(c) ? 1 : c;
        } else {
          d.isSet = true;
          d.value = NaN;
          d.count = countCol ? first(countCol, doc) : NaN;
          d.sum = sumCol ? first(sumCol, doc) : NaN;
          d.min = minCol ? first(minCol, doc) : NaN;
          d.max = maxCol ? first(maxCol, doc) : NaN;
          if (Number.isNaN(d.count) || Number.isNaN(d.sum)) continue; // not a datapoint document
        }
        d.extended = extendedCol && first(extendedCol, doc) > 0 ? extendedOf(seg, doc) : null;
        visit(d);
      }
    }
  }
}

/** A datapoint document's `extendedStatistics` (JSON text in its `_source`), or null. */
function extendedOf(seg: Segment, doc: number): Record<string, number> | null {
  try {
    const text = (JSON.parse(seg.source(doc).toString('utf8')) as { extendedStatistics?: unknown }).extendedStatistics;
    return typeof text === 'string' ? (JSON.parse(text) as Record<string, number>) : null;
  } catch {
    return null; // not written by Lookout: no additional statistics
  }
}

/** A doc's first value in a column, NaN when it has none. */
function first(col: DocValuesField, doc: number): number {
  const at = col.offsets[doc];
  return at < col.offsets[doc + 1] ? col.values[at] : NaN;
}
