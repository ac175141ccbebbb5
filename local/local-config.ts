import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ConfigError } from '../lambda/config';
import { COLLECTOR_SETTINGS } from '../settings/collector-settings';
import { LIBRARY_SETTINGS, LOCAL_SETTINGS } from '../settings/local-settings';
import { resolveSettings } from '../settings/resolve';
import { FUNCTION_GROUPS, settingsOf } from '../settings/table';
import { EMULATOR_CREDENTIALS } from './aws-local-clients';

/**
 * Configuration of the local collector and its tools. Like `lambda/config.ts`, this is the only
 * module under `local/` that reads or writes `process.env`: the collector itself is configured by
 * the Lambda's own variables (`parseConfig`), with the local defaults below filled in. Names,
 * defaults and ranges are the settings table's (settings/local-settings.ts).
 */

export type Environment = Readonly<Record<string, string | undefined>>;

/**
 * What a laptop needs so the API document's cURL example (appId=test_release) works as is: the
 * `localDefault` of each function setting in the settings table.
 */
const LOCAL_COLLECTOR_DEFAULTS: Readonly<Record<string, string>> = Object.fromEntries(
  settingsOf(FUNCTION_GROUPS).flatMap((setting) =>
    setting.env !== undefined && setting.localDefault !== undefined
      ? [[setting.env, setting.localDefault]]
      : [],
  ),
);

export const LOCAL_HOST = '127.0.0.1';

/** The repository root, so `npm start` stores data in `<repo>/.local` whatever the working folder. */
const REPO_ROOT = fileURLToPath(new URL('..', import.meta.url));
export const DEFAULT_DATA_DIR = resolve(REPO_ROOT, '.local');

/** The local server's own settings, and the external endpoints it may use instead of its emulators. */
const LOCAL_READS = [
  ...Object.values(LOCAL_SETTINGS),
  COLLECTOR_SETTINGS.kinesisEndpoint,
  COLLECTOR_SETTINGS.s3Endpoint,
];

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

/** The local server's own settings; throws `ConfigError` naming each bad variable. */
export function parseLocalSettings(env: Environment): LocalSettings {
  const { resolved, issues } = resolveSettings(LOCAL_READS, (setting) =>
    setting.env === undefined ? undefined : env[setting.env],
  );
  if (issues.length > 0) {
    const text = issues.map((issue) => `${issue.setting.env}: ${issue.message}`).join('; ');
    throw new ConfigError(`Invalid local collector configuration: ${text}`);
  }
  const local = resolved.group(LOCAL_SETTINGS);
  const { archivePrefix, tablesPrefix } = local;
  if (
    archivePrefix !== '' &&
    (archivePrefix.startsWith(tablesPrefix) || tablesPrefix.startsWith(archivePrefix))
  ) {
    throw new ConfigError(
      `Invalid local collector configuration: ${LOCAL_SETTINGS.tablesPrefix.env}: must not overlap ${LOCAL_SETTINGS.archivePrefix.env}`,
    );
  }
  return {
    ...local,
    kinesisEndpoint: resolved.get(COLLECTOR_SETTINGS.kinesisEndpoint),
    s3Endpoint: resolved.get(COLLECTOR_SETTINGS.s3Endpoint),
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
  for (const setting of Object.values(LIBRARY_SETTINGS)) {
    if (setting.env !== undefined && setting.localDefault !== undefined && env[setting.env] === undefined) {
      set[setting.env] = setting.localDefault;
    }
  }
  return { set, unset, warnings };
}

/** The environment of this process (the one place `local/` reads it). */
export function processEnvironment(): Environment {
  return process.env;
}

/**
 * For the local tools besides `npm start` (`npm run tail`, `replay`, `soak`, `apps`), which build
 * SDK clients before or without a collector: presets the AWS SDK's Node-version notice off,
 * unless the environment says otherwise. Call it before the first client is built: the SDK
 * checks when a client is constructed.
 */
export function quietSdkNodeVersionNotice(): void {
  const setting = LIBRARY_SETTINGS.sdkNodeVersionNotice;
  if (process.env[setting.env] === undefined) process.env[setting.env] = setting.localDefault;
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
    streamName: collectorEnv[COLLECTOR_SETTINGS.streamName.env] ?? '',
    region: collectorEnv[COLLECTOR_SETTINGS.region.env] ?? COLLECTOR_SETTINGS.region.default,
    emulator: local.kinesisEndpoint === undefined,
  };
}

export interface QuerySettings {
  /** The bucket's folder in the embedded S3 emulator's data folder. */
  readonly bucketDirectory: string;
  readonly archivePrefix: string;
  readonly tablesPrefix: string;
  readonly quarantinePrefix: string;
  readonly fallbackPrefix: string;
}

/** Where `npm run query` reads: the files of the embedded S3 emulator of `npm start`. */
export function parseQuerySettings(env: Environment): QuerySettings {
  const local = parseLocalSettings(env);
  const given = definedEntries(env);
  const bucket =
    given[COLLECTOR_SETTINGS.bucket.env] ?? LOCAL_COLLECTOR_DEFAULTS[COLLECTOR_SETTINGS.bucket.env];
  return {
    bucketDirectory: resolve(local.dataDir ?? DEFAULT_DATA_DIR, 's3', bucket ?? 'clickstream-local'),
    archivePrefix: local.archivePrefix,
    tablesPrefix: local.tablesPrefix,
    quarantinePrefix:
      given[COLLECTOR_SETTINGS.quarantinePrefix.env] ?? COLLECTOR_SETTINGS.quarantinePrefix.default,
    fallbackPrefix: given[COLLECTOR_SETTINGS.fallbackPrefix.env] ?? COLLECTOR_SETTINGS.fallbackPrefix.default,
  };
}
