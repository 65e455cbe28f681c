// The hit-count histogram as a vega-lite spec, built from the date_histogram buckets by a pure function
// (unit-tested without a browser). The spec carries an interval brush on x: dragging selects a range
// that Discover turns into the new time range.

import type { Interval } from '../query/histogram-interval.ts';

export interface HistogramBucket {
  key: number;
  doc_count: number;
}

/** The brush selection's name (the chart component listens to this signal). */
export const BRUSH = 'brush';

export function histogramSpec(buckets: HistogramBucket[], interval: Interval, bounds: { from: number; to: number }, width: number): Record<string, unknown> {
  const values = buckets.map((b) => ({ start: b.key, end: b.key + interval.ms, count: b.doc_count }));
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    width,
    height: 110,
    autosize: { type: 'fit-x', contains: 'padding' },
    background: 'transparent',
    data: { values },
    params: [{ name: BRUSH, select: { type: 'interval', encodings: ['x'] } }],
    mark: { type: 'bar', color: '#54B399', cursor: 'crosshair', clip: true },
    encoding: {
      x: {
        field: 'start',
        type: 'temporal',
        title: null,
        scale: { domain: [bounds.from, bounds.to] },
        axis: { labelOverlap: true, grid: false, tickCount: 8 },
      },
      x2: { field: 'end' },
      y: { field: 'count', type: 'quantitative', title: 'Count', axis: { tickCount: 3, titleColor: '#69707d' } },
      // With both x and x2 a bar is "ranged" on x; y2 pins its base to zero (else it is a thin band at y).
      y2: { datum: 0 },
      tooltip: [
        { field: 'start', type: 'temporal', title: 'from', format: '%Y-%m-%d %H:%M:%S' },
        { field: 'count', type: 'quantitative', title: 'count', format: ',' },
      ],
    },
    config: { view: { stroke: null }, axis: { labelColor: '#69707d', domainColor: '#d3dae6', tickColor: '#d3dae6' } },
  };
}
