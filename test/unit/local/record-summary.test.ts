import { describe, expect, it } from 'vitest';
import { describeEventTypes, formatRecordLine, summarizeRecord } from '../../../local/record-summary';
import { type SinkRecordOptions, sinkRecordBytes } from '../../support/sink-records';

const events = [
  { event_type: 'button_click', event_id: '1' },
  { event_type: 'item_view', event_id: '2' },
];

const record = (data: string | readonly unknown[], options: SinkRecordOptions = {}): Buffer =>
  sinkRecordBytes(data, {
    appId: 'test_release',
    rid: '0123456789abcdef0123456789abcdef',
    platform: 'Android',
    receivedAt: Date.parse('2024-06-27T06:19:45.123Z'),
    ...options,
  });

describe('summarizeRecord', () => {
  it('reads the events of an uncompressed body', () => {
    const summary = summarizeRecord(record(events));
    expect(summary).toMatchObject({
      appId: 'test_release',
      eventCount: 2,
      eventTypes: ['button_click', 'item_view'],
    });
  });

  it('decodes a gzip body sent as base64 text when compression is gzip', () => {
    const summary = summarizeRecord(record(events, { gzip: true }));
    expect(summary.eventTypes).toEqual(['button_click', 'item_view']);
    expect(summary.problem).toBeNull();
  });

  it('reports data that is not the text of an event array, which the collector never writes', () => {
    for (const data of [events, events[0], JSON.stringify(events[0])]) {
      const summary = summarizeRecord(record('[]', { fields: { data } }));
      expect(summary.eventCount).toBeNull();
      expect(summary.problem).toMatch(/^cannot decode data/);
    }
  });

  it('reports undecodable data instead of throwing', () => {
    const summary = summarizeRecord(record('not-base64-gzip', { fields: { compression: 'gzip' } }));
    expect(summary.eventCount).toBeNull();
    expect(summary.problem).toMatch(/^cannot decode data/);
  });

  it('reports a record that is not JSON', () => {
    expect(summarizeRecord(Buffer.from('hello')).problem).toBe('record is not JSON');
  });
});

describe('formatRecordLine', () => {
  it('shows time, appId, rid, platform, event count and types on one line', () => {
    const line = formatRecordLine(summarizeRecord(record(events)), new Date());
    expect(line).toBe(
      '2024-06-27T06:19:45.123Z test_release rid=0123456789abcdef0123456789abcdef Android 2 events: button_click, item_view',
    );
  });

  it('collapses repeated event types with a count', () => {
    expect(describeEventTypes(['a', 'b', 'a', 'a'])).toBe('a ×3, b');
  });
});
