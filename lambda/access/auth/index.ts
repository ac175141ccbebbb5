export type { Authenticator, AuthenticatorDeps } from './authenticator';
export { createAuthenticator } from './authenticator';
export { resetJwksCache } from './jwks-key-source';
