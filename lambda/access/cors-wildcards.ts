import { ConfigError } from '../../settings/config-error';
import { wildcardParents } from './cors';

/**
 * A wildcard origin directly under a public suffix — `https://*.co.uk`, `https://*.github.io` —
 * would admit every site registered there, with credentials. The Public Suffix List (ICANN and
 * private sections) comes from `tldts`, which is large: it is loaded only when a wildcard is
 * configured, and the deployed function carries it beside its bundle rather than inside
 * (lib/function-bundling.ts), so a cold start without wildcards never parses it.
 */

const ENV_NAME = 'CLICKSTREAM_CORS_ORIGINS';

export type PublicSuffixOf = (host: string) => string | null;

/** The problem of each entry whose wildcard stands directly under a public suffix. */
export function publicSuffixWildcards(origins: readonly string[], publicSuffixOf: PublicSuffixOf): string[] {
  return wildcardParents(origins)
    .filter(({ parent }) => publicSuffixOf(parent) === parent)
    .map(
      ({ entry, parent }) =>
        `"${entry}": "*" must stand for a label below a registered domain; ${parent} is a public suffix`,
    );
}

/** Throws a `ConfigError` naming CLICKSTREAM_CORS_ORIGINS for a wildcard under a public suffix. */
export async function assertNoPublicSuffixWildcards(origins: readonly string[]): Promise<void> {
  if (wildcardParents(origins).length === 0) return;
  const { getPublicSuffix } = await import('tldts');
  const problems = publicSuffixWildcards(origins, (host) =>
    getPublicSuffix(host, { allowPrivateDomains: true }),
  );
  if (problems.length > 0) throw new ConfigError(`${ENV_NAME}: ${problems.join('; ')}`);
}
