import { KinesisClient, PutRecordsCommand } from '@aws-sdk/client-kinesis';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';
import type { EncodedRecord } from '../../../lambda/core/records/record';
import { batchForPutRecords, KinesisStream } from '../../../lambda/sinks/kinesis-stream';

const kinesis = mockClient(KinesisClient);
afterEach(() => kinesis.reset());

const record = (id: number, size = 10): EncodedRecord => ({
  partitionKey: `key-${id}`,
  data: Buffer.alloc(size, id % 256),
  eventCount: 1,
});
const sentKeys = (call: number) =>
  (kinesis.commandCalls(PutRecordsCommand)[call]?.args[0].input.Records ?? []).map(
    (entry) => entry.PartitionKey,
  );
const fastBackoff = { baseMs: 1, capMs: 5 };

describe('KinesisStream', () => {
  it('retries only the records that a partial failure refused', async () => {
    kinesis
      .on(PutRecordsCommand)
      .resolvesOnce({
        FailedRecordCount: 1,
        Records: [
          { SequenceNumber: '1', ShardId: 's' },
          { ErrorCode: 'ProvisionedThroughputExceededException' },
          { SequenceNumber: '3', ShardId: 's' },
        ],
      })
      .resolves({ FailedRecordCount: 0, Records: [{ SequenceNumber: '4', ShardId: 's' }] });
    const stream = new KinesisStream(new KinesisClient({}), 'stream', fastBackoff);
    const result = await stream.put([record(1), record(2), record(3)], Date.now() + 5_000);
    expect(result).toEqual({ failed: [], retries: 1 });
    expect(sentKeys(0)).toEqual(['key-1', 'key-2', 'key-3']);
    expect(sentKeys(1)).toEqual(['key-2']);
  });

  it('gives back what is still refused when the time budget runs out', async () => {
    kinesis
      .on(PutRecordsCommand)
      .resolves({ FailedRecordCount: 1, Records: [{ ErrorCode: 'ProvisionedThroughputExceededException' }] });
    const stream = new KinesisStream(new KinesisClient({}), 'stream', fastBackoff);
    const started = Date.now();
    const result = await stream.put([record(1)], started + 100);
    expect(result.failed.map((failed) => failed.partitionKey)).toEqual(['key-1']);
    expect(result.retries).toBeGreaterThan(0);
    expect(kinesis.commandCalls(PutRecordsCommand).length).toBeGreaterThan(1);
  });

  it('retries a whole call that failed', async () => {
    kinesis
      .on(PutRecordsCommand)
      .rejectsOnce(Object.assign(new Error('socket hang up'), { name: 'TimeoutError' }))
      .resolves({ FailedRecordCount: 0, Records: [{ SequenceNumber: '1', ShardId: 's' }] });
    const stream = new KinesisStream(new KinesisClient({}), 'stream', fastBackoff);
    expect(await stream.put([record(1)], Date.now() + 5_000)).toEqual({ failed: [], retries: 1 });
  });

  it('does not retry an error that retrying cannot fix', async () => {
    kinesis
      .on(PutRecordsCommand)
      .rejects(Object.assign(new Error('no such stream'), { name: 'ResourceNotFoundException' }));
    const stream = new KinesisStream(new KinesisClient({}), 'stream', fastBackoff);
    const result = await stream.put([record(1)], Date.now() + 5_000);
    expect(result.failed).toHaveLength(1);
    expect(kinesis.commandCalls(PutRecordsCommand)).toHaveLength(1);
  });
});

describe('batchForPutRecords', () => {
  it('keeps each call within 500 records', () => {
    const batches = batchForPutRecords(Array.from({ length: 1_201 }, (_, id) => record(id)));
    expect(batches.map((batch) => batch.length)).toEqual([500, 500, 201]);
  });

  it('keeps each call within 5 MiB including partition keys', () => {
    const batches = batchForPutRecords(Array.from({ length: 12 }, (_, id) => record(id, 1_000_000)));
    expect(batches.map((batch) => batch.length)).toEqual([5, 5, 2]);
  });
});
