import { describe, expect, it } from 'vitest';
import { flattenRecord } from '../../../lambda/tables/flatten-record';
import { DOC_EXAMPLE_BODY } from '../../support/events';
import { SAMPLE_RECEIVED_AT, sinkRecordBytes } from '../../support/sink-records';

const CHROME_ANDROID =
  'Mozilla/5.0 (Linux; Android 6.0; Nexus 5 Build/MRA58N) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/116.0.0.0 Mobile Safari/537.36';

const event = (overrides: Record<string, unknown> = {}) => ({
  event_type: 'button_click',
  event_id: 'e-1',
  timestamp: 1_700_000_000_000,
  app_id: 'test_app',
  ...overrides,
});

describe.each([
  { encoding: 'plain JSON', gzip: false },
  { encoding: 'gzip + base64', gzip: true },
])('flattening a record whose data is $encoding', ({ gzip }) => {
  it('keeps the record bytes as the raw archive line, plus one newline', () => {
    const bytes = sinkRecordBytes(DOC_EXAMPLE_BODY, { gzip });
    expect(flattenRecord(bytes).line.toString()).toBe(`${bytes.toString()}\n`);
  });

  it('makes one event row per event, with the request fields of the record', () => {
    const flat = flattenRecord(sinkRecordBytes(DOC_EXAMPLE_BODY, { gzip, ua: CHROME_ANDROID }));
    expect(flat.rows.event).toHaveLength(2);
    expect(flat.rows.event[0]).toMatchObject({
      event_id: '460daa08-0717-4385-8f2e-acb5bd019ee7',
      event_name: 'button_click',
      event_timestamp: 1667877566697,
      event_date: '2022-11-08',
      event_bundle_sequence_id: 7,
      ingest_timestamp: SAMPLE_RECEIVED_AT,
      platform: 'Android',
      app_info: { app_id: 'your appId' },
      rid: '6fa77c634288e5247810bcad18a4a06a',
      ip: '101.188.67.134',
      ua: CHROME_ANDROID,
      geo: { city: null, country: null, locale: null },
      device: {
        ua_browser: 'Chrome',
        ua_browser_version: '116.0.0.0',
        ua_os: 'Android',
        ua_os_version: '6.0',
        ua_device: 'LG Nexus 5',
        ua_device_category: 'Mobile',
      },
    });
    expect(flat.rows.event[1]?.event_name).toBe('item_view');
    expect(flat.partition).toEqual({ app: 'test_app', day: '2026-11-28' });
  });

  it('makes one event_parameter row per attribute with exactly one typed value', () => {
    const flat = flattenRecord(sinkRecordBytes(DOC_EXAMPLE_BODY, { gzip }));
    const first = flat.rows.event_parameter.filter(
      (row) => row.event_id === '460daa08-0717-4385-8f2e-acb5bd019ee7',
    );
    expect(first).toEqual([
      {
        event_timestamp: 1667877566697,
        event_id: '460daa08-0717-4385-8f2e-acb5bd019ee7',
        event_name: 'button_click',
        event_param_key: 'productName',
        event_param_double_value: null,
        event_param_float_value: null,
        event_param_int_value: null,
        event_param_string_value: 'shoes',
      },
      {
        event_timestamp: 1667877566697,
        event_id: '460daa08-0717-4385-8f2e-acb5bd019ee7',
        event_name: 'button_click',
        event_param_key: 'Price',
        event_param_double_value: 99.9,
        event_param_float_value: null,
        event_param_int_value: null,
        event_param_string_value: null,
      },
    ]);
  });
});

describe('typed attribute values', () => {
  const attributes =
    '{"big":12345678901234567890,"int64":9007199254740993,"neg":-42,"ten":10.0,"exp":1e2,"negzero":-0,' +
    '"huge":1e400,"yes":true,"nothing":null,"text":"\\u00e9t\\u00e9 \ud83d\ude00","nested":{"a":[1,2.50,{"b":null}]},' +
    '"list":[1,"x"],"_channel":"store","_traffic_source_source":"google"}';
  const body = `[{"event_type":"t","event_id":"e-1","timestamp":1700000000000,"app_id":"a","attributes":${attributes}}]`;
  const rows = flattenRecord(sinkRecordBytes(body)).rows.event_parameter;
  const value = (key: string) => {
    const row = rows.find((candidate) => candidate.event_param_key === key);
    if (row === undefined) throw new Error(`no row for ${key}`);
    return {
      int: row.event_param_int_value,
      double: row.event_param_double_value,
      string: row.event_param_string_value,
    };
  };

  it('keeps integers within 64 bits exact, as bigints past 2^53', () => {
    expect(value('int64')).toEqual({ int: 9007199254740993n, double: null, string: null });
    expect(value('neg')).toEqual({ int: -42, double: null, string: null });
    expect(value('negzero')).toEqual({ int: 0, double: null, string: null });
  });

  it('puts integers beyond 64 bits and numbers beyond a double into the string value, digits exact', () => {
    expect(value('big')).toEqual({ int: null, double: null, string: '12345678901234567890' });
    expect(value('huge')).toEqual({ int: null, double: null, string: '1e400' });
  });

  it('treats numbers with a fraction or exponent as doubles, even when whole', () => {
    expect(value('ten')).toEqual({ int: null, double: 10, string: null });
    expect(value('exp')).toEqual({ int: null, double: 100, string: null });
  });

  it('writes booleans and null as text, as CAoA does', () => {
    expect(value('yes')).toEqual({ int: null, double: null, string: 'true' });
    expect(value('nothing')).toEqual({ int: null, double: null, string: 'null' });
  });

  it('keeps unicode text and writes nested values as compact JSON with their numbers as sent', () => {
    expect(value('text').string).toBe('été 😀');
    expect(value('nested').string).toBe('{"a":[1,2.50,{"b":null}]}');
    expect(value('list').string).toBe('[1,"x"]');
  });

  it('leaves out the attributes CAoA keeps for other columns', () => {
    expect(rows.map((row) => row.event_param_key)).not.toContain('_channel');
    const flat = flattenRecord(sinkRecordBytes(body)).rows.event[0];
    expect(flat?.app_info?.install_source).toBe('store');
    expect(flat?.traffic_source?.source).toBe('google');
  });

  it('sets exactly one value column on every row', () => {
    for (const row of rows) {
      const set = [
        row.event_param_int_value,
        row.event_param_double_value,
        row.event_param_string_value,
      ].filter((cell) => cell !== null);
      expect(set, row.event_param_key ?? '').toHaveLength(1);
      expect(row.event_param_float_value).toBeNull();
    }
  });
});

describe.each([
  { encoding: 'plain JSON', gzip: false },
  { encoding: 'gzip + base64', gzip: true },
])('user and item rows, from $encoding data', ({ gzip }) => {
  const profileSet = event({
    event_type: '_profile_set',
    event_id: 'p-1',
    unique_id: 'pseudo-1',
    device_id: 'device-1',
    user: {
      _user_id: { value: 'u-42', set_timestamp: 1_699_999_000_000 },
      _user_first_touch_timestamp: { value: 1_690_000_000_000, set_timestamp: 1_690_000_000_000 },
      _user_ltv_revenue: { value: 12.5, set_timestamp: 1 },
      _user_ltv_currency: { value: 'USD', set_timestamp: 1 },
      age: { value: 30, set_timestamp: 1_699_999_000_000 },
      tags: { value: ['a', 'b'], set_timestamp: 1_699_999_000_000 },
    },
  });

  it('makes a user row from a profile-set event: ids, typed properties, lifetime value', () => {
    const [row] = flattenRecord(sinkRecordBytes([profileSet], { gzip })).rows.user;
    expect(row).toMatchObject({
      event_timestamp: 1_700_000_000_000,
      user_id: 'u-42',
      user_pseudo_id: 'pseudo-1',
      user_first_touch_timestamp: 1_690_000_000_000,
      _first_visit_date: '2023-07-22',
      user_ltv: { revenue: 12.5, currency: 'USD' },
      device_id_list: ['device-1'],
      event_id: 'p-1',
      event_name: '_profile_set',
    });
    expect(row?.user_properties).toContainEqual({
      key: 'age',
      value: {
        double_value: null,
        float_value: null,
        int_value: 30,
        string_value: null,
        set_timestamp_micros: 1_699_999_000_000_000,
      },
    });
    expect(row?.user_properties?.find((property) => property.key === 'tags')?.value?.string_value).toBe(
      '["a","b"]',
    );
    expect(row?.user_properties?.map((property) => property.key)).not.toContain('_user_ltv_revenue');
  });

  it('takes user_id for the event table from user._user_id.value, and makes no user row for other events', () => {
    const flat = flattenRecord(sinkRecordBytes([{ ...profileSet, event_type: 'button_click' }], { gzip }));
    expect(flat.rows.event[0]?.user_id).toBe('u-42');
    expect(flat.rows.event[0]?.user_pseudo_id).toBe('pseudo-1');
    expect(flat.rows.user).toEqual([]);
  });

  it('makes one item row per item with an id, its other fields as typed properties', () => {
    const items = [
      { id: 'sku-1', name: 'Classic coat-rack', category: 'housewares', price: 167, quantity: 2 },
      { name: 'no id' },
      'not an item',
    ];
    const flat = flattenRecord(sinkRecordBytes([event({ items })], { gzip }));
    expect(flat.rows.item).toHaveLength(1);
    expect(flat.rows.item[0]).toMatchObject({
      id: 'sku-1',
      event_id: 'e-1',
      event_timestamp: 1_700_000_000_000,
    });
    expect(flat.rows.item[0]?.properties?.map((property) => property.key)).toEqual([
      'name',
      'category',
      'price',
      'quantity',
    ]);
    expect(flat.rows.event[0]?.items).toEqual([
      { id: 'sku-1', quantity: 2, price: 167, currency: null, creative_name: null, creative_slot: null },
      { id: null, quantity: null, price: null, currency: null, creative_name: null, creative_slot: null },
    ]);
  });
});

describe('what the flattener skips', () => {
  it('skips elements that are not usable events and keeps the others', () => {
    const elements = [
      0,
      'x',
      null,
      [],
      {},
      event({ event_id: undefined }),
      event({ timestamp: '1700000000000' }),
      event(),
    ];
    const flat = flattenRecord(sinkRecordBytes(elements));
    expect(flat.rows.event.map((row) => row.event_id)).toEqual(['e-1']);
    expect(flat.stats).toMatchObject({ elements: 8, flattened: 1, unusable: 7, problem: null });
  });

  it('yields no rows, but the exact line, for a record it cannot read', () => {
    for (const bytes of [
      Buffer.from('not json'),
      Buffer.from('[1]'),
      sinkRecordBytes('[1', { gzip: true }),
    ]) {
      const flat = flattenRecord(bytes);
      expect(flat.line.toString()).toBe(`${bytes.toString()}\n`);
      expect(flat.rows.event).toEqual([]);
      expect(flat.stats.problem).not.toBeNull();
    }
    const garbage = Buffer.from(JSON.stringify({ appId: 'a', ingest_time: 1, data: 'not base64 gzip' }));
    expect(flattenRecord(garbage).stats.problem).toMatch(/cannot be decoded/);
  });

  it('stops building rows at the per-record budget and counts the events it left out', () => {
    const attributes = Object.fromEntries(Array.from({ length: 50 }, (_, index) => [`a${index}`, index]));
    const events = Array.from({ length: 10 }, (_, index) => event({ event_id: `e-${index}`, attributes }));
    const flat = flattenRecord(sinkRecordBytes(events), { maxRowsPerRecord: 200 });
    expect(flat.rows.event).toHaveLength(3);
    expect(flat.rows.event_parameter).toHaveLength(150);
    expect(flat.stats).toMatchObject({ flattened: 3, overBudget: 7 });
  });

  it('reads records written before and after the record rewrite alike (client_timestamp, ip)', () => {
    const before = flattenRecord(sinkRecordBytes([event()], { clientTimestamp: '1700000000123', ip: null }));
    const after = flattenRecord(sinkRecordBytes([event()], { clientTimestamp: 1700000000123, ip: '' }));
    expect(before.rows.event[0]?.ip).toBeNull();
    expect(after.rows.event[0]?.ip).toBeNull();
    expect(after.rows.event).toEqual(before.rows.event);
  });
});
