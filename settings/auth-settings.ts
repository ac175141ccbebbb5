import * as z from 'zod/mini';
import { choice, formatted, integer, list, text } from './kinds';

/**
 * The function's token authentication: each is a field of `CollectorConfig.auth` under the same
 * name. All but `mode` apply only with `mode=jwt` (synth refuses them otherwise).
 */

export const SECRET_ARN = /^arn:aws[\w-]*:secretsmanager:[a-z0-9-]+:\d{12}:secret:.+$/;
const SECRET_ARN_MESSAGE = 'must be a Secrets Manager secret ARN';

const mode = choice({
  scope: 'function',
  env: 'CLICKSTREAM_AUTH_MODE',
  context: 'authMode',
  values: ['none', 'jwt'],
  default: 'none',
  example: 'jwt',
  doc: '`jwt`: every collect request for a protected app must carry a valid JSON Web Token (cookie or `Authorization: Bearer`)',
});
const jwtOnly = { setting: () => mode, values: ['jwt'] } as const;

export const AUTH_SETTINGS = {
  mode,
  appIds: list({
    scope: 'function',
    env: 'CLICKSTREAM_AUTH_APP_IDS',
    context: 'authAppIds',
    default: ['*'],
    defaultText: '`*` (all)',
    example: 'web-shop,partner-app',
    item: /^(\*|[A-Za-z0-9_-]{1,127})$/,
    itemMessage: 'registered app IDs or "*"',
    onlyWith: jwtOnly,
    doc: 'apps that need a token; each must be a registered app. Empty or `*` means every app; other apps keep working without one',
  }),
  cookieName: text({
    scope: 'function',
    env: 'CLICKSTREAM_AUTH_COOKIE_NAME',
    context: 'authCookieName',
    default: 'clickstream_token',
    example: 'id_token',
    pattern: /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/,
    patternMessage: 'must be a cookie name',
    onlyWith: jwtOnly,
    doc: 'cookie that holds the token',
  }),
  issuer: text({
    scope: 'function',
    env: 'CLICKSTREAM_AUTH_ISSUER',
    context: 'authIssuer',
    example: 'https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_AbC123',
    onlyWith: jwtOnly,
    defaultText: '— (required with `jwt`)',
    doc: "must equal the token's `iss` exactly",
  }),
  audience: list({
    scope: 'function',
    env: 'CLICKSTREAM_AUTH_AUDIENCE',
    context: 'authAudience',
    default: [],
    example: '3n4b5urk1ft4fl3mg5e62d9ado,web-client',
    onlyWith: jwtOnly,
    defaultText: '— (required with `jwt`)',
    doc: "comma-separated; the token's `aud` must contain at least one",
  }),
  jwksUrl: formatted({
    scope: 'function',
    env: 'CLICKSTREAM_AUTH_JWKS_URL',
    context: 'authJwksUrl',
    format: z.url({ protocol: /^https?$/ }),
    example: 'https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_AbC123/.well-known/jwks.json',
    onlyWith: jwtOnly,
    doc: "key source 1: the provider's JWKS (`jwks_uri` in its OpenID configuration); `https`, or `http` on a loopback address only",
  }),
  publicKeyPem: text({
    scope: 'function',
    env: 'CLICKSTREAM_AUTH_PUBLIC_KEY',
    context: 'authPublicKey',
    example: '-----BEGIN PUBLIC KEY-----\\nMIIBIj...\\n-----END PUBLIC KEY-----',
    onlyWith: jwtOnly,
    doc: 'key source 2: one PEM (SPKI) public key, RSA, EC P-256/384/521 or Ed25519. Literal `\\n` sequences are accepted in place of line breaks',
  }),
  secretArn: text({
    scope: 'function',
    env: 'CLICKSTREAM_AUTH_SECRET_ARN',
    context: 'authSecretArn',
    example: 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:clickstream-jwt-AbCdEf',
    pattern: SECRET_ARN,
    patternMessage: SECRET_ARN_MESSAGE,
    onlyWith: jwtOnly,
    doc: 'key source 3: a shared HMAC secret in Secrets Manager (its `SecretString`, used byte for byte, at least 32 bytes), read once when the function starts. The stack grants the function `secretsmanager:GetSecretValue` on this secret only (a secret encrypted with your own KMS key also needs `kms:Decrypt`)',
  }),
  algorithms: list({
    scope: 'function',
    env: 'CLICKSTREAM_AUTH_ALGORITHMS',
    context: 'authAlgorithms',
    default: [],
    defaultText: 'by key source',
    example: 'RS256,ES256',
    item: /^(?!none$)[A-Za-z0-9]+$/i,
    itemMessage: 'JWS algorithm names; "none" is never allowed',
    onlyWith: jwtOnly,
    doc: 'allowed JWS algorithms. Default: `RS256 RS384 RS512 PS256 PS384 PS512 ES256 ES384 ES512` for a JWKS or public key (narrowed to what the key can do), `HS256` for a secret. `EdDSA`/`Ed25519` and `HS384`/`HS512` are opt-in. `HS*` is refused with a JWKS or public key (that combination is the classic key-confusion attack)',
  }),
  clockSkewSeconds: integer({
    scope: 'function',
    env: 'CLICKSTREAM_AUTH_CLOCK_SKEW_SECONDS',
    context: 'authClockSkewSeconds',
    default: 60,
    min: 0,
    max: 600,
    example: '30',
    onlyWith: jwtOnly,
    doc: 'tolerance for `exp` and `nbf`',
  }),
  jwksTimeoutMs: integer({
    scope: 'function',
    env: 'CLICKSTREAM_AUTH_JWKS_TIMEOUT_MS',
    context: 'authJwksTimeoutMs',
    default: 2_000,
    min: 100,
    max: 10_000,
    example: '1000',
    onlyWith: jwtOnly,
    doc: 'timeout of one JWKS request',
  }),
  maxTokenLifetimeSeconds: integer({
    scope: 'function',
    env: 'CLICKSTREAM_AUTH_MAX_TOKEN_LIFETIME_SECONDS',
    context: 'authMaxTokenLifetimeSeconds',
    default: 86_400,
    min: 60,
    max: 31_536_000,
    example: '3600',
    onlyWith: jwtOnly,
    doc: 'longest accepted token lifetime, `exp − iat` (24 h by default); a token without `iat` may have at most this much validity left (`exp − now`). Longer → 403 `auth_invalid`',
  }),
};
