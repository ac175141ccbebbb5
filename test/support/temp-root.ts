import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * vitest globalSetup (vitest.config.ts, vitest.browser.config.ts): each test run gets a temporary
 * folder of its own, and every process of the run — the test workers, the collectors, tools and
 * browsers they start, the `cdk.out` folders of each synth, esbuild's page bundles — writes its
 * temporary files there, since Node's `os.tmpdir()` and the browsers follow `TMPDIR`. The teardown
 * removes it, after failed tests too, so a run leaves nothing behind in the system's temp folder.
 */
export default function setup(): () => void {
  const previous = process.env.TMPDIR;
  const root = mkdtempSync(join(tmpdir(), 'clickstream-test-run-'));
  // Set before vitest starts its workers, which inherit this environment.
  process.env.TMPDIR = root;
  return () => {
    if (previous === undefined) delete process.env.TMPDIR;
    else process.env.TMPDIR = previous;
    rmSync(root, { recursive: true, force: true, maxRetries: 3 });
  };
}
