import { arrayOf, BIGINT, column, DATE, DOUBLE, FLOAT, STRING, struct } from './column-types';

/**
 * The columns of the `event` table (lambda/tables/catalog.ts), with its nested device, geo, traffic
 * source, app and item fields: CAoA v1.1.5's names, "ours" where we add one.
 */

const deviceFields = [
  column('mobile_brand_name', STRING, 'event `brand`'),
  column('mobile_model_name', STRING, 'event `model`'),
  column('manufacturer', STRING, 'event `make`'),
  column('screen_width', BIGINT, 'event `screen_width`'),
  column('screen_height', BIGINT, 'event `screen_height`'),
  column('carrier', STRING, 'event `carrier`'),
  column('network_type', STRING, 'event `network_type`'),
  column('operating_system_version', STRING, 'event `os_version`'),
  column('operating_system', STRING, 'event `platform`'),
  column('ua_browser', STRING, 'browser name parsed from the request `User-Agent`'),
  column('ua_browser_version', STRING, 'browser version parsed from the `User-Agent`'),
  column('ua_os', STRING, 'operating system parsed from the `User-Agent`'),
  column('ua_os_version', STRING, 'its version'),
  column('ua_device', STRING, 'device vendor and model parsed from the `User-Agent`'),
  column('ua_device_category', STRING, '`Mobile`, `Tablet`, `PC` or `Other`, from the `User-Agent`'),
  column('system_language', STRING, 'event `system_language`'),
  column('time_zone_offset_seconds', BIGINT, 'event `zone_offset` / 1000'),
  column('vendor_id', STRING, 'event `device_id`'),
  column('advertising_id', STRING, 'event `device_unique_id`'),
  column('host_name', STRING, 'event `host_name`'),
  column('viewport_width', BIGINT, 'ours: event `viewport_width`'),
  column('viewport_height', BIGINT, 'ours: event `viewport_height`'),
  column('country_code', STRING, 'ours: event `country_code` (the device setting)'),
] as const;

const geoFields = [
  column('city', STRING, 'null (no IP database ships with the collector)'),
  column('continent', STRING, 'null'),
  column('country', STRING, 'null'),
  column('metro', STRING, 'null'),
  column('region', STRING, 'null'),
  column('sub_continent', STRING, 'null'),
  column('locale', STRING, 'event `locale`'),
] as const;

const trafficSourceFields = [
  column('medium', STRING, 'attribute `_traffic_source_medium`'),
  column('name', STRING, 'attribute `_traffic_source_name`'),
  column('source', STRING, 'attribute `_traffic_source_source`'),
] as const;

const appInfoFields = [
  column('app_id', STRING, 'event `app_id`'),
  column('id', STRING, 'event `app_package_name`'),
  column('install_source', STRING, 'attribute `_channel`'),
  column('version', STRING, 'event `app_version`'),
  column('sdk_version', STRING, 'ours: event `sdk_version`'),
  column('sdk_name', STRING, 'ours: event `sdk_name`'),
  column('title', STRING, 'ours: event `app_title`'),
] as const;

const eventItemFields = [
  column('id', STRING, 'item `id`'),
  column('quantity', BIGINT, 'item `quantity`'),
  column('price', DOUBLE, 'item `price`'),
  column('currency', STRING, 'item `currency`'),
  column('creative_name', STRING, 'item `creative_name`'),
  column('creative_slot', STRING, 'item `creative_slot`'),
] as const;

export const eventColumns = [
  column('event_id', STRING, 'event `event_id`'),
  column('event_date', DATE, 'UTC date of `event_timestamp`'),
  column('event_timestamp', BIGINT, 'event `timestamp`, epoch ms'),
  column('event_previous_timestamp', BIGINT, 'event `event_previous_timestamp`'),
  column('event_name', STRING, 'event `event_type`'),
  column('event_value_in_usd', FLOAT, 'event `event_value_in_usd`'),
  column('event_bundle_sequence_id', BIGINT, 'query `event_bundle_sequence_id`'),
  column('ingest_timestamp', BIGINT, 'server time the request arrived, epoch ms'),
  column('device', struct(deviceFields), 'device fields of the event, and the parsed `User-Agent`'),
  column('geo', struct(geoFields), 'only `locale` is set'),
  column('traffic_source', struct(trafficSourceFields), 'from the event attributes'),
  column('app_info', struct(appInfoFields), 'app fields of the event'),
  column('platform', STRING, 'event `platform`, else query `platform`'),
  column('project_id', STRING, 'null (no CAoA project)'),
  column('items', arrayOf(struct(eventItemFields)), 'event `items`, typed fields only'),
  column('user_pseudo_id', STRING, 'event `unique_id`'),
  column('user_id', STRING, 'event `user._user_id.value`'),
  column('rid', STRING, 'ours: request id of the record'),
  column('ip', STRING, 'ours: client IP of the record'),
  column('ua', STRING, 'ours: `User-Agent` of the record'),
] as const;
