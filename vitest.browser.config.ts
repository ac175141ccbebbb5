import { defineConfig } from 'vitest/config';

// `npm run test:browser`: the real web SDK in Chromium against the local collector. Kept out of
// `npm test` because it needs Chromium (scripts/ensure-chromium.sh installs it first).
export default defineConfig({
  test: {
    // Same quiet, credential-free setting as vitest.config.ts: the embedded emulators accept these.
    env: {
      POWERTOOLS_METRICS_DISABLED: 'true',
      POWERTOOLS_LOG_LEVEL: 'SILENT',
      AWS_ACCESS_KEY_ID: 'S3RVER',
      AWS_SECRET_ACCESS_KEY: 'S3RVER',
      AWS_REGION: 'us-east-1',
    },
    projects: [
      {
        test: {
          name: 'browser',
          include: ['test/browser/**/*.test.ts'],
          // Browser start-up, the SDK's retries (three per refused request) and batch timers take seconds.
          testTimeout: 120_000,
          hookTimeout: 120_000,
          // One Chromium at a time: the suite is about correctness, not load.
          fileParallelism: false,
        },
      },
    ],
  },
});
