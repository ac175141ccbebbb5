import { PREFIX } from './collector-settings';
import { integer, text } from './kinds';

/**
 * Settings of the archive (the consumer that writes the raw `{archivePrefix}year=…/` objects and
 * the event tables under `tablesPrefix`), its lifecycle and its Athena tables. The consumer reads
 * the settings that have a variable (the stack sets them); the rest is CDK context only. A construct of the archive reads them as `settings.archive.<name>`.
 */

const PREFIX_MESSAGE = 'must be path segments ending with "/"';

export const ARCHIVE_SETTINGS = {
  archivePrefix: text({
    scope: 'consumer',
    env: 'CLICKSTREAM_ARCHIVE_PREFIX',
    context: 'archivePrefix',
    default: 'events/',
    pattern: PREFIX,
    patternMessage: PREFIX_MESSAGE,
    doc: 'archive layout `{prefix}year=YYYY/month=MM/day=DD/hour=HH/`',
  }),
  tablesPrefix: text({
    scope: 'consumer',
    env: 'CLICKSTREAM_TABLES_PREFIX',
    context: 'tablesPrefix',
    default: 'tables/',
    pattern: PREFIX,
    patternMessage: PREFIX_MESSAGE,
    doc: 'event tables layout `{prefix}{table}/partition_app=…/partition_year=…/partition_month=…/partition_day=…/`',
  }),
  archiveBatchSeconds: integer({
    scope: 'stack',
    context: 'archiveBatchSeconds',
    default: 60,
    min: 0,
    max: 300,
    doc: 'the archive consumer gathers records for up to this many seconds (or `archiveBatchSize` records, or 6 MB) per batch: larger = fewer, bigger objects, later',
  }),
  archiveBatchSize: integer({
    scope: 'stack',
    context: 'archiveBatchSize',
    default: 1_000,
    min: 1,
    max: 10_000,
    doc: 'the most records the archive consumer takes per batch',
  }),
  archiveWriteConcurrency: integer({
    scope: 'consumer',
    env: 'CLICKSTREAM_ARCHIVE_WRITE_CONCURRENCY',
    default: 8,
    min: 1,
    max: 64,
    doc: 'objects the archive consumer writes at once',
  }),
  archiveTransitionDays: integer({
    scope: 'stack',
    context: 'archiveTransitionDays',
    default: 30,
    min: 0,
    max: 36_500,
    doc: 'move archived objects to S3 Intelligent-Tiering after N days (0 = never)',
  }),
  archiveExpirationDays: integer({
    scope: 'stack',
    context: 'archiveExpirationDays',
    default: 0,
    min: 0,
    max: 36_500,
    doc: 'delete archived objects after N days (0 = keep; otherwise more than `archiveTransitionDays`)',
  }),
  quarantineExpirationDays: integer({
    scope: 'stack',
    context: 'quarantineExpirationDays',
    default: 90,
    min: 0,
    max: 36_500,
    doc: 'delete fallback, quarantine and failed-batch objects after N days (0 = keep)',
  }),
  athenaDatabase: text({
    scope: 'stack',
    context: 'athenaDatabase',
    default: 'clickstream',
    pattern: /^[a-z0-9_]{1,255}$/,
    patternMessage: 'lowercase letters, digits and "_" only',
    doc: 'Glue database of the five tables (`ingestion_events`, `event`, `event_parameter`, `user`, `item`)',
  }),
};
