import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { ConfigError } from '../lambda/config';
import { EMULATOR_CREDENTIALS } from './aws-local-clients';

/**
 * Configuration of the local collector and its tools. Like `lambda/config.ts`, this is the only
 * module under `local/` that reads or writes `process.env`: the collector itself is configured by
 * the Lambda's own variables (`parseConfig`), with the local defaults below filled in.
 */

export type Environment = Readonly<Record<string, string | undefined>>;

/** What a laptop needs so the API document's cURL example (appId=test_release) works as is. */
export const LOCAL_COLLECTOR_DEFAULTS = {
  CLICKSTREAM_APP_IDS: 'test_app,test_release',
  CLICKSTREAM_STREAM_NAME: 'clickstream-local',
  CLICKSTREAM_ARCHIVE_BUCKET: 'clickstream-local',
  AWS_REGION: 'us-east-1',
} as const;

export const LOCAL_HOST = '127.0.0.1';
/** Where the local archiver puts the raw archive and the flattened tables in the S3 emulator. */
export const DEFAULT_ARCHIVE_PREFIX = 'archive/';
export const DEFAULT_TABLES_PREFIX = 'tables/';
export const DEFAULT_PORT = 8080;
export const DEFAULT_KINESIS_PORT = 4567;
export const DEFAULT_S3_PORT = 4568;

/** The repository root, so `npm start` stores data in `<repo>/.local` whatever the working folder. */
const REPO_ROOT = fileURLToPath(new URL('..', import.meta.url));
export const DEFAULT_DATA_DIR = resolve(REPO_ROOT, '.local');

const port = (defaultValue: number) => z.coerce.number().int().min(0).max(65_535).default(defaultValue);

const onOff = z
  .enum(['on', 'off', 'true', 'false', '1', '0'])
  .optional()
  .transform((value) => (value === undefined ? undefined : ['on', 'true', '1'].includes(value)));

const localSchema = z.object({
  PORT: port(DEFAULT_PORT),
  CLICKSTREAM_LOCAL_KINESIS_PORT: port(DEFAULT_KINESIS_PORT),
  CLICKSTREAM_LOCAL_S3_PORT: port(DEFAULT_S3_PORT),
  CLICKSTREAM_LOCAL_DATA_DIR: z.string().min(1, 'must not be empty').optional(),
  CLICKSTREAM_LOCAL_ARCHIVER: onOff,
  CLICKSTREAM_LOCAL_ARCHIVE_PREFIX: z
    .string()
    .default(DEFAULT_ARCHIVE_PREFIX)
    .refine((prefix) => prefix === '' || prefix.endsWith('/'), 'must be empty or end with "/"'),
  CLICKSTREAM_LOCAL_TABLES_PREFIX: z
    .string()
    .default(DEFAULT_TABLES_PREFIX)
    .refine((prefix) => /^([A-Za-z0-9_.=-]+\/)+$/.test(prefix), 'must be path segments ending with "/"'),
  AWS_ENDPOINT_URL_KINESIS: z.url().optional(),
  AWS_ENDPOINT_URL_S3: z.url().optional(),
});

export interface LocalSettings {
  readonly port: number;
  readonly kinesisPort: number;
  readonly s3Port: number;
  /** Explicitly chosen data folder, if any (`CLICKSTREAM_LOCAL_DATA_DIR`). */
  readonly dataDir: string | undefined;
  /** Explicit archiver switch, if any; otherwise it runs when the S3 emulator is embedded. */
  readonly archiver: boolean | undefined;
  readonly archivePrefix: string;
  /** Where the archiver writes the flattened tables (`npm run query` reads them there). */
  readonly tablesPrefix: string;
  /** A Kinesis-compatible service to use instead of the embedded emulator. */
  readonly kinesisEndpoint: string | undefined;
  /** An S3-compatible service to use instead of the embedded emulator. */
  readonly s3Endpoint: string | undefined;
}

/** Drops unset and empty values so they never shadow a default. */
function definedEntries(env: Environment): Record<string, string> {
  const result: Record<string, string> = {};
  for (const [name, value] of Object.entries(env)) {
    if (value !== undefined && value !== '') result[name] = value;
  }
  return result;
}

function describeIssues(error: z.ZodError): string {
  return error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`).join('; ');
}

/** The local server's own settings; throws `ConfigError` naming each bad variable. */
export function parseLocalSettings(env: Environment): LocalSettings {
  const parsed = localSchema.safeParse(definedEntries(env));
  if (!parsed.success) {
    throw new ConfigError(`Invalid local collector configuration: ${describeIssues(parsed.error)}`);
  }
  const settings = parsed.data;
  const archive = settings.CLICKSTREAM_LOCAL_ARCHIVE_PREFIX;
  const tables = settings.CLICKSTREAM_LOCAL_TABLES_PREFIX;
  if (archive === '' ? false : archive.startsWith(tables) || tables.startsWith(archive)) {
    throw new ConfigError(
      'Invalid local collector configuration: CLICKSTREAM_LOCAL_TABLES_PREFIX: must not overlap CLICKSTREAM_LOCAL_ARCHIVE_PREFIX',
    );
  }
  return {
    port: settings.PORT,
    kinesisPort: settings.CLICKSTREAM_LOCAL_KINESIS_PORT,
    s3Port: settings.CLICKSTREAM_LOCAL_S3_PORT,
    dataDir: settings.CLICKSTREAM_LOCAL_DATA_DIR,
    archiver: settings.CLICKSTREAM_LOCAL_ARCHIVER,
    archivePrefix: settings.CLICKSTREAM_LOCAL_ARCHIVE_PREFIX,
    tablesPrefix: settings.CLICKSTREAM_LOCAL_TABLES_PREFIX,
    kinesisEndpoint: settings.AWS_ENDPOINT_URL_KINESIS,
    s3Endpoint: settings.AWS_ENDPOINT_URL_S3,
  };
}

/**
 * The environment handed to the Lambda's `parseConfig`: local defaults, overridden by the user's
 * environment, with the endpoints the local collector actually uses (embedded emulators or the
 * user's `AWS_ENDPOINT_URL_*`).
 */
export function buildCollectorEnv(
  env: Environment,
  endpoints: { readonly kinesis: string | undefined; readonly s3: string | undefined },
): Record<string, string | undefined> {
  return {
    ...LOCAL_COLLECTOR_DEFAULTS,
    ...definedEntries(env),
    AWS_ENDPOINT_URL_KINESIS: endpoints.kinesis,
    AWS_ENDPOINT_URL_S3: endpoints.s3,
  };
}

export interface ProcessEnvPlan {
  /** Variables to set in `process.env` before the handler (and its AWS SDK clients) is built. */
  readonly set: Readonly<Record<string, string>>;
  /** Variables to remove from `process.env`. */
  readonly unset: readonly string[];
  /** Things the user should know, printed at start. */
  readonly warnings: readonly string[];
}

/**
 * Decides the process environment the Lambda handler runs with locally. The handler's SDK clients
 * take their credentials from the default provider chain, which we cannot configure from outside;
 * with an empty environment that chain ends at the EC2 metadata endpoint and stalls each request
 * for seconds on a laptop. So:
 * - S3 emulator embedded: s3rver accepts only its key pair, so the process uses it (and kinesalite,
 *   or any other emulator, accepts it too). Real keys and session tokens are never sent to it.
 * - only Kinesis embedded: kinesalite accepts any key, so the environment's credentials are kept
 *   for the external S3; when there are none, the static pair keeps the chain from stalling.
 * - both external: the environment's credentials, untouched.
 * Powertools' EMF metrics and all logs but errors are silenced unless asked for: the local server
 * prints its own line per request (with the first reason), and JSON blobs on a terminal are noise.
 */
export function planProcessEnv(
  env: Environment,
  embedded: { readonly kinesis: boolean; readonly s3: boolean },
): ProcessEnvPlan {
  const set: Record<string, string> = {};
  const unset: string[] = [];
  const warnings: string[] = [];
  const staticCredentials = {
    AWS_ACCESS_KEY_ID: EMULATOR_CREDENTIALS.accessKeyId,
    AWS_SECRET_ACCESS_KEY: EMULATOR_CREDENTIALS.secretAccessKey,
  };
  if (embedded.s3) {
    Object.assign(set, staticCredentials);
    unset.push('AWS_SESSION_TOKEN');
    if (!embedded.kinesis) {
      warnings.push(
        'AWS_ENDPOINT_URL_KINESIS is set but AWS_ENDPOINT_URL_S3 is not: the embedded S3 emulator needs ' +
          'its own credentials (S3RVER/S3RVER), so they are used for the external Kinesis too.',
      );
    }
  } else if (embedded.kinesis && env.AWS_ACCESS_KEY_ID === undefined && env.AWS_PROFILE === undefined) {
    Object.assign(set, staticCredentials);
  }
  if (env.POWERTOOLS_METRICS_DISABLED === undefined) set.POWERTOOLS_METRICS_DISABLED = 'true';
  if (env.POWERTOOLS_LOG_LEVEL === undefined) set.POWERTOOLS_LOG_LEVEL = 'ERROR';
  return { set, unset, warnings };
}

/** The environment of this process (the one place `local/` reads it). */
export function processEnvironment(): Environment {
  return process.env;
}

/** Applies a `planProcessEnv` result to this process. */
export function applyProcessEnv(plan: ProcessEnvPlan): void {
  for (const name of plan.unset) delete process.env[name];
  Object.assign(process.env, plan.set);
}

export interface TailSettings {
  readonly kinesisEndpoint: string;
  readonly streamName: string;
  readonly region: string;
  /** True when reading the embedded emulator (static local credentials). */
  readonly emulator: boolean;
}

/** Where `npm run tail` reads from: the stream of a running `npm start`, unless told otherwise. */
export function parseTailSettings(env: Environment): TailSettings {
  const local = parseLocalSettings(env);
  const collectorEnv = { ...LOCAL_COLLECTOR_DEFAULTS, ...definedEntries(env) };
  return {
    kinesisEndpoint: local.kinesisEndpoint ?? `http://${LOCAL_HOST}:${local.kinesisPort}`,
    streamName: collectorEnv.CLICKSTREAM_STREAM_NAME,
    region: collectorEnv.AWS_REGION,
    emulator: local.kinesisEndpoint === undefined,
  };
}

export interface QuerySettings {
  /** The bucket's folder in the embedded S3 emulator's data folder. */
  readonly bucketDirectory: string;
  readonly archivePrefix: string;
  readonly tablesPrefix: string;
}

/** Where `npm run query` reads: the files of the embedded S3 emulator of `npm start`. */
export function parseQuerySettings(env: Environment): QuerySettings {
  const local = parseLocalSettings(env);
  const collectorEnv = { ...LOCAL_COLLECTOR_DEFAULTS, ...definedEntries(env) };
  return {
    bucketDirectory: resolve(
      local.dataDir ?? DEFAULT_DATA_DIR,
      's3',
      collectorEnv.CLICKSTREAM_ARCHIVE_BUCKET,
    ),
    archivePrefix: local.archivePrefix,
    tablesPrefix: local.tablesPrefix,
  };
}
