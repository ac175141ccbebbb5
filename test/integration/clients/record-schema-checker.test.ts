import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import {
  decodeRecordEvents,
  ingestionSchemaProblems,
  readAsLong,
  recordContractProblems,
  type SinkRecord,
} from '../../support/record-schema';

/**
 * The checker the client tests rely on (test/support/record-schema.ts): it must pass a record
 * shaped as the record contract says and name what is wrong otherwise, or the client tests prove nothing.
 */

function goodRecord(overrides: SinkRecord = {}): SinkRecord {
  return {
    appId: 'test_app',
    compression: null,
    data: '[{"event_id":"e1"}]',
    date: '2024-06-27T06:19:45+00:00',
    timestamp: '2024-06-27T06:19:45.123Z',
    ingest_time: 1_719_469_185_123,
    server_ingest_time: 1_719_469_185_123,
    client_timestamp: 1_719_469_185_000,
    ip: '101.188.67.134',
    ua: 'curl/8.5.0',
    method: 'POST',
    path: '/collect',
    uri: '/collect?appId=test_app',
    platform: 'Android',
    rid: '0123456789abcdef0123456789abcdef',
    source_type: 'http_server',
    ...overrides,
  };
}

describe('record schema checker', () => {
  it('finds no problem in a record that follows the contract', () => {
    expect(recordContractProblems(goodRecord())).toEqual([]);
    expect(ingestionSchemaProblems(goodRecord())).toEqual([]);
  });

  it('reports a contract field that is absent instead of null', () => {
    const { ua: _dropped, ...withoutUa } = goodRecord();
    expect(recordContractProblems(withoutUa)).toContain('ua: missing (missing values must be null)');
  });

  it('reports client_timestamp written as a string, which a long-typed reader reads as null', () => {
    expect(recordContractProblems(goodRecord({ client_timestamp: '1719469185000' })).join()).toMatch(
      /^client_timestamp:/,
    );
    expect(ingestionSchemaProblems(goodRecord({ client_timestamp: '1719469185000' }))).toEqual([
      'client_timestamp: a long-typed reader rejects "1719469185000"',
    ]);
  });

  it('reports an ip that is null or longer than any address', () => {
    expect(recordContractProblems(goodRecord({ ip: null })).join()).toMatch(/^ip:/);
    expect(recordContractProblems(goodRecord({ ip: `fe80::1%${'x'.repeat(900)}` })).join()).toMatch(/^ip:/);
  });

  it('reports a string field holding another JSON type', () => {
    expect(ingestionSchemaProblems(goodRecord({ platform: 7 }))).toEqual([
      'platform: expected a string or null, got 7',
    ]);
  });

  it('reads integral numbers in the int64 range as longs, and nothing else', () => {
    expect(readAsLong('1719469185000')).toBeUndefined();
    expect(readAsLong(1_719_469_185_000)).toBe(1_719_469_185_000n);
    expect(readAsLong(null)).toBeNull();
    expect(readAsLong('9223372036854775808')).toBeUndefined();
    expect(readAsLong(1.5)).toBeUndefined();
    expect(readAsLong('12a')).toBeUndefined();
  });

  it('decodes the events of a base64 gzip record the way the data processing does', () => {
    const events = [{ event_id: 'e1' }, { event_id: 'e2' }];
    const data = gzipSync(Buffer.from(JSON.stringify(events))).toString('base64');
    expect(decodeRecordEvents(goodRecord({ compression: 'gzip', data }))).toEqual(events);
  });
});
