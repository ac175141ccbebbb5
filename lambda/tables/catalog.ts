import {
  arrayOf,
  BIGINT,
  type Column,
  column,
  DATE,
  DOUBLE,
  FLOAT,
  type RowOf,
  STRING,
  struct,
} from './column-types';
import { eventColumns } from './event-columns';

/**
 * The tables, declared once: the Glue tables of the stack (lib/tables.ts), the DuckDB views
 * of `npm run query` (local/local-tables.ts), the rows the flattener writes (typed by `RowOf`) and
 * the README's column lists (checked by a test) all come from here. Names and types follow
 * "Clickstream Analytics on AWS" v1.1.5, whose tables the Clickstream HTTP API document names, so
 * its documented queries run; columns marked "ours" are additions.
 */

const ingestionEventsColumns = [
  column('date', STRING, 'server time, ISO 8601 to the second with offset'),
  column('data', STRING, 'the body as received: a JSON array of events, or base64 gzip text'),
  column('ip', STRING, 'client IP per the IP policy'),
  column('source_type', STRING, '`http_server`'),
  column('rid', STRING, 'request id'),
  column('ua', STRING, '`User-Agent` header'),
  column('m', STRING, "always null: CAoA's table has it, its server never writes it"),
  column('uri', STRING, 'path + original query string'),
  column('platform', STRING, 'query `platform`'),
  column('path', STRING, 'request path'),
  column('appId', STRING, 'query `appId` (Athena shows it as `appid`)'),
  column('compression', STRING, '`gzip` when `data` is base64 gzip text, else null'),
  column('ingest_time', BIGINT, 'server time, epoch ms'),
  column('client_timestamp', BIGINT, 'query `upload_timestamp`, epoch ms'),
  column('timestamp', STRING, 'ours: server time, ISO 8601 with milliseconds, UTC'),
  column('server_ingest_time', BIGINT, 'ours: server time, epoch ms'),
  column('method', STRING, 'ours: HTTP method'),
] as const;

const eventParameterColumns = [
  column('event_timestamp', BIGINT, 'event `timestamp`, epoch ms'),
  column('event_id', STRING, 'event `event_id`'),
  column('event_name', STRING, 'event `event_type`'),
  column('event_param_key', STRING, 'attribute name'),
  column('event_param_double_value', DOUBLE, 'set when the value is a number with a fraction or exponent'),
  column('event_param_float_value', FLOAT, 'always null, as in CAoA'),
  column('event_param_int_value', BIGINT, 'set when the value is an integer within 64 bits'),
  column('event_param_string_value', STRING, 'set otherwise: strings, booleans, null, nested JSON text'),
] as const;

const keyValueFields = [
  column('double_value', DOUBLE, 'number with a fraction or exponent'),
  column('float_value', FLOAT, 'always null'),
  column('int_value', BIGINT, 'integer within 64 bits'),
  column('string_value', STRING, 'anything else, nested values as JSON text'),
] as const;

const userColumns = [
  column('event_timestamp', BIGINT, 'timestamp of the event this row comes from'),
  column('user_id', STRING, '`user._user_id.value`'),
  column('user_pseudo_id', STRING, 'event `unique_id`'),
  column(
    'user_first_touch_timestamp',
    BIGINT,
    '`user._user_first_touch_timestamp.value`, else the event time',
  ),
  column(
    'user_properties',
    arrayOf(
      struct([
        column('key', STRING, 'user attribute name'),
        column(
          'value',
          struct([...keyValueFields, column('set_timestamp_micros', BIGINT, '`set_timestamp` × 1000')]),
          'typed value',
        ),
      ]),
    ),
    'the `user` attributes of profile-set events (not `_user_ltv_*`)',
  ),
  column(
    'user_ltv',
    struct([
      column('revenue', DOUBLE, '`user._user_ltv_revenue.value`'),
      column('currency', STRING, '`user._user_ltv_currency.value`'),
    ]),
    'lifetime value, when `_user_ltv_revenue` is set',
  ),
  column('_first_visit_date', DATE, 'UTC date of `user_first_touch_timestamp`'),
  column('_first_referer', STRING, 'attribute `_page_referrer` (or `_page_referer`, `referer`, `referrer`)'),
  column('_first_traffic_source_type', STRING, 'attribute `_traffic_source_name`'),
  column('_first_traffic_medium', STRING, 'attribute `_traffic_source_medium`'),
  column('_first_traffic_source', STRING, 'attribute `_traffic_source_source`'),
  column('device_id_list', arrayOf(STRING), 'event `device_id`'),
  column('_channel', STRING, 'attribute `_channel`'),
  column('event_id', STRING, 'ours: the event this row comes from'),
  column('event_name', STRING, 'ours: its `event_type`'),
] as const;

const itemColumns = [
  column('event_timestamp', BIGINT, 'timestamp of the event that carried the item'),
  column('id', STRING, 'item `id`'),
  column(
    'properties',
    arrayOf(
      struct([
        column('key', STRING, 'item field name'),
        column('value', struct(keyValueFields), 'typed value'),
      ]),
    ),
    'every item field but `id`',
  ),
  column('event_id', STRING, 'ours: the event that carried the item'),
] as const;

const quarantineColumns = [
  column(
    'kind',
    STRING,
    '`invalid_event`, `oversized_event` (too large for a stream record) or `rejected_body`',
  ),
  column('rid', STRING, 'request id (`x-request-id`)'),
  column('app_id', STRING, 'query `appId`'),
  column('received_at', STRING, 'server time, ISO 8601 with milliseconds, UTC'),
  column('ingest_time', BIGINT, 'server time, epoch ms'),
  column('method', STRING, 'HTTP method'),
  column('uri', STRING, 'path + original query string'),
  column('ip', STRING, 'client IP per the IP policy'),
  column('ua', STRING, '`User-Agent` header'),
  column('compression', STRING, '`gzip` when the request was base64 gzip text'),
  column('event_index', BIGINT, "the event's position in the request (null for a rejected body)"),
  column('event_id', STRING, "the event's `event_id`, when it is a string"),
  column('event_type', STRING, "the event's `event_type`, when it is a string"),
  column('error', STRING, 'error code of a rejected body (`invalid_json`, `hash_mismatch`, …)'),
  column('reasons', arrayOf(STRING), 'why (at most five reasons of 200 characters)'),
  column('event', STRING, "the event's exact text"),
  column('body', STRING, 'a rejected body, as UTF-8 text'),
  column('body_base64', STRING, 'a rejected body that is not UTF-8, as base64'),
] as const;

/**
 * Where a table's objects live: the raw archive, the flattened tables' prefix, or the collector's
 * quarantine and fallback prefixes.
 */
export type TableSource = 'archive' | 'tables' | 'quarantine' | 'fallback';

export interface TableDefinition<N extends string = string, C extends readonly Column[] = readonly Column[]> {
  readonly name: N;
  readonly description: string;
  readonly source: TableSource;
  readonly columns: C;
  /** String partition keys, in key order (`name=value/` path segments). */
  readonly partitionKeys: readonly string[];
}

/** The raw archive's hourly partitions, the layout CAoA's ETL reads. */
const ARCHIVE_PARTITION_KEYS = ['year', 'month', 'day', 'hour'] as const;
/** CAoA's partition keys for its event tables: the app, then the UTC day the request arrived. */
export const TABLE_PARTITION_KEYS = [
  'partition_app',
  'partition_year',
  'partition_month',
  'partition_day',
] as const;

const table = <const N extends string, const C extends readonly Column[]>(
  name: N,
  source: TableSource,
  description: string,
  columns: C,
): TableDefinition<N, C> => ({
  name,
  source,
  description,
  columns,
  partitionKeys: source === 'tables' ? TABLE_PARTITION_KEYS : ARCHIVE_PARTITION_KEYS,
});

const INGESTION_EVENTS_TABLE = table(
  'ingestion_events',
  'archive',
  'One row per stream record (one per request): the raw archive',
  ingestionEventsColumns,
);
const EVENT_TABLE = table('event', 'tables', 'One row per event', eventColumns);
const EVENT_PARAMETER_TABLE = table(
  'event_parameter',
  'tables',
  'One row per event attribute',
  eventParameterColumns,
);
const USER_TABLE = table(
  'user',
  'tables',
  'One row per user-profile event (the latest row of a user is its current profile)',
  userColumns,
);
const ITEM_TABLE = table(
  'item',
  'tables',
  'One row per item of an event (the latest row of an id is its current state)',
  itemColumns,
);

export const QUARANTINE_TABLE = table(
  'quarantine',
  'quarantine',
  'One row per quarantined event or rejected body, with the reasons: why an event never reached the stream',
  quarantineColumns,
);
const FALLBACK_TABLE = table(
  'fallback',
  'fallback',
  'One row per record Kinesis refused, kept in the S3 fallback (replay them with `npm run replay`)',
  ingestionEventsColumns,
);

/** The five tables of the API document's verification step, in the order the README lists them. */
const EVENT_TABLES = [
  INGESTION_EVENTS_TABLE,
  EVENT_TABLE,
  EVENT_PARAMETER_TABLE,
  USER_TABLE,
  ITEM_TABLE,
] as const;

/** Every table, the collector's quarantine and fallback included. */
export const TABLES = [...EVENT_TABLES, QUARANTINE_TABLE, FALLBACK_TABLE] as const;

/** The flattened tables (everything but the raw archive). */
const FLAT_TABLES = [EVENT_TABLE, EVENT_PARAMETER_TABLE, USER_TABLE, ITEM_TABLE] as const;
export type FlatTableName = (typeof FLAT_TABLES)[number]['name'];

export type EventRow = RowOf<typeof eventColumns>;
export type EventParameterRow = RowOf<typeof eventParameterColumns>;
export type UserRow = RowOf<typeof userColumns>;
export type ItemRow = RowOf<typeof itemColumns>;
