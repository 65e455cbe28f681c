// Renders a vega-lite spec with vega-embed. vega-embed (with vega and vega-lite, ~1 MB) is imported on
// first use, so pages without a chart never load it; the view is handed to the parent for PNG export.

import { useEffect, useRef, useState } from 'react';
import type { TopLevelSpec } from 'vega-lite';

/** The part of a vega View that exports need (kept narrow so callers need not import vega types). */
export interface ChartView {
  toImageURL(type: 'png' | 'svg', scaleFactor?: number): Promise<string>;
}

export function VegaChart(props: { spec: TopLevelSpec; onView?: (view: ChartView | null) => void; className?: string }) {
  const ref = useRef<HTMLDivElement>(null);
  const [error, setError] = useState<string | null>(null);
  const { spec, onView } = props;

  useEffect(() => {
    let cancelled = false;
    let finalize: (() => void) | undefined;
    setError(null);
    (async () => {
      const { default: embed } = await import('vega-embed');
      if (cancelled || !ref.current) return;
      const result = await embed(ref.current, spec as never, { actions: false, renderer: 'canvas', tooltip: true });
      if (cancelled) { result.finalize(); return; }
      finalize = () => result.finalize();
      ref.current.dataset.rendered = 'true';
      onView?.(result.view as unknown as ChartView);
    })().catch((e: unknown) => { if (!cancelled) setError(e instanceof Error ? e.message : String(e)); });
    return () => {
      cancelled = true;
      finalize?.();
      onView?.(null);
      if (ref.current) delete ref.current.dataset.rendered;
    };
  }, [spec, onView]);

  return (
    <div className={`vega-chart ${props.className ?? ''}`}>
      {error && <div className="callout danger">Chart failed to render: {error}</div>}
      <div ref={ref} className="vega-chart-body" />
    </div>
  );
}
