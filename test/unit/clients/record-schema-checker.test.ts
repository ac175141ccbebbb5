import { describe, expect, it } from 'vitest';
import {
  decodeRecordEvents,
  ingestionSchemaProblems,
  readAsLong,
  recordContractProblems,
  type SinkRecord,
} from '../../support/record-schema';
import { SAMPLE_RECEIVED_AT, sinkRecord } from '../../support/sink-records';

/**
 * The checker the client tests rely on (test/support/record-schema.ts): it must pass a record
 * shaped as the record contract says and name what is wrong otherwise, or the client tests prove nothing.
 */

/** A record as the contract says, with `fields` set over it. */
function goodRecord(fields: SinkRecord = {}): SinkRecord {
  return sinkRecord('[{"event_id":"e1"}]', { clientTimestamp: SAMPLE_RECEIVED_AT - 123, fields });
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
    const record = sinkRecord(events, { gzip: true, clientTimestamp: SAMPLE_RECEIVED_AT - 123 });
    expect(record.compression).toBe('gzip');
    expect(decodeRecordEvents(record)).toEqual(events);
  });
});
