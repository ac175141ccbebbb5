/**
 * The event fields the two validation modes look at, by type.
 *
 * `lenient` (the default) follows what the downstream data processing of Clickstream Analytics on
 * AWS reads: its Spark job parses each event against `data_schema_v2.json`, where the fields below
 * are `long` or `float` and everything else is `string` (nested objects and arrays are kept as their
 * JSON text). A value of the wrong type for a `long` or `float` field makes Spark mark the whole
 * event as a corrupt record, and the job's cleaner drops corrupt records and events without
 * `event_id`, `app_id` or `timestamp`.
 *
 * `strict` adds the limits of the Clickstream HTTP API document (`event_type` required, the types
 * of its optional fields, at most 100 items, 100 user attributes and 500 custom attributes, scalar
 * attribute values).
 */

/** `long` in the downstream schema, besides the required `timestamp`. */
export const LONG_FIELDS = [
  'screen_height',
  'screen_width',
  'zone_offset',
  'event_previous_timestamp',
  'viewport_width',
  'viewport_height',
] as const;

/** `float` in the downstream schema. */
export const FLOAT_FIELDS = ['event_value_in_usd'] as const;

/** The API document's optional string fields (strict mode). */
export const OPTIONAL_STRING_FIELDS = [
  'platform',
  'os_version',
  'unique_id',
  'device_id',
  'make',
  'brand',
  'model',
  'carrier',
  'network_type',
  'locale',
  'system_language',
  'country_code',
  'sdk_version',
  'sdk_name',
  'app_package_name',
  'app_version',
  'app_title',
] as const;

/**
 * A 64-bit `long` holds this integer. Integers beyond 2^53 lose precision in a JavaScript number,
 * but the record carries the original digits, which the downstream reader parses exactly.
 */
export const fitsLong = (value: number): boolean => Number.isInteger(value) && Math.abs(value) < 2 ** 63;

export const MAX_ITEMS = 100;
export const MAX_USER_ATTRIBUTES = 100;
export const MAX_CUSTOM_ATTRIBUTES = 500;
/**
 * Deeper nesting than this is no analytics event. Such an event is quarantined without ever being
 * parsed, so a body nested a million levels deep costs a scan, not a million objects.
 */
export const MAX_EVENT_DEPTH = 32;
