import { Counter, Histogram, Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { SeriesCounter, SeriesHistogram } from '../../src/observability/series-metrics.js';

const buckets = [0.001, 0.01, 0.1, 1];

describe('series metrics', () => {
  it("render exactly as prom-client's counter and histogram after the same observations", async () => {
    const theirs = new Registry();
    const ours = new Registry();
    const labelNames = ['model', 'version'] as const;
    const counter = new Counter({ name: 'c_total', help: 'c', labelNames, registers: [theirs] });
    const histogram = new Histogram({ name: 'h', help: 'h', labelNames, buckets, registers: [theirs] });
    const seriesCounter = new SeriesCounter({ name: 'c_total', help: 'c', labelNames, registers: [ours] });
    const seriesHistogram = new SeriesHistogram({
      name: 'h',
      help: 'h',
      labelNames,
      buckets,
      registers: [ours],
    });
    const observations: [string, string, number][] = [
      ['a', '1', 0.0005],
      ['a', '1', 0.05],
      ['b', '2', 7],
      ['a', '1', 0.01],
      ['b', '"q"\n', 1],
    ];
    for (const [model, version, value] of observations) {
      counter.inc({ model, version });
      histogram.observe({ model, version }, value);
      seriesCounter.series(model, version).inc();
      seriesHistogram.series(model, version).observe(value);
    }
    expect(await ours.metrics()).toBe(await theirs.metrics());
    expect(await ours.metrics()).toContain('h_bucket{le="0.01",model="a",version="1"} 2');
  });

  it('hand out one series per label combination, and render nothing before the first', async () => {
    const registry = new Registry();
    const counter = new SeriesCounter({
      name: 'n_total',
      help: 'n',
      labelNames: ['code'],
      registers: [registry],
    });
    expect(await registry.metrics()).toBe('# HELP n_total n\n# TYPE n_total counter\n');
    expect(counter.series('x')).toBe(counter.series('x'));
    counter.series('x').inc(2);
    expect(await registry.metrics()).toContain('n_total{code="x"} 2');
  });
});
