import type { JWSAlgorithm } from 'jose';
import { ConfigError } from '../../config';

/**
 * Which JWS algorithms a token may use, decided once from the key source. The allowlist is what
 * stops algorithm-substitution attacks: `alg: none`, and the classic HS/RS confusion where a token
 * is HMAC-signed with the (public!) RSA key as the secret. So an asymmetric key source never
 * accepts HS*, a shared secret never accepts anything else, and `none` is never accepted.
 */

export type KeySourceKind = 'jwks' | 'public-key' | 'secret';

const ENV_NAME = 'CLICKSTREAM_AUTH_ALGORITHMS';
const HMAC_ALGORITHMS: readonly JWSAlgorithm[] = ['HS256', 'HS384', 'HS512'];
const ASYMMETRIC_ALGORITHMS: readonly JWSAlgorithm[] = [
  'RS256',
  'RS384',
  'RS512',
  'PS256',
  'PS384',
  'PS512',
  'ES256',
  'ES384',
  'ES512',
  'EdDSA',
  'Ed25519',
];
/** What OIDC providers actually sign with; EdDSA stays opt-in. */
const DEFAULT_ASYMMETRIC: readonly JWSAlgorithm[] = ASYMMETRIC_ALGORITHMS.filter(
  (alg) => alg !== 'EdDSA' && alg !== 'Ed25519',
);
const DEFAULT_HMAC: readonly JWSAlgorithm[] = ['HS256'];

/** The effective allowlist for a key source; throws `ConfigError` for a dangerous or unknown entry. */
export function resolveAlgorithms(configured: readonly string[], source: KeySourceKind): JWSAlgorithm[] {
  const family = source === 'secret' ? HMAC_ALGORITHMS : ASYMMETRIC_ALGORITHMS;
  if (configured.length === 0) return [...(source === 'secret' ? DEFAULT_HMAC : DEFAULT_ASYMMETRIC)];
  for (const alg of configured) {
    if (alg.toLowerCase() === 'none') {
      throw new ConfigError(`${ENV_NAME}: "none" is never allowed`);
    }
    if (family.includes(alg)) continue;
    if (HMAC_ALGORITHMS.includes(alg) || ASYMMETRIC_ALGORITHMS.includes(alg)) {
      throw new ConfigError(
        source === 'secret'
          ? `${ENV_NAME}: a shared secret verifies only ${HMAC_ALGORITHMS.join(', ')}, not ${alg}`
          : `${ENV_NAME}: ${alg} cannot be used with a public key or JWKS (HS/RS key confusion)`,
      );
    }
    throw new ConfigError(`${ENV_NAME}: unsupported algorithm "${alg}"`);
  }
  return [...new Set(configured)];
}
