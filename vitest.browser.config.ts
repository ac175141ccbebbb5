import { defineConfig } from 'vitest/config';
import { TEST_GLOBAL_SETUP, TEST_PROCESS_ENV } from './vitest.config.ts';

// `npm run test:browser`: the real web SDK in Chromium, Firefox and WebKit against the local
// collector. Kept out of `npm test` because it needs the browsers (scripts/ensure-browsers.sh
// installs Debian's packages first).
export default defineConfig({
  test: {
    env: TEST_PROCESS_ENV,
    globalSetup: TEST_GLOBAL_SETUP,
    projects: [
      {
        test: {
          name: 'browser',
          include: ['test/browser/**/*.test.ts'],
          // Browser start-up, the SDK's retries (three per refused request) and batch timers take seconds.
          testTimeout: 120_000,
          hookTimeout: 120_000,
          // One browser at a time: the suite is about correctness, not load (and the machine is small).
          fileParallelism: false,
        },
      },
    ],
  },
});
