import { defineConfig } from 'vitest/config';

export default defineConfig({
  resolve: { conditions: ['source'] },
  ssr: { resolve: { conditions: ['source'] } },
  test: {
    include: ['packages/*/test/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
    // In-process sessions of the tests themselves; runners turn it off on their own (serving.test.ts).
    env: { ORT_DISABLE_TELEMETRY: '1' },
    reporters: ['default', './scripts/summary-reporter.ts'],
  },
});
