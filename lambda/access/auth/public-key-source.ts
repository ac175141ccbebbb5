import { createPublicKey } from 'node:crypto';
import { type CryptoKey, errors, importSPKI, type JWSAlgorithm, type JWTVerifyGetKey } from 'jose';
import { ConfigError } from '../../config';

const ENV_NAME = 'CLICKSTREAM_AUTH_PUBLIC_KEY';

/** The JWS algorithms a public key of this type can verify. */
function algorithmsForKey(pem: string): readonly JWSAlgorithm[] {
  let details: { type: string | undefined; curve: string | undefined };
  try {
    const key = createPublicKey({ key: pem, format: 'pem' });
    details = { type: key.asymmetricKeyType, curve: key.asymmetricKeyDetails?.namedCurve };
  } catch {
    throw new ConfigError(`${ENV_NAME}: not a PEM-encoded SPKI public key`);
  }
  switch (details.type) {
    case 'rsa':
      return ['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512'];
    case 'rsa-pss':
      return ['PS256', 'PS384', 'PS512'];
    case 'ec': {
      const byCurve: Readonly<Record<string, JWSAlgorithm>> = {
        prime256v1: 'ES256',
        secp384r1: 'ES384',
        secp521r1: 'ES512',
      };
      const alg = details.curve === undefined ? undefined : byCurve[details.curve];
      if (alg === undefined) throw new ConfigError(`${ENV_NAME}: unsupported EC curve`);
      return [alg];
    }
    case 'ed25519':
      return ['EdDSA', 'Ed25519'];
    default:
      throw new ConfigError(`${ENV_NAME}: unsupported key type ${details.type ?? 'unknown'}`);
  }
}

export interface PublicKeySource {
  readonly algorithms: JWSAlgorithm[];
  readonly key: JWTVerifyGetKey;
}

/**
 * A single configured public key. WebCrypto binds a key to one algorithm, so the PEM is imported
 * once per allowed algorithm, eagerly: a broken key fails the cold start, not the first request.
 * Algorithms the key cannot serve are dropped from the allowlist; if none remain, that is a
 * configuration error.
 */
export async function createPublicKeySource(
  pemText: string,
  allowed: readonly JWSAlgorithm[],
): Promise<PublicKeySource> {
  // Environment variables set through consoles and CI often carry the PEM with literal "\n".
  const pem = pemText.includes('\\n') ? pemText.replaceAll('\\n', '\n') : pemText;
  const usable = algorithmsForKey(pem);
  const algorithms = allowed.filter((alg) => usable.includes(alg));
  if (algorithms.length === 0) {
    throw new ConfigError(
      `CLICKSTREAM_AUTH_ALGORITHMS: none of ${allowed.join(', ')} fits this key (it supports ${usable.join(', ')})`,
    );
  }
  const keys = new Map<string, CryptoKey>();
  for (const alg of algorithms) keys.set(alg, await importSPKI(pem, alg));
  return {
    algorithms,
    // jose has already checked `alg` against the allowlist before it asks for a key.
    key: async (header) => {
      const key = keys.get(header.alg);
      if (key === undefined) throw new errors.JOSENotSupported('no key for this algorithm');
      return key;
    },
  };
}
