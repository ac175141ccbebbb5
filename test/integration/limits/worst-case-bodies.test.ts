import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CollectorProcess, startCollectorProcess } from '../../support/collector-process';

/**
 * Hostile bodies within the size caps, against `npm start` running with the heap of a 512 MB
 * function (256 MB): each gets a contract status in bounded time and the collector survives them.
 * (How long each takes, and how much memory, is measured by `npm run bench`.)
 */

const MIB = 1024 * 1024;
const gzipText = (text: string) => gzipSync(text).toString('base64');
/** `[0,0,…]` of about `bytes` characters. */
const zeros = (bytes: number) => `[${'0,'.repeat(Math.floor(bytes / 2) - 1)}0]`;

const WORST_CASES: ReadonlyArray<{
  readonly name: string;
  readonly body: () => { query: string; body: string };
  readonly status: number;
  readonly quarantined?: string;
}> = [
  {
    name: 'an 11 KB gzip body inflating to 8 MiB of [0,0,…] (4 million elements)',
    body: () => ({ query: 'compression=gzip', body: gzipText(zeros(8 * MIB - 16)) }),
    status: 413,
  },
  {
    name: 'a 1 MB body of [0,0,…] (half a million elements)',
    body: () => ({ query: '', body: zeros(MIB) }),
    status: 413,
  },
  {
    name: 'a gzip body inflating to 8 MiB of one element nested 4 million levels deep',
    body: () => ({
      query: 'compression=gzip',
      body: gzipText(`[${'['.repeat(4 * MIB - 1)}${']'.repeat(4 * MIB - 1)}]`),
    }),
    status: 200,
    quarantined: '1',
  },
  {
    name: 'a gzip body inflating to 8 MiB: 10,000 invalid events of 800 bytes',
    body: () => ({
      query: 'compression=gzip',
      body: gzipText(
        `[${Array.from({ length: 10_000 }, (_, i) => `{"n":${i},"pad":"${'x'.repeat(780)}"}`).join(',')}]`,
      ),
    }),
    status: 200,
    quarantined: '10000',
  },
  {
    name: 'a gzip body inflating to 8 MiB: one event with 600,000 attributes (too large for a record)',
    body: () => ({
      query: 'compression=gzip',
      body: gzipText(
        `[{"event_id":"e","app_id":"test_app","timestamp":1,"attributes":{${Array.from({ length: 600_000 }, (_, i) => `"k${i}":0`).join(',')}}}]`,
      ),
    }),
    status: 200,
    quarantined: '1',
  },
];

describe('worst-case bodies against the local collector with a 256 MB heap', () => {
  let collector: CollectorProcess;

  beforeAll(async () => {
    collector = await startCollectorProcess({
      NODE_OPTIONS: '--max-old-space-size=256',
      CLICKSTREAM_LOCAL_ARCHIVER: 'off',
    });
  });

  afterAll(async () => {
    await collector?.stop();
  });

  it.each(WORST_CASES)(
    'answers $status to $name and keeps running',
    async ({ body, status, quarantined }) => {
      const request = body();
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
