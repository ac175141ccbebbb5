import { getPublicSuffix } from 'tldts';
import { publicSuffixWildcards } from '../lambda/access/cors-wildcards';
import { ARCHIVE_SETTINGS as ARCHIVE } from './archive-settings';
import { COLLECTOR_SETTINGS as COLLECTOR } from './collector-settings';
import { ENDPOINT_SETTINGS as ENDPOINT } from './deployment-settings';
import type { AnySetting } from './kinds';
import type { ResolvedSettings, SettingIssue } from './resolve';
import { FUNCTION_RULES, issue, type Rule } from './rules';
import { type FunctionSettings, SETTINGS, settingsOf } from './table';

/** The rules that span the stack's settings; they run at synth, after the function's rules. */

const MIB = 1024 * 1024;

/** A setting given although the setting it depends on has another value (`onlyWith`). */
const onlyWith: Rule = {
  check: (s, name) =>
    settingsOf(SETTINGS).flatMap((setting) => {
      if (setting.onlyWith === undefined || !s.isGiven(setting)) return [];
      const parent = setting.onlyWith.setting();
      const value = s.get(parent);
      if (typeof value === 'string' && setting.onlyWith.values.includes(value)) return [];
      const wanted = setting.onlyWith.values.map((v) => `${name(parent)}=${v}`).join(' or ');
      return [issue(setting, `applies only with ${wanted}`)];
    }),
};

const albBodies: Rule = {
  check: (s, name) =>
    s.get(ENDPOINT.endpointType) === 'alb' &&
    s.isGiven(COLLECTOR.maxBodyBytes) &&
    (s.get(COLLECTOR.maxBodyBytes) ?? 0) > MIB
      ? [
          issue(
            COLLECTOR.maxBodyBytes,
            `an ALB passes at most 1 MiB (1048576) bodies to Lambda (${name(ENDPOINT.endpointType)}=alb)`,
          ),
        ]
      : [],
};

/**
 * The function's settings as a deployment sets them, with the defaults that depend on the
 * endpoint: an ALB passes at most 1 MiB to Lambda, so that is its body cap unless one is given.
 */
export function withEndpointDefaults(
  collector: FunctionSettings['collector'],
  s: ResolvedSettings,
): FunctionSettings['collector'] {
  if (s.get(ENDPOINT.endpointType) !== 'alb' || s.isGiven(COLLECTOR.maxBodyBytes)) return collector;
  return { ...collector, maxBodyBytes: MIB };
}

/** A CORS wildcard directly under a public suffix (the function refuses it at start too). */
const corsPublicSuffixes: Rule = {
  check: (s) =>
    publicSuffixWildcards(s.get(COLLECTOR.corsOrigins) ?? [], (host) =>
      getPublicSuffix(host, { allowPrivateDomains: true }),
    ).map((problem) => issue(COLLECTOR.corsOrigins, problem)),
};

function has(s: ResolvedSettings, setting: AnySetting): boolean {
  return s.get(setting) !== undefined;
}

const customDomain: Rule = {
  check: (s, name) => {
    const type = s.get(ENDPOINT.endpointType);
    const issues: SettingIssue[] = [];
    const domain = has(s, ENDPOINT.domainName);
    const certificate = has(s, ENDPOINT.certificateArn);
    if (domain && !certificate && type !== 'function-url') {
      issues.push(
        issue(ENDPOINT.certificateArn, `required with ${name(ENDPOINT.domainName)} (served over HTTPS)`),
      );
    }
    if (type === 'http-api' && certificate && !domain) {
      issues.push(issue(ENDPOINT.domainName, `required with ${name(ENDPOINT.certificateArn)}`));
    }
    if (has(s, ENDPOINT.hostedZoneId) !== has(s, ENDPOINT.hostedZoneName)) {
      const missing = has(s, ENDPOINT.hostedZoneId) ? ENDPOINT.hostedZoneName : ENDPOINT.hostedZoneId;
      issues.push(
        issue(missing, `${name(ENDPOINT.hostedZoneId)} and ${name(ENDPOINT.hostedZoneName)} go together`),
      );
    }
    if (has(s, ENDPOINT.hostedZoneId) && !domain) {
      issues.push(issue(ENDPOINT.domainName, `required with ${name(ENDPOINT.hostedZoneId)}`));
    }
    const zone = s.get(ENDPOINT.hostedZoneName)?.replace(/\.$/, '');
    const domainName = s.get(ENDPOINT.domainName);
    if (zone && domainName && !`.${domainName}`.endsWith(`.${zone}`)) {
      issues.push(issue(ENDPOINT.domainName, `must be inside hosted zone ${zone}`));
    }
    return issues;
  },
};

const OIDC = [
  ENDPOINT.albOidcIssuer,
  ENDPOINT.albOidcAuthorizationEndpoint,
  ENDPOINT.albOidcTokenEndpoint,
  ENDPOINT.albOidcUserInfoEndpoint,
  ENDPOINT.albOidcClientId,
  ENDPOINT.albOidcClientSecretArn,
];

const albOidc: Rule = {
  check: (s, name) => {
    if (s.get(ENDPOINT.endpointType) !== 'alb' || !OIDC.some((setting) => has(s, setting))) return [];
    const issues = OIDC.filter((setting) => !has(s, setting)).map((setting) =>
      issue(setting, 'required when any albOidc* key is set'),
    );
    if (!has(s, ENDPOINT.certificateArn)) {
      issues.push(
        issue(
          ENDPOINT.certificateArn,
          `required with ALB OIDC authentication (HTTPS only; ${name(OIDC[0] ?? ENDPOINT.albOidcIssuer)})`,
        ),
      );
    }
    return issues;
  },
};

/** An ALB without a certificate serves plain HTTP on the internet: tokens, cookies and events in clear. */
const albOverTls: Rule = {
  check: (s, name) =>
    s.get(ENDPOINT.endpointType) === 'alb' &&
    !has(s, ENDPOINT.certificateArn) &&
    !has(s, ENDPOINT.domainName) &&
    !OIDC.some((setting) => has(s, setting)) &&
    s.get(ENDPOINT.allowPlainHttp) !== true
      ? [
          issue(
            ENDPOINT.certificateArn,
            `required with ${name(ENDPOINT.endpointType)}=alb, which would otherwise serve plain HTTP on the internet; to accept that (e.g. for a trial), set ${name(ENDPOINT.allowPlainHttp)}=true`,
          ),
        ]
      : [],
};

const archiveLifecycle: Rule = {
  check: (s, name) => {
    const transition = s.get(ARCHIVE.archiveTransitionDays) ?? 0;
    const expiration = s.get(ARCHIVE.archiveExpirationDays) ?? 0;
    return expiration > 0 && transition > 0 && expiration <= transition
      ? [
          issue(
            ARCHIVE.archiveExpirationDays,
            `must be greater than ${name(ARCHIVE.archiveTransitionDays)} (${transition})`,
          ),
        ]
      : [];
  },
};

/** Everything synth checks across keys: the function's rules, then the stack's. */
export const DEPLOYMENT_RULES: readonly Rule[] = [
  ...FUNCTION_RULES,
  onlyWith,
  albBodies,
  customDomain,
  albOidc,
  albOverTls,
  archiveLifecycle,
  corsPublicSuffixes,
];
