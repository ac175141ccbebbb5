import { defineConfig } from 'vitest/config';

// Tests never reach AWS: the emulators accept these credentials (s3rver only this pair), no test
// waits on a credentials provider, and no EMF blobs, log lines or AWS SDK Node-version notices (one
// per process on Node 20, child processes included) clutter the output.
// Shared with vitest.browser.config.ts.
export const TEST_PROCESS_ENV = {
  POWERTOOLS_METRICS_DISABLED: 'true',
  POWERTOOLS_LOG_LEVEL: 'SILENT',
  AWS_ACCESS_KEY_ID: 'S3RVER',
  AWS_SECRET_ACCESS_KEY: 'S3RVER',
  AWS_REGION: 'us-east-1',
  AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
};

// `npm test` runs every project below; the browser suite has its own config (vitest.browser.config.ts).
/** Each run writes its temporary files into a folder of its own, removed at the end. */
export const TEST_GLOBAL_SETUP = ['test/support/temp-root.ts'];

export default defineConfig({
  test: {
    env: TEST_PROCESS_ENV,
    globalSetup: TEST_GLOBAL_SETUP,
    projects: [
      {
        test: {
          name: 'unit',
          include: ['test/unit/**/*.test.ts'],
        },
      },
      {
        test: {
          name: 'integration',
          include: ['test/integration/**/*.test.ts'],
          testTimeout: 60_000,
          hookTimeout: 60_000,
        },
      },
      {
        test: {
          name: 'infra',
          include: ['test/infra/**/*.test.ts'],
          testTimeout: 300_000,
          hookTimeout: 300_000,
        },
      },
    ],
  },
});
