import {
  errors,
  type JWSAlgorithm,
  type JWTPayload,
  type JWTVerifyGetKey,
  type JWTVerifyOptions,
  jwtVerify,
} from 'jose';
import type { AuthConfig } from '../../config';
import { ConfigError } from '../../config';
import { ForbiddenError, ServiceUnavailableError } from '../../core/errors';
import type { Authenticator } from '../../core/ports';
import { type KeySourceKind, resolveAlgorithms } from './algorithms';
import { createJwksKeySource, JwksUnavailableError } from './jwks-key-source';
import { createPublicKeySource } from './public-key-source';
import { fetchSecretString } from './secrets-manager';
import { extractToken } from './token';

export interface AuthenticatorDeps {
  /** Reads the shared secret's SecretString. @default GetSecretValue via the AWS SDK */
  readonly fetchSecret?: (arn: string) => Promise<string>;
  /** Used for JWKS requests. @default global fetch */
  readonly fetchImpl?: typeof fetch;
  /** Clock for exp/nbf checks and the JWKS failure back-off, in epoch ms. @default Date.now */
  readonly now?: () => number;
  /** JWKS cache tuning; defaults suit production, tests shorten them. */
  readonly jwks?: {
    /** @default 30_000 */
    readonly cooldownMs?: number;
    /** @default 600_000 */
    readonly cacheMaxAgeMs?: number;
    /** @default 10_000 */
    readonly failureBackoffMs?: number;
  };
  /** `Retry-After` of the 503 answered while the JWKS is unreachable. @default 5 */
  readonly retryAfterSeconds?: number;
}

/** RFC 7518 §3.2: an HMAC key shorter than the hash output weakens the MAC. */
const MIN_SECRET_BYTES = 32;

// Messages stay terse and identical across causes: a client learns the code, never which check
// failed or anything about the keys.
const missing = () => new ForbiddenError('auth_missing', 'Authentication required');
const invalid = () => new ForbiddenError('auth_invalid', 'Invalid authentication token');
const expired = () => new ForbiddenError('auth_expired', 'Authentication token expired');

interface KeySource {
  readonly algorithms: JWSAlgorithm[];
  readonly key: JWTVerifyGetKey;
}

/** The configured key source; the configuration's rules allow exactly one (settings/rules.ts). */
function keySourceKind(auth: AuthConfig): KeySourceKind {
  if (auth.jwksUrl !== '') return 'jwks';
  if (auth.publicKeyPem !== '') return 'public-key';
  if (auth.secretArn !== '') return 'secret';
  throw new ConfigError('CLICKSTREAM_AUTH_MODE=jwt needs a key source');
}

/**
 * A token may live at most `maxSeconds` (`exp − iat`). Without `iat` its issue time is unknown, so
 * the validity it has left (`exp − now`) must fit the limit instead: a token minted for ten years
 * is refused either way.
 */
function withinLifetime(payload: JWTPayload, nowSeconds: number, maxSeconds: number): boolean {
  if (typeof payload.exp !== 'number') return false;
  const start = typeof payload.iat === 'number' ? payload.iat : nowSeconds;
  return payload.exp - start <= maxSeconds;
}

async function createKeySource(
  auth: AuthConfig,
  deps: AuthenticatorDeps,
  now: () => number,
): Promise<KeySource> {
  const kind = keySourceKind(auth);
  const allowed = resolveAlgorithms(auth.algorithms, kind);
  switch (kind) {
    case 'jwks':
      return {
        algorithms: allowed,
        key: createJwksKeySource({
          url: auth.jwksUrl,
          timeoutMs: auth.jwksTimeoutMs,
          cooldownMs: deps.jwks?.cooldownMs ?? 30_000,
          cacheMaxAgeMs: deps.jwks?.cacheMaxAgeMs ?? 600_000,
          failureBackoffMs: deps.jwks?.failureBackoffMs ?? 10_000,
          ...(deps.fetchImpl === undefined ? {} : { fetchImpl: deps.fetchImpl }),
          now,
        }),
      };
    case 'public-key':
      return createPublicKeySource(auth.publicKeyPem, allowed);
    case 'secret': {
      let secret: string;
      try {
        secret = await (deps.fetchSecret ?? fetchSecretString)(auth.secretArn);
      } catch (cause) {
        throw new Error('CLICKSTREAM_AUTH_SECRET_ARN: could not read the signing secret', { cause });
      }
      const bytes = new TextEncoder().encode(secret);
      if (bytes.length < MIN_SECRET_BYTES) {
        throw new ConfigError(
          `CLICKSTREAM_AUTH_SECRET_ARN: the secret must be at least ${MIN_SECRET_BYTES} bytes`,
        );
      }
      return { algorithms: allowed, key: async () => bytes };
    }
  }
}

function toHttpError(error: unknown, retryAfterSeconds: number): Error {
  if (error instanceof JwksUnavailableError) {
    return new ServiceUnavailableError(
      'auth_unavailable',
      'Authentication is temporarily unavailable',
      retryAfterSeconds,
    );
  }
  if (error instanceof errors.JWTExpired) return expired();
  // Any other verdict from jose (signature, alg, iss, aud, nbf, shape) and key-type mismatches
  // (TypeError from jose's key checks) are a bad token. The jose error is not attached as a cause:
  // it can carry the token's claims, and the token must never reach a log.
  if (error instanceof errors.JOSEError || error instanceof TypeError) return invalid();
  return error instanceof Error ? error : new Error('authentication failed unexpectedly');
}

/**
 * Builds the authenticator for this process. Call it once at cold start (it may read the secret
 * from Secrets Manager and import keys) and reuse it for every request.
 */
export async function createAuthenticator(
  auth: AuthConfig,
  deps: AuthenticatorDeps = {},
): Promise<Authenticator> {
  if (auth.mode === 'none') return { authenticate: async () => {} };

  const now = deps.now ?? Date.now;
  const retryAfterSeconds = deps.retryAfterSeconds ?? 5;
  const protectedApps = auth.appIds === '*' ? '*' : new Set(auth.appIds);
  const source = await createKeySource(auth, deps, now);
  const baseOptions: JWTVerifyOptions = {
    algorithms: source.algorithms,
    issuer: auth.issuer,
    audience: [...auth.audience],
    clockTolerance: auth.clockSkewSeconds,
    // A token without an expiry would be valid forever.
    requiredClaims: ['exp'],
  };

  return {
    async authenticate(request, appId) {
      if (protectedApps !== '*' && !protectedApps.has(appId)) return;
      const lookup = extractToken(request, auth.cookieName);
      if (lookup.kind === 'missing') throw missing();
      if (lookup.kind === 'malformed') throw invalid();
      const currentDate = new Date(now());
      // The first candidate that verifies lets the request through; if none does, the verdict on
      // the first one is the answer (503 while keys cannot be fetched wins over a 403).
      let verdict: Error | undefined;
      for (const token of lookup.tokens) {
        try {
          const { payload } = await jwtVerify(token, source.key, { ...baseOptions, currentDate });
          if (withinLifetime(payload, currentDate.getTime() / 1000, auth.maxTokenLifetimeSeconds)) return;
          verdict ??= invalid();
        } catch (error) {
          const answer = toHttpError(error, retryAfterSeconds);
          if (answer instanceof ServiceUnavailableError) throw answer;
          verdict ??= answer;
        }
      }
      throw verdict ?? invalid();
    },
  };
}
