import { PREFIX } from './collector-settings';
import { integer, text } from './kinds';

/**
 * Settings of the archive (the writer of `{archivePrefix}year=…/` objects), its lifecycle and its
 * Athena table; CDK context only. A construct of the archive reads them as `settings.archive.<name>`.
 */

const PREFIX_MESSAGE = 'must be path segments ending with "/"';

export const ARCHIVE_SETTINGS = {
  archivePrefix: text({
    scope: 'stack',
    context: 'archivePrefix',
    default: 'events/',
    pattern: PREFIX,
    patternMessage: PREFIX_MESSAGE,
    doc: 'archive layout `{prefix}year=YYYY/month=MM/day=DD/hour=HH/`',
  }),
  archiveErrorPrefix: text({
    scope: 'stack',
    context: 'archiveErrorPrefix',
    default: 'errors/',
    pattern: PREFIX,
    patternMessage: PREFIX_MESSAGE,
    doc: 'where Firehose puts records it could not deliver',
  }),
  archiveBufferSeconds: integer({
    scope: 'stack',
    context: 'archiveBufferSeconds',
    default: 300,
    min: 0,
    max: 900,
    doc: 'Firehose buffering interval (larger = fewer, bigger files)',
  }),
  archiveBufferMiB: integer({
    scope: 'stack',
    context: 'archiveBufferMiB',
    default: 64,
    min: 1,
    max: 128,
    doc: 'Firehose buffering size',
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
    doc: 'delete fallback, quarantine and Firehose-error objects after N days (0 = keep)',
  }),
  athenaDatabase: text({
    scope: 'stack',
    context: 'athenaDatabase',
    default: 'clickstream',
    pattern: /^[a-z0-9_]{1,255}$/,
    patternMessage: 'lowercase letters, digits and "_" only',
    doc: 'Glue database of the `ingestion_events` table',
  }),
};
