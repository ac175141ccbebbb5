import { describe, expect, it } from 'vitest';
import { ConfigError, parseConfig } from '../../lambda/config';
import { TEST_ENV } from '../support/events';

describe('parseConfig', () => {
  it('applies the documented defaults', () => {
    const config = parseConfig(TEST_ENV);
    expect(config).toMatchObject({
      collectPath: '/collect',
      corsOrigins: [],
      fallbackPrefix: 'fallback/',
      quarantinePrefix: 'quarantine/',
      maxBodyBytes: 2_097_152,
      maxRecordBytes: 1_048_576,
      maxEventsPerRequest: 10_000,
      validationMode: 'lenient',
      ipPolicy: 'first-forwarded',
      ipAnonymization: 'keep',
    });
    expect([...config.appIds]).toEqual(['test_app', 'test_release']);
    expect(config.auth.mode).toBe('none');
  });

  it.each([
    ['CLICKSTREAM_APP_IDS', { CLICKSTREAM_APP_IDS: '' }],
    ['CLICKSTREAM_APP_IDS', { CLICKSTREAM_APP_IDS: 'good,bad id' }],
    ['CLICKSTREAM_STREAM_NAME', { CLICKSTREAM_STREAM_NAME: '' }],
    ['CLICKSTREAM_PATH', { CLICKSTREAM_PATH: 'collect' }],
    ['CLICKSTREAM_MAX_RECORD_BYTES', { CLICKSTREAM_MAX_RECORD_BYTES: 'lots' }],
    ['CLICKSTREAM_IP_POLICY', { CLICKSTREAM_IP_POLICY: 'last' }],
    ['AWS_ENDPOINT_URL_KINESIS', { AWS_ENDPOINT_URL_KINESIS: 'not a url' }],
    [
      'CLICKSTREAM_AUTH_ISSUER',
      {
        CLICKSTREAM_AUTH_MODE: 'jwt',
        CLICKSTREAM_AUTH_JWKS_URL: 'https://id.example.com/jwks',
        CLICKSTREAM_AUTH_AUDIENCE: 'a',
      },
    ],
    [
      'CLICKSTREAM_AUTH_JWKS_URL',
      { CLICKSTREAM_AUTH_MODE: 'jwt', CLICKSTREAM_AUTH_ISSUER: 'i', CLICKSTREAM_AUTH_AUDIENCE: 'a' },
    ],
  ])('fails naming %s when it is bad', (name, overrides) => {
    expect(() => parseConfig({ ...TEST_ENV, ...overrides })).toThrow(ConfigError);
    expect(() => parseConfig({ ...TEST_ENV, ...overrides })).toThrow(name);
  });
});
