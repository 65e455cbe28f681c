// The hit-count histogram. vega-embed (vega + vega-lite, most of the bundle's weight) is imported only
// when the first histogram is drawn, so the table can render before it arrives. Dragging across bars
// zooms the time range to the selection.

import { useEffect, useRef } from 'react';
import { BRUSH, histogramSpec, type HistogramBucket } from './histogram-spec.ts';
import type { Interval } from '../query/histogram-interval.ts';

/** Starts fetching vega while Discover's first search is in flight (the chunk is large). */
export function prefetchVega(): Promise<typeof import('vega-embed')> {
  vega ??= import('vega-embed');
  return vega;
}
let vega: Promise<typeof import('vega-embed')> | undefined;

export function Histogram(props: {
  buckets: HistogramBucket[];
  interval: Interval;
  bounds: { from: number; to: number };
  onZoom: (from: number, to: number) => void;
}) {
  const el = useRef<HTMLDivElement>(null);
  const onZoom = useRef(props.onZoom);
  onZoom.current = props.onZoom;

  useEffect(() => {
    const node = el.current;
    if (!node) return;
    let cancelled = false;
    let finalize: (() => void) | undefined;
    void prefetchVega().then(async ({ default: embed }) => {
      if (cancelled) return;
      const width = Math.max(300, node.clientWidth - 10);
      const spec = histogramSpec(props.buckets, props.interval, props.bounds, width);
      const result = await embed(node, spec as never, { actions: false, renderer: 'svg', logLevel: 1 /* errors only: the brush on a fixed domain warns */ });
      if (cancelled) return result.finalize();
      let selected: [number, number] | null = null;
      result.view.addSignalListener(BRUSH, (_name, value: { start?: [number | Date, number | Date] }) => {
        const r = value?.start;
        selected = r ? [Number(r[0]), Number(r[1])] : null;
      });
      // The brush signal changes continuously while dragging; zoom once, when the drag ends. Vega cancels
      // the pointerdown's default, so there is no mouseup: listen for pointerup, on the window since the
      // button may be released outside the chart.
      const onUp = () => {
        if (selected && Math.abs(selected[1] - selected[0]) > 0) {
          const [a, b] = selected;
          selected = null;
          onZoom.current(Math.round(Math.min(a, b)), Math.round(Math.max(a, b)));
        }
      };
      window.addEventListener('pointerup', onUp);
      finalize = () => {
        window.removeEventListener('pointerup', onUp);
        result.finalize();
      };
      node.dataset.rendered = 'true';
    });
    return () => {
      cancelled = true;
      delete node.dataset.rendered;
      finalize?.();
    };
  }, [props.buckets, props.interval, props.bounds]);

  return <div className="histogram" ref={el} data-testid="histogram" />;
}
