import { exportJWK, exportSPKI, generateKeyPair, type JWK } from 'jose';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { AuthenticatorDeps } from '../../../lambda/access/auth/authenticator';
import { createAuthenticator } from '../../../lambda/access/auth/authenticator';
import { MAX_JWKS_BYTES, resetJwksCache } from '../../../lambda/access/auth/jwks-key-source';
import type { AuthConfig } from '../../../lambda/config';
import type { Authenticator } from '../../../lambda/core/ports';
import { type JwksServer, startJwksServer } from '../../support/jwks-server';
import { authConfig, cookie, hmacSignedWithPublicPem, NOW_MS, signToken } from '../../support/jwt-tokens';
import { httpRequest } from '../../support/lambda-events';

type KeyPair = Awaited<ReturnType<typeof generateKeyPair>>;

let k1: KeyPair;
let k1Jwk: JWK;
let k1Pem: string;
let k2: KeyPair;
let k2Jwk: JWK;
let server: JwksServer;
/** The authenticator's clock: drives exp/nbf and the JWKS failure back-off. */
let clock: number;

beforeAll(async () => {
  k1 = await generateKeyPair('RS256', { extractable: true });
  k1Jwk = { ...(await exportJWK(k1.publicKey)), kid: 'k1', alg: 'RS256', use: 'sig' };
  k1Pem = await exportSPKI(k1.publicKey);
  k2 = await generateKeyPair('RS256', { extractable: true });
  k2Jwk = { ...(await exportJWK(k2.publicKey)), kid: 'k2', alg: 'RS256', use: 'sig' };
});

beforeEach(async () => {
  resetJwksCache();
  clock = NOW_MS;
  server = await startJwksServer({ keys: [k1Jwk] });
});

afterEach(async () => {
  await server.stop();
});

function authenticator(
  config: Partial<AuthConfig> = {},
  deps: AuthenticatorDeps = {},
): Promise<Authenticator> {
  return createAuthenticator(authConfig({ jwksUrl: server.url, jwksTimeoutMs: 300, ...config }), {
    now: () => clock,
    ...deps,
    jwks: { cooldownMs: 0, failureBackoffMs: 10_000, ...deps.jwks },
  });
}

async function outcome(auth: Authenticator, token: string) {
  try {
    await auth.authenticate(httpRequest(cookie(token)), 'shop');
    return { status: 200 };
  } catch (error) {
    const { statusCode, code, headers } = error as { statusCode: number; code: string; headers: object };
    return { status: statusCode, code, headers };
  }
}

describe('JWKS from a server on loopback', () => {
  it('accepts a token signed with a key the JWKS publishes', async () => {
    const auth = await authenticator();
    expect(await outcome(auth, await signToken(k1.privateKey, { kid: 'k1' }))).toEqual({ status: 200 });
    expect(server.requestCount).toBe(1);
  });

  it('shares fetched keys across authenticators, so a warm environment does not refetch', async () => {
    const token = await signToken(k1.privateKey, { kid: 'k1' });
    expect(await outcome(await authenticator(), token)).toEqual({ status: 200 });
    expect(await outcome(await authenticator(), token)).toEqual({ status: 200 });
    expect(server.requestCount).toBe(1);
  });

  it('rejects a token whose kid the reachable JWKS does not publish as 403', async () => {
    const auth = await authenticator();
    const result = await outcome(auth, await signToken(k2.privateKey, { kid: 'k2' }));
    expect(result).toMatchObject({ status: 403, code: 'auth_invalid' });
  });

  it('does not refetch for an unknown kid within the cooldown after a fetch', async () => {
    const auth = await authenticator({}, { jwks: { cooldownMs: 60_000 } });
    await outcome(auth, await signToken(k1.privateKey, { kid: 'k1' }));
    const result = await outcome(auth, await signToken(k2.privateKey, { kid: 'k2' }));
    expect(result).toMatchObject({ status: 403, code: 'auth_invalid' });
    expect(server.requestCount).toBe(1);
  });

  it('picks up a rotated key the JWKS published after the first fetch', async () => {
    const auth = await authenticator();
    await outcome(auth, await signToken(k1.privateKey, { kid: 'k1' }));
    server.setKeys({ keys: [k1Jwk, k2Jwk] });
    expect(await outcome(auth, await signToken(k2.privateKey, { kid: 'k2' }))).toEqual({ status: 200 });
  });

  it('rejects an HS256 token signed with the published public key as its secret', async () => {
    const auth = await authenticator();
    const result = await outcome(auth, hmacSignedWithPublicPem(k1Pem, 'k1'));
    expect(result).toMatchObject({ status: 403, code: 'auth_invalid' });
  });
});

describe('JWKS outage', () => {
  it('keeps verifying with cached keys after the JWKS server stops, even once they are stale', async () => {
    // cacheMaxAge 0: every request wants a refresh, so this proves the refresh failure is absorbed.
    const auth = await authenticator({}, { jwks: { cacheMaxAgeMs: 0 } });
    const token = await signToken(k1.privateKey, { kid: 'k1' });
    expect(await outcome(auth, token)).toEqual({ status: 200 });
    await server.stop();
    expect(await outcome(auth, token)).toEqual({ status: 200 });
    clock += 60_000;
    expect(await outcome(auth, token)).toEqual({ status: 200 });
  });

  it('answers 503 with Retry-After for an unknown kid while the JWKS server is down', async () => {
    const auth = await authenticator();
    await outcome(auth, await signToken(k1.privateKey, { kid: 'k1' }));
    await server.stop();
    const result = await outcome(auth, await signToken(k2.privateKey, { kid: 'k2' }));
    expect(result).toEqual({ status: 503, code: 'auth_unavailable', headers: { 'retry-after': '5' } });
  });

  it('refuses a key set over 1 MB like an unreachable endpoint, so it is never held in memory', async () => {
    const padding = Array.from({ length: 3_000 }, (_, index) => ({ ...k2Jwk, kid: `junk-${index}` }));
    server.setKeys({ keys: [k1Jwk, ...padding] });
    expect(JSON.stringify({ keys: [k1Jwk, ...padding] }).length).toBeGreaterThan(MAX_JWKS_BYTES);
    const auth = await authenticator();
    const result = await outcome(auth, await signToken(k1.privateKey, { kid: 'k1' }));
    expect(result).toMatchObject({ status: 503, code: 'auth_unavailable' });
  });

  it('answers 503 when the JWKS server has never been reachable', async () => {
    await server.stop();
    const auth = await authenticator();
    const result = await outcome(auth, await signToken(k1.privateKey, { kid: 'k1' }));
    expect(result).toMatchObject({ status: 503, code: 'auth_unavailable' });
  });

  it('keeps verifying with cached keys while the JWKS answers 500', async () => {
    const auth = await authenticator({}, { jwks: { cacheMaxAgeMs: 0 } });
    const token = await signToken(k1.privateKey, { kid: 'k1' });
    await outcome(auth, token);
    server.setBehaviour('fail');
    expect(await outcome(auth, token)).toEqual({ status: 200 });
  });

  it('leaves a failing JWKS alone during the back-off, then tries it again', async () => {
    const auth = await authenticator({}, { jwks: { cacheMaxAgeMs: 0, failureBackoffMs: 10_000 } });
    const token = await signToken(k1.privateKey, { kid: 'k1' });
    await outcome(auth, token);
    server.setBehaviour('fail');
    await outcome(auth, token);
    const afterFailure = server.requestCount;
    for (let i = 0; i < 5; i += 1) expect(await outcome(auth, token)).toEqual({ status: 200 });
    expect(server.requestCount).toBe(afterFailure);
    clock += 10_000;
    server.setBehaviour('serve');
    expect(await outcome(auth, token)).toEqual({ status: 200 });
    expect(server.requestCount).toBe(afterFailure + 1);
  });

  it('times out a hanging JWKS fetch and answers 503 instead of waiting', async () => {
    server.setBehaviour('hang');
    const auth = await authenticator({ jwksTimeoutMs: 200 });
    const started = performance.now();
    const result = await outcome(auth, await signToken(k1.privateKey, { kid: 'k1' }));
    expect(result).toMatchObject({ status: 503, code: 'auth_unavailable' });
    expect(performance.now() - started).toBeLessThan(2_000);
  });

  it('keeps verifying with cached keys when a refresh times out', async () => {
    const auth = await authenticator({ jwksTimeoutMs: 200 }, { jwks: { cacheMaxAgeMs: 0 } });
    const token = await signToken(k1.privateKey, { kid: 'k1' });
    await outcome(auth, token);
    server.setBehaviour('hang');
    expect(await outcome(auth, token)).toEqual({ status: 200 });
  });
});
