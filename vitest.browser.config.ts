import { defineConfig } from 'vitest/config';
import { TEST_PROCESS_ENV } from './vitest.config';

// `npm run test:browser`: the real web SDK in Chromium against the local collector. Kept out of
// `npm test` because it needs Chromium (scripts/ensure-chromium.sh installs it first).
export default defineConfig({
  test: {
    env: TEST_PROCESS_ENV,
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
