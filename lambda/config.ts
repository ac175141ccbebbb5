import { AUTH_SETTINGS } from '../settings/auth-settings';
import { COLLECTOR_SETTINGS } from '../settings/collector-settings';
import { ConfigError } from '../settings/config-error';
import type { AnySetting, Values } from '../settings/kinds';
import { resolveSettings } from '../settings/resolve';
import { applyRules, FUNCTION_RULES } from '../settings/rules';
import { assertNoPublicSuffixWildcards } from './access/cors-wildcards';

/**
 * The collector's whole configuration, read once at cold start from environment variables.
 * This is the only module of the function that reads `process.env`; everything else receives a
 * `CollectorConfig`. Its fields are the settings of settings/collector-settings.ts and
 * settings/auth-settings.ts, under their names there. A bad value throws a `ConfigError` naming
 * the variable, so a broken deployment fails at init instead of answering requests wrongly.
 */

export { ConfigError };

type AuthValues = Values<typeof AUTH_SETTINGS>;

export interface AuthConfig
  extends Omit<AuthValues, 'appIds' | 'issuer' | 'jwksUrl' | 'publicKeyPem' | 'secretArn'> {
  /** Apps that must present a token; `'*'` means all of them. */
  readonly appIds: readonly string[] | '*';
  /** The optional texts are `''` when unset. */
  readonly issuer: string;
  readonly jwksUrl: string;
  readonly publicKeyPem: string;
  readonly secretArn: string;
}

export interface CollectorConfig extends Omit<Values<typeof COLLECTOR_SETTINGS>, 'appIds'> {
  readonly appIds: ReadonlySet<string>;
  readonly auth: AuthConfig;
}

// The two groups directly, not the whole table: the bundle then carries only the function's settings.
const FUNCTION_SETTINGS: readonly AnySetting[] = [
  ...Object.values(COLLECTOR_SETTINGS),
  ...Object.values(AUTH_SETTINGS),
].filter((setting) => setting.env !== undefined);

const variableName = (setting: AnySetting): string => setting.env ?? String(setting.context);

/** Parses and validates an environment; throws `ConfigError` naming every bad variable. */
export function parseConfig(environment: Readonly<Record<string, string | undefined>>): CollectorConfig {
  const { resolved, issues } = resolveSettings(FUNCTION_SETTINGS, (setting) =>
    setting.env === undefined ? undefined : environment[setting.env],
  );
  const problems = issues.length > 0 ? issues : applyRules(FUNCTION_RULES, resolved, variableName);
  if (problems.length > 0) {
    const text = problems.map((problem) => `${variableName(problem.setting)}: ${problem.message}`).join('; ');
    throw new ConfigError(`Invalid collector configuration: ${text}`);
  }
  const { appIds, ...collector } = resolved.group(COLLECTOR_SETTINGS);
  const auth = resolved.group(AUTH_SETTINGS);
  return {
    ...collector,
    appIds: new Set(appIds),
    auth: {
      ...auth,
      appIds: auth.appIds.length === 0 || auth.appIds.includes('*') ? '*' : auth.appIds,
      issuer: auth.issuer ?? '',
      jwksUrl: auth.jwksUrl ?? '',
      publicKeyPem: auth.publicKeyPem ?? '',
      secretArn: auth.secretArn ?? '',
    },
  };
}

/**
 * The configuration a collector starts with: `parseConfig`, plus the checks that need to load
 * something first (the Public Suffix List for wildcard CORS origins). The function's cold start
 * and `npm start` both use it.
 */
export async function startupConfig(
  environment: Readonly<Record<string, string | undefined>>,
): Promise<CollectorConfig> {
  const config = parseConfig(environment);
  await assertNoPublicSuffixWildcards(config.corsOrigins);
  return config;
}

/** The configuration of this process, from `process.env`. */
export function loadConfig(): Promise<CollectorConfig> {
  return startupConfig(process.env);
}
