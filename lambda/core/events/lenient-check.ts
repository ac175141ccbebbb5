import { FLOAT_FIELDS, fitsLong, LONG_FIELDS } from './event-fields';

/**
 * The lenient schema's verdict as one plain predicate, for the common case: an event that
 * passes. Zod, still the one schema and the source of every reason, takes several times longer
 * per event, so it is asked only about the events this refuses. A property test holds the two to
 * the same verdict on arbitrary and nearly valid events (test/unit/property/lenient-check.test.ts).
 */

/** Zod's object: anything of type object but null and arrays. Its fields are read by name, as Zod does. */
const isObject = (value: unknown): value is Readonly<Record<string, unknown>> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);
// Zod's number refuses NaN and ±Infinity (`1e400` in JSON parses to Infinity); fitsLong does too.
const isLong = (value: unknown): boolean => typeof value === 'number' && fitsLong(value);
const isNumber = (value: unknown): boolean => typeof value === 'number' && Number.isFinite(value);
/** `z.nullish`: SDKs omit absent fields, some serialisers write null. */
const absent = (value: unknown): boolean => value === undefined || value === null;

/** Whether the lenient schema accepts `event`. */
export function passesLenient(event: unknown): boolean {
  if (!isObject(event)) return false;
  const appId = event.app_id;
  if (typeof event.event_id !== 'string' || typeof appId !== 'string' || appId.trim() === '') return false;
  if (!isLong(event.timestamp)) return false;
  for (const field of LONG_FIELDS) if (!absent(event[field]) && !isLong(event[field])) return false;
  for (const field of FLOAT_FIELDS) if (!absent(event[field]) && !isNumber(event[field])) return false;
  return true;
}
