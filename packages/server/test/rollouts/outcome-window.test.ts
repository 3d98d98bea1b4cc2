import { describe, expect, it } from 'vitest';
import { OutcomeWindow } from '../../src/deploy/rollouts/outcome-window.js';

const ok = (at: number, latencyMs = 10) => ({ at, error: false, latencyMs });
const failed = (at: number, latencyMs = 10) => ({ at, error: true, latencyMs });

describe('the outcome window', () => {
  it('has no figures before the first request: zero counts, null rates and percentiles', () => {
    const f = new OutcomeWindow(1000).figures(5000);
    expect(f).toEqual({
      requests: 0,
      errors: 0,
      errorRate: null,
      latencyP50: null,
      latencyP95: null,
      latencyP99: null,
      ttftP50: null,
      ttftP95: null,
      ttftP99: null,
      itlP50: null,
      itlP95: null,
      itlP99: null,
    });
  });

  it('counts errors over requests in the window', () => {
    const w = new OutcomeWindow(1000);
    for (let i = 0; i < 8; i++) w.record(ok(100 + i));
    w.record(failed(200));
    w.record(failed(300));
    expect(w.figures(500)).toMatchObject({ requests: 10, errors: 2, errorRate: 0.2 });
  });

  it('keeps (now - window, now]: a sample exactly one window old is out, one at now is in', () => {
    const w = new OutcomeWindow(1000);
    w.record(failed(1000, 999));
    w.record(ok(1500, 1));
    w.record(ok(2000, 2));
    expect(w.figures(2000)).toMatchObject({ requests: 2, errors: 0, errorRate: 0, latencyP99: 2 });
  });

  it('drops old samples for good: a later, earlier-looking now does not bring them back', () => {
    const w = new OutcomeWindow(1000);
    w.record(failed(100));
    w.record(ok(1050));
    expect(w.figures(1100)).toMatchObject({ requests: 1, errors: 0 });
    // (60, 1060] would hold the failure at 100 had it been kept.
    expect(w.figures(1060)).toMatchObject({ requests: 1, errors: 0 });
  });

  it('leaves out samples newer than now', () => {
    const w = new OutcomeWindow(1000);
    w.record(ok(500));
    w.record(failed(900));
    expect(w.figures(800)).toMatchObject({ requests: 1, errors: 0 });
  });

  it('takes nearest-rank percentiles, whatever the order of arrival', () => {
    const w = new OutcomeWindow(10_000);
    // 1..100 ms, shuffled: p50 is the 50th value, p95 the 95th, p99 the 99th.
    const latencies = Array.from({ length: 100 }, (_, i) => ((i * 37) % 100) + 1);
    latencies.forEach((ms, i) => {
      w.record(ok(i, ms));
    });
    expect(w.figures(100)).toMatchObject({ latencyP50: 50, latencyP95: 95, latencyP99: 99 });
  });

  it('answers the one sample for every percentile, and sorts numbers as numbers', () => {
    const w = new OutcomeWindow(1000);
    w.firstToken(10, 7);
    expect(w.figures(10)).toMatchObject({ ttftP50: 7, ttftP95: 7, ttftP99: 7 });
    // 9 < 10 < 100: a string sort would put 100 before 9.
    for (const ms of [100, 9, 10]) w.interToken(10, ms);
    expect(w.figures(10)).toMatchObject({ itlP50: 10, itlP95: 100, itlP99: 100 });
  });

  it('keeps time to first token and inter-token gaps apart from request latency and counts', () => {
    const w = new OutcomeWindow(1000);
    w.record(ok(10, 500));
    w.firstToken(10, 40);
    for (let i = 0; i < 20; i++) w.interToken(10 + i, 5);
    expect(w.figures(100)).toMatchObject({
      requests: 1,
      latencyP50: 500,
      ttftP50: 40,
      itlP50: 5,
      itlP99: 5,
    });
  });

  it('keeps at most maxSamples per series, dropping the oldest', () => {
    const w = new OutcomeWindow(1_000_000, 100);
    for (let i = 0; i < 150; i++) w.record(i < 50 ? failed(i, 1000) : ok(i, 1));
    expect(w.figures(1000)).toMatchObject({ requests: 100, errors: 0, latencyP99: 1 });
  });

  it('stays right across many drops (the front is compacted, not lost)', () => {
    const w = new OutcomeWindow(100);
    for (let t = 0; t < 20_000; t++) {
      w.record(t % 4 === 0 ? failed(t, t) : ok(t, t));
      if (t % 1000 === 999) {
        expect(w.figures(t)).toMatchObject({ requests: 100, errors: 25, latencyP50: t - 50 });
      }
    }
  });

  it('forgets everything on clear', () => {
    const w = new OutcomeWindow(1000);
    w.record(failed(10));
    w.firstToken(10, 5);
    w.interToken(10, 5);
    w.clear();
    expect(w.figures(20)).toMatchObject({ requests: 0, errorRate: null, ttftP50: null, itlP50: null });
  });
});
