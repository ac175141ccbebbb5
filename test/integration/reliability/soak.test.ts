import { describe, expect, it } from 'vitest';
import { runSoak } from '../../../scripts/soak-run';

/**
 * The short, bounded version of `npm run soak` (same code, small N): the local collector with its
 * embedded emulators under a mix of valid, invalid and gzip requests at concurrency 8.
 */

describe('short soak against the local collector', () => {
  it('answers every request as the contract says and stores every acknowledged event', async () => {
    const report = await runSoak({ requests: 300, concurrency: 8, maxHeapGrowthMb: 32, maxSeconds: 60 });

    expect(report.errorSamples).toEqual([]);
    expect(report.acknowledgedEvents).toBeGreaterThan(0);
    expect(report.missing).toBe(0);
    expect(report.failures).toEqual([]);
  });
});
