import {
  MAX_CUSTOM_ATTRIBUTES,
  MAX_ITEMS,
  MAX_USER_ATTRIBUTES,
  OPTIONAL_INT_FIELDS,
  OPTIONAL_STRING_FIELDS,
  REQUIRED_STRING_FIELDS,
} from './event-fields';

/**
 * A quick check that says "valid" only for events the Zod schema surely accepts: flat, typical
 * SDK events. Anything else — unusual nesting, a questionable value — gets `false` and goes through
 * the full schema, which also writes the reasons. Validation was the largest share of a request's
 * CPU time; SDK events nearly always take this path. (A property test holds it to the schema.)
 */

type Kind = 'string' | 'int' | 'items' | 'user' | 'attributes' | 'required' | 'timestamp';

const KNOWN_FIELDS = new Map<string, Kind>([
  ...REQUIRED_STRING_FIELDS.map((field) => [field, 'required'] as [string, Kind]),
  ['timestamp', 'timestamp'],
  ...OPTIONAL_STRING_FIELDS.map((field) => [field, 'string'] as [string, Kind]),
  ...OPTIONAL_INT_FIELDS.map((field) => [field, 'int'] as [string, Kind]),
  ['items', 'items'],
  ['user', 'user'],
  ['attributes', 'attributes'],
]);

type PlainObject = Record<string, unknown>;

const isPlainObject = (value: unknown): value is PlainObject =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** string, finite number, boolean or null: what JSON scalars Zod's `scalar` accepts. */
const isScalar = (value: unknown): boolean =>
  value === null ||
  typeof value === 'string' ||
  typeof value === 'boolean' ||
  (typeof value === 'number' && Number.isFinite(value));

function allScalars(object: PlainObject, maxKeys: number): boolean {
  let count = 0;
  for (const key in object) {
    if (!Object.hasOwn(object, key)) continue;
    count += 1;
    if (count > maxKeys || !isScalar(object[key])) return false;
  }
  return true;
}

function isFlatItemList(value: unknown): boolean {
  if (!Array.isArray(value) || value.length > MAX_ITEMS) return false;
  return value.every((item) => isPlainObject(item) && allScalars(item, Number.POSITIVE_INFINITY));
}

function isUserAttributes(value: unknown): boolean {
  if (!isPlainObject(value)) return false;
  let count = 0;
  for (const key in value) {
    if (!Object.hasOwn(value, key)) continue;
    count += 1;
    const attribute = value[key];
    if (count > MAX_USER_ATTRIBUTES || !isPlainObject(attribute) || !Object.hasOwn(attribute, 'value'))
      return false;
    if (!allScalars(attribute, Number.POSITIVE_INFINITY)) return false;
    const setAt = attribute.set_timestamp;
    if (setAt !== undefined && setAt !== null && !(Number.isSafeInteger(setAt) && (setAt as number) >= 0))
      return false;
  }
  return true;
}

function fieldIsSurelyValid(kind: Kind | undefined, value: unknown): boolean {
  switch (kind) {
    case 'required':
      return typeof value === 'string' && value.length > 0;
    case 'timestamp':
      return Number.isSafeInteger(value) && (value as number) >= 0;
    case 'string':
      return value === null || typeof value === 'string';
    case 'int':
      return value === null || Number.isSafeInteger(value);
    case 'items':
      return value === null || isFlatItemList(value);
    case 'user':
      return value === null || isUserAttributes(value);
    case 'attributes':
      return value === null || (isPlainObject(value) && allScalars(value, MAX_CUSTOM_ATTRIBUTES));
    default:
      // Unknown fields are allowed as they are; only scalars are certain to be shallow enough.
      return isScalar(value);
  }
}

export function isSurelyValidEvent(event: unknown): boolean {
  if (!isPlainObject(event)) return false;
  let required = 0;
  for (const key in event) {
    if (!Object.hasOwn(event, key)) continue;
    const kind = KNOWN_FIELDS.get(key);
    if (!fieldIsSurelyValid(kind, event[key])) return false;
    if (kind === 'required' || kind === 'timestamp') required += 1;
  }
  return required === REQUIRED_STRING_FIELDS.length + 1;
}
