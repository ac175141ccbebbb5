import { describe, expect, it } from 'vitest';
import { validateBatch, validateEvent } from '../../../lambda/core/event-schema';
import { sampleEvent } from '../../support/events';

const nested = (depth: number): unknown => {
  let value: unknown = 'leaf';
  for (let level = 0; level < depth; level += 1) value = [value];
  return value;
};

describe('the event schema', () => {
  it('accepts the API document example, whose app_id differs from the query appId', () => {
    expect(
      validateEvent({
        event_type: 'button_click',
        event_id: 'x',
        timestamp: 1667877566697,
        app_id: 'your appId',
      }),
    ).toEqual([]);
  });

  it('accepts unknown fields and null optional fields', () => {
    expect(
      validateEvent(sampleEvent({ host_name: 'shop', os_version: null, custom: { deep: [1, 2] } })),
    ).toEqual([]);
  });

  it.each(['event_type', 'event_id', 'timestamp', 'app_id'])('requires %s', (field) => {
    const event = sampleEvent();
    delete event[field];
    expect(validateEvent(event).join()).toContain(field);
  });

  it.each([
    ['a string timestamp', { timestamp: '1667877566697' }, 'timestamp'],
    ['a fractional timestamp', { timestamp: 1.5 }, 'timestamp'],
    ['an infinite timestamp (1e400 in JSON)', { timestamp: Number.POSITIVE_INFINITY }, 'timestamp'],
    ['a timestamp beyond 2^53', { timestamp: 2 ** 60 }, 'timestamp'],
    ['a numeric event_type', { event_type: 42 }, 'event_type'],
    ['a string zone_offset', { zone_offset: '28800000' }, 'zone_offset'],
    ['a fractional screen_width', { screen_width: 10.5 }, 'screen_width'],
    ['items that are not an array', { items: { id: 1 } }, 'items'],
    ['101 items', { items: Array.from({ length: 101 }, (_, id) => ({ id })) }, 'items'],
    [
      '101 user attributes',
      {
        user: Object.fromEntries(
          Array.from({ length: 101 }, (_, i) => [`u${i}`, { value: i, set_timestamp: 1 }]),
        ),
      },
      'user',
    ],
    [
      '501 custom attributes',
      { attributes: Object.fromEntries(Array.from({ length: 501 }, (_, i) => [`a${i}`, i])) },
      'attributes',
    ],
    ['an object as attribute value', { attributes: { nested: { a: 1 } } }, 'attributes'],
    ['a user attribute without value', { user: { name: { set_timestamp: 1 } } }, 'user'],
  ])('rejects %s', (_case, overrides, field) => {
    expect(validateEvent(sampleEvent(overrides)).join()).toContain(field);
  });

  it('accepts 100 items, 100 user attributes and 500 custom attributes', () => {
    const event = sampleEvent({
      items: Array.from({ length: 100 }, (_, id) => ({ id: String(id), name: 'coat', price: 1 })),
      user: Object.fromEntries(
        Array.from({ length: 100 }, (_, i) => [`u${i}`, { value: `v${i}`, set_timestamp: 1 }]),
      ),
      attributes: Object.fromEntries(Array.from({ length: 500 }, (_, i) => [`a${i}`, i])),
    });
    expect(validateEvent(event)).toEqual([]);
  });

  it('rejects events nested deeper than 32 levels without recursing', () => {
    expect(validateEvent(sampleEvent({ extra: nested(100_000) }))).toEqual(['nested deeper than 32 levels']);
  });

  it.each([null, 42, 'event', [1, 2]])('rejects a non-object event (%j)', (event) => {
    expect(validateEvent(event).length).toBeGreaterThan(0);
  });

  it('splits a batch into valid events and invalid ones with their index and reasons', () => {
    const good = sampleEvent();
    const { valid, invalid } = validateBatch([good, { event_type: 'x' }]);
    expect(valid).toEqual([good]);
    expect(invalid).toHaveLength(1);
    expect(invalid[0]?.index).toBe(1);
    expect(invalid[0]?.reasons.length).toBeGreaterThanOrEqual(3);
  });
});
