import { type Evaluation, type Rollout, rolloutSchema, type WindowFigures } from '@modelport/contracts';

const NO_FIGURES: WindowFigures = {
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
};

/** An evaluation that passed: the canary a little worse than the baseline, within the rules. */
export function evaluation(overrides: Partial<Evaluation> = {}): Evaluation {
  return {
    at: '2026-12-05T10:01:05.123Z',
    outcome: 'pass',
    consecutiveBreaches: 0,
    canary: {
      ...NO_FIGURES,
      requests: 120,
      errors: 1,
      errorRate: 1 / 120,
      latencyP50: 40,
      latencyP95: 130,
      latencyP99: 180,
    },
    baseline: {
      ...NO_FIGURES,
      requests: 1080,
      errors: 2,
      errorRate: 2 / 1080,
      latencyP50: 38,
      latencyP95: 110,
      latencyP99: 170,
    },
    rules: [
      { metric: 'error_rate', value: 1 / 120, baseline: 2 / 1080, threshold: 0.011852, outcome: 'pass' },
      { metric: 'latency_p95', value: 130, baseline: 110, threshold: 132, outcome: 'pass' },
    ],
    ...overrides,
  };
}

/**
 * A canary rollout of `digits` from revision 1 to 2, baking its first step; checked against the
 * contract, so a canned answer can never drift from what the server will send.
 */
export function cannedRollout(overrides: Partial<Rollout> = {}): Rollout {
  return rolloutSchema.parse({
    id: 'ro_1',
    deployment: 'digits',
    fromRevision: 1,
    toRevision: 2,
    strategy: { type: 'canary', percent: 10, bakeSeconds: 60 },
    guardrails: {
      rules: [
        { metric: 'error_rate', max: 0.01, maxIncrease: 0.01 },
        { metric: 'latency_p95', maxRatio: 1.2 },
      ],
      windowSeconds: 60,
      intervalSeconds: 5,
      minSamples: 50,
      consecutiveBreaches: 2,
      fastFail: { errorRate: 0.5, minRequests: 20 },
    },
    onInconclusive: 'pause',
    state: 'baking',
    steps: [10, 100],
    step: 0,
    percent: 10,
    reason: null,
    targetVariants: [
      {
        variantName: 'AllTraffic',
        modelVersion: 2,
        instances: 1,
        weight: 100,
        role: 'production',
        samplingPercent: null,
      },
    ],
    lastEvaluation: null,
    startedAt: '2026-12-05T10:00:00.000Z',
    updatedAt: '2026-12-05T10:00:05.000Z',
    finishedAt: null,
    ...overrides,
  });
}
