import { parseArgs } from 'node:util';

/** What `npm run replay` was asked to do, validated. */
export interface ReplayOptions {
  readonly bucket: string;
  readonly stream: string;
  /** Key prefix to scan; never empty, so the archive in the same bucket is never replayed. */
  readonly prefix: string;
  /** Delete an object once every one of its records is on the stream. */
  readonly delete: boolean;
  /** Read and check the objects, but put nothing and delete nothing. */
  readonly dryRun: boolean;
  /** Undefined: the SDK resolves it (AWS_DEFAULT_REGION, the profile's config). */
  readonly region: string | undefined;
  readonly kinesisEndpoint: string | undefined;
  readonly s3Endpoint: string | undefined;
}

export type ReplayCommand =
  | { readonly kind: 'help' }
  | { readonly kind: 'run'; readonly options: ReplayOptions };

export class ReplayArgsError extends Error {
  override readonly name = 'ReplayArgsError';
}

export const USAGE = `usage: npm run replay -- --bucket B --stream S [--prefix fallback/] [--delete] [--dry-run]

Puts the records of the S3 fallback (gzip NDJSON objects written when Kinesis refused them) back
on the stream, each with its original partition key (its rid), byte for byte. Objects that are not
*.ndjson.gz (such as the health probe fallback/_health-check) are skipped.

  --bucket B    archive bucket (default: CLICKSTREAM_ARCHIVE_BUCKET)
  --stream S    Kinesis stream name (default: CLICKSTREAM_STREAM_NAME)
  --prefix P    key prefix to scan (default: CLICKSTREAM_FALLBACK_PREFIX, else fallback/)
  --delete      delete each object once all of its records were accepted
  --dry-run     read and check the objects; put and delete nothing

Environment: AWS credentials and AWS_REGION as for the AWS CLI (run it as an operator: the
collector's Lambda role cannot list or delete); AWS_ENDPOINT_URL_KINESIS and AWS_ENDPOINT_URL_S3
for emulators or compatible services (S3 then uses path-style URLs).

Replaying is at-least-once: a record that reached the stream after all (or an object replayed
twice, e.g. without --delete) is delivered again. Consumers deduplicate by event_id.
Exits 1 when any record or object failed; failed objects are kept for another run.`;

/** Kinesis stream names: 1-128 of these characters. */
const STREAM_NAME = /^[A-Za-z0-9_.-]{1,128}$/;

function fail(message: string): never {
  throw new ReplayArgsError(`${message}\n\n${USAGE}`);
}

/** A flag's value, else the environment's, remembering which one so errors can name it. */
function pick(
  flag: string,
  flagValue: string | undefined,
  envName: string,
  env: NodeJS.ProcessEnv,
): { value: string | undefined; source: string } {
  if (flagValue !== undefined) return { value: flagValue, source: flag };
  const fromEnv = env[envName];
  return { value: fromEnv === '' ? undefined : fromEnv, source: envName };
}

function endpoint(envName: string, env: NodeJS.ProcessEnv): string | undefined {
  const value = env[envName];
  if (value === undefined || value === '') return undefined;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return fail(`${envName}: expected an http(s) URL, got "${value}"`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    fail(`${envName}: expected an http(s) URL, got "${value}"`);
  return value;
}

/** Parses `npm run replay` arguments over the environment's defaults; errors name the bad flag. */
export function parseReplayArgs(argv: readonly string[], env: NodeJS.ProcessEnv): ReplayCommand {
  let values: {
    bucket?: string | undefined;
    stream?: string | undefined;
    prefix?: string | undefined;
    delete?: boolean | undefined;
    'dry-run'?: boolean | undefined;
    help?: boolean | undefined;
  };
  try {
    ({ values } = parseArgs({
      args: [...argv],
      strict: true,
      allowPositionals: false,
      options: {
        bucket: { type: 'string' },
        stream: { type: 'string' },
        prefix: { type: 'string' },
        delete: { type: 'boolean' },
        'dry-run': { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
    }));
  } catch (error) {
    // Node's messages already name the flag; the first line is the useful part.
    const message = error instanceof Error ? error.message : String(error);
    return fail(message.split('\n')[0] ?? message);
  }
  if (values.help === true) return { kind: 'help' };

  const bucket = pick('--bucket', values.bucket, 'CLICKSTREAM_ARCHIVE_BUCKET', env);
  if (bucket.value === undefined || bucket.value === '')
    fail('--bucket: a bucket is required (or set CLICKSTREAM_ARCHIVE_BUCKET)');
  if (bucket.value.includes('/')) fail(`${bucket.source}: a bucket name cannot contain "/"`);

  const stream = pick('--stream', values.stream, 'CLICKSTREAM_STREAM_NAME', env);
  if (stream.value === undefined || stream.value === '')
    fail('--stream: a stream is required (or set CLICKSTREAM_STREAM_NAME)');
  if (!STREAM_NAME.test(stream.value))
    fail(`${stream.source}: "${stream.value}" is not a Kinesis stream name (1-128 of A-Z a-z 0-9 _ . -)`);

  const prefix = pick('--prefix', values.prefix, 'CLICKSTREAM_FALLBACK_PREFIX', env);
  const prefixValue = prefix.value ?? 'fallback/';
  // An empty prefix would scan the whole bucket, archive included, and replay all of it.
  if (prefixValue === '') fail(`${prefix.source}: the prefix must not be empty`);

  const region = env.AWS_REGION === '' ? undefined : env.AWS_REGION;
  return {
    kind: 'run',
    options: {
      bucket: bucket.value,
      stream: stream.value,
      prefix: prefixValue,
      delete: values.delete === true,
      dryRun: values['dry-run'] === true,
      region,
      kinesisEndpoint: endpoint('AWS_ENDPOINT_URL_KINESIS', env),
      s3Endpoint: endpoint('AWS_ENDPOINT_URL_S3', env),
    },
  };
}
