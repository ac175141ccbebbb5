import { describe, expect, it } from 'vitest';
import { buildRecord, type RecordContext } from '../../../lambda/core/records/record';
import { parseFallbackRecords, splitNdjson } from '../../../scripts/replay/ndjson';

const context: RecordContext = {
  appId: 'test_app',
  rid: '0123456789abcdef0123456789abcdef',
  receivedAt: Date.UTC(2024, 5, 27, 6, 19, 45, 123),
  ip: '101.188.67.134',
  ua: 'Mozilla/5.0 "quoted" \u00e9',
  method: 'POST',
  path: '/collect',
  uri: '/collect?appId=test_app',
  platform: 'Web',
  clientTimestamp: 1719469185000,
};

const line = (rid: string) => JSON.stringify(buildRecord({ ...context, rid }, '[{"event_id":"e1"}]', null));

describe('NDJSON splitting', () => {
  it('returns the exact bytes of each line, without the newline', () => {
    const body = Buffer.from(`${line('a'.repeat(32))}\n${line('b'.repeat(32))}\n`);
    expect(splitNdjson(body).map((part) => part.toString('utf8'))).toEqual([
      line('a'.repeat(32)),
      line('b'.repeat(32)),
    ]);
  });

  it('keeps a last line that has no trailing newline', () => {
    expect(splitNdjson(Buffer.from('{"rid":"x"}\n{"rid":"y"}')).map(String)).toEqual([
      '{"rid":"x"}',
      '{"rid":"y"}',
    ]);
  });

  it('drops blank lines', () => {
    expect(splitNdjson(Buffer.from('\n{"rid":"x"}\n \n\n')).map(String)).toEqual(['{"rid":"x"}']);
  });

  it('finds nothing in an empty body', () => {
    expect(splitNdjson(Buffer.alloc(0))).toEqual([]);
  });
});

describe('fallback records', () => {
  it('turns each line into a stream record keyed by its rid, carrying the line byte for byte', () => {
    const rid = 'c'.repeat(32);
    const { records, errors } = parseFallbackRecords(Buffer.from(`${line(rid)}\n`));
    expect(errors).toEqual([]);
    expect(records).toHaveLength(1);
    expect(records[0]?.partitionKey).toBe(rid);
    expect(records[0]?.data.equals(Buffer.from(line(rid)))).toBe(true);
  });

  it('reports each line that is not a record with a rid, by position', () => {
    const body = Buffer.from(`${line('d'.repeat(32))}\nnot json\n[1]\n{"rid":""}\n{"appId":"x"}\n`);
    const { records, errors } = parseFallbackRecords(body);
    expect(records).toHaveLength(1);
    expect(errors).toEqual([
      'record 2: not JSON',
      'record 3: not a JSON object',
      'record 4: no string "rid" to use as partition key',
      'record 5: no string "rid" to use as partition key',
    ]);
  });

  it('refuses a rid longer than a Kinesis partition key', () => {
    const { errors } = parseFallbackRecords(Buffer.from(JSON.stringify({ rid: 'r'.repeat(257) })));
    expect(errors).toEqual(['record 1: "rid" is longer than a partition key may be']);
  });
});
