import * as logs from 'aws-cdk-lib/aws-logs';
import { z } from 'zod';
import { createCorsPolicy } from '../lambda/access/cors';
import type { CollectorStackProps, EndpointSettings } from '../lib/collector-stack';
import type { JwtAuthSettings } from '../lib/ingestion-function';

/**
 * The deployment's configuration, from CDK context (`cdk.json` defaults, `-c key=value` overrides).
 * This is the only module that reads context. Values from `-c` arrive as strings, values from
 * cdk.json as JSON, so numbers, booleans and lists accept both forms. Every error names its key.
 */

export class ContextError extends Error {
  override readonly name = 'ContextError';
}

const MIB = 1024 * 1024;
const APP_ID = /^[A-Za-z0-9_-]{1,127}$/;
const PREFIX = /^([A-Za-z0-9_.=-]+\/)+$/;
const SECRET_ARN = /^arn:aws[\w-]*:secretsmanager:[a-z0-9-]+:\d{12}:secret:.+$/;
const CERTIFICATE_ARN = /^arn:aws[\w-]*:acm:[a-z0-9-]+:\d{12}:certificate\/[\w-]+$/;
const RETENTION_DAYS = Object.values(logs.RetentionDays).filter(
  (value): value is number => typeof value === 'number',
);

const blank = (value: unknown) => (value === '' || value === null ? undefined : value);
const text = () => z.preprocess(blank, z.string().trim().min(1).optional());
const integer = (min: number, max: number) =>
  z.preprocess(blank, z.coerce.number<unknown>().int('must be an integer').min(min).max(max).optional());
const flag = () =>
  z.preprocess(
    (value) => (value === 'true' ? true : value === 'false' ? false : blank(value)),
    z.boolean('must be true or false').optional(),
  );
const list = (item: z.ZodString) =>
  z.preprocess(
    (value) =>
      typeof value === 'string'
        ? value
            .split(',')
            .map((part) => part.trim())
            .filter((part) => part.length > 0)
        : value,
    z.array(item).optional(),
  );
const url = () => z.preprocess(blank, z.url({ protocol: /^https?$/ }).optional());
const prefix = () =>
  z.preprocess(blank, z.string().regex(PREFIX, 'must be path segments ending with "/"').optional());

export const contextSchema = z.object({
  stackName: z.preprocess(
    blank,
    z
      .string()
      .regex(/^[A-Za-z][A-Za-z0-9-]{0,127}$/)
      .default('ClickstreamCollector'),
  ),
  region: z.preprocess(
    blank,
    z
      .string()
      .regex(/^[a-z]{2}(-[a-z]+)+-\d$/, 'must be an AWS Region such as us-east-1')
      .optional(),
  ),
  appIds: list(z.string().regex(APP_ID, 'app IDs may hold letters, digits, "_" and "-" only')).refine(
    (ids) => ids !== undefined && ids.length > 0,
    'register at least one app ID (comma-separated)',
  ),
  collectPath: z.preprocess(
    blank,
    z
      .string()
      .regex(/^\/[A-Za-z0-9/_.-]*$/, 'must start with "/"')
      .default('/collect'),
  ),
  // Checked by the function's own CORS parser, so synth refuses exactly what the function would.
  corsOrigins: list(z.string()).superRefine((origins, ctx) => {
    try {
      createCorsPolicy(origins ?? []);
    } catch (error) {
      ctx.addIssue({ code: 'custom', message: (error as Error).message });
    }
  }),
  endpointType: z.preprocess(blank, z.enum(['function-url', 'http-api', 'alb']).default('function-url')),
  domainName: z.preprocess(blank, z.hostname('must be a DNS name').optional()),
  certificateArn: z.preprocess(
    blank,
    z.string().regex(CERTIFICATE_ARN, 'must be an ACM certificate ARN').optional(),
  ),
  hostedZoneId: z.preprocess(
    blank,
    z
      .string()
      .regex(/^Z[A-Z0-9]{4,32}$/, 'must be a Route 53 hosted zone ID')
      .optional(),
  ),
  hostedZoneName: z.preprocess(blank, z.hostname('must be a DNS name').optional()),
  httpApiThrottleRate: integer(1, 1_000_000),
  httpApiThrottleBurst: integer(1, 1_000_000),
  vpcId: z.preprocess(
    blank,
    z
      .string()
      .regex(/^vpc-[0-9a-f]{8,17}$/, 'must be a VPC ID')
      .optional(),
  ),
  albOidcIssuer: url(),
  albOidcAuthorizationEndpoint: url(),
  albOidcTokenEndpoint: url(),
  albOidcUserInfoEndpoint: url(),
  albOidcClientId: text(),
  albOidcClientSecretArn: z.preprocess(
    blank,
    z.string().regex(SECRET_ARN, 'must be a Secrets Manager secret ARN').optional(),
  ),
  streamMode: z.preprocess(blank, z.enum(['on-demand', 'provisioned']).default('on-demand')),
  shardCount: integer(1, 10_000),
  streamRetentionHours: integer(24, 8760),
  maxRecordBytes: integer(16 * 1024, 10 * MIB),
  maxBodyBytes: integer(1, 10 * MIB),
  maxDecompressedBytes: integer(1, 64 * MIB),
  archivePrefix: prefix(),
  tablesPrefix: prefix(),
  fallbackPrefix: prefix(),
  quarantinePrefix: prefix(),
  archiveBatchSeconds: integer(0, 300),
  archiveBatchSize: integer(1, 10_000),
  archiveTransitionDays: integer(0, 36_500),
  archiveExpirationDays: integer(0, 36_500),
  quarantineExpirationDays: integer(0, 36_500),
  athenaDatabase: z.preprocess(
    blank,
    z
      .string()
      .regex(/^[a-z0-9_]{1,255}$/, 'lowercase letters, digits and "_" only')
      .optional(),
  ),
  ipPolicy: z.preprocess(blank, z.enum(['first-forwarded', 'trusted-hop']).optional()),
  ipAnonymization: z.preprocess(blank, z.enum(['keep', 'truncate', 'drop']).optional()),
  authMode: z.preprocess(blank, z.enum(['none', 'jwt']).default('none')),
  authAppIds: list(z.string().regex(/^(\*|[A-Za-z0-9_-]{1,127})$/, 'app IDs or "*"')),
  authCookieName: z.preprocess(
    blank,
    z
      .string()
      .regex(/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/, 'must be a cookie name')
      .optional(),
  ),
  authIssuer: text(),
  authAudience: list(z.string().min(1)),
  authJwksUrl: url(),
  authPublicKey: text(),
  authSecretArn: z.preprocess(
    blank,
    z.string().regex(SECRET_ARN, 'must be a Secrets Manager secret ARN').optional(),
  ),
  authAlgorithms: list(
    z.string().regex(/^(?!none$)[A-Za-z0-9]+$/i, 'a JWS algorithm name; "none" is never allowed'),
  ),
  authClockSkewSeconds: integer(0, 600),
  authJwksTimeoutMs: integer(100, 10_000),
  alarms: flag(),
  alarmEmail: z.preprocess(blank, z.email('must be an e-mail address').optional()),
  logRetentionDays: z.preprocess(
    blank,
    z.coerce
      .number<unknown>()
      .refine((days) => RETENTION_DAYS.includes(days), `must be one of ${RETENTION_DAYS.join(', ')}`)
      .default(30),
  ),
  reservedConcurrency: integer(1, 100_000),
  lambdaMemoryMb: integer(128, 10_240),
  // A request may spend the Kinesis retry budget (2.5 s) plus two S3 fallback attempts (2 s each)
  // before it can answer 503: a shorter timeout would cut that path off.
  lambdaTimeoutSeconds: integer(8, 60),
  destroyOnRemoval: flag(),
});

export type CollectorContext = z.infer<typeof contextSchema>;

/** The context keys this app reads. */
export const CONTEXT_KEYS = Object.keys(contextSchema.shape) as (keyof CollectorContext)[];

type Issue = { readonly key: keyof CollectorContext; readonly message: string };

const OIDC_KEYS = [
  'albOidcIssuer',
  'albOidcAuthorizationEndpoint',
  'albOidcTokenEndpoint',
  'albOidcUserInfoEndpoint',
  'albOidcClientId',
  'albOidcClientSecretArn',
] as const;
const JWT_ONLY_KEYS = [
  'authAppIds',
  'authCookieName',
  'authIssuer',
  'authAudience',
  'authJwksUrl',
  'authPublicKey',
  'authSecretArn',
  'authAlgorithms',
  'authClockSkewSeconds',
  'authJwksTimeoutMs',
] as const;

/** Rules that span keys; each issue names the key to change. */
function crossChecks(c: CollectorContext): Issue[] {
  const issues: Issue[] = [];
  const type = c.endpointType;
  if (c.streamMode === 'on-demand' && c.shardCount !== undefined) {
    issues.push({ key: 'shardCount', message: 'applies only with streamMode=provisioned' });
  }
  if (type === 'function-url') {
    if (c.domainName) {
      issues.push({
        key: 'domainName',
        message: 'function URLs have no custom domains; use endpointType=http-api or alb',
      });
    }
    if (c.certificateArn)
      issues.push({ key: 'certificateArn', message: 'applies only with endpointType=http-api or alb' });
  }
  if (type === 'http-api') {
    if (c.domainName && !c.certificateArn)
      issues.push({ key: 'certificateArn', message: 'required with domainName' });
    if (c.certificateArn && !c.domainName)
      issues.push({ key: 'domainName', message: 'required with certificateArn' });
  }
  if (type === 'alb' && c.domainName && !c.certificateArn) {
    issues.push({
      key: 'certificateArn',
      message: 'required with domainName (the ALB serves it over HTTPS)',
    });
  }
  if (type !== 'http-api') {
    if (c.httpApiThrottleRate !== undefined)
      issues.push({ key: 'httpApiThrottleRate', message: 'applies only with endpointType=http-api' });
    if (c.httpApiThrottleBurst !== undefined)
      issues.push({ key: 'httpApiThrottleBurst', message: 'applies only with endpointType=http-api' });
  }
  if ((c.hostedZoneId === undefined) !== (c.hostedZoneName === undefined)) {
    issues.push({
      key: c.hostedZoneId ? 'hostedZoneName' : 'hostedZoneId',
      message: 'hostedZoneId and hostedZoneName go together',
    });
  }
  if (c.hostedZoneId && !c.domainName)
    issues.push({ key: 'domainName', message: 'required with hostedZoneId' });
  if (
    c.domainName &&
    c.hostedZoneName &&
    !`.${c.domainName}`.endsWith(`.${c.hostedZoneName.replace(/\.$/, '')}`)
  ) {
    issues.push({ key: 'domainName', message: `must be inside hosted zone ${c.hostedZoneName}` });
  }
  if (c.vpcId && type !== 'alb') issues.push({ key: 'vpcId', message: 'applies only with endpointType=alb' });
  const oidcSet = OIDC_KEYS.filter((key) => c[key] !== undefined);
  if (oidcSet.length > 0) {
    if (type !== 'alb')
      issues.push({ key: oidcSet[0] ?? 'albOidcIssuer', message: 'applies only with endpointType=alb' });
    else if (!c.certificateArn)
      issues.push({ key: 'certificateArn', message: 'required with ALB OIDC authentication (HTTPS only)' });
    for (const key of OIDC_KEYS) {
      if (c[key] === undefined) issues.push({ key, message: 'required when any albOidc* key is set' });
    }
  }
  if (type === 'alb' && c.maxBodyBytes !== undefined && c.maxBodyBytes > MIB) {
    issues.push({ key: 'maxBodyBytes', message: 'an ALB passes at most 1 MB (1048576) bodies to Lambda' });
  }
  if (c.authMode === 'none') {
    for (const key of JWT_ONLY_KEYS) {
      if (c[key] !== undefined) issues.push({ key, message: 'applies only with authMode=jwt' });
    }
  } else {
    const sources = (['authJwksUrl', 'authPublicKey', 'authSecretArn'] as const).filter(
      (key) => c[key] !== undefined,
    );
    if (sources.length !== 1) {
      issues.push({
        key: sources[1] ?? 'authJwksUrl',
        message: 'authMode=jwt needs exactly one of authJwksUrl, authPublicKey, authSecretArn',
      });
    }
    if (!c.authIssuer) issues.push({ key: 'authIssuer', message: 'required with authMode=jwt' });
    if (!c.authAudience || c.authAudience.length === 0)
      issues.push({ key: 'authAudience', message: 'required with authMode=jwt' });
  }
  const prefixes = {
    archivePrefix: c.archivePrefix ?? 'events/',
    tablesPrefix: c.tablesPrefix ?? 'tables/',
    fallbackPrefix: c.fallbackPrefix ?? 'fallback/',
    quarantinePrefix: c.quarantinePrefix ?? 'quarantine/',
  };
  const entries = Object.entries(prefixes) as [keyof typeof prefixes, string][];
  for (const [key, value] of entries) {
    const clash = entries.find(([other, otherValue]) => other !== key && value.startsWith(otherValue));
    if (clash) issues.push({ key, message: `"${value}" overlaps ${clash[0]} "${clash[1]}"` });
  }
  const transition = c.archiveTransitionDays ?? 30;
  if (c.archiveExpirationDays && transition > 0 && c.archiveExpirationDays <= transition) {
    issues.push({
      key: 'archiveExpirationDays',
      message: `must be greater than archiveTransitionDays (${transition})`,
    });
  }
  return issues;
}

function fail(issues: readonly Issue[]): never {
  const lines = issues.map((issue) => `  -c ${String(issue.key)}: ${issue.message}`);
  throw new ContextError(`Invalid CDK context:\n${lines.join('\n')}`);
}

/** Reads and validates every context key; throws `ContextError` naming each bad key. */
export function parseContext(read: (key: string) => unknown): CollectorContext {
  const raw: Record<string, unknown> = {};
  for (const key of CONTEXT_KEYS) raw[key] = read(key);
  const parsed = contextSchema.safeParse(raw);
  if (!parsed.success) {
    fail(
      parsed.error.issues.map((issue) => ({
        key: (issue.path[0] ?? '(context)') as keyof CollectorContext,
        message: `${issue.message} (got ${JSON.stringify(raw[String(issue.path[0])])})`,
      })),
    );
  }
  const issues = crossChecks(parsed.data);
  if (issues.length > 0) fail(issues);
  return parsed.data;
}

function endpointSettings(c: CollectorContext): EndpointSettings {
  const hostedZone =
    c.hostedZoneId && c.hostedZoneName
      ? { hostedZoneId: c.hostedZoneId, zoneName: c.hostedZoneName }
      : undefined;
  switch (c.endpointType) {
    case 'function-url':
      return { type: 'function-url' };
    case 'http-api':
      return {
        type: 'http-api',
        throttleRateLimit: c.httpApiThrottleRate,
        throttleBurstLimit: c.httpApiThrottleBurst,
        customDomain:
          c.domainName && c.certificateArn
            ? { domainName: c.domainName, certificateArn: c.certificateArn, hostedZone }
            : undefined,
      };
    case 'alb':
      return {
        type: 'alb',
        vpcId: c.vpcId,
        certificateArn: c.certificateArn,
        domainName: c.domainName,
        hostedZone,
        oidc:
          c.albOidcIssuer &&
          c.albOidcAuthorizationEndpoint &&
          c.albOidcTokenEndpoint &&
          c.albOidcUserInfoEndpoint &&
          c.albOidcClientId &&
          c.albOidcClientSecretArn
            ? {
                issuer: c.albOidcIssuer,
                authorizationEndpoint: c.albOidcAuthorizationEndpoint,
                tokenEndpoint: c.albOidcTokenEndpoint,
                userInfoEndpoint: c.albOidcUserInfoEndpoint,
                clientId: c.albOidcClientId,
                clientSecretArn: c.albOidcClientSecretArn,
              }
            : undefined,
      };
  }
}

function jwtAuth(c: CollectorContext): JwtAuthSettings | undefined {
  if (c.authMode !== 'jwt' || !c.authIssuer || !c.authAudience) return undefined;
  return {
    appIds: c.authAppIds && c.authAppIds.length > 0 ? c.authAppIds : ['*'],
    cookieName: c.authCookieName,
    issuer: c.authIssuer,
    audience: c.authAudience,
    jwksUrl: c.authJwksUrl,
    publicKey: c.authPublicKey,
    secretArn: c.authSecretArn,
    algorithms: c.authAlgorithms,
    clockSkewSeconds: c.authClockSkewSeconds,
    jwksTimeoutMs: c.authJwksTimeoutMs,
  };
}

/** Maps validated context onto the stack's props (without `env`). */
export function toStackProps(c: CollectorContext): CollectorStackProps {
  return {
    endpoint: endpointSettings(c),
    appIds: c.appIds ?? [],
    collectPath: c.collectPath,
    corsOrigins: c.corsOrigins,
    streamCapacity:
      c.streamMode === 'provisioned'
        ? { mode: 'provisioned', shardCount: c.shardCount ?? 1 }
        : { mode: 'on-demand' },
    streamRetentionHours: c.streamRetentionHours,
    maxRecordBytes: c.maxRecordBytes,
    maxBodyBytes: c.maxBodyBytes,
    maxDecompressedBytes: c.maxDecompressedBytes,
    archivePrefix: c.archivePrefix,
    tablesPrefix: c.tablesPrefix,
    fallbackPrefix: c.fallbackPrefix,
    quarantinePrefix: c.quarantinePrefix,
    archiveBatchSeconds: c.archiveBatchSeconds,
    archiveBatchSize: c.archiveBatchSize,
    archiveTransitionDays: c.archiveTransitionDays,
    archiveExpirationDays: c.archiveExpirationDays,
    quarantineExpirationDays: c.quarantineExpirationDays,
    athenaDatabase: c.athenaDatabase,
    ipPolicy: c.ipPolicy,
    ipAnonymization: c.ipAnonymization,
    jwtAuth: jwtAuth(c),
    alarmsEnabled: c.alarms,
    alarmEmail: c.alarmEmail,
    logRetention: c.logRetentionDays as logs.RetentionDays,
    reservedConcurrency: c.reservedConcurrency,
    lambdaMemoryMb: c.lambdaMemoryMb,
    lambdaTimeoutSeconds: c.lambdaTimeoutSeconds,
    destroyOnRemoval: c.destroyOnRemoval,
  };
}
