import { exportSPKI, generateKeyPair } from 'jose';
import { beforeAll, describe, expect, it } from 'vitest';
import { prepareAuthenticator } from '../../../lambda/access/auth/prepare';
import { ConfigError } from '../../../lambda/config';
import { sampleEvent, testConfig } from '../../support/events';
import { AUDIENCE, ISSUER, signToken } from '../../support/jwt-tokens';
import { memoryCollector } from '../../support/memory-collector';

// Auth wired into the whole handler: per-app, cookie or Bearer, 403 without leaking why.
let privateKey: CryptoKey;
let authEnv: Record<string, string>;
beforeAll(async () => {
  const pair = await generateKeyPair('RS256');
  privateKey = pair.privateKey;
  authEnv = {
    CLICKSTREAM_AUTH_MODE: 'jwt',
    CLICKSTREAM_AUTH_APP_IDS: 'test_app',
    CLICKSTREAM_AUTH_ISSUER: ISSUER,
    CLICKSTREAM_AUTH_AUDIENCE: AUDIENCE,
    CLICKSTREAM_AUTH_PUBLIC_KEY: await exportSPKI(pair.publicKey),
  };
});

const validToken = () => {
  const now = Math.floor(Date.now() / 1000);
  return signToken(privateKey, { iat: now, exp: now + 600 });
};
const body = JSON.stringify([sampleEvent()]);

describe('collect with auth on', () => {
  it('accepts a request with a valid token in the cookie', async () => {
    const collector = memoryCollector(authEnv);
    const response = await collector.send({
      query: 'appId=test_app',
      headers: { cookie: `clickstream_token=${await validToken()}` },
      body,
    });
    expect(response.statusCode).toBe(200);
    expect(collector.stream.records).toHaveLength(1);
  });

  it('accepts a request with a valid Bearer token', async () => {
    const collector = memoryCollector(authEnv);
    const response = await collector.send({
      query: 'appId=test_app',
      headers: { authorization: `Bearer ${await validToken()}` },
      body,
    });
    expect(response.statusCode).toBe(200);
  });

  it('refuses a request without a token with 403 auth_missing and stores nothing', async () => {
    const collector = memoryCollector(authEnv);
    const response = await collector.send({ query: 'appId=test_app', body });
    expect(response.statusCode).toBe(403);
    expect(JSON.parse(response.body).error).toBe('auth_missing');
    expect(collector.stream.records).toHaveLength(0);
    expect(collector.objects.keys()).toHaveLength(0);
  });

  it('refuses an expired token with 403', async () => {
    const expired = await signToken(privateKey, { exp: Math.floor(Date.now() / 1000) - 3600 });
    const response = await memoryCollector(authEnv).send({
      query: 'appId=test_app',
      headers: { authorization: `Bearer ${expired}` },
      body,
    });
    expect(response.statusCode).toBe(403);
  });

  it('lets an app that does not require auth send without a token', async () => {
    const response = await memoryCollector(authEnv).send({ query: 'appId=test_release', body });
    expect(response.statusCode).toBe(200);
  });

  it('fails the cold start on an auth configuration fault', async () => {
    const config = testConfig({ ...authEnv, CLICKSTREAM_AUTH_PUBLIC_KEY: 'not a key' });
    await expect(prepareAuthenticator(config.auth, config.retryAfterSeconds)).rejects.toBeInstanceOf(
      ConfigError,
    );
  });
});
