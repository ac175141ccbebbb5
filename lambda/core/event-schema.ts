import * as z from 'zod/mini';
import '../zod-messages';
import { isSurelyValidEvent } from './event-fast-path';
import {
  MAX_CUSTOM_ATTRIBUTES,
  MAX_EVENT_DEPTH,
  MAX_ITEMS,
  MAX_USER_ATTRIBUTES,
  OPTIONAL_INT_FIELDS,
  OPTIONAL_STRING_FIELDS,
} from './event-fields';

/**
 * The per-event schema of the Clickstream HTTP API. It only validates: the collector stores the
 * events exactly as parsed (never Zod's output), so unknown fields, their order and keys such as
 * `__proto__` reach the stream untouched.
 */

// SDKs omit absent fields, but some serialisers write them as null: treat null as absent.
const requiredString = z.string().check(z.minLength(1));
const optionalString = z.nullish(z.string());
// z.int() is a safe integer: nothing that JSON.parse rounded.
const optionalInt = z.nullish(z.int());
const epochMs = z.int().check(z.minimum(0));
const scalar = z.union([z.string(), z.number(), z.boolean(), z.null()]);

const userAttribute = z.looseObject({
  value: scalar,
  set_timestamp: z.nullish(epochMs),
});

const limitedRecord = <T extends z.core.SomeType>(value: T, max: number, what: string) =>
  z.nullish(
    z
      .record(z.string(), value)
      .check(z.refine((record: object) => Object.keys(record).length <= max, `at most ${max} ${what}`)),
  );

const fieldsOfType = (fields: readonly string[], type: z.core.SomeType) =>
  Object.fromEntries(fields.map((field) => [field, type]));

export const eventSchema = z.looseObject({
  event_type: requiredString,
  event_id: requiredString,
  timestamp: epochMs,
  app_id: requiredString,
  ...fieldsOfType(OPTIONAL_STRING_FIELDS, optionalString),
  ...fieldsOfType(OPTIONAL_INT_FIELDS, optionalInt),
  items: z.nullish(z.array(z.looseObject({})).check(z.maxLength(MAX_ITEMS, `at most ${MAX_ITEMS} items`))),
  user: limitedRecord(userAttribute, MAX_USER_ATTRIBUTES, 'user attributes'),
  attributes: limitedRecord(scalar, MAX_CUSTOM_ATTRIBUTES, 'custom attributes'),
});

export interface InvalidEvent {
  /** Position in the request's array. */
  readonly index: number;
  readonly event: unknown;
  readonly reasons: readonly string[];
}

export interface ValidatedBatch {
  readonly valid: readonly unknown[];
  readonly invalid: readonly InvalidEvent[];
}

/** Depth of nested arrays/objects, counted iteratively so hostile input cannot exhaust the stack. */
function exceedsDepth(root: unknown, maxDepth: number): boolean {
  const stack: Array<[unknown, number]> = [[root, 1]];
  while (stack.length > 0) {
    const [value, depth] = stack.pop() as [unknown, number];
    if (value === null || typeof value !== 'object') continue;
    if (depth > maxDepth) return true;
    for (const child of Object.values(value)) {
      if (child !== null && typeof child === 'object') stack.push([child, depth + 1]);
    }
  }
  return false;
}

function describe(issue: z.core.$ZodIssue): string {
  const path = issue.path.map(String).join('.');
  return path === '' ? issue.message : `${path}: ${issue.message}`;
}

const NO_REASONS: readonly string[] = [];

export function validateEvent(event: unknown): readonly string[] {
  if (isSurelyValidEvent(event)) return NO_REASONS;
  if (exceedsDepth(event, MAX_EVENT_DEPTH)) return [`nested deeper than ${MAX_EVENT_DEPTH} levels`];
  const result = eventSchema.safeParse(event);
  return result.success ? [] : result.error.issues.map(describe);
}

/** Splits a batch into the events to keep and those to quarantine, with the reasons for each. */
export function validateBatch(events: readonly unknown[]): ValidatedBatch {
  const valid: unknown[] = [];
  const invalid: InvalidEvent[] = [];
  events.forEach((event, index) => {
    const reasons = validateEvent(event);
    if (reasons === NO_REASONS || reasons.length === 0) valid.push(event);
    else invalid.push({ index, event, reasons });
  });
  return { valid, invalid };
}
