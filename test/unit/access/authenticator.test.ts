import { exportPKCS8, exportSPKI, generateKeyPair, importPKCS8, jwtVerify } from 'jose';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { createAuthenticator } from '../../../lambda/access/auth/authenticator';
import { MAX_TOKEN_COOKIES } from '../../../lambda/access/auth/token';
import { ForbiddenError, ServiceUnavailableError } from '../../../lambda/core/errors';
import type { Authenticator, HttpRequest } from '../../../lambda/core/ports';
import {
  AUDIENCE,
  authConfig,
  bearer,
  cookie,
  hmacSignedWithPublicPem,
  NOW_MS,
  NOW_S,
  signToken,
  unsecuredToken,
} from '../../support/jwt-tokens';
import { httpRequest } from '../../support/lambda-events';

type KeyPair = Awaited<ReturnType<typeof generateKeyPair>>;

let rsa: KeyPair;
let rsaPem: string;
let otherRsa: KeyPair;
let ec: KeyPair;
let ecPem: string;
const SECRET = 'a-shared-secret-of-at-least-32-bytes!!';
const SECRET_BYTES = new TextEncoder().encode(SECRET);
const now = () => NOW_MS;

beforeAll(async () => {
  rsa = await generateKeyPair('RS256', { extractable: true });
  rsaPem = await exportSPKI(rsa.publicKey);
  otherRsa = await generateKeyPair('RS256');
  ec = await generateKeyPair('ES256', { extractable: true });
  ecPem = await exportSPKI(ec.publicKey);
});

function withPublicKey(overrides: Parameters<typeof authConfig>[0] = {}): Promise<Authenticator> {
  return createAuthenticator(authConfig({ publicKeyPem: rsaPem, ...overrides }), { now });
}

/** The error `authenticate` throws, or undefined when it lets the request through. */
async function rejection(authenticator: Authenticator, request: HttpRequest, appId = 'shop') {
  try {
    await authenticator.authenticate(request, appId);
    return undefined;
  } catch (error) {
    return error;
  }
}

async function expectForbidden(authenticator: Authenticator, request: HttpRequest, code: string) {
  const error = await rejection(authenticator, request);
  expect(error).toBeInstanceOf(ForbiddenError);
  expect(error).toMatchObject({ statusCode: 403, code });
}

describe('authentication off', () => {
  it('lets every request through when the mode is none', async () => {
    const authenticator = await createAuthenticator(authConfig({ mode: 'none' }));
    expect(await rejection(authenticator, httpRequest())).toBeUndefined();
  });
});

describe('authentication with a configured public key', () => {
  it('accepts a valid token from the cookie', async () => {
    const token = await signToken(rsa.privateKey);
    expect(await rejection(await withPublicKey(), httpRequest(cookie(token)))).toBeUndefined();
  });

  it('accepts a valid token from an Authorization: Bearer header', async () => {
    const token = await signToken(rsa.privateKey);
    expect(await rejection(await withPublicKey(), httpRequest(bearer(token)))).toBeUndefined();
  });

  it('accepts a valid token from a raw Cookie header', async () => {
    const token = await signToken(rsa.privateKey);
    const request = httpRequest({ headers: { cookie: `theme=dark; clickstream_token=${token}` } });
    expect(await rejection(await withPublicKey(), request)).toBeUndefined();
  });

  it('accepts a valid token in a later same-named cookie when the first one is stale', async () => {
    const stale = await signToken(rsa.privateKey, { exp: NOW_S - 3_600 });
    const valid = await signToken(rsa.privateKey);
    const request = httpRequest({ cookies: [`clickstream_token=${stale}`, `clickstream_token=${valid}`] });
    expect(await rejection(await withPublicKey(), request)).toBeUndefined();
  });

  it("answers the first cookie's verdict when no same-named cookie verifies", async () => {
    const expired = await signToken(rsa.privateKey, { exp: NOW_S - 3_600 });
    const request = httpRequest({ cookies: [`clickstream_token=${expired}`, 'clickstream_token=a.b.c'] });
    await expectForbidden(await withPublicKey(), request, 'auth_expired');
  });

  it(`tries at most ${MAX_TOKEN_COOKIES} same-named cookies`, async () => {
    const stale = await signToken(rsa.privateKey, { exp: NOW_S - 3_600 });
    const valid = await signToken(rsa.privateKey);
    const cookies = [
      ...Array.from({ length: MAX_TOKEN_COOKIES }, () => `clickstream_token=${stale}`),
      `clickstream_token=${valid}`,
    ];
    await expectForbidden(await withPublicKey(), httpRequest({ cookies }), 'auth_expired');
  });

  it('reads the cookie name from the configuration', async () => {
    const token = await signToken(rsa.privateKey);
    const authenticator = await withPublicKey({ cookieName: 'id_token' });
    expect(await rejection(authenticator, httpRequest(cookie(token, 'id_token')))).toBeUndefined();
    await expectForbidden(authenticator, httpRequest(cookie(token)), 'auth_missing');
  });

  it('accepts a token whose audience is any of the configured ones', async () => {
    const token = await signToken(rsa.privateKey, { audience: 'web-client' });
    const authenticator = await withPublicKey({ audience: [AUDIENCE, 'web-client'] });
    expect(await rejection(authenticator, httpRequest(cookie(token)))).toBeUndefined();
  });

  it('accepts a token that expired within the clock-skew allowance', async () => {
    const token = await signToken(rsa.privateKey, { exp: NOW_S - 30 });
    expect(
      await rejection(await withPublicKey({ clockSkewSeconds: 60 }), httpRequest(cookie(token))),
    ).toBeUndefined();
  });

  it('accepts an ES256 token when the key is an EC P-256 key', async () => {
    const token = await signToken(ec.privateKey, { alg: 'ES256' });
    const authenticator = await withPublicKey({ publicKeyPem: ecPem });
    expect(await rejection(authenticator, httpRequest(cookie(token)))).toBeUndefined();
  });

  it('accepts a PEM whose line breaks arrive as literal \\n sequences', async () => {
    const token = await signToken(rsa.privateKey);
    const authenticator = await withPublicKey({ publicKeyPem: rsaPem.replaceAll('\n', '\\n') });
    expect(await rejection(authenticator, httpRequest(cookie(token)))).toBeUndefined();
  });

  it('rejects a request without a token as auth_missing', async () => {
    await expectForbidden(await withPublicKey(), httpRequest(), 'auth_missing');
  });

  it('rejects an expired token as auth_expired', async () => {
    const token = await signToken(rsa.privateKey, { exp: NOW_S - 120 });
    await expectForbidden(
      await withPublicKey({ clockSkewSeconds: 60 }),
      httpRequest(cookie(token)),
      'auth_expired',
    );
  });

  it('rejects a token valid for ten years (exp − iat over the maximum lifetime) as auth_invalid', async () => {
    const token = await signToken(rsa.privateKey, { iat: NOW_S - 10, exp: NOW_S + 10 * 365 * 86_400 });
    await expectForbidden(await withPublicKey(), httpRequest(cookie(token)), 'auth_invalid');
  });

  it('accepts a token whose lifetime is exactly the maximum', async () => {
    const token = await signToken(rsa.privateKey, { iat: NOW_S - 10, exp: NOW_S - 10 + 3_600 });
    const authenticator = await withPublicKey({ maxTokenLifetimeSeconds: 3_600 });
    expect(await rejection(authenticator, httpRequest(cookie(token)))).toBeUndefined();
  });

  it('rejects a token one second longer-lived than the maximum', async () => {
    const token = await signToken(rsa.privateKey, { iat: NOW_S - 10, exp: NOW_S - 10 + 3_601 });
    const authenticator = await withPublicKey({ maxTokenLifetimeSeconds: 3_600 });
    await expectForbidden(authenticator, httpRequest(cookie(token)), 'auth_invalid');
  });

  it('judges a token without iat by the validity it has left (exp − now)', async () => {
    const authenticator = await withPublicKey({ maxTokenLifetimeSeconds: 3_600 });
    const shortLived = await signToken(rsa.privateKey, { iat: null, exp: NOW_S + 3_000 });
    expect(await rejection(authenticator, httpRequest(cookie(shortLived)))).toBeUndefined();
    const longLived = await signToken(rsa.privateKey, { iat: null, exp: NOW_S + 10 * 365 * 86_400 });
    await expectForbidden(authenticator, httpRequest(cookie(longLived)), 'auth_invalid');
  });

  it('rejects a token that is not yet valid', async () => {
    const token = await signToken(rsa.privateKey, { nbf: NOW_S + 300 });
    await expectForbidden(await withPublicKey(), httpRequest(cookie(token)), 'auth_invalid');
  });

  it('rejects a token without an expiry', async () => {
    const token = await signToken(rsa.privateKey, { exp: null });
    await expectForbidden(await withPublicKey(), httpRequest(cookie(token)), 'auth_invalid');
  });

  it('rejects a token from another issuer', async () => {
    const token = await signToken(rsa.privateKey, { issuer: 'https://evil.example.net/' });
    await expectForbidden(await withPublicKey(), httpRequest(cookie(token)), 'auth_invalid');
  });

  it('rejects a token for another audience', async () => {
    const token = await signToken(rsa.privateKey, { audience: 'another-service' });
    await expectForbidden(await withPublicKey(), httpRequest(cookie(token)), 'auth_invalid');
  });

  it('rejects a token signed by another key', async () => {
    const token = await signToken(otherRsa.privateKey);
    await expectForbidden(await withPublicKey(), httpRequest(cookie(token)), 'auth_invalid');
  });

  it('rejects a token whose payload was altered after signing', async () => {
    const [header, , signature] = (await signToken(rsa.privateKey)).split('.');
    const forged = Buffer.from(JSON.stringify({ iss: 'x', aud: AUDIENCE, exp: NOW_S + 60 })).toString(
      'base64url',
    );
    await expectForbidden(
      await withPublicKey(),
      httpRequest(cookie(`${header}.${forged}.${signature}`)),
      'auth_invalid',
    );
  });

  it('rejects an unsecured token (alg: none)', async () => {
    await expectForbidden(await withPublicKey(), httpRequest(cookie(unsecuredToken())), 'auth_invalid');
    await expectForbidden(await withPublicKey(), httpRequest(bearer(unsecuredToken())), 'auth_invalid');
  });

  it('rejects an HS256 token signed with the RSA public key as its secret (key confusion)', async () => {
    const token = hmacSignedWithPublicPem(rsaPem);
    // The forgery is real: a verifier that trusts the header's alg would accept it.
    await expect(
      jwtVerify(token, new TextEncoder().encode(rsaPem), { currentDate: new Date(NOW_MS) }),
    ).resolves.toBeDefined();
    await expectForbidden(await withPublicKey(), httpRequest(cookie(token)), 'auth_invalid');
  });

  it('refuses an allowlist that fits no algorithm of the configured key, at start', async () => {
    await expect(withPublicKey({ algorithms: ['ES256'] })).rejects.toThrow(/CLICKSTREAM_AUTH_ALGORITHMS/);
  });

  it('rejects a token whose algorithm is outside the configured allowlist', async () => {
    // The same RSA key signing PS256: valid by default, refused once the allowlist says RS256 only.
    const pss = await importPKCS8(await exportPKCS8(rsa.privateKey), 'PS256');
    const token = await signToken(pss, { alg: 'PS256' });
    expect(await rejection(await withPublicKey(), httpRequest(cookie(token)))).toBeUndefined();
    await expectForbidden(
      await withPublicKey({ algorithms: ['RS256'] }),
      httpRequest(cookie(token)),
      'auth_invalid',
    );
  });

  it.each([
    ['not a JWT', 'not-a-jwt'],
    ['two segments', 'abc.def'],
    ['four segments', 'a.b.c.d'],
    ['non-base64url characters', 'a+b.c/d.e=f'],
    ['an oversized value', `${'a'.repeat(9000)}.b.c`],
    ['undecodable segments', 'aaaa.bbbb.cccc'],
  ])('rejects a malformed cookie (%s) as auth_invalid', async (_what, value) => {
    await expectForbidden(await withPublicKey(), httpRequest(cookie(value)), 'auth_invalid');
  });

  it('rejects a malformed Bearer token as auth_invalid', async () => {
    await expectForbidden(
      await withPublicKey(),
      httpRequest({ headers: { authorization: 'Bearer not-a-jwt' } }),
      'auth_invalid',
    );
  });

  it('says nothing about the token or the failed check in the error', async () => {
    const token = await signToken(rsa.privateKey, { issuer: 'https://evil.example.net/' });
    const error = await rejection(await withPublicKey(), httpRequest(cookie(token)));
    expect(error).toBeInstanceOf(ForbiddenError);
    const forbidden = error as ForbiddenError;
    expect(forbidden.message).toBe('Invalid authentication token');
    expect(forbidden.cause).toBeUndefined();
    expect(JSON.stringify({ ...forbidden, message: forbidden.message })).not.toContain(token);
    expect(forbidden.message).not.toMatch(/iss|evil/);
  });
});

describe('authentication per app', () => {
  it('lets apps that are not listed through without a token', async () => {
    const authenticator = await withPublicKey({ appIds: ['secure-app'] });
    expect(await rejection(authenticator, httpRequest(), 'open-app')).toBeUndefined();
  });

  it('requires a token from a listed app', async () => {
    const authenticator = await withPublicKey({ appIds: ['secure-app'] });
    const error = await rejection(authenticator, httpRequest(), 'secure-app');
    expect(error).toMatchObject({ statusCode: 403, code: 'auth_missing' });
  });

  it('requires a token from every app when the list is "*"', async () => {
    const authenticator = await withPublicKey({ appIds: '*' });
    const error = await rejection(authenticator, httpRequest(), 'any-app');
    expect(error).toMatchObject({ statusCode: 403, code: 'auth_missing' });
  });
});

describe('authentication with a shared secret from Secrets Manager', () => {
  const ARN = 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:clickstream-jwt-AbCdEf';

  function withSecret(overrides: Parameters<typeof authConfig>[0] = {}, secret = SECRET) {
    const fetchSecret = vi.fn(async (_arn: string) => secret);
    return {
      fetchSecret,
      authenticator: createAuthenticator(authConfig({ secretArn: ARN, ...overrides }), { fetchSecret, now }),
    };
  }

  it('reads the secret once, at construction, by its ARN', async () => {
    const { fetchSecret, authenticator } = withSecret();
    const ready = await authenticator;
    await ready.authenticate(httpRequest(cookie(await signToken(SECRET_BYTES, { alg: 'HS256' }))), 'shop');
    await ready.authenticate(httpRequest(cookie(await signToken(SECRET_BYTES, { alg: 'HS256' }))), 'shop');
    expect(fetchSecret).toHaveBeenCalledTimes(1);
    expect(fetchSecret).toHaveBeenCalledWith(ARN);
  });

  it('accepts an HS256 token signed with the secret', async () => {
    const token = await signToken(SECRET_BYTES, { alg: 'HS256' });
    expect(await rejection(await withSecret().authenticator, httpRequest(bearer(token)))).toBeUndefined();
  });

  it('rejects an HS256 token signed with another secret', async () => {
    const token = await signToken(new TextEncoder().encode('another-secret-that-is-32-bytes-long'), {
      alg: 'HS256',
    });
    await expectForbidden(await withSecret().authenticator, httpRequest(bearer(token)), 'auth_invalid');
  });

  it('rejects an RS256 token, whatever its key', async () => {
    const token = await signToken(rsa.privateKey);
    await expectForbidden(await withSecret().authenticator, httpRequest(bearer(token)), 'auth_invalid');
  });

  it('rejects HS384 unless it is allowed explicitly', async () => {
    const token = await signToken(SECRET_BYTES, { alg: 'HS384' });
    await expectForbidden(await withSecret().authenticator, httpRequest(bearer(token)), 'auth_invalid');
    const allowing = await withSecret({ algorithms: ['HS256', 'HS384'] }).authenticator;
    expect(await rejection(allowing, httpRequest(bearer(token)))).toBeUndefined();
  });

  it('refuses a secret shorter than 32 bytes at start', async () => {
    await expect(withSecret({}, 'short').authenticator).rejects.toThrow(/at least 32 bytes/);
  });

  it('fails the start when the secret cannot be read, without repeating the cause message', async () => {
    const fetchSecret = async () => {
      throw new Error('AccessDeniedException');
    };
    await expect(createAuthenticator(authConfig({ secretArn: ARN }), { fetchSecret })).rejects.toThrow(
      /CLICKSTREAM_AUTH_SECRET_ARN/,
    );
  });
});

describe('authenticator configuration', () => {
  it.each([
    ['"none" in the allowlist', { algorithms: ['none'] }],
    ['"NONE" in any case', { algorithms: ['RS256', 'NONE'] }],
    ['HS256 with a public key (key confusion)', { algorithms: ['RS256', 'HS256'] }],
    ['an unknown algorithm', { algorithms: ['RS1'] }],
    ['a key that is not a PEM public key', { publicKeyPem: 'not a key' }],
  ])('refuses %s at start', async (_what, overrides) => {
    await expect(withPublicKey(overrides)).rejects.toThrow();
  });

  it('refuses an asymmetric algorithm with a shared secret at start', async () => {
    const config = authConfig({
      secretArn: 'arn:aws:secretsmanager:eu-west-1:1:secret:s',
      algorithms: ['RS256'],
    });
    await expect(createAuthenticator(config, { fetchSecret: async () => SECRET })).rejects.toThrow(
      /CLICKSTREAM_AUTH_ALGORITHMS/,
    );
  });

  it('refuses jwt mode without a key source', async () => {
    await expect(createAuthenticator(authConfig())).rejects.toThrow(/key source/);
  });
});

describe('JWKS outage mapping', () => {
  it('answers 503 with Retry-After when the JWKS cannot be fetched and no key is cached', async () => {
    const fetchImpl = vi.fn(async () => {
      throw new TypeError('fetch failed');
    });
    const authenticator = await createAuthenticator(
      authConfig({ jwksUrl: 'https://unreachable.invalid/unit-test/jwks.json' }),
      { fetchImpl, now, retryAfterSeconds: 7 },
    );
    const token = await signToken(rsa.privateKey, { kid: 'k1' });
    const error = await rejection(authenticator, httpRequest(cookie(token)));
    expect(error).toBeInstanceOf(ServiceUnavailableError);
    expect(error).toMatchObject({
      statusCode: 503,
      code: 'auth_unavailable',
      headers: { 'retry-after': '7' },
    });
  });
});
