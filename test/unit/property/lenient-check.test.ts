import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { FLOAT_FIELDS, LONG_FIELDS } from '../../../lambda/core/events/event-fields';
import { EVENT_SCHEMAS, validateEvent } from '../../../lambda/core/events/event-schema';
import { passesLenient } from '../../../lambda/core/events/lenient-check';
import { invalidEventText, oddJsonText, validEventText } from '../../support/json-text';

/**
 * The hand-written lenient check must be the lenient Zod schema's verdict exactly: it decides
 * alone for every event it accepts. Held to that on nearly valid events (each field the schema
 * reads absent, null, right, or wrong in the ways that are easy to get wrong), on events with
 * nested `user`, `items` and `attributes`, and on arbitrary values.
 */

/** Values that sit at the edges of what the schema's fields accept. */
const edgeValue = fc.oneof(
  fc.constantFrom(
    0,
    -0,
    1,
    -1,
    1.5,
    2 ** 53,
    2 ** 53 + 2,
    2 ** 63 - 1024,
    2 ** 63,
    -(2 ** 63),
    2 ** 64,
    Number.POSITIVE_INFINITY,
    Number.NEGATIVE_INFINITY,
    Number.NaN,
    1_700_000_000_000,
    '',
    ' ',
    '\t\n',
    '\u00a0',
    '\ufeff',
    'x',
    ' test_app ',
    '1700000000000',
    true,
    false,
    null,
  ),
  fc.integer(),
  fc.double(),
  fc.string({ maxLength: 4 }),
  fc.jsonValue({ maxDepth: 2 }),
);

const CHECKED_FIELDS = ['event_id', 'app_id', 'timestamp', ...LONG_FIELDS, ...FLOAT_FIELDS];

/** Each field the schema reads either left as a valid event has it, dropped, or set to an edge value. */
const nearlyValid = fc
  .tuple(
    validEventText().map((text): Record<string, unknown> => JSON.parse(text)),
    fc.array(fc.tuple(fc.constantFrom(...CHECKED_FIELDS), fc.option(edgeValue, { nil: undefined })), {
      maxLength: 3,
    }),
  )
  .map(([event, changes]) => {
    const changed: Record<string, unknown> = { ...event };
    for (const [field, value] of changes) {
      if (value === undefined) delete changed[field];
      else changed[field] = value;
    }
    return changed;
  });

const anyValue = fc.oneof(
  fc.anything(),
  fc.jsonValue(),
  oddJsonText().map((text): unknown => JSON.parse(text)),
  invalidEventText().map((text): unknown => JSON.parse(text)),
  fc.array(nearlyValid, { maxLength: 1 }),
  // Not JSON, but the check must not take an array that carries the fields for an event.
  nearlyValid.map((event) => Object.assign([], event)),
);

const zodAccepts = (event: unknown) => EVENT_SCHEMAS.lenient.safeParse(event).success;
const nonEmpty = (value: unknown) =>
  typeof value === 'object' && value !== null && Object.keys(value).length > 0;

describe('the lenient check', () => {
  it('accepts exactly what the lenient Zod schema accepts, on nearly valid events', () => {
    const reached = { accepted: 0, refused: 0, user: 0, items: 0, attributes: 0 };
    fc.assert(
      fc.property(nearlyValid, (event) => {
        const verdict = zodAccepts(event);
        expect(passesLenient(event)).toBe(verdict);
        expect(validateEvent(event, 'lenient').length === 0).toBe(verdict);
        reached[verdict ? 'accepted' : 'refused'] += 1;
        for (const field of ['user', 'items', 'attributes'] as const)
          if (nonEmpty(event[field])) reached[field] += 1;
      }),
      { numRuns: 3_000 },
    );
    // The generator must reach both verdicts and the nested shapes, or agreement proves little.
    expect(reached.accepted).toBeGreaterThan(600);
    expect(reached.refused).toBeGreaterThan(600);
    for (const field of ['user', 'items', 'attributes'] as const)
      expect(reached[field]).toBeGreaterThan(1_000);
  });

  it('accepts exactly what the lenient Zod schema accepts, on arbitrary values', () => {
    fc.assert(
      fc.property(anyValue, (value) => {
        expect(passesLenient(value)).toBe(zodAccepts(value));
      }),
      { numRuns: 3_000 },
    );
  });

  it('leaves the reasons to Zod', () => {
    expect(validateEvent({ event_id: 'e', app_id: 'a', timestamp: 1.5 }, 'lenient')).toEqual([
      'timestamp: must be an integer that fits a 64-bit long',
    ]);
  });
});
