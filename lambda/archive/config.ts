import * as z from 'zod/mini';
import '../zod-messages';
import { ConfigError } from '../config';

/**
 * The archive consumer's configuration, read once at cold start. Like `lambda/config.ts` for the
 * collector, this is the only module of the consumer that reads `process.env`; a bad value fails
 * the start with a message naming the variable.
 */

const prefix = (defaultValue: string) =>
  z._default(
    z.string().check(z.regex(/^([A-Za-z0-9_.=-]+\/)+$/, 'must be path segments ending with "/"')),
    defaultValue,
  );

const envSchema = z.object({
  CLICKSTREAM_ARCHIVE_BUCKET: z.string().check(z.minLength(1, 'required')),
  CLICKSTREAM_ARCHIVE_PREFIX: prefix('events/'),
  CLICKSTREAM_TABLES_PREFIX: prefix('tables/'),
  CLICKSTREAM_ARCHIVE_WRITE_CONCURRENCY: z._default(
    z.coerce.number().check(z.refine(Number.isInteger, 'must be an integer'), z.minimum(1), z.maximum(64)),
    8,
  ),
  AWS_REGION: z._default(z.string(), 'us-east-1'),
  AWS_ENDPOINT_URL_S3: z.optional(z.url()),
});

export interface ArchiveConfig {
  readonly bucket: string;
  readonly archivePrefix: string;
  readonly tablesPrefix: string;
  /** Objects written at once. */
  readonly writeConcurrency: number;
  readonly region: string;
  readonly s3Endpoint: string | undefined;
}

export function parseArchiveConfig(environment: Readonly<Record<string, string | undefined>>): ArchiveConfig {
  const parsed = envSchema.safeParse(environment);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
    throw new ConfigError(`Invalid archive consumer configuration: ${issues.join('; ')}`);
  }
  const env = parsed.data;
  if (
    env.CLICKSTREAM_ARCHIVE_PREFIX.startsWith(env.CLICKSTREAM_TABLES_PREFIX) ||
    env.CLICKSTREAM_TABLES_PREFIX.startsWith(env.CLICKSTREAM_ARCHIVE_PREFIX)
  ) {
    throw new ConfigError('CLICKSTREAM_TABLES_PREFIX: must not overlap CLICKSTREAM_ARCHIVE_PREFIX');
  }
  return {
    bucket: env.CLICKSTREAM_ARCHIVE_BUCKET,
    archivePrefix: env.CLICKSTREAM_ARCHIVE_PREFIX,
    tablesPrefix: env.CLICKSTREAM_TABLES_PREFIX,
    writeConcurrency: env.CLICKSTREAM_ARCHIVE_WRITE_CONCURRENCY,
    region: env.AWS_REGION,
    s3Endpoint: env.AWS_ENDPOINT_URL_S3,
  };
}

export function loadArchiveConfig(): ArchiveConfig {
  return parseArchiveConfig(process.env);
}
