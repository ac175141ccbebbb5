import { describe, expect, it } from 'vitest';
import { isReplayableKey } from '../../../scripts/replay/keys';

describe('fallback object keys', () => {
  it('replays the objects the collector writes', () => {
    expect(
      isReplayableKey(
        'fallback/year=2024/month=06/day=27/hour=06/0123456789abcdef0123456789abcdef.ndjson.gz',
      ),
    ).toBe(true);
  });

  it('skips the deep health check probe', () => {
    expect(isReplayableKey('fallback/_health-check')).toBe(false);
  });

  it('skips other objects under the prefix', () => {
    expect(isReplayableKey('fallback/year=2024/README.txt')).toBe(false);
    expect(isReplayableKey('fallback/year=2024/month=06/day=27/hour=06/x.ndjson')).toBe(false);
  });

  it('skips a folder marker and a name that is only the suffix', () => {
    expect(isReplayableKey('fallback/year=2024/')).toBe(false);
    expect(isReplayableKey('fallback/.ndjson.gz')).toBe(false);
  });

  it('skips names starting with an underscore, as the collector reserves them for probes', () => {
    expect(isReplayableKey('fallback/_probe.ndjson.gz')).toBe(false);
  });
});
