import { describe, expect, it } from 'vitest';
import { compile } from 'vega-lite';
import { flattenResponse } from './flatten-response.ts';
import {
  byServiceOverTime, byServiceOverTimeResponse, emptyResponse, heatmap, heatmapResponse, statusPie, statusPieResponse,
  uniqueUsers, uniqueUsersResponse,
} from './test-fixtures.ts';
import { buildVegaSpec, chartData, formatNumber } from './vega-spec.ts';
import { CHART_TYPES } from './vis-state.ts';
import type { VisState } from './vis-state.ts';

/** Compiles to Vega (throws on an invalid spec) and returns the vega-lite spec. */
function valid(state: VisState, response: object): any {
  const spec = buildVegaSpec(state, flattenResponse(state, response));
  expect(spec).not.toBeNull();
  expect(() => compile(spec!)).not.toThrow();
  return spec;
}

describe('chartData', () => {
  it('makes one datum per row and metric column, series named by split keys and metric', () => {
    const data = chartData(byServiceOverTime, flattenResponse(byServiceOverTime, byServiceOverTimeResponse));
    expect(data).toHaveLength(18);
    expect(data[0]).toEqual({ x: Date.UTC(2026, 10, 28, 9, 58), series: 'checkout · Average latency_ms', value: 150 });
    expect(new Set(data.map((d) => d.series)).size).toBe(6);
  });
  it('uses the metric label as x without an x bucket, and facets by split charts', () => {
    expect(chartData(uniqueUsers, flattenResponse(uniqueUsers, uniqueUsersResponse))).toEqual([
      { x: 'Unique count of user', series: 'Unique count of user', value: 87 },
      { x: 'Count', series: 'Count', value: 1523 },
    ]);
    expect(chartData(statusPie, flattenResponse(statusPie, statusPieResponse))[4]).toEqual({ x: '404', series: 'Count', value: 0, facet: 'medium' });
  });
});

describe('buildVegaSpec', () => {
  it('builds a time-series line chart with a colour per series', () => {
    const spec = valid(byServiceOverTime, byServiceOverTimeResponse);
    expect(spec.mark.type).toBe('line');
    expect(spec.encoding.x).toMatchObject({ field: 'x', type: 'temporal' });
    expect(spec.encoding.y).toMatchObject({ field: 'value', type: 'quantitative', stack: null });
    expect(spec.encoding.color.field).toBe('series');
    expect(spec.data.values).toHaveLength(18);
    expect(spec.width).toBe('container');
  });

  it('stacks or groups bars, vertical and horizontal', () => {
    const stacked = valid({ ...byServiceOverTime, type: 'bar', options: { mode: 'stacked' } }, byServiceOverTimeResponse);
    expect(stacked.encoding.y.stack).toBe('zero');
    expect(stacked.encoding.x.type).toBe('ordinal');
    expect(stacked.encoding.xOffset).toBeUndefined();
    const grouped = valid({ ...byServiceOverTime, type: 'bar', options: { mode: 'grouped' } }, byServiceOverTimeResponse);
    expect(grouped.encoding.y.stack).toBeNull();
    expect(grouped.encoding.xOffset).toEqual({ field: 'series', sort: grouped.encoding.color.sort });
    // Terms series keep the response's order (by the metric).
    expect(grouped.encoding.color.sort.slice(0, 2)).toEqual(['checkout · Average latency_ms', 'checkout · 50th percentile of latency_ms']);
    const horizontal = valid({ ...byServiceOverTime, type: 'horizontal_bar', options: { mode: 'grouped' } }, byServiceOverTimeResponse);
    expect(horizontal.encoding.x.field).toBe('value');
    expect(horizontal.encoding.y.field).toBe('x');
    expect(horizontal.encoding.yOffset.field).toBe('series');
  });

  it('stacks areas by default', () => {
    expect(valid({ ...byServiceOverTime, type: 'area' }, byServiceOverTimeResponse).encoding.y.stack).toBe('zero');
  });

  it('builds a faceted donut from filters slices split by ranges', () => {
    const spec = valid(statusPie, statusPieResponse);
    expect(spec.mark.type).toBe('arc');
    expect(spec.mark.innerRadius).toHaveProperty('expr');
    expect(spec.encoding.facet).toMatchObject({ field: 'facet' });
    expect(spec.data.values.map((d: any) => d.slice).slice(0, 3)).toEqual(['5xx', '404', '200']);
  });

  it('builds metric tiles with formatted values', () => {
    const spec = valid(uniqueUsers, uniqueUsersResponse);
    expect(spec.data.values).toEqual([
      { label: 'Unique count of user', value: 87, text: '87' },
      { label: 'Count', value: 1523, text: '1523' },
    ]);
    expect(spec.spec.mark.type).toBe('text');
  });

  it('builds a heat map of x by series coloured by the metric', () => {
    const spec = valid(heatmap, heatmapResponse);
    expect(spec.mark.type).toBe('rect');
    expect(spec.encoding.y.field).toBe('series');
    expect(spec.encoding.color).toMatchObject({ field: 'value', type: 'quantitative' });
    expect(spec.data.values.map((d: any) => d.series)).toEqual(['200', '500', '200', '400']);
    // Histogram keys as rows in numeric order, not in the order they first appear.
    expect(spec.encoding.y.sort).toEqual(['200', '400', '500']);
  });

  it('compiles every chart type over an empty response', () => {
    for (const type of CHART_TYPES) {
      const state = { ...byServiceOverTime, type };
      const spec = buildVegaSpec(state, flattenResponse(state, emptyResponse));
      if (type === 'table') { expect(spec).toBeNull(); continue; }
      expect(() => compile(spec!)).not.toThrow();
    }
    const metric = valid({ ...uniqueUsers, metrics: [{ id: 'm1', type: 'avg', field: 'x' }] }, emptyResponse);
    expect(metric.data.values).toEqual([{ label: 'Average x', value: null, text: '–' }]);
  });

  it('returns null for the data table', () => {
    expect(buildVegaSpec({ ...uniqueUsers, type: 'table' }, flattenResponse(uniqueUsers, uniqueUsersResponse))).toBeNull();
  });
});

describe('formatNumber', () => {
  it('abbreviates large values and trims fractions', () => {
    expect([formatNumber(1234567), formatNumber(98765), formatNumber(3.14159), formatNumber(null), formatNumber(2e9)]).toEqual(['1.23M', '98.8k', '3.142', '–', '2B']);
  });
});

describe('value axis', () => {
  it('uses whole-number ticks for counts only', () => {
    const counts = valid({ ...byServiceOverTime, type: 'bar', metrics: [{ id: 'm1', type: 'count' }] }, byServiceOverTimeResponse);
    expect(counts.encoding.y.axis).toEqual({ tickMinStep: 1 });
    expect(valid(byServiceOverTime, byServiceOverTimeResponse).encoding.y.axis).toBeUndefined();
  });
});
