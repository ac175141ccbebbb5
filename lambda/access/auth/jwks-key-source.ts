import {
  createLocalJWKSet,
  createRemoteJWKSet,
  customFetch,
  errors,
  type JSONWebKeySet,
  type JWKSCacheInput,
  type JWTVerifyGetKey,
  jwksCache,
  type RemoteJWKSetOptions,
} from 'jose';
import { boundedFetch } from './bounded-fetch';

/**
 * Verification keys from an issuer's JWKS endpoint, built so that an outage of that endpoint does
 * not turn into a storm of failed requests:
 * - the fetched key set lives at module level, so it outlives one authenticator and every
 *   invocation of a warm Lambda environment shares it;
 * - when a refresh fails, the last key set that was fetched successfully keeps verifying, however
 *   old it is (jose alone would refuse once `cacheMaxAge` has passed);
 * - after a failed refresh the endpoint is left alone for `failureBackoffMs`, so a hanging endpoint
 *   costs one request one timeout, not every request;
 * - a key set larger than `MAX_JWKS_BYTES` is refused like a failing endpoint, read no further;
 * - a token whose key is not in that last set cannot be judged while the endpoint is down: that is
 *   `JwksUnavailableError` (a 503 for the client, which retries later), never a 403 that would
 *   reject a legitimate token, nor a 500.
 */

/** Larger key sets are refused (as an unreachable endpoint would be): real ones are a few KB. */
export const MAX_JWKS_BYTES = 1024 * 1024;

/** The key for a token could not be looked up because the JWKS endpoint is unreachable. */
export class JwksUnavailableError extends Error {
  override readonly name = 'JwksUnavailableError';
}

export interface JwksKeySourceOptions {
  readonly url: string;
  /** Abort a JWKS fetch after this long. */
  readonly timeoutMs: number;
  /** After a successful fetch, an unknown `kid` triggers another fetch only after this long. */
  readonly cooldownMs: number;
  /** Refetch the key set (on use) when it is older than this, so removed keys stop verifying. */
  readonly cacheMaxAgeMs: number;
  /** After a failed fetch, serve from the last good key set without fetching for this long. */
  readonly failureBackoffMs: number;
  readonly fetchImpl?: typeof fetch;
  readonly now: () => number;
}

interface SharedJwksState {
  /** jose writes `{ jwks, uat }` into this object after every successful fetch. */
  readonly cache: JWKSCacheInput;
  lastFailureAt: number | undefined;
  /** Local key sets built from `cache.jwks`, so a stale set is not re-imported on every request. */
  readonly staleSets: WeakMap<object, ReturnType<typeof createLocalJWKSet>>;
}

const sharedStates = new Map<string, SharedJwksState>();

/** Forgets every cached key set and failure; for tests that reuse a URL. */
export function resetJwksCache(): void {
  sharedStates.clear();
}

function stateFor(url: string): SharedJwksState {
  let state = sharedStates.get(url);
  if (state === undefined) {
    state = { cache: {}, lastFailureAt: undefined, staleSets: new WeakMap() };
    sharedStates.set(url, state);
  }
  return state;
}

function isKeySet(value: unknown): value is JSONWebKeySet {
  return typeof value === 'object' && value !== null && Array.isArray(Reflect.get(value, 'keys'));
}

/**
 * Errors that are verdicts on the token (no such key, ambiguous key, an algorithm a JWKS cannot
 * serve), as opposed to failures to reach or read the endpoint.
 */
function isTokenVerdict(error: unknown): boolean {
  return (
    error instanceof errors.JWKSNoMatchingKey ||
    error instanceof errors.JWKSMultipleMatchingKeys ||
    error instanceof errors.JOSENotSupported
  );
}

export function createJwksKeySource(options: JwksKeySourceOptions): JWTVerifyGetKey {
  const state = stateFor(options.url);
  const remoteOptions: RemoteJWKSetOptions = {
    timeoutDuration: options.timeoutMs,
    cooldownDuration: options.cooldownMs,
    cacheMaxAge: options.cacheMaxAgeMs,
    [jwksCache]: state.cache,
  };
  remoteOptions[customFetch] = boundedFetch(options.fetchImpl ?? fetch, MAX_JWKS_BYTES);
  const remote = createRemoteJWKSet(new URL(options.url), remoteOptions);

  const fromLastGoodSet: JWTVerifyGetKey = async (header, token) => {
    const jwks: unknown = Reflect.get(state.cache, 'jwks');
    if (!isKeySet(jwks)) throw new JwksUnavailableError('JWKS unreachable and no keys cached');
    let local = state.staleSets.get(jwks);
    if (local === undefined) {
      local = createLocalJWKSet(jwks);
      state.staleSets.set(jwks, local);
    }
    try {
      return await local(header, token);
    } catch (error) {
      // The key may have been published since our last fetch: we cannot tell, so do not say 403.
      if (error instanceof errors.JWKSNoMatchingKey) {
        throw new JwksUnavailableError('JWKS unreachable and the token key is not cached');
      }
      throw error;
    }
  };

  return async (header, token) => {
    const { lastFailureAt } = state;
    if (lastFailureAt !== undefined && options.now() - lastFailureAt < options.failureBackoffMs) {
      return fromLastGoodSet(header, token);
    }
    try {
      const key = await remote(header, token);
      state.lastFailureAt = undefined;
      return key;
    } catch (error) {
      if (isTokenVerdict(error)) throw error;
      // Timeout, connection refused, non-200, unparsable or invalid key set: the endpoint is sick.
      state.lastFailureAt = options.now();
      return fromLastGoodSet(header, token);
    }
  };
}
