import { gunzipSync } from 'node:zlib';
import {
  GetRecordsCommand,
  GetShardIteratorCommand,
  KinesisClient,
  ListShardsCommand,
} from '@aws-sdk/client-kinesis';
import { GetObjectCommand, ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import { decodeRecordEvents } from './record-schema';

/** Reads back what reached the emulators, the way a downstream consumer would. */

const credentials = { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' };

function emulatorKinesis(endpoint: string): KinesisClient {
  return new KinesisClient({
    endpoint,
    region: 'us-east-1',
    credentials,
    requestHandler: new NodeHttpHandler(),
  });
}

export function emulatorS3(endpoint: string): S3Client {
  return new S3Client({ endpoint, region: 'us-east-1', credentials, forcePathStyle: true });
}

/** Every record on every shard of the stream, from the beginning, parsed as JSON. */
export async function readStream(
  endpoint: string,
  streamName: string,
): Promise<Array<Record<string, unknown>>> {
  const kinesis = emulatorKinesis(endpoint);
  const { Shards = [] } = await kinesis.send(new ListShardsCommand({ StreamName: streamName }));
  const records: Array<Record<string, unknown>> = [];
  for (const shard of Shards) {
    let { ShardIterator } = await kinesis.send(
      new GetShardIteratorCommand({
        StreamName: streamName,
        ShardId: shard.ShardId,
        ShardIteratorType: 'TRIM_HORIZON',
      }),
    );
    while (ShardIterator) {
      const page = await kinesis.send(new GetRecordsCommand({ ShardIterator, Limit: 10_000 }));
      for (const record of page.Records ?? [])
        records.push(JSON.parse(Buffer.from(record.Data ?? []).toString('utf8')));
      if ((page.Records ?? []).length === 0 || page.MillisBehindLatest === 0) break;
      ShardIterator = page.NextShardIterator;
    }
  }
  kinesis.destroy();
  return records;
}

export interface StoredObjectText {
  readonly key: string;
  readonly text: string;
}

/** Every object under `prefix`, gunzipped when it is gzip. */
export async function readObjects(
  endpoint: string,
  bucket: string,
  prefix: string,
): Promise<StoredObjectText[]> {
  const s3 = emulatorS3(endpoint);
  const listed = await s3.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix }));
  const objects: StoredObjectText[] = [];
  for (const { Key } of listed.Contents ?? []) {
    if (Key === undefined) continue;
    const object = await s3.send(new GetObjectCommand({ Bucket: bucket, Key }));
    const bytes = Buffer.from(
      await (object.Body?.transformToByteArray() ?? Promise.resolve(new Uint8Array())),
    );
    const text =
      bytes[0] === 0x1f && bytes[1] === 0x8b ? gunzipSync(bytes).toString('utf8') : bytes.toString('utf8');
    objects.push({ key: Key, text });
  }
  s3.destroy();
  return objects;
}

/** The events a record carries, whatever its encoding (plain JSON or base64 gzip text). */
export function eventsOfRecord(record: Record<string, unknown>): Array<Record<string, unknown>> {
  return decodeRecordEvents(record) as Array<Record<string, unknown>>;
}
