import { describe, expect, it } from 'vitest';
import {
  archiveObjectKey,
  archivePartition,
  planArchiveObjects,
  toNdjsonLine,
} from '../../../local/archive-layout';

const record = (json: string, arrivedAt: string) => ({
  data: Buffer.from(json),
  arrivedAt: new Date(arrivedAt),
});
const writtenAt = new Date('2024-06-27T07:00:01.002Z');

describe('archive layout', () => {
  it('partitions by the UTC year, month, day and hour with zero padding', () => {
    expect(archivePartition('archive/', new Date('2024-01-02T03:04:05Z'))).toBe(
      'archive/year=2024/month=01/day=02/hour=03/',
    );
  });

  it('names an object <time>-<n>.json.gz inside its partition', () => {
    expect(archiveObjectKey('archive/year=2024/month=06/day=27/hour=06/', writtenAt, 7)).toBe(
      'archive/year=2024/month=06/day=27/hour=06/20240627T070001002Z-000007.json.gz',
    );
  });

  it('writes each record as one line ending in exactly one newline', () => {
    expect(toNdjsonLine(Buffer.from('{"a":1}')).toString()).toBe('{"a":1}\n');
    expect(toNdjsonLine(Buffer.from('{"a":1}\r\n\n')).toString()).toBe('{"a":1}\n');
  });

  it('puts records of different arrival hours into different partitions, in arrival order', () => {
    const objects = planArchiveObjects(
      [
        record('{"n":1}', '2024-06-27T06:59:59.900Z'),
        record('{"n":2}', '2024-06-27T07:00:00.100Z'),
        record('{"n":3}', '2024-06-27T06:59:59.950Z'),
      ],
      { prefix: 'archive/', writtenAt, firstNumber: 1 },
    );
    expect(objects.map((object) => [object.key, object.body.toString()])).toEqual([
      ['archive/year=2024/month=06/day=27/hour=06/20240627T070001002Z-000001.json.gz', '{"n":1}\n{"n":3}\n'],
      ['archive/year=2024/month=06/day=27/hour=07/20240627T070001002Z-000002.json.gz', '{"n":2}\n'],
    ]);
  });

  it('starts another object when the next record would pass the size limit', () => {
    const records = ['{"n":1}', '{"n":2}', '{"n":3}'].map((json) => record(json, '2024-06-27T06:00:00Z'));
    const objects = planArchiveObjects(records, {
      prefix: '',
      writtenAt,
      firstNumber: 5,
      maxObjectBytes: 16,
    });
    expect(objects.map((object) => object.recordCount)).toEqual([2, 1]);
    expect(objects.map((object) => object.key.slice(-14))).toEqual(['000005.json.gz', '000006.json.gz']);
  });

  it('gives a record larger than the limit an object of its own', () => {
    const objects = planArchiveObjects([record('{"big":"xxxxxxxxxxxxxxxx"}', '2024-06-27T06:00:00Z')], {
      prefix: '',
      writtenAt,
      firstNumber: 1,
      maxObjectBytes: 4,
    });
    expect(objects).toHaveLength(1);
  });

  it('plans nothing for no records', () => {
    expect(planArchiveObjects([], { prefix: 'archive/', writtenAt, firstNumber: 1 })).toEqual([]);
  });
});
