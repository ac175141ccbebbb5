import { defineConfig } from 'vitest/config';

// `npm test` runs every project below; the browser suite has its own config (vitest.browser.config.ts).
export default defineConfig({
  test: {
    // Keep test output readable: no EMF blobs or per-request log lines unless a test asks for them.
    // Tests never reach AWS: the emulators accept these (s3rver only this pair), and no test waits
    // on a credentials provider.
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
