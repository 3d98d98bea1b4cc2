import { useEffect, useRef } from 'react';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import type { LatencySeries } from '../live/window-figures.js';

function cssVar(name: string, fallback: string): string {
  return getComputedStyle(document.documentElement).getPropertyValue(name).trim() || fallback;
}

/** p50 and p95 latency per time bucket (uPlot: canvas, a few kB, no dependencies). */
export default function LatencyChart({ data, label }: { data: LatencySeries; label: string }) {
  const holder = useRef<HTMLDivElement>(null);
  const plot = useRef<uPlot | null>(null);

  useEffect(() => {
    const el = holder.current;
    if (!el) return;
    const text = cssVar('--text', '#15181e');
    const grid = cssVar('--border', '#c9ced8');
    const axis = { stroke: text, grid: { stroke: grid, width: 1 }, ticks: { stroke: grid } };
    const opts: uPlot.Options = {
      width: Math.max(280, el.clientWidth),
      height: 240,
      scales: { x: { time: true }, y: { range: (_u, _min, max) => [0, Math.max(1, max * 1.1)] } },
      axes: [axis, { ...axis, label: 'ms', size: 60 }],
      series: [
        {},
        // Points too: a lone busy bucket between idle ones has no line to draw.
        {
          label: 'p50 ms',
          stroke: cssVar('--chart-1', '#1d4ed8'),
          width: 2,
          points: { show: true, size: 6 },
        },
        {
          label: 'p95 ms',
          stroke: cssVar('--chart-2', '#c2410c'),
          width: 2,
          dash: [6, 4],
          points: { show: true, size: 6 },
        },
      ],
    };
    plot.current = new uPlot(opts, [[], [], []], el);
    const resize = new ResizeObserver(() =>
      plot.current?.setSize({ width: Math.max(280, el.clientWidth), height: 240 }),
    );
    resize.observe(el);
    return () => {
      resize.disconnect();
      plot.current?.destroy();
      plot.current = null;
    };
  }, []);

  useEffect(() => {
    plot.current?.setData([data[0], data[1], data[2]]);
  }, [data]);

  return <div ref={holder} className="chart" role="img" aria-label={label} />;
}
