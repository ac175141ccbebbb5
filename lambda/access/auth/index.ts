export { createAuthenticator } from './authenticator';
export { resetJwksCache } from './jwks-key-source';
export { prepareAuthenticator } from './prepare';
