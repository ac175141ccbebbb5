import { describe, expect, it } from 'vitest';
import { eventLines, type RequestSummary, rejectedBodyLine } from '../../../lambda/core/quarantine';
import {
  type AcceptedEvent,
  BODY_PREVIEW_CHARS,
  matches,
  quarantineLines,
  recordEvents,
} from '../../../local/inspector/items';
import { type SinkRecordOptions, sinkRecordBytes } from '../../support/sink-records';

/** Reading what the collector stored into the inspector's items. */

const RID = '0123456789abcdef0123456789abcdef';

const record = (data: string | readonly unknown[], options: SinkRecordOptions = {}): Buffer =>
  sinkRecordBytes(data, {
    appId: 'shop',
    rid: RID,
    platform: 'Web',
    receivedAt: Date.parse('2024-06-27T06:19:45.123Z'),
    ...options,
  });

describe('recordEvents', () => {
  it('gives each event of a record with the record’s appId, rid, time and platform', () => {
    const events = [{ event_type: 'click', event_id: 'e1' }, { event_type: 'view' }];
    const batch = recordEvents(record(events), 'stream', 0);

    expect(batch?.receivedAt).toBe(1_719_469_185_123);
    expect(batch?.items.map((entry) => entry.value)).toEqual([
      {
        appId: 'shop',
        rid: RID,
        receivedAt: '2024-06-27T06:19:45.123Z',
        platform: 'Web',
        eventType: 'click',
        eventId: 'e1',
        source: 'stream',
        event: events[0],
      },
      expect.objectContaining({ eventType: 'view', eventId: null, event: events[1] }),
    ]);
  });

  it('decodes base64 gzip text when the record says compression gzip', () => {
    const batch = recordEvents(record([{ event_type: 'gz' }], { gzip: true }), 'fallback', 0);

    expect(batch?.items.map((entry) => entry.value)).toEqual([
      expect.objectContaining({ eventType: 'gz', source: 'fallback' }),
    ]);
  });

  it('gives null for what is not a collector record', () => {
    expect(recordEvents(Buffer.from('not json'), 'stream', 0)).toBeNull();
    expect(recordEvents(Buffer.from('[1,2]'), 'stream', 0)).toBeNull();
    expect(recordEvents(record('not json either'), 'stream', 0)).toBeNull();
    // A body that is not an array is refused with 400, so no record carries a single event object.
    expect(recordEvents(record('{"event_type":"one"}'), 'stream', 0)).toBeNull();
  });

  it('falls back to the ISO timestamp, then the arrival time, for the receive time', () => {
    expect(recordEvents(record('[]', { fields: { ingest_time: null } }), 'stream', 5)?.receivedAt).toBe(
      Date.parse('2024-06-27T06:19:45.123Z'),
    );
    expect(
      recordEvents(record('[]', { fields: { ingest_time: null, timestamp: null } }), 'stream', 5)?.receivedAt,
    ).toBe(5);
  });
});

describe('quarantineLines', () => {
  // The lines as the collector writes them.
  const request: RequestSummary = {
    rid: RID,
    appId: 'shop',
    receivedAt: Date.parse('2024-06-27T06:19:45.123Z'),
    method: 'POST',
    uri: '/collect?appId=shop',
    ip: '203.0.113.9',
    ua: null,
    compression: null,
  };
  const common = { rid: RID, app_id: 'shop', received_at: '2024-06-27T06:19:45.123Z', ingest_time: 1_000 };

  it('reads invalid events with their reasons, position and parsed event text', () => {
    const [line] = eventLines(request, [
      {
        kind: 'invalid_event',
        index: 2,
        text: '{"event_type":"buy"}',
        value: { event_type: 'buy' },
        reasons: ['event_id: required'],
      },
    ]);
    const batch = quarantineLines(`${line}\n`, 0);

    expect(batch.receivedAt).toBe(request.receivedAt);
    expect(batch.items.map((entry) => entry.value)).toEqual([
      {
        kind: 'invalid_event',
        appId: 'shop',
        rid: RID,
        receivedAt: '2024-06-27T06:19:45.123Z',
        uri: '/collect?appId=shop',
        eventType: 'buy',
        eventId: null,
        index: 2,
        error: null,
        reasons: ['event_id: required'],
        event: { event_type: 'buy' },
        body: null,
        bodyBase64: null,
        bodyTruncated: false,
      },
    ]);
  });

  it('keeps the start of a long rejected body and says it was cut', () => {
    const body = Buffer.from('x'.repeat(BODY_PREVIEW_CHARS + 10));
    const line = rejectedBodyLine(request, { code: 'invalid_json', reason: 'bad', body });
    const [entry] = quarantineLines(line, 0).items;

    expect(entry?.value.body).toHaveLength(BODY_PREVIEW_CHARS);
    expect(entry?.value.bodyTruncated).toBe(true);
    expect(entry?.value.index).toBeNull();
  });

  it('skips lines that are not quarantine lines', () => {
    const text = [
      'garbage',
      '{"kind":"other"}',
      '',
      JSON.stringify({ ...common, kind: 'oversized_event', event: '{}' }),
    ].join('\n');

    expect(quarantineLines(text, 0).items.map((entry) => entry.value.kind)).toEqual(['oversized_event']);
  });
});

describe('matches', () => {
  const item: AcceptedEvent = {
    appId: 'shop',
    rid: RID,
    receivedAt: null,
    platform: null,
    eventType: 'click',
    eventId: null,
    source: 'stream',
    event: {},
  };

  it('matches on every given filter and ignores absent ones', () => {
    expect(matches({})(item)).toBe(true);
    expect(matches({ appId: 'shop', eventType: 'click', rid: RID })(item)).toBe(true);
    expect(matches({ appId: 'other' })(item)).toBe(false);
    expect(matches({ eventType: 'view' })(item)).toBe(false);
    expect(matches({ rid: 'f'.repeat(32) })(item)).toBe(false);
  });
});
