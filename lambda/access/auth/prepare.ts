import type { AuthConfig } from '../../config';
import { ConfigError } from '../../config';
import { ServiceUnavailableError } from '../../core/errors';
import type { Authenticator } from '../../core/ports';

/** With auth off, every request may proceed. */
const OPEN: Authenticator = { authenticate: async () => {} };

/** jose and the key sources are loaded only by deployments that turn JWT auth on. */
async function buildAuthenticator(auth: AuthConfig, retryAfterSeconds: number): Promise<Authenticator> {
  if (auth.mode === 'none') return OPEN;
  const { createAuthenticator } = await import('./authenticator');
  return createAuthenticator(auth, { retryAfterSeconds });
}

/**
 * An authenticator that is built on first use and rebuilt after a failure. Only a secret that
 * cannot be fetched right now gets here (configuration faults fail the start, see
 * `prepareAuthenticator`): requests that need auth get a 503, so the client keeps its data and
 * retries, and the next request tries again.
 */
export function retryingAuthenticator(auth: AuthConfig, retryAfterSeconds: number): Authenticator {
  if (auth.mode === 'none') return OPEN;
  let pending: Promise<Authenticator> | undefined;
  return {
    async authenticate(request, appId) {
      pending ??= buildAuthenticator(auth, retryAfterSeconds);
      let authenticator: Authenticator;
      try {
        authenticator = await pending;
      } catch (error) {
        pending = undefined;
        if (error instanceof ConfigError) throw error;
        throw new ServiceUnavailableError(
          'auth_unavailable',
          'Authentication is unavailable; retry later',
          retryAfterSeconds,
        );
      }
      await authenticator.authenticate(request, appId);
    },
  };
}

/**
 * Builds the authenticator at cold start (fetching its secret, if any). A configuration fault
 * fails the start like any bad configuration; a secret that cannot be fetched yet does not.
 */
export async function prepareAuthenticator(
  auth: AuthConfig,
  retryAfterSeconds: number,
): Promise<Authenticator> {
  try {
    return await buildAuthenticator(auth, retryAfterSeconds);
  } catch (error) {
    if (error instanceof ConfigError) throw error;
    return retryingAuthenticator(auth, retryAfterSeconds);
  }
}
