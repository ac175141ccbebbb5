// zod/mini: the same validation as zod with a fraction of the bundle (cold starts parse every byte).
import * as z from 'zod/mini';
import { APP_ID_PATTERN, APP_ID_RULE } from './core/app-ids';
import './zod-messages';

/**
 * The collector's whole configuration, read once at cold start from environment variables.
 * This is the only module of the function that reads `process.env`; everything else receives a
 * `CollectorConfig`. A bad value throws a `ConfigError` naming the variable, so a broken
 * deployment fails at init instead of answering requests wrongly.
 */

export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

const MIB = 1024 * 1024;

const list = z.pipe(
  z._default(z.string(), ''),
  z.transform((value: string) =>
    value
      .split(',')
      .map((item) => item.trim())
      .filter((item) => item.length > 0),
  ),
);

const text = (defaultValue: string) => z._default(z.string(), defaultValue);

const int = (defaultValue: number, min: number, max: number) =>
  z._default(
    z.coerce.number().check(z.refine(Number.isInteger, 'must be an integer'), z.minimum(min), z.maximum(max)),
    defaultValue,
  );

const oneOf = <const T extends readonly [string, ...string[]]>(values: T, defaultValue: T[number]) =>
  z._default(z.enum(values), defaultValue);

const envSchema = z.object({
  CLICKSTREAM_APP_IDS: list.check(
    z.refine((ids: string[]) => ids.every((id) => APP_ID_PATTERN.test(id)), APP_ID_RULE),
  ),
  /** The deployed stack's registry: an SSM parameter holding the app IDs, read at run time. */
  CLICKSTREAM_APP_REGISTRY_PARAMETER: text(''),
  CLICKSTREAM_APP_REGISTRY_CACHE_SECONDS: int(60, 1, 3_600),
  CLICKSTREAM_PATH: text('/collect').check(
    z.refine((path: string) => /^\/[A-Za-z0-9/_.-]*$/.test(path), 'must be a path starting with "/"'),
  ),
  CLICKSTREAM_CORS_ORIGINS: list,
  CLICKSTREAM_STREAM_NAME: z.string().check(z.minLength(1, 'required')),
  CLICKSTREAM_ARCHIVE_BUCKET: z.string().check(z.minLength(1, 'required')),
  CLICKSTREAM_FALLBACK_PREFIX: text('fallback/'),
  CLICKSTREAM_QUARANTINE_PREFIX: text('quarantine/'),
  // The web SDK cuts batches at 512 K UTF-16 units, up to ~1.5 MB of UTF-8 for CJK text: 2 MiB
  // takes any batch it builds. (An ALB passes at most 1 MB to Lambda; the stack sets that there.)
  CLICKSTREAM_MAX_BODY_BYTES: int(2 * MIB, 1, 10 * MIB),
  CLICKSTREAM_MAX_DECOMPRESSED_BYTES: int(8 * MIB, 1, 64 * MIB),
  CLICKSTREAM_MAX_RECORD_BYTES: int(MIB, 16 * 1024, 10 * MIB),
  // SDKs send at most 100 events a request; far more is abuse, refused before it is parsed.
  CLICKSTREAM_MAX_EVENTS_PER_REQUEST: int(10_000, 1, 100_000),
  CLICKSTREAM_VALIDATION_MODE: oneOf(['lenient', 'strict'], 'lenient'),
  CLICKSTREAM_KINESIS_RETRY_BUDGET_MS: int(2_500, 0, 60_000),
  CLICKSTREAM_SINK_CONNECT_TIMEOUT_MS: int(1_000, 50, 30_000),
  CLICKSTREAM_SINK_REQUEST_TIMEOUT_MS: int(2_000, 50, 60_000),
  CLICKSTREAM_RETRY_AFTER_SECONDS: int(5, 1, 3_600),
  CLICKSTREAM_METRICS_FLUSH_SECONDS: int(60, 0, 900),
  CLICKSTREAM_IP_POLICY: oneOf(['first-forwarded', 'trusted-hop'], 'first-forwarded'),
  CLICKSTREAM_IP_ANONYMIZATION: oneOf(['keep', 'truncate', 'drop'], 'keep'),
  CLICKSTREAM_AUTH_MODE: oneOf(['none', 'jwt'], 'none'),
  /** `*` = every registered app; otherwise only the listed apps require a token. */
  CLICKSTREAM_AUTH_APP_IDS: list,
  CLICKSTREAM_AUTH_COOKIE_NAME: text('clickstream_token'),
  CLICKSTREAM_AUTH_ISSUER: text(''),
  CLICKSTREAM_AUTH_AUDIENCE: list,
  CLICKSTREAM_AUTH_JWKS_URL: text(''),
  CLICKSTREAM_AUTH_PUBLIC_KEY: text(''),
  CLICKSTREAM_AUTH_SECRET_ARN: text(''),
  CLICKSTREAM_AUTH_ALGORITHMS: list,
  CLICKSTREAM_AUTH_CLOCK_SKEW_SECONDS: int(60, 0, 600),
  CLICKSTREAM_AUTH_JWKS_TIMEOUT_MS: int(2_000, 100, 10_000),
  /** Powertools' switch for logging each event; honoured with a redacted request, never the raw event. */
  POWERTOOLS_LOGGER_LOG_EVENT: oneOf(['true', 'false'], 'false'),
  AWS_REGION: text('us-east-1'),
  /** Set by the local server (or a user) to use a Kinesis/S3-compatible service instead of AWS. */
  AWS_ENDPOINT_URL_KINESIS: z.optional(z.url()),
  AWS_ENDPOINT_URL_S3: z.optional(z.url()),
});

export type CollectorEnv = z.infer<typeof envSchema>;

export interface AuthConfig {
  readonly mode: 'none' | 'jwt';
  /** Apps that must present a token; `'*'` means all of them. */
  readonly appIds: readonly string[] | '*';
  readonly cookieName: string;
  readonly issuer: string;
  readonly audience: readonly string[];
  readonly jwksUrl: string;
  readonly publicKeyPem: string;
  readonly secretArn: string;
  readonly algorithms: readonly string[];
  readonly clockSkewSeconds: number;
  readonly jwksTimeoutMs: number;
}

export interface CollectorConfig {
  /** The registered apps, when they are fixed by the configuration (else the registry holds them). */
  readonly appIds: ReadonlySet<string>;
  /** SSM parameter holding the app IDs; '' when `appIds` are the registry. */
  readonly appRegistryParameter: string;
  readonly appRegistryCacheSeconds: number;
  readonly collectPath: string;
  readonly corsOrigins: readonly string[];
  readonly streamName: string;
  readonly bucket: string;
  readonly fallbackPrefix: string;
  readonly quarantinePrefix: string;
  readonly maxBodyBytes: number;
  readonly maxDecompressedBytes: number;
  readonly maxRecordBytes: number;
  readonly maxEventsPerRequest: number;
  /** `lenient`: what the downstream processing needs; `strict`: the API document's limits too. */
  readonly validationMode: 'lenient' | 'strict';
  readonly kinesisRetryBudgetMs: number;
  readonly sinkConnectTimeoutMs: number;
  readonly sinkRequestTimeoutMs: number;
  readonly retryAfterSeconds: number;
  /** How long request metrics are summed in an instance before they are published (0: every request). */
  readonly metricsFlushSeconds: number;
  readonly ipPolicy: 'first-forwarded' | 'trusted-hop';
  readonly ipAnonymization: 'keep' | 'truncate' | 'drop';
  readonly auth: AuthConfig;
  /** Log each request, redacted (POWERTOOLS_LOGGER_LOG_EVENT=true). */
  readonly logRequests: boolean;
  readonly region: string;
  readonly kinesisEndpoint: string | undefined;
  /** An S3-compatible endpoint; such services (s3rver, MinIO) need path-style addressing. */
  readonly s3Endpoint: string | undefined;
}

function describeIssues(error: z.core.$ZodError): string {
  return error.issues
    .map((issue) => `${issue.path.join('.') || '(environment)'}: ${issue.message}`)
    .join('; ');
}

function checkAuth(env: CollectorEnv): void {
  if (env.CLICKSTREAM_AUTH_MODE === 'none') return;
  const keySources = [
    env.CLICKSTREAM_AUTH_JWKS_URL,
    env.CLICKSTREAM_AUTH_PUBLIC_KEY,
    env.CLICKSTREAM_AUTH_SECRET_ARN,
  ];
  if (keySources.filter((source) => source !== '').length !== 1) {
    throw new ConfigError(
      'CLICKSTREAM_AUTH_MODE=jwt needs exactly one of CLICKSTREAM_AUTH_JWKS_URL, CLICKSTREAM_AUTH_PUBLIC_KEY or CLICKSTREAM_AUTH_SECRET_ARN',
    );
  }
  if (env.CLICKSTREAM_AUTH_JWKS_URL !== '' && !/^https?:\/\//.test(env.CLICKSTREAM_AUTH_JWKS_URL)) {
    throw new ConfigError('CLICKSTREAM_AUTH_JWKS_URL: must be an http(s) URL');
  }
  if (env.CLICKSTREAM_AUTH_ISSUER === '') {
    throw new ConfigError('CLICKSTREAM_AUTH_ISSUER: required when CLICKSTREAM_AUTH_MODE=jwt');
  }
  if (env.CLICKSTREAM_AUTH_AUDIENCE.length === 0) {
    throw new ConfigError('CLICKSTREAM_AUTH_AUDIENCE: required when CLICKSTREAM_AUTH_MODE=jwt');
  }
  if (env.CLICKSTREAM_AUTH_ALGORITHMS.some((alg) => alg.toLowerCase() === 'none')) {
    throw new ConfigError('CLICKSTREAM_AUTH_ALGORITHMS: "none" is never allowed');
  }
}

/** Parses and validates an environment; throws `ConfigError` naming every bad variable. */
export function parseConfig(environment: Readonly<Record<string, string | undefined>>): CollectorConfig {
  const parsed = envSchema.safeParse(environment);
  if (!parsed.success) {
    throw new ConfigError(`Invalid collector configuration: ${describeIssues(parsed.error)}`);
  }
  const env = parsed.data;
  if (env.CLICKSTREAM_APP_IDS.length === 0 && env.CLICKSTREAM_APP_REGISTRY_PARAMETER === '') {
    throw new ConfigError(
      'CLICKSTREAM_APP_IDS: register at least one app ID (or set CLICKSTREAM_APP_REGISTRY_PARAMETER)',
    );
  }
  checkAuth(env);
  const authApps = env.CLICKSTREAM_AUTH_APP_IDS;
  return {
    appIds: new Set(env.CLICKSTREAM_APP_IDS),
    appRegistryParameter: env.CLICKSTREAM_APP_REGISTRY_PARAMETER,
    appRegistryCacheSeconds: env.CLICKSTREAM_APP_REGISTRY_CACHE_SECONDS,
    collectPath: env.CLICKSTREAM_PATH,
    corsOrigins: env.CLICKSTREAM_CORS_ORIGINS,
    streamName: env.CLICKSTREAM_STREAM_NAME,
    bucket: env.CLICKSTREAM_ARCHIVE_BUCKET,
    fallbackPrefix: env.CLICKSTREAM_FALLBACK_PREFIX,
    quarantinePrefix: env.CLICKSTREAM_QUARANTINE_PREFIX,
    maxBodyBytes: env.CLICKSTREAM_MAX_BODY_BYTES,
    maxDecompressedBytes: env.CLICKSTREAM_MAX_DECOMPRESSED_BYTES,
    maxRecordBytes: env.CLICKSTREAM_MAX_RECORD_BYTES,
    maxEventsPerRequest: env.CLICKSTREAM_MAX_EVENTS_PER_REQUEST,
    validationMode: env.CLICKSTREAM_VALIDATION_MODE,
    kinesisRetryBudgetMs: env.CLICKSTREAM_KINESIS_RETRY_BUDGET_MS,
    sinkConnectTimeoutMs: env.CLICKSTREAM_SINK_CONNECT_TIMEOUT_MS,
    sinkRequestTimeoutMs: env.CLICKSTREAM_SINK_REQUEST_TIMEOUT_MS,
    retryAfterSeconds: env.CLICKSTREAM_RETRY_AFTER_SECONDS,
    metricsFlushSeconds: env.CLICKSTREAM_METRICS_FLUSH_SECONDS,
    ipPolicy: env.CLICKSTREAM_IP_POLICY,
    ipAnonymization: env.CLICKSTREAM_IP_ANONYMIZATION,
    auth: {
      mode: env.CLICKSTREAM_AUTH_MODE,
      appIds: authApps.length === 0 || authApps.includes('*') ? '*' : authApps,
      cookieName: env.CLICKSTREAM_AUTH_COOKIE_NAME,
      issuer: env.CLICKSTREAM_AUTH_ISSUER,
      audience: env.CLICKSTREAM_AUTH_AUDIENCE,
      jwksUrl: env.CLICKSTREAM_AUTH_JWKS_URL,
      publicKeyPem: env.CLICKSTREAM_AUTH_PUBLIC_KEY,
      secretArn: env.CLICKSTREAM_AUTH_SECRET_ARN,
      algorithms: env.CLICKSTREAM_AUTH_ALGORITHMS,
      clockSkewSeconds: env.CLICKSTREAM_AUTH_CLOCK_SKEW_SECONDS,
      jwksTimeoutMs: env.CLICKSTREAM_AUTH_JWKS_TIMEOUT_MS,
    },
    logRequests: env.POWERTOOLS_LOGGER_LOG_EVENT === 'true',
    region: env.AWS_REGION,
    kinesisEndpoint: env.AWS_ENDPOINT_URL_KINESIS,
    s3Endpoint: env.AWS_ENDPOINT_URL_S3,
  };
}

/** The configuration of this process, from `process.env`. */
export function loadConfig(): CollectorConfig {
  return parseConfig(process.env);
}
