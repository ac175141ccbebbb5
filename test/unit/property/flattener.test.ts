import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { flattenRecord } from '../../../lambda/tables/flatten-record';
import { sinkRecordBytes } from '../../support/sink-records';

/**
 * Whatever a record's events hold, the flattener answers: it never throws, accounts for every
 * element, and fills exactly one value column per attribute row.
 */

const scalar = fc.oneof(
  fc.string(),
  fc.integer(),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  fc.boolean(),
  fc.constant(null),
  fc.bigInt({ min: -(2n ** 70n), max: 2n ** 70n }).map((big) => ({ $big: big.toString() })),
);
const value = fc.letrec((tie) => ({
  node: fc.oneof(
    { depthSize: 'small' },
    scalar,
    fc.array(tie('node'), { maxLength: 3 }),
    fc.dictionary(fc.string(), tie('node'), { maxKeys: 3 }),
  ),
})).node;

const optionalFields = {
  event_type: fc.oneof(fc.string(), fc.constant('_profile_set')),
  unique_id: fc.string(),
  attributes: fc.oneof(fc.dictionary(fc.string(), value, { maxKeys: 8 }), value),
  user: fc.oneof(
    fc.dictionary(fc.string(), fc.record({ value, set_timestamp: fc.oneof(fc.integer(), fc.string()) })),
    value,
  ),
  items: fc.oneof(
    fc.array(fc.oneof(fc.record({ id: fc.oneof(fc.string(), fc.integer()), price: value }), value), {
      maxLength: 4,
    }),
    value,
  ),
  zone_offset: fc.oneof(fc.integer(), fc.string()),
};
/** Anything in the shape of an event, required fields included or not, of any type. */
const eventLike = fc.record(
  {
    event_id: fc.oneof(fc.uuid(), fc.integer(), fc.constant(null)),
    timestamp: fc.oneof(fc.integer({ min: 0, max: 2 ** 45 }), fc.string(), fc.double()),
    app_id: fc.oneof(fc.string({ minLength: 1 }), fc.constant(null)),
    ...optionalFields,
  },
  { requiredKeys: [] },
);
/** An event CAoA's ETL would accept, with odd optional fields. */
const usableEvent = fc
  .tuple(
    fc.record({
      event_id: fc.uuid(),
      timestamp: fc.integer({ min: 0, max: 2 ** 45 }),
      app_id: fc.string({ minLength: 1 }),
    }),
    fc.record(optionalFields, { requiredKeys: [] }),
  )
  .map(([required, optional]) => ({ ...optional, ...required }));
const element = fc.oneof(usableEvent, eventLike, value);

/** JSON text where `{"$big": "…"}` becomes a bare integer literal too large for a double. */
function jsonText(elements: unknown[]): string {
  return JSON.stringify(elements).replace(/\{"\$big":"(-?\d+)"\}/g, '$1');
}

describe('the flattener, over generated events', () => {
  it('never throws, accounts for every element, and sets one value column per attribute row', () => {
    // The generator must reach usable events and their attribute rows, or the property says little.
    const reached = { events: 0, parameters: 0, users: 0, items: 0 };
    fc.assert(
      fc.property(fc.array(element, { maxLength: 8 }), fc.boolean(), (elements, gzip) => {
        const flat = flattenRecord(sinkRecordBytes(jsonText(elements), { gzip }));
        const { stats } = flat;
        expect(stats.problem).toBeNull();
        expect(stats.flattened + stats.unusable + stats.overBudget).toBe(elements.length);
        expect(flat.rows.event).toHaveLength(stats.flattened);
        reached.events += flat.rows.event.length;
        reached.parameters += flat.rows.event_parameter.length;
        reached.users += flat.rows.user.length;
        reached.items += flat.rows.item.length;
        for (const row of flat.rows.event_parameter) {
          const set = [row.event_param_int_value, row.event_param_double_value, row.event_param_string_value];
          expect(set.filter((cell) => cell !== null)).toHaveLength(1);
        }
      }),
      { numRuns: 300 },
    );
    expect(reached.events).toBeGreaterThan(20);
    expect(reached.parameters).toBeGreaterThan(20);
    expect(reached.items).toBeGreaterThan(0);
    expect(reached.users).toBeGreaterThan(0);
  });
});
