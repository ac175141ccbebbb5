import { isIP } from 'node:net';
import { createCorsPolicy } from '../lambda/access/cors';
import { ARCHIVE_SETTINGS as ARCHIVE } from './archive-settings';
import { AUTH_SETTINGS as AUTH } from './auth-settings';
import { COLLECTOR_SETTINGS as COLLECTOR } from './collector-settings';
import type { AnySetting } from './kinds';
import type { ResolvedSettings, SettingIssue } from './resolve';

/**
 * Rules that span settings, in one place (with deployment-rules.ts). FUNCTION_RULES run when the
 * function (or `npm start`) starts and at synth; the stack's own rules (deployment-rules.ts) only
 * at synth, where the stack's settings exist. Each issue names the setting to change; `name`
 * spells a setting as the reader knows it (variable or context key).
 */

export type SettingName = (setting: AnySetting) => string;

export interface Rule {
  readonly check: (settings: ResolvedSettings, name: SettingName) => SettingIssue[];
}

export const issue = (setting: AnySetting, message: string): SettingIssue => ({ setting, message });

function isLoopback(hostname: string): boolean {
  const host = hostname.replace(/^\[|\]$/g, '');
  if (host === 'localhost' || host === '::1') return true;
  return isIP(host) === 4 && host.startsWith('127.');
}

const corsOrigins: Rule = {
  check: (s) => {
    try {
      createCorsPolicy(s.get(COLLECTOR.corsOrigins) ?? []);
      return [];
    } catch (error) {
      // The function's own parser decides, so synth refuses exactly what the function would.
      const message = error instanceof Error ? error.message : String(error);
      return [issue(COLLECTOR.corsOrigins, message.replace(/^CLICKSTREAM_CORS_ORIGINS: /, ''))];
    }
  },
};

const jwtKeySource: Rule = {
  check: (s, name) => {
    if (s.get(AUTH.mode) !== 'jwt') return [];
    const sources = [AUTH.jwksUrl, AUTH.publicKeyPem, AUTH.secretArn];
    const given = sources.filter((source) => s.get(source) !== undefined);
    if (given.length === 1) return [];
    const list = sources.map(name).join(', ');
    return [issue(given[1] ?? AUTH.jwksUrl, `${name(AUTH.mode)}=jwt needs exactly one of ${list}`)];
  },
};

const jwtClaims: Rule = {
  check: (s, name) => {
    if (s.get(AUTH.mode) !== 'jwt') return [];
    const required = `required with ${name(AUTH.mode)}=jwt`;
    const issues: SettingIssue[] = [];
    if (s.get(AUTH.issuer) === undefined) issues.push(issue(AUTH.issuer, required));
    if ((s.get(AUTH.audience) ?? []).length === 0) issues.push(issue(AUTH.audience, required));
    return issues;
  },
};

const jwksOverTls: Rule = {
  check: (s) => {
    const url = s.get(AUTH.jwksUrl);
    if (url === undefined) return [];
    const { protocol, hostname } = new URL(url);
    if (protocol === 'https:' || isLoopback(hostname)) return [];
    return [issue(AUTH.jwksUrl, 'must be an https URL (plain http only on a loopback address)')];
  },
};

const protectedAppsRegistered: Rule = {
  check: (s, name) => {
    if (s.get(AUTH.mode) !== 'jwt') return [];
    const registered = new Set(s.get(COLLECTOR.appIds) ?? []);
    const unknown = (s.get(AUTH.appIds) ?? []).filter((id) => id !== '*' && !registered.has(id));
    if (unknown.length === 0) return [];
    // A typo here would leave the app it meant unprotected, so it is an error, not a no-op.
    return [issue(AUTH.appIds, `${unknown.join(', ')} not in ${name(COLLECTOR.appIds)}`)];
  },
};

const PREFIXES = [
  ARCHIVE.archivePrefix,
  ARCHIVE.tablesPrefix,
  COLLECTOR.fallbackPrefix,
  COLLECTOR.quarantinePrefix,
];

const prefixesApart: Rule = {
  check: (s, name) => {
    const present = PREFIXES.flatMap((setting) => {
      const value = s.get(setting);
      return value === undefined ? [] : [{ setting, value }];
    });
    return present.flatMap(({ setting, value }) => {
      const clash = present.find((other) => other.setting !== setting && value.startsWith(other.value));
      return clash ? [issue(setting, `"${value}" overlaps ${name(clash.setting)} "${clash.value}"`)] : [];
    });
  },
};

/** The rules every reader of the function's settings applies: the function, `npm start` and synth. */
export const FUNCTION_RULES: readonly Rule[] = [
  corsOrigins,
  jwtKeySource,
  jwtClaims,
  jwksOverTls,
  protectedAppsRegistered,
  prefixesApart,
];

/** Applies `rules`; the issues of every rule that failed. */
export function applyRules(
  rules: readonly Rule[],
  settings: ResolvedSettings,
  name: SettingName,
): SettingIssue[] {
  return rules.flatMap((rule) => rule.check(settings, name));
}
