import { gunzipSync } from 'node:zlib';
import { GetObjectCommand, ListObjectsV2Command } from '@aws-sdk/client-s3';
import { ShardReader, type StreamRecord } from '../../local/shard-reader';
import { emulatorKinesis, emulatorS3 } from './emulator-clients';

/** Reads back what reached the emulators, the way a downstream consumer would. */

/** Every record on every shard of the stream, from the trim horizon until the shards are drained. */
export async function readStreamRecords(endpoint: string, streamName: string): Promise<StreamRecord[]> {
  const kinesis = emulatorKinesis(endpoint);
  try {
    const reader = new ShardReader(kinesis, streamName, 'TRIM_HORIZON');
    const all: StreamRecord[] = [];
    // kinesalite may answer an empty page before the end; two empty rounds in a row mean drained.
    let emptyRounds = 0;
    while (emptyRounds < 2) {
      const { records, behind } = await reader.read();
      all.push(...records);
      emptyRounds = records.length === 0 && !behind ? emptyRounds + 1 : 0;
    }
    return all;
  } finally {
    kinesis.destroy();
  }
}

/** Every record on every shard of the stream, from the beginning, parsed as JSON. */
export async function readStream(
  endpoint: string,
  streamName: string,
): Promise<Array<Record<string, unknown>>> {
  const records = await readStreamRecords(endpoint, streamName);
  return records.map((record) => JSON.parse(Buffer.from(record.data).toString('utf8')));
}

export interface StoredObjectText {
  readonly key: string;
  readonly text: string;
  /** Whether the object was stored gzip-compressed. */
  readonly gzip: boolean;
}

/** Every object under `prefix`, in key order, gunzipped when it is gzip. */
export async function readObjects(
  endpoint: string,
  bucket: string,
  prefix: string,
): Promise<StoredObjectText[]> {
  const s3 = emulatorS3(endpoint);
  try {
    const objects: StoredObjectText[] = [];
    let token: string | undefined;
    do {
      const page = await s3.send(
        new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix, ContinuationToken: token }),
      );
      for (const { Key } of page.Contents ?? []) {
        if (Key === undefined) continue;
        const object = await s3.send(new GetObjectCommand({ Bucket: bucket, Key }));
        const bytes = Buffer.from((await object.Body?.transformToByteArray()) ?? []);
        const gzip = bytes[0] === 0x1f && bytes[1] === 0x8b;
        objects.push({ key: Key, text: (gzip ? gunzipSync(bytes) : bytes).toString('utf8'), gzip });
      }
      token = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (token !== undefined);
    return objects;
  } finally {
    s3.destroy();
  }
}
