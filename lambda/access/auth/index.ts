export type { AuthenticatorDeps } from './authenticator';
export { createAuthenticator } from './authenticator';
export { resetJwksCache } from './jwks-key-source';
export { prepareAuthenticator, retryingAuthenticator } from './prepare';
