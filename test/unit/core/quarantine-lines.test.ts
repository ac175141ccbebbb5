import { describe, expect, it } from 'vitest';
import { eventLines, type RequestSummary, rejectedBodyLine } from '../../../lambda/core/quarantine';
import { QUARANTINE_TABLE } from '../../../lambda/tables/catalog';

const request: RequestSummary = {
  rid: '0123456789abcdef0123456789abcdef',
  appId: 'shop',
  receivedAt: Date.UTC(2024, 5, 27),
  method: 'POST',
  uri: '/collect?appId=shop',
  ip: '203.0.113.7',
  ua: null,
  compression: null,
};
const columns = QUARANTINE_TABLE.columns.map((column) => column.name);

describe('quarantine lines', () => {
  it('have exactly the columns of the quarantine table, in its order', () => {
    const [event] = eventLines(request, [
      { kind: 'invalid_event', index: 3, text: '{"x":1}', value: { x: 1 }, reasons: ['event_id: required'] },
    ]);
    const body = rejectedBodyLine(request, {
      code: 'invalid_json',
      reason: 'not JSON',
      body: Buffer.from('{'),
    });
    expect(Object.keys(JSON.parse(event ?? '{}'))).toEqual(columns);
    expect(Object.keys(JSON.parse(body))).toEqual(columns);
  });

  it('keep a rejected body that is not UTF-8 as base64, byte for byte', () => {
    const bytes = Buffer.from([0x5b, 0xff, 0xfe, 0x5d]);
    const line = JSON.parse(rejectedBodyLine(request, { code: 'invalid_utf8', reason: 'bad', body: bytes }));
    expect(line).toMatchObject({ body: null, body_base64: bytes.toString('base64') });
  });

  it('keep a leading byte order mark of a rejected body', () => {
    const line = JSON.parse(
      rejectedBodyLine(request, { code: 'invalid_json', reason: 'x', body: Buffer.from('\ufeff[') }),
    );
    expect(line.body).toBe('\ufeff[');
  });

  it('keep only the first reason of each event after the first 100 of a request', () => {
    const events = Array.from({ length: 102 }, (_, index) => ({
      kind: 'invalid_event' as const,
      index,
      text: '0',
      value: 0,
      reasons: ['a', 'b'],
    }));
    const lines = eventLines(request, events).map((line) => JSON.parse(line).reasons);
    expect(lines[99]).toEqual(['a', 'b']);
    expect(lines[100]).toEqual(['a']);
  });
});
