import { describe, expect, it } from 'vitest';
import { buildRecord, planRecords, type RecordContext } from '../../../lambda/core/record';
import { sampleBatch, sampleEvent } from '../../support/events';
import { CONTRACT_FIELDS } from '../../support/record-schema';

const context: RecordContext = {
  appId: 'test_app',
  rid: '0123456789abcdef0123456789abcdef',
  receivedAt: Date.UTC(2024, 5, 27, 6, 19, 45, 123),
  ip: '101.188.67.134',
  ua: null,
  method: 'POST',
  path: '/collect',
  uri: '/collect?appId=test_app',
  platform: null,
  clientTimestamp: null,
};

describe('the sink record', () => {
  it('has every contract field, in order, with nulls for what is missing', () => {
    const record = buildRecord(context, '[]', null);
    expect(Object.keys(record)).toEqual([...CONTRACT_FIELDS]);
    expect(record).toMatchObject({
      date: '2024-06-27T06:19:45+00:00',
      timestamp: '2024-06-27T06:19:45.123Z',
      ingest_time: context.receivedAt,
      server_ingest_time: context.receivedAt,
      ua: null,
      platform: null,
      client_timestamp: null,
      source_type: 'http_server',
    });
  });
});

describe('planRecords', () => {
  it('makes one record whose data is the body as received when it fits', () => {
    const text = JSON.stringify(sampleBatch(3));
    const plan = planRecords(context, { text, compression: null }, JSON.parse(text), 1_048_576);
    expect(plan.records).toHaveLength(1);
    expect(JSON.parse(plan.records[0]?.data.toString() as string).data).toBe(text);
    expect(plan.records[0]?.partitionKey).toBe(context.rid);
  });

  it('makes no record for an empty batch', () => {
    expect(planRecords(context, { text: '[]', compression: null }, [], 1_048_576).records).toEqual([]);
  });

  it('splits a request over several records, each within the limit and valid on its own', () => {
    const events = sampleBatch(300, { attributes: { text: 'quote " and \\ backslash '.repeat(20) } });
    const text = JSON.stringify(events);
    const limit = 64 * 1024;
    const plan = planRecords(context, { text, compression: null }, events, limit);
    expect(plan.records.length).toBeGreaterThan(1);
    const carried: unknown[] = [];
    for (const record of plan.records) {
      expect(record.data.length + record.partitionKey.length).toBeLessThanOrEqual(limit);
      const parsed = JSON.parse(record.data.toString());
      expect(parsed).toMatchObject({ compression: null, rid: context.rid, appId: 'test_app' });
      const part = JSON.parse(parsed.data);
      expect(record.eventCount).toBe(part.length);
      carried.push(...part);
    }
    expect(carried).toEqual(events);
  });

  it('fills records close to the limit rather than splitting into tiny ones', () => {
    const events = sampleBatch(400);
    const limit = 32 * 1024;
    const plan = planRecords(context, null, events, limit);
    const total = plan.records.reduce((sum, record) => sum + record.data.length, 0);
    expect(plan.records.length).toBeLessThanOrEqual(Math.ceil(total / (limit * 0.9)));
  });

  it('sets aside an event too large for any record', () => {
    const huge = sampleEvent({ attributes: { pad: 'x'.repeat(40_000) } });
    const small = sampleEvent();
    const plan = planRecords(context, null, [huge, small], 32 * 1024);
    expect(plan.oversized).toEqual([huge]);
    expect(JSON.parse(JSON.parse(plan.records[0]?.data.toString() as string).data)).toEqual([small]);
  });
});
