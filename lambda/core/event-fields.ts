/** The event fields of the Clickstream HTTP API document, by type: one list for the schema and its fast path. */

export const REQUIRED_STRING_FIELDS = ['event_type', 'event_id', 'app_id'] as const;

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

export const OPTIONAL_INT_FIELDS = [
  'zone_offset',
  'screen_height',
  'screen_width',
  'viewport_height',
  'viewport_width',
] as const;

export const MAX_ITEMS = 100;
export const MAX_USER_ATTRIBUTES = 100;
export const MAX_CUSTOM_ATTRIBUTES = 500;
/** Deeper nesting than this is no analytics event; it is refused before anything recurses into it. */
export const MAX_EVENT_DEPTH = 32;
