import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CollectorProcess, startCollectorProcess } from '../../support/collector-process';
import { WORST_CASES } from '../../support/worst-cases';

/**
 * Hostile bodies within the size caps, against `npm start` running with the heap of a 512 MB
 * function (256 MB) and with half the memory of the default 256 MB function (128 MB): each gets a
 * contract status in bounded time and the collector survives them.
 * (How long each takes, and how much memory, is measured by `npm run bench` on the same cases.)
 */

describe.each([256, 128])('worst-case bodies against the local collector with a %i MB heap', (heapMb) => {
  let collector: CollectorProcess;

  beforeAll(async () => {
    collector = await startCollectorProcess({
      NODE_OPTIONS: `--max-old-space-size=${heapMb}`,
      CLICKSTREAM_LOCAL_ARCHIVER: 'off',
    });
  });

  afterAll(async () => {
    await collector?.stop();
  });

  it.each(WORST_CASES)(
    'answers $status to $name and keeps running',
    async ({ request: build, status, quarantined }) => {
      const request = build();
      const response = await fetch(`${collector.url}/collect?appId=test_app&${request.query}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: request.body,
        signal: AbortSignal.timeout(30_000),
      });
      expect(response.status).toBe(status);
      if (quarantined !== undefined)
        expect(response.headers.get('x-clickstream-quarantined')).toBe(quarantined);
      const health = await fetch(`${collector.url}/health`);
      expect(health.status).toBe(200);
      expect(collector.alive()).toBe(true);
    },
  );
});
