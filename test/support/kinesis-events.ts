import type { KinesisStreamEvent } from 'aws-lambda';
import type { StreamRecord } from '../../local/shard-reader';

/**
 * The event a Kinesis event source mapping sends to the archive consumer, built from records read
 * from the Kinesis emulator: what Lambda's poller does with GetRecords before invoking.
 */
export function kinesisStreamEvent(
  records: readonly StreamRecord[],
  streamArn = 'arn:aws:kinesis:us-east-1:123456789012:stream/clickstream-test',
): KinesisStreamEvent {
  return {
    Records: records.map((record) => ({
      kinesis: {
        kinesisSchemaVersion: '1.0',
        partitionKey: record.partitionKey,
        sequenceNumber: record.sequenceNumber,
        data: Buffer.from(record.data).toString('base64'),
        approximateArrivalTimestamp: record.arrivedAt.getTime() / 1000,
      },
      eventSource: 'aws:kinesis',
      eventVersion: '1.0',
      eventID: `${record.shardId}:${record.sequenceNumber}`,
      eventName: 'aws:kinesis:record',
      invokeIdentityArn: 'arn:aws:iam::123456789012:role/archive-consumer',
      awsRegion: 'us-east-1',
      eventSourceARN: streamArn,
    })),
  };
}
