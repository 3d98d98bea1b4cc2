import { type Deployment, deploymentSchema } from '@modelport/contracts';

/** A ready one-variant deployment `digits` with no rollout in progress. */
export function deploymentBody(): Deployment {
  return deploymentSchema.parse({
    name: 'digits',
    model: 'digits',
    version: 1,
    settings: {},
    revision: 1,
    variants: [
      {
        variantName: 'default',
        modelVersion: 1,
        instances: 1,
        weight: 100,
        role: 'production',
        samplingPercent: null,
      },
    ],
    rollout: null,
    status: 'ready',
    ready: true,
    scaling: [],
    failover: { state: 'ok', until: null, reason: null, recentFailures: 0 },
    instances: [],
    createdAt: '2026-12-05T09:00:00.000Z',
    updatedAt: '2026-12-05T09:00:00.000Z',
  });
}
