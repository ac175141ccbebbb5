import { describe, expect, it } from 'vitest';
import { ConfigError, parseConfig, startupConfig } from '../../lambda/config';
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

  it('reads an empty variable as unset, so it never shadows a default', () => {
    expect(parseConfig({ ...TEST_ENV, CLICKSTREAM_PATH: '', CLICKSTREAM_IP_POLICY: ' ' })).toMatchObject({
      collectPath: '/collect',
      ipPolicy: 'first-forwarded',
    });
  });
});

describe('parseConfig: token authentication', () => {
  const JWT = {
    ...TEST_ENV,
    CLICKSTREAM_AUTH_MODE: 'jwt',
    CLICKSTREAM_AUTH_ISSUER: 'https://idp.example.com/',
    CLICKSTREAM_AUTH_AUDIENCE: 'clickstream',
    CLICKSTREAM_AUTH_JWKS_URL: 'https://idp.example.com/jwks.json',
  };

  it('defaults the maximum token lifetime to 24 hours and bounds it', () => {
    expect(parseConfig(JWT).auth.maxTokenLifetimeSeconds).toBe(86_400);
    expect(parseConfig({ ...JWT, CLICKSTREAM_AUTH_MAX_TOKEN_LIFETIME_SECONDS: '3600' }).auth).toMatchObject({
      maxTokenLifetimeSeconds: 3_600,
    });
    expect(() => parseConfig({ ...JWT, CLICKSTREAM_AUTH_MAX_TOKEN_LIFETIME_SECONDS: '0' })).toThrow(
      /CLICKSTREAM_AUTH_MAX_TOKEN_LIFETIME_SECONDS/,
    );
  });

  it('refuses an app in CLICKSTREAM_AUTH_APP_IDS that is not registered (a typo would turn its auth off)', () => {
    expect(() => parseConfig({ ...JWT, CLICKSTREAM_AUTH_APP_IDS: 'test_ap' })).toThrow(
      /CLICKSTREAM_AUTH_APP_IDS: test_ap not in CLICKSTREAM_APP_IDS/,
    );
    expect(parseConfig({ ...JWT, CLICKSTREAM_AUTH_APP_IDS: 'test_app' }).auth.appIds).toEqual(['test_app']);
    expect(parseConfig({ ...JWT, CLICKSTREAM_AUTH_APP_IDS: '*' }).auth.appIds).toBe('*');
  });

  it('refuses two key sources, naming the second', () => {
    expect(() => parseConfig({ ...JWT, CLICKSTREAM_AUTH_PUBLIC_KEY: 'pem' })).toThrow(
      /CLICKSTREAM_AUTH_PUBLIC_KEY: CLICKSTREAM_AUTH_MODE=jwt needs exactly one of/,
    );
  });

  it('refuses a plain-http JWKS URL on a host that is not a loopback address', () => {
    expect(() => parseConfig({ ...JWT, CLICKSTREAM_AUTH_JWKS_URL: 'http://idp.example.com/jwks' })).toThrow(
      /CLICKSTREAM_AUTH_JWKS_URL: must be an https URL/,
    );
  });

  it.each(['http://127.0.0.1:9000/jwks', 'http://localhost:9000/jwks', 'http://[::1]:9000/jwks'])(
    'accepts the loopback JWKS URL %s',
    (url) => {
      expect(parseConfig({ ...JWT, CLICKSTREAM_AUTH_JWKS_URL: url }).auth.jwksUrl).toBe(url);
    },
  );
});

describe('parseConfig: CORS origins', () => {
  it.each(['https://*.co.uk', 'https://*.github.io'])(
    'refuses the wildcard %s at start, naming CLICKSTREAM_CORS_ORIGINS',
    async (origin) => {
      await expect(startupConfig({ ...TEST_ENV, CLICKSTREAM_CORS_ORIGINS: origin })).rejects.toThrow(
        /CLICKSTREAM_CORS_ORIGINS: .*public suffix/,
      );
    },
  );
});
