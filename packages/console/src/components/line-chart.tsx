import { useEffect, useRef } from 'react';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';

export interface LineSeries {
  label: string;
  /** One value per x; null leaves a gap. */
  values: (number | null)[];
  dashed?: boolean;
  /** Drawn against a second axis on the right (e.g. a rollout's weight in %), stepped. */
  right?: boolean;
}

function cssVar(name: string, fallback: string): string {
  return getComputedStyle(document.documentElement).getPropertyValue(name).trim() || fallback;
}

const palette: [string, string][] = [
  ['--chart-1', '#1d4ed8'],
  ['--chart-2', '#c2410c'],
  ['--chart-3', '#047857'],
  ['--chart-4', '#7c3aed'],
];

/**
 * Lines over a shared x axis (epochs, or seconds when `time`), drawn by uPlot on a canvas, so a
 * long run or a busy window stays smooth; new data replaces the old without rebuilding the chart.
 */
export default function LineChart({
  x,
  series,
  label,
  yLabel,
  xLabel,
  time = false,
  height = 220,
  rightLabel,
}: {
  x: number[];
  series: LineSeries[];
  label: string;
  yLabel: string;
  xLabel?: string;
  time?: boolean;
  height?: number;
  /** The right axis' label; set when a series is `right`. */
  rightLabel?: string;
}) {
  const holder = useRef<HTMLDivElement>(null);
  const plot = useRef<uPlot | null>(null);
  const shape = series.map((s) => `${s.label}${s.dashed ? '-' : ''}`).join('|');

  // biome-ignore lint/correctness/useExhaustiveDependencies: the chart is rebuilt only when its series change, not their values
  useEffect(() => {
    const el = holder.current;
    if (!el) return;
    const text = cssVar('--text', '#15181e');
    const grid = cssVar('--border', '#c9ced8');
    const axis = { stroke: text, grid: { stroke: grid, width: 1 }, ticks: { stroke: grid } };
    const stepped = uPlot.paths.stepped?.({ align: 1 });
    const opts: uPlot.Options = {
      width: Math.max(260, el.clientWidth),
      height,
      scales: { x: { time } },
      axes: [
        { ...axis, ...(xLabel ? { label: xLabel } : {}) },
        { ...axis, label: yLabel, size: 60 },
      ],
      series: [
        {},
        ...series.map((s, i) => {
          const [name, fallback] = palette[i % palette.length] as [string, string];
          return {
            label: s.label,
            stroke: cssVar(name, fallback),
            width: 2,
            spanGaps: false,
            ...(s.dashed ? { dash: [6, 4] } : {}),
            ...(s.right ? { scale: 'right', ...(stepped ? { paths: stepped } : {}) } : {}),
            points: { show: !s.right, size: 5 },
          };
        }),
      ],
    };
    plot.current = new uPlot(opts, [[], ...series.map(() => [])], el);
    const resize = new ResizeObserver(() =>
      plot.current?.setSize({ width: Math.max(260, el.clientWidth), height }),
    );
    resize.observe(el);
    return () => {
      resize.disconnect();
      plot.current?.destroy();
      plot.current = null;
    };
  }, [shape, time, yLabel, xLabel, height, rightLabel]);

  useEffect(() => {
    plot.current?.setData([x, ...series.map((s) => s.values)] as uPlot.AlignedData);
  }, [x, series]);

  return <div ref={holder} className="chart" role="img" aria-label={label} />;
}
