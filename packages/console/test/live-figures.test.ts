import { usageExportColumns } from '@modelport/contracts';
import { describe, expect, it } from 'vitest';
import { burnDown } from '../src/live/burn-down.js';
import { parseCsv } from '../src/live/csv.js';
import { parseLedgerCsv } from '../src/live/ledger-row.js';
import { rolloutSeries } from '../src/live/rollout-series.js';
import { weightsFromAudit } from '../src/live/rollout-weights.js';
import { latencySeries, quantile, windowFigures } from '../src/live/window-figures.js';
import { sseData } from '../src/playground/sse.js';

describe('the ledger export as the console reads it', () => {
  it('parses RFC 4180: quoted commas, doubled quotes, line breaks and CRLF', () => {
    expect(parseCsv('a,"b,c","say ""hi""","two\r\nlines"\r\n1,,3,4\r\n')).toEqual([
      ['a', 'b,c', 'say "hi"', 'two\r\nlines'],
      ['1', '', '3', '4'],
    ]);
  });

  it("finds its columns by the server's header names", () => {
    const row: Record<string, string> = {
      request_id: 'req_1',
      started_at: '2026-01-01T00:00:00.000Z',
      finished_at: '2026-01-01T00:00:00.250Z',
      model: 'squeezenet',
      deployment: 'squeezenet',
      version: '3',
      status: '503',
      tokens_in: '7',
      tokens_out: '11',
      cost: '0.5',
    };
    const csv = `${usageExportColumns.join(',')}\r\n${usageExportColumns.map((c) => row[c] ?? '').join(',')}\r\n`;
    expect(parseLedgerCsv(csv)).toEqual([
      {
        requestId: 'req_1',
        finishedAt: Date.parse(row.finished_at as string),
        finishedIso: row.finished_at,
        latencyMs: 250,
        model: 'squeezenet',
        deployment: 'squeezenet',
        version: 3,
        status: 503,
        tokensIn: 7,
        tokensOut: 11,
        cost: 0.5,
      },
    ]);
  });
});

describe('window figures', () => {
  const at = 1_000_000;
  const row = (latencyMs: number, status = 200, finishedAt = at, tokensOut = 0, version = 1) => ({
    requestId: `r${Math.random()}`,
    finishedAt,
    finishedIso: new Date(finishedAt).toISOString(),
    latencyMs,
    model: 'm',
    deployment: 'm',
    version,
    status,
    tokensIn: 0,
    tokensOut,
    cost: 0,
  });

  it('gives rates over the window and interpolated percentiles', () => {
    expect(quantile([], 0.5)).toBeNull();
    expect(quantile([10, 20], 0.5)).toBe(15);
    const rows = Array.from({ length: 100 }, (_, i) => row(i + 1, i < 5 ? 500 : 200, at, 2));
    const f = windowFigures(rows, 10_000);
    expect(f.perSecond).toBe(10);
    expect(f.errorShare).toBe(0.05);
    expect(f.p50).toBeCloseTo(50.5);
    expect(f.p95).toBeCloseTo(95.05);
    expect(f.tokensOutPerSecond).toBe(20);
  });

  it('buckets latency by finish time, leaving idle buckets empty', () => {
    const [x, p50, p95, count] = latencySeries(
      [row(10, 200, at - 500), row(30, 200, at - 400), row(99, 200, at - 5_000)],
      {
        now: at,
        windowMs: 10_000,
        bucketMs: 1_000,
      },
    );
    expect(x).toHaveLength(10);
    expect(x.at(-1)).toBe(at / 1000);
    expect(count.at(-1)).toBe(2);
    expect(p50.at(-1)).toBe(20);
    expect(p95.at(-1)).toBeCloseTo(29);
    expect(count.at(-5)).toBe(1);
    expect(p50.at(-2)).toBeNull();
  });

  it('splits a rollout into canary and baseline per bucket, under the weight steps', () => {
    const rows = [
      row(10, 200, at - 1_500, 0, 1),
      row(20, 500, at - 1_500, 0, 1),
      row(90, 200, at - 1_500, 0, 2),
      row(70, 500, at - 500, 0, 2),
    ];
    const s = rolloutSeries(
      rows,
      new Set([2]),
      [
        [at - 10_000, 0],
        [at - 1_000, 25],
      ],
      { now: at, windowMs: 2_000, bucketMs: 1_000 },
    );
    expect(s.x).toEqual([(at - 1_000) / 1000, at / 1000]);
    expect(s.baselineP95).toEqual([expect.closeTo(19.5), null]);
    expect(s.canaryP95).toEqual([90, 70]);
    expect(s.baselineErrors).toEqual([50, null]);
    expect(s.canaryErrors).toEqual([0, 100]);
    expect(s.weight).toEqual([25, 25]);
  });
});

describe('server-sent events', () => {
  it('yields each event once, whatever the chunk boundaries, skipping comments', async () => {
    const text = ': keep-alive\n\ndata: {"a":1}\n\ndata: {"a":2}\r\n\r\ndata: [DONE]\n\n';
    const bytes = new TextEncoder().encode(text);
    const body = new ReadableStream<Uint8Array>({
      start(controller) {
        for (let i = 0; i < bytes.length; i += 7) controller.enqueue(bytes.slice(i, i + 7));
        controller.close();
      },
    });
    const seen: string[] = [];
    for await (const data of sseData(body)) seen.push(data);
    expect(seen).toEqual(['{"a":1}', '{"a":2}', '[DONE]']);
  });
});

describe('budget burn-down', () => {
  it("takes each day's cost off the limit, beside the even pace, and leaves the days to come empty", () => {
    const start = Date.parse('2026-03-01T00:00:00Z');
    const b = burnDown({
      limit: 40,
      periodStart: start,
      resetsAt: Date.parse('2026-03-05T00:00:00Z'),
      now: Date.parse('2026-03-02T12:00:00Z'),
      costByDay: new Map([
        ['2026-03-01', 5],
        ['2026-03-02', 15],
        ['2026-03-04', 99],
      ]),
    });
    expect(b.x).toHaveLength(4);
    expect(b.remaining).toEqual([35, 20, null, null]);
    expect(b.evenPace).toEqual([30, 20, 10, 0]);
  });
});

describe('rollout weight history', () => {
  const rollout = { id: 'ro_1', startedAt: '2026-12-05T10:00:00.000Z' } as Parameters<
    typeof weightsFromAudit
  >[0];
  const entry = (at: string, rolloutId: string, percent: number, action = 'rollout.step') => ({
    id: at,
    project: 'p',
    key: 'k',
    action,
    target: 'web',
    detail: { rollout: rolloutId, step: 1, of: 2, percent },
    requestId: null,
    createdAt: at,
  });
  it("keeps this rollout's steps, oldest first, from 0 % at its start", () => {
    const weights = weightsFromAudit(rollout, [
      entry('2026-12-05T10:02:00.000Z', 'ro_1', 50),
      entry('2026-12-05T10:01:30.000Z', 'ro_other', 10),
      entry('2026-12-05T10:01:00.000Z', 'ro_1', 20),
      entry('2026-12-05T10:01:10.000Z', 'ro_1', 99, 'rollout.breach'),
    ]);
    expect(weights).toEqual([
      [Date.parse('2026-12-05T10:00:00.000Z'), 0],
      [Date.parse('2026-12-05T10:01:00.000Z'), 20],
      [Date.parse('2026-12-05T10:02:00.000Z'), 50],
    ]);
  });
});
