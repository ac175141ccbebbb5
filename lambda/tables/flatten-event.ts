import type { EventParameterRow, EventRow, ItemRow, UserRow } from './catalog';
import type { Int64 } from './column-types';
import type { RecordFields } from './decode-record';
import {
  doubleOf,
  int64Of,
  isJsonObject,
  type JsonObject,
  type JsonValue,
  secondsOf,
  textOf,
  typedValue,
} from './json-values';
import type { UserAgentFields } from './user-agent';

/**
 * One event → its rows in `event`, `event_parameter`, `item` and `user`, column by column as CAoA
 * v1.1.5's Spark job fills them (`TransformerV2`, `EventParamsConverter`, `KvConverter`,
 * `UserPropertiesConverter`). Pure; never throws on odd values.
 */

export interface EventRows {
  readonly event: EventRow;
  readonly parameters: EventParameterRow[];
  readonly items: ItemRow[];
  readonly user: UserRow | null;
}

/** Attributes CAoA keeps out of `event_parameter` (they feed `traffic_source`, `app_info` and privacy flags). */
const EXCLUDED_PARAMETERS = new Set([
  '_privacy_info_ads_storage',
  '_privacy_info_analytics_storage',
  '_privacy_info_uses_transient_token',
  '_traffic_source_medium',
  '_traffic_source_name',
  '_traffic_source_source',
  '_channel',
]);

/** Events CAoA builds `user` rows from; only the profile-set ones carry `user_properties`. */
const PROFILE_SET_EVENTS = new Set(['_profile_set', 'user_profile_set', '_user_profile_set']);
const USER_EVENTS = new Set([...PROFILE_SET_EVENTS, '_first_open', '_first_visit', '_app_end', '_app_start']);
const REFERRER_ATTRIBUTES = ['_page_referrer', '_page_referer', 'referer', 'referrer'];

export type CheckedEvent =
  | { readonly usable: true; readonly event: JsonObject; readonly timestamp: number }
  | { readonly usable: false; readonly reason: string };

/**
 * Whether an element of `data` can become rows: what CAoA's ETL requires of an event (an object
 * with `event_id`, `app_id` and an integer `timestamp`; its `Cleaner` drops anything else).
 */
export function checkEvent(value: JsonValue): CheckedEvent {
  if (!isJsonObject(value)) return { usable: false, reason: 'not an object' };
  if (textOf(value.event_id) === null) return { usable: false, reason: 'no event_id' };
  if (textOf(value.app_id) === null) return { usable: false, reason: 'no app_id' };
  const timestamp = int64Of(value.timestamp);
  if (typeof timestamp !== 'number') {
    return { usable: false, reason: 'timestamp is not an integer epoch ms' };
  }
  return { usable: true, event: value, timestamp };
}

/** `YYYY-MM-DD` of an epoch-ms instant in UTC, or null outside the dates JavaScript can show. */
export function utcDate(epochMs: Int64 | null): string | null {
  if (epochMs === null || typeof epochMs === 'bigint') return null;
  const date = new Date(epochMs);
  return Number.isNaN(date.getTime()) ? null : date.toISOString().slice(0, 10);
}

function objectOf(value: JsonValue | undefined): JsonObject | null {
  return value !== undefined && isJsonObject(value) ? value : null;
}

function bundleSequenceId(uri: string | null): Int64 | null {
  const query = uri?.split('?')[1];
  if (query === undefined) return null;
  const value = new URLSearchParams(query).get('event_bundle_sequence_id');
  if (value === null || !/^-?\d{1,19}$/.test(value)) return null;
  const big = BigInt(value);
  if (big < -(2n ** 63n) || big >= 2n ** 63n) return null;
  return Number.isSafeInteger(Number(big)) ? Number(big) : big;
}

/** How many rows an event makes at most: checked against the record's budget before any is built. */
export function rowCountBound(event: JsonObject): number {
  const attributes = objectOf(event.attributes);
  const user = objectOf(event.user);
  const items = Array.isArray(event.items) ? event.items.length : 0;
  return (
    2 + items + (attributes ? Object.keys(attributes).length : 0) + (user ? Object.keys(user).length : 0)
  );
}

function itemRows(event: JsonObject, eventId: string | null, timestamp: number): ItemRow[] {
  if (!Array.isArray(event.items)) return [];
  const rows: ItemRow[] = [];
  for (const item of event.items) {
    if (!isJsonObject(item)) continue;
    const id = textOf(item.id);
    if (id === null) continue;
    const properties = Object.entries(item)
      .filter(([key]) => key !== 'id')
      .map(([key, value]) => ({ key, value: typedValue(value) }));
    rows.push({ event_timestamp: timestamp, id, properties, event_id: eventId });
  }
  return rows;
}

function eventItems(event: JsonObject): EventRow['items'] {
  if (!Array.isArray(event.items)) return null;
  return event.items.filter(isJsonObject).map((item) => ({
    id: textOf(item.id),
    quantity: int64Of(item.quantity),
    price: doubleOf(item.price),
    currency: textOf(item.currency),
    creative_name: textOf(item.creative_name),
    creative_slot: textOf(item.creative_slot),
  }));
}

function userProperties(user: JsonObject): NonNullable<UserRow['user_properties']> {
  const properties: NonNullable<UserRow['user_properties']> = [];
  for (const [key, attribute] of Object.entries(user)) {
    if (key.startsWith('_user_ltv_') || !isJsonObject(attribute)) continue;
    const setTimestamp = int64Of(attribute.set_timestamp) ?? 0;
    const micros = typeof setTimestamp === 'bigint' ? setTimestamp * 1000n : setTimestamp * 1000;
    properties.push({
      key,
      value: { ...typedValue(attribute.value ?? null), set_timestamp_micros: micros },
    });
  }
  return properties;
}

function userLtv(user: JsonObject): UserRow['user_ltv'] {
  const revenue = doubleOf(objectOf(user._user_ltv_revenue)?.value);
  if (revenue === null) return null;
  return { revenue, currency: textOf(objectOf(user._user_ltv_currency)?.value) };
}

function userRow(event: JsonObject, base: { id: string | null; name: string | null; ts: number }) {
  const pseudoId = textOf(event.unique_id);
  if (pseudoId === null || base.name === null || !USER_EVENTS.has(base.name)) return null;
  const user = objectOf(event.user) ?? {};
  const attributes = objectOf(event.attributes) ?? {};
  const firstTouch = int64Of(objectOf(user._user_first_touch_timestamp)?.value) ?? base.ts;
  const profileSet = PROFILE_SET_EVENTS.has(base.name);
  const referrer = REFERRER_ATTRIBUTES.map((name) => textOf(attributes[name])).find(
    (value) => value !== null,
  );
  const deviceId = textOf(event.device_id);
  const row: UserRow = {
    event_timestamp: base.ts,
    user_id: textOf(objectOf(user._user_id)?.value),
    user_pseudo_id: pseudoId,
    user_first_touch_timestamp: firstTouch,
    user_properties: profileSet ? userProperties(user) : null,
    user_ltv: profileSet ? userLtv(user) : null,
    _first_visit_date: utcDate(firstTouch),
    _first_referer: referrer ?? null,
    _first_traffic_source_type: textOf(attributes._traffic_source_name),
    _first_traffic_medium: textOf(attributes._traffic_source_medium),
    _first_traffic_source: textOf(attributes._traffic_source_source),
    device_id_list: deviceId === null ? null : [deviceId],
    _channel: textOf(attributes._channel),
    event_id: base.id,
    event_name: base.name,
  };
  return row;
}

/** The rows of an event that `checkEvent` found usable. */
export function flattenEvent(
  checked: { readonly event: JsonObject; readonly timestamp: number },
  record: RecordFields,
  ua: UserAgentFields,
): EventRows {
  const { event, timestamp } = checked;
  const eventId = textOf(event.event_id);
  const eventName = textOf(event.event_type);
  const attributes = objectOf(event.attributes) ?? {};
  const user = objectOf(event.user) ?? {};
  const row: EventRow = {
    event_id: eventId,
    event_date: utcDate(timestamp),
    event_timestamp: timestamp,
    event_previous_timestamp: int64Of(event.event_previous_timestamp),
    event_name: eventName,
    event_value_in_usd: doubleOf(event.event_value_in_usd),
    event_bundle_sequence_id: bundleSequenceId(record.uri),
    ingest_timestamp: record.ingestTime,
    device: {
      mobile_brand_name: textOf(event.brand),
      mobile_model_name: textOf(event.model),
      manufacturer: textOf(event.make),
      screen_width: int64Of(event.screen_width),
      screen_height: int64Of(event.screen_height),
      carrier: textOf(event.carrier),
      network_type: textOf(event.network_type),
      operating_system_version: textOf(event.os_version),
      operating_system: textOf(event.platform),
      ...ua,
      system_language: textOf(event.system_language),
      time_zone_offset_seconds: secondsOf(int64Of(event.zone_offset)),
      vendor_id: textOf(event.device_id),
      advertising_id: textOf(event.device_unique_id),
      host_name: textOf(event.host_name),
      viewport_width: int64Of(event.viewport_width),
      viewport_height: int64Of(event.viewport_height),
      country_code: textOf(event.country_code),
    },
    geo: {
      city: null,
      continent: null,
      country: null,
      metro: null,
      region: null,
      sub_continent: null,
      locale: textOf(event.locale),
    },
    traffic_source: {
      medium: textOf(attributes._traffic_source_medium),
      name: textOf(attributes._traffic_source_name),
      source: textOf(attributes._traffic_source_source),
    },
    app_info: {
      app_id: textOf(event.app_id),
      id: textOf(event.app_package_name),
      install_source: textOf(attributes._channel),
      version: textOf(event.app_version),
      sdk_version: textOf(event.sdk_version),
      sdk_name: textOf(event.sdk_name),
      title: textOf(event.app_title),
    },
    platform: textOf(event.platform) ?? record.platform,
    project_id: null,
    items: eventItems(event),
    user_pseudo_id: textOf(event.unique_id),
    user_id: textOf(objectOf(user._user_id)?.value),
    rid: record.rid,
    ip: record.ip,
    ua: record.ua,
  };
  const parameters: EventParameterRow[] = [];
  for (const [key, value] of Object.entries(attributes)) {
    if (EXCLUDED_PARAMETERS.has(key)) continue;
    const typed = typedValue(value);
    parameters.push({
      event_timestamp: timestamp,
      event_id: eventId,
      event_name: eventName,
      event_param_key: key,
      event_param_double_value: typed.double_value,
      event_param_float_value: typed.float_value,
      event_param_int_value: typed.int_value,
      event_param_string_value: typed.string_value,
    });
  }
  return {
    event: row,
    parameters,
    items: itemRows(event, eventId, timestamp),
    user: userRow(event, { id: eventId, name: eventName, ts: timestamp }),
  };
}
