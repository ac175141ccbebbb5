import * as z from 'zod/mini';
import '../../zod-messages';
import {
  FLOAT_FIELDS,
  fitsLong,
  LONG_FIELDS,
  MAX_CUSTOM_ATTRIBUTES,
  MAX_ITEMS,
  MAX_USER_ATTRIBUTES,
  OPTIONAL_STRING_FIELDS,
} from './event-fields';
import { passesLenient } from './lenient-check';

/**
 * The per-event schemas, one per validation mode (see event-fields.ts for where each rule comes
 * from). They only judge: what reaches the stream is always the event's original text, never
 * Zod's output, so unknown fields, their order, number spellings and keys such as `__proto__`
 * stay exactly as sent.
 */

export type ValidationMode = 'lenient' | 'strict';

/** A JSON integer a 64-bit `long` can hold. */
const long = z.number().check(z.refine(fitsLong, { message: 'must be an integer that fits a 64-bit long' }));

const fieldsOfType = (fields: readonly string[], type: z.core.SomeType) =>
  Object.fromEntries(fields.map((field) => [field, type]));

/** What the downstream processing needs to turn an event into a row. */
const lenientShape = {
  event_id: z.string(),
  // The downstream job keeps only events whose app_id is a registered app, so a blank one is lost.
  app_id: z.string().check(z.refine((value: string) => value.trim() !== '', 'must not be blank')),
  timestamp: long,
  ...fieldsOfType(LONG_FIELDS, z.nullish(long)),
  ...fieldsOfType(FLOAT_FIELDS, z.nullish(z.number())),
};

// SDKs omit absent fields, but some serialisers write them as null: treat null as absent.
const scalar = z.union([z.string(), z.number(), z.boolean(), z.null()]);
const epochMs = z.int().check(z.minimum(0));

const limitedRecord = <T extends z.core.SomeType>(value: T, max: number, what: string) =>
  z.nullish(
    z
      .record(z.string(), value)
      .check(z.refine((record: object) => Object.keys(record).length <= max, `at most ${max} ${what}`)),
  );

/** The Clickstream HTTP API document's rules, on top of the lenient ones. */
const strictShape = {
  ...lenientShape,
  event_type: z.string().check(z.minLength(1)),
  event_id: z.string().check(z.minLength(1)),
  timestamp: epochMs,
  ...fieldsOfType(OPTIONAL_STRING_FIELDS, z.nullish(z.string())),
  items: z.nullish(z.array(z.looseObject({})).check(z.maxLength(MAX_ITEMS, `at most ${MAX_ITEMS} items`))),
  user: limitedRecord(
    z.looseObject({ value: scalar, set_timestamp: z.nullish(epochMs) }),
    MAX_USER_ATTRIBUTES,
    'user attributes',
  ),
  attributes: limitedRecord(scalar, MAX_CUSTOM_ATTRIBUTES, 'custom attributes'),
};

export const EVENT_SCHEMAS = {
  lenient: z.looseObject(lenientShape),
  strict: z.looseObject(strictShape),
} as const;

/** A reason names the field and the rule; these bounds keep hostile input from inflating storage. */
export const MAX_REASONS_PER_EVENT = 5;
export const MAX_REASON_LENGTH = 200;

function describe(issue: z.core.$ZodIssue): string {
  const path = issue.path.map(String).join('.');
  const reason = path === '' ? issue.message : `${path}: ${issue.message}`;
  return reason.length > MAX_REASON_LENGTH ? `${reason.slice(0, MAX_REASON_LENGTH - 1)}…` : reason;
}

const NO_REASONS: readonly string[] = [];

/** Why `event` fails the mode's schema; empty when it passes. */
export function validateEvent(event: unknown, mode: ValidationMode): readonly string[] {
  if (mode === 'lenient' && passesLenient(event)) return NO_REASONS;
  const result = EVENT_SCHEMAS[mode].safeParse(event);
  if (result.success) return [];
  const { issues } = result.error;
  const reasons = issues.slice(0, MAX_REASONS_PER_EVENT).map(describe);
  if (issues.length > MAX_REASONS_PER_EVENT) {
    reasons.push(`… and ${issues.length - MAX_REASONS_PER_EVENT} more`);
  }
  return reasons;
}
