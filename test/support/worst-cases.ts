import { gzipSync } from 'node:zlib';
import { sampleBatch } from './events';

/**
 * Hostile (and one ordinary but rewritten) request bodies within the size caps: the integration
 * suite holds the collector to a contract status for each under a 128 MB heap, and `npm run bench`
 * measures the time, peak memory and stream bytes each costs. One list, so both judge the same inputs.
 */

export interface WorstCase {
  /** Short, stable key (benchmarks.json uses it). */
  readonly id: string;
  readonly name: string;
  /** The query string beside `appId` (e.g. `compression=gzip`), and the body text as sent. */
  readonly request: () => { readonly query: string; readonly body: string };
  readonly status: number;
  /** The quarantined-events header the answer must carry, if any. */
  readonly quarantined?: string;
}

const MIB = 1024 * 1024;
const gzipText = (text: string) => gzipSync(text).toString('base64');
/** `[0,0,…]` of about `bytes` characters. */
const zeros = (bytes: number) => `[${'0,'.repeat(Math.floor(bytes / 2) - 1)}0]`;

export const WORST_CASES: readonly WorstCase[] = [
  {
    id: 'gzip-zeros',
    name: 'an 11 KB gzip body inflating to 8 MiB of [0,0,…] (4 million elements)',
    request: () => ({ query: 'compression=gzip', body: gzipText(zeros(8 * MIB - 16)) }),
    status: 413,
  },
  {
    id: 'plain-zeros',
    name: 'a 1 MB body of [0,0,…] (half a million elements)',
    request: () => ({ query: '', body: zeros(MIB) }),
    status: 413,
  },
  {
    id: 'deep-nesting',
    name: 'a gzip body inflating to 8 MiB of one element nested 4 million levels deep',
    request: () => ({
      query: 'compression=gzip',
      body: gzipText(`[${'['.repeat(4 * MIB - 1)}${']'.repeat(4 * MIB - 1)}]`),
    }),
    status: 200,
    quarantined: '1',
  },
  {
    id: 'invalid-events',
    name: 'a gzip body inflating to 8 MiB: 10,000 invalid events of 800 bytes',
    request: () => ({
      query: 'compression=gzip',
      body: gzipText(
        `[${Array.from({ length: 10_000 }, (_, i) => `{"n":${i},"pad":"${'x'.repeat(780)}"}`).join(',')}]`,
      ),
    }),
    status: 200,
    quarantined: '10000',
  },
  {
    id: 'many-attributes',
    name: 'a gzip body inflating to 8 MiB: one event with 600,000 attributes (too large for a record)',
    request: () => ({
      query: 'compression=gzip',
      body: gzipText(
        `[{"event_id":"e","app_id":"test_app","timestamp":1,"attributes":{${Array.from({ length: 600_000 }, (_, i) => `"k${i}":0`).join(',')}}}]`,
      ),
    }),
    status: 200,
    quarantined: '1',
  },
  {
    id: 'rewritten-gzip',
    name: 'an SDK-style gzip batch of 100 events, one of them invalid (the record is rewritten)',
    request: () => {
      const events: unknown[] = sampleBatch(100);
      events[42] = { event_type: 'broken', timestamp: 1_700_000_000_000 };
      return { query: 'compression=gzip', body: gzipText(JSON.stringify(events)) };
    },
    status: 200,
    quarantined: '1',
  },
];
