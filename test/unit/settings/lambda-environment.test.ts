import { describe, expect, it } from 'vitest';
import { parseContext } from '../../../bin/context';
import { parseConfig } from '../../../lambda/config';
import { functionEnvironment } from '../../../settings/lambda-environment';

const CERTIFICATE = 'arn:aws:acm:eu-west-1:123456789012:certificate/abc';
const RESOURCES = { CLICKSTREAM_STREAM_NAME: 'stream', CLICKSTREAM_ARCHIVE_BUCKET: 'bucket' };

describe('the Lambda environment the stack derives from context', () => {
  it('sets every function setting of the context, defaults included, in the text the function reads', () => {
    const environment = functionEnvironment(parseContext({ appIds: 'a,b', maxBodyBytes: 2048 }));
    expect(environment).toMatchObject({
      CLICKSTREAM_APP_IDS: 'a,b',
      CLICKSTREAM_PATH: '/collect',
      CLICKSTREAM_MAX_BODY_BYTES: '2048',
      CLICKSTREAM_IP_POLICY: 'first-forwarded',
      CLICKSTREAM_AUTH_MODE: 'none',
    });
  });

  it.each([
    ['function-url', '2097152'],
    ['http-api', '2097152'],
    ['alb', '1048576'],
  ])('caps bodies at what the %s endpoint can pass (%s bytes) unless told otherwise', (endpointType, cap) => {
    const context = {
      appIds: 'a',
      endpointType,
      ...(endpointType === 'alb' ? { certificateArn: CERTIFICATE } : {}),
    };
    expect(functionEnvironment(parseContext(context)).CLICKSTREAM_MAX_BODY_BYTES).toBe(cap);
  });

  it('leaves the auth settings out while auth is off', () => {
    const names = Object.keys(functionEnvironment(parseContext({ appIds: 'a' })));
    expect(names.filter((name) => name.startsWith('CLICKSTREAM_AUTH_'))).toEqual(['CLICKSTREAM_AUTH_MODE']);
  });

  it('is read back by the function as the configuration the context describes', () => {
    const context = parseContext({
      appIds: 'shop,partner',
      corsOrigins: 'https://www.example.com',
      ipAnonymization: 'truncate',
      authMode: 'jwt',
      authAppIds: 'partner',
      authIssuer: 'https://idp.example.com/',
      authAudience: 'clickstream,web',
      authJwksUrl: 'https://idp.example.com/jwks.json',
      authMaxTokenLifetimeSeconds: 3600,
    });
    const config = parseConfig({ ...functionEnvironment(context), ...RESOURCES });
    expect([...config.appIds]).toEqual(['shop', 'partner']);
    expect(config.corsOrigins).toEqual(['https://www.example.com']);
    expect(config.ipAnonymization).toBe('truncate');
    expect(config.auth).toMatchObject({
      mode: 'jwt',
      appIds: ['partner'],
      issuer: 'https://idp.example.com/',
      audience: ['clickstream', 'web'],
      jwksUrl: 'https://idp.example.com/jwks.json',
      publicKeyPem: '',
      maxTokenLifetimeSeconds: 3_600,
      cookieName: 'clickstream_token',
    });
  });
});
