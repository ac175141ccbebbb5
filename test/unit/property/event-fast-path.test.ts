import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isSurelyValidEvent } from '../../../lambda/core/event-fast-path';
import { OPTIONAL_INT_FIELDS, OPTIONAL_STRING_FIELDS } from '../../../lambda/core/event-fields';
import { eventSchema } from '../../../lambda/core/event-schema';
import { sampleEvent } from '../../support/events';

// The fast path may only ever say "valid" when the Zod schema agrees.
const anyValue = fc.oneof(
  fc.string(),
  fc.constant(''),
  fc.integer(),
  fc.maxSafeNat(),
  fc.double(),
  fc.constantFrom(Number.POSITIVE_INFINITY, Number.NaN, -1, 2 ** 60, 1.5),
  fc.boolean(),
  fc.constant(null),
  fc.constant(undefined),
);
const nested = fc.oneof(
  anyValue,
  fc.array(anyValue, { maxLength: 3 }),
  fc.dictionary(fc.string(), anyValue, { maxKeys: 3 }),
);
const userAttribute = fc.oneof(
  fc.record({ value: nested, set_timestamp: anyValue }, { requiredKeys: [] }),
  nested,
);
const fieldValue = (field: string) => {
  if (field === 'items')
    return fc.oneof(
      fc.array(fc.oneof(fc.dictionary(fc.string(), nested, { maxKeys: 3 }), nested), { maxLength: 102 }),
      nested,
    );
  if (field === 'user') return fc.oneof(fc.dictionary(fc.string(), userAttribute, { maxKeys: 4 }), nested);
  if (field === 'attributes') return fc.oneof(fc.dictionary(fc.string(), nested, { maxKeys: 6 }), nested);
  return fc.oneof(anyValue, nested);
};
const FIELDS = [
  'event_type',
  'event_id',
  'timestamp',
  'app_id',
  ...OPTIONAL_STRING_FIELDS,
  ...OPTIONAL_INT_FIELDS,
  'items',
  'user',
  'attributes',
  'custom',
  '__proto__',
];
const validBase = fc.record({
  event_type: fc.string({ minLength: 1 }),
  event_id: fc.string({ minLength: 1 }),
  timestamp: fc.maxSafeNat(),
  app_id: fc.string({ minLength: 1 }),
});
const event = fc
  .tuple(
    validBase,
    fc
      .subarray(FIELDS, { maxLength: 6 })
      .chain((fields) =>
        fc.tuple(...fields.map((field) => fieldValue(field).map((value) => [field, value] as const))),
      ),
  )
  .map(([base, entries]) => {
    const result: Record<string, unknown> = { ...base };
    for (const [field, value] of entries)
      Object.defineProperty(result, field, { value, enumerable: true, writable: true, configurable: true });
    return result;
  });

describe('the event fast path', () => {
  it('says valid only for events the schema accepts', () => {
    fc.assert(
      fc.property(event, (candidate) => {
        if (isSurelyValidEvent(candidate)) expect(eventSchema.safeParse(candidate).success).toBe(true);
      }),
      { numRuns: 3_000 },
    );
  });

  it('takes typical SDK events (so it is actually used)', () => {
    expect(
      isSurelyValidEvent(
        sampleEvent({
          user: { _user_id: { value: 'u1', set_timestamp: 1 } },
          items: [{ id: 'a', price: 1 }],
        }),
      ),
    ).toBe(true);
  });

  it('leaves nested unknown fields to the schema and its depth check', () => {
    expect(isSurelyValidEvent(sampleEvent({ custom: { deep: [1] } }))).toBe(false);
  });
});
