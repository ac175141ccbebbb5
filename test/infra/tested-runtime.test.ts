import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { CONFIGURATIONS, synthesize } from './support';

/**
 * The runtime we ship is the runtime we test: CI runs the function's suites once more on the
 * Node.js version pinned in .ci/lambda-node.json (`npm run test:lambda-node`), which must be of the
 * function's Lambda runtime.
 */

const PIN = JSON.parse(readFileSync(new URL('../../.ci/lambda-node.json', import.meta.url), 'utf8')) as {
  version: string;
  integrity: Record<string, string>;
};

describe('the Node.js version CI tests the function on', () => {
  it("is of the function's Lambda runtime", () => {
    const { stack } = synthesize(CONFIGURATIONS.functionUrl);
    const major = PIN.version.split('.')[0];
    expect(stack.ingestion.function.runtime.name).toBe(`nodejs${major}.x`);
  });

  it('is one exact release, with the integrity of its package for each machine CI may run on', () => {
    expect(PIN.version).toMatch(/^\d+\.\d+\.\d+$/);
    expect(Object.keys(PIN.integrity).sort()).toEqual(['arm64', 'x64']);
    for (const integrity of Object.values(PIN.integrity))
      expect(integrity).toMatch(/^sha512-[A-Za-z0-9+/]{86}==$/);
  });
});
