import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { describeEventTypes, formatRecordLine, summarizeRecord } from '../../../local/record-summary';

const events = [
  { event_type: 'button_click', event_id: '1' },
  { event_type: 'item_view', event_id: '2' },
];

function sinkRecord(fields: Record<string, unknown>): Buffer {
  return Buffer.from(
    JSON.stringify({
      appId: 'test_release',
      compression: null,
      timestamp: '2024-06-27T06:19:45.123Z',
      rid: '0123456789abcdef0123456789abcdef',
      platform: 'Android',
      ...fields,
    }),
  );
}

describe('summarizeRecord', () => {
  it('reads the events of an uncompressed body', () => {
    const summary = summarizeRecord(sinkRecord({ data: JSON.stringify(events) }));
    expect(summary).toMatchObject({
      appId: 'test_release',
      eventCount: 2,
      eventTypes: ['button_click', 'item_view'],
    });
  });

  it('decodes a gzip body sent as base64 text when compression is gzip', () => {
    const data = gzipSync(JSON.stringify(events)).toString('base64');
    const summary = summarizeRecord(sinkRecord({ data, compression: 'gzip' }));
    expect(summary.eventTypes).toEqual(['button_click', 'item_view']);
    expect(summary.problem).toBeNull();
  });

  it('reads data that is already an event array', () => {
    expect(summarizeRecord(sinkRecord({ data: events })).eventCount).toBe(2);
  });

  it('counts a single event object as one event', () => {
    expect(summarizeRecord(sinkRecord({ data: JSON.stringify(events[0]) })).eventCount).toBe(1);
  });

  it('reports undecodable data instead of throwing', () => {
    const summary = summarizeRecord(sinkRecord({ data: 'not-base64-gzip', compression: 'gzip' }));
    expect(summary.eventCount).toBeNull();
    expect(summary.problem).toMatch(/^cannot decode data/);
  });

  it('reports a record that is not JSON', () => {
    expect(summarizeRecord(Buffer.from('hello')).problem).toBe('record is not JSON');
  });
});

describe('formatRecordLine', () => {
  it('shows time, appId, rid, platform, event count and types on one line', () => {
    const line = formatRecordLine(summarizeRecord(sinkRecord({ data: JSON.stringify(events) })), new Date());
    expect(line).toBe(
      '2024-06-27T06:19:45.123Z test_release rid=0123456789abcdef0123456789abcdef Android 2 events: button_click, item_view',
    );
  });

  it('collapses repeated event types with a count', () => {
    expect(describeEventTypes(['a', 'b', 'a', 'a'])).toBe('a ×3, b');
  });
});
