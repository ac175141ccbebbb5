import { ARCHIVE_SETTINGS as ARCHIVE } from '../../settings/archive-settings';
import { COLLECTOR_SETTINGS as COLLECTOR } from '../../settings/collector-settings';
import { ConfigError } from '../../settings/config-error';
import type { AnySetting } from '../../settings/kinds';
import { resolveSettings } from '../../settings/resolve';

/**
 * The archive consumer's configuration, read once at cold start from the variables of the settings
 * table (settings/archive-settings.ts, and the collector's bucket, Region and S3 endpoint). Like
 * `lambda/config.ts` for the collector, this is the only module of the consumer that reads
 * `process.env`; a bad value fails the start with a message naming the variable.
 */

export interface ArchiveConfig {
  readonly bucket: string;
  readonly archivePrefix: string;
  readonly tablesPrefix: string;
  /** Objects written at once. */
  readonly writeConcurrency: number;
  readonly region: string;
  readonly s3Endpoint: string | undefined;
}

/** The settings the consumer reads. */
const CONSUMER_READS: readonly AnySetting[] = [
  COLLECTOR.bucket,
  ARCHIVE.archivePrefix,
  ARCHIVE.tablesPrefix,
  ARCHIVE.archiveWriteConcurrency,
  COLLECTOR.region,
  COLLECTOR.s3Endpoint,
];

export function parseArchiveConfig(environment: Readonly<Record<string, string | undefined>>): ArchiveConfig {
  const { resolved, issues } = resolveSettings(CONSUMER_READS, (setting) =>
    setting.env === undefined ? undefined : environment[setting.env],
  );
  const archivePrefix = resolved.get(ARCHIVE.archivePrefix) ?? ARCHIVE.archivePrefix.default;
  const tablesPrefix = resolved.get(ARCHIVE.tablesPrefix) ?? ARCHIVE.tablesPrefix.default;
  const problems = issues.map((issue) => `${issue.setting.env}: ${issue.message}`);
  if (archivePrefix.startsWith(tablesPrefix) || tablesPrefix.startsWith(archivePrefix)) {
    problems.push(`${ARCHIVE.tablesPrefix.env}: must not overlap ${ARCHIVE.archivePrefix.env}`);
  }
  if (problems.length > 0) {
    throw new ConfigError(`Invalid archive consumer configuration: ${problems.join('; ')}`);
  }
  return {
    bucket: resolved.get(COLLECTOR.bucket) ?? '',
    archivePrefix,
    tablesPrefix,
    writeConcurrency:
      resolved.get(ARCHIVE.archiveWriteConcurrency) ?? ARCHIVE.archiveWriteConcurrency.default,
    region: resolved.get(COLLECTOR.region) ?? COLLECTOR.region.default,
    s3Endpoint: resolved.get(COLLECTOR.s3Endpoint),
  };
}

export function loadArchiveConfig(): ArchiveConfig {
  return parseArchiveConfig(process.env);
}
