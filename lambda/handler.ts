import { prepareAuthenticator } from './access/auth/prepare';
import { buildHandler } from './app';
import { loadConfig } from './config';

/**
 * The Lambda entry point. Configuration is read and validated once, at cold start, and a bad value
 * fails the start with a message naming the variable. (Top-level await: the bundle is ESM.)
 */
const config = await loadConfig();
export const handler = buildHandler(config, {
  authenticator: await prepareAuthenticator(config.auth, config.retryAfterSeconds),
});
