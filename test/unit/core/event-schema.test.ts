import { describe, expect, it } from 'vitest';
import {
  MAX_REASON_LENGTH,
  MAX_REASONS_PER_EVENT,
  validateEvent,
} from '../../../lambda/core/events/event-schema';
import { sampleEvent } from '../../support/events';

const lenient = (event: unknown) => validateEvent(event, 'lenient');
const strict = (event: unknown) => validateEvent(event, 'strict');

const manyOf = (count: number, make: (index: number) => [string, unknown]) =>
  Object.fromEntries(Array.from({ length: count }, (_, index) => make(index)));

/** Accepted by the downstream processing, refused only by the API document's limits. */
const SOFT_LIMIT_CASES: ReadonlyArray<readonly [string, Record<string, unknown>, string]> = [
  ['a nested object attribute value', { attributes: { nested: { a: 1 } } }, 'attributes'],
  ['an array attribute value', { attributes: { list: [1, 2] } }, 'attributes'],
  ['a nested user attribute value', { user: { address: { value: { city: 'Oslo' } } } }, 'user'],
  ['101 items', { items: Array.from({ length: 101 }, (_, id) => ({ id })) }, 'items'],
  ['101 user attributes', { user: manyOf(101, (i) => [`u${i}`, { value: i, set_timestamp: 1 }]) }, 'user'],
  ['501 custom attributes', { attributes: manyOf(501, (i) => [`a${i}`, i]) }, 'attributes'],
  ['a numeric event_type', { event_type: 42 }, 'event_type'],
  ['a numeric os_version', { os_version: 10 }, 'os_version'],
  ['a user attribute without value', { user: { name: { set_timestamp: 1 } } }, 'user'],
  ['a timestamp beyond 2^53', { timestamp: 2 ** 60 }, 'timestamp'],
];

/** What the downstream processing cannot turn into a row: refused in both modes. */
const DOWNSTREAM_CASES: ReadonlyArray<readonly [string, Record<string, unknown>, string]> = [
  ['a string timestamp', { timestamp: '1667877566697' }, 'timestamp'],
  ['a fractional timestamp', { timestamp: 1.5 }, 'timestamp'],
  ['a timestamp beyond a 64-bit long', { timestamp: 2 ** 64 }, 'timestamp'],
  ['an infinite timestamp (1e400 in JSON)', { timestamp: Number.POSITIVE_INFINITY }, 'timestamp'],
  ['a numeric event_id', { event_id: 42 }, 'event_id'],
  ['a blank app_id', { app_id: '  ' }, 'app_id'],
  ['a string zone_offset', { zone_offset: '28800000' }, 'zone_offset'],
  ['a fractional screen_width', { screen_width: 10.5 }, 'screen_width'],
  [
    'a string event_previous_timestamp',
    { event_previous_timestamp: 'yesterday' },
    'event_previous_timestamp',
  ],
  ['a string event_value_in_usd', { event_value_in_usd: '9.99' }, 'event_value_in_usd'],
];

describe('lenient validation (the default): what the downstream processing can read', () => {
  it('accepts the API document example, whose app_id differs from the query appId', () => {
    const example = {
      event_type: 'button_click',
      event_id: 'x',
      timestamp: 1667877566697,
      app_id: 'your appId',
    };
    expect(lenient(example)).toEqual([]);
  });

  it.each(['event_id', 'timestamp', 'app_id'])('requires %s', (field) => {
    const event = sampleEvent();
    delete event[field];
    expect(lenient(event).join()).toContain(field);
  });

  it('does not require event_type, which the downstream processing does not need', () => {
    const event = sampleEvent();
    delete event.event_type;
    expect(lenient(event)).toEqual([]);
  });

  it.each(DOWNSTREAM_CASES)('refuses %s', (_case, overrides, field) => {
    expect(lenient(sampleEvent(overrides)).join()).toContain(field);
  });

  it.each(SOFT_LIMIT_CASES)('accepts %s (kept as JSON text downstream)', (_case, overrides) => {
    expect(lenient(sampleEvent(overrides))).toEqual([]);
  });

  it('accepts unknown fields and null optional fields', () => {
    expect(lenient(sampleEvent({ host_name: 'shop', zone_offset: null, custom: { deep: [1, 2] } }))).toEqual(
      [],
    );
  });

  it.each([null, 42, 'event', [1, 2]])('refuses an element that is not an object (%j)', (event) => {
    expect(lenient(event).length).toBeGreaterThan(0);
  });
});

describe('strict validation: the API document limits on top', () => {
  it.each(SOFT_LIMIT_CASES)('refuses %s', (_case, overrides, field) => {
    expect(strict(sampleEvent(overrides)).join()).toContain(field);
  });

  it.each(DOWNSTREAM_CASES)('refuses %s too', (_case, overrides, field) => {
    expect(strict(sampleEvent(overrides)).join()).toContain(field);
  });

  it.each(['event_type', 'event_id', 'timestamp', 'app_id'])('requires %s', (field) => {
    const event = sampleEvent();
    delete event[field];
    expect(strict(event).join()).toContain(field);
  });

  it('accepts 100 items, 100 user attributes and 500 custom attributes', () => {
    const event = sampleEvent({
      items: Array.from({ length: 100 }, (_, id) => ({ id: String(id), name: 'coat', price: 1 })),
      user: manyOf(100, (i) => [`u${i}`, { value: `v${i}`, set_timestamp: 1 }]),
      attributes: manyOf(500, (i) => [`a${i}`, i]),
    });
    expect(strict(event)).toEqual([]);
  });
});

describe('reasons', () => {
  it(`keeps at most ${MAX_REASONS_PER_EVENT} reasons per event, and says how many more there were`, () => {
    const reasons = strict({ zone_offset: 'a', screen_width: 'b', screen_height: 'c', viewport_width: 'd' });
    expect(reasons).toHaveLength(MAX_REASONS_PER_EVENT + 1);
    expect(reasons.at(-1)).toMatch(/^… and \d+ more$/);
  });

  it(`cuts each reason to ${MAX_REASON_LENGTH} characters, however long the field name`, () => {
    const [reason] = strict(sampleEvent({ attributes: { ['k'.repeat(100_000)]: { deep: 1 } } }));
    expect(reason?.length).toBeLessThanOrEqual(MAX_REASON_LENGTH);
  });
});
