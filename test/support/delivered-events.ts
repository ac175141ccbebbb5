import { gunzipSync } from 'node:zlib';
import { GetObjectCommand, ListObjectsV2Command } from '@aws-sdk/client-s3';
import { createKinesisClient, createS3Client } from '../../local/aws-local-clients';
import { ShardReader } from '../../local/shard-reader';

/**
 * Reads back everything the collector stored — the whole stream and the fallback prefix — and
 * counts events by `event_id`, so a test can prove that every acknowledged event arrived (at
 * least once). Used by the reliability tests and `npm run soak`, against the local emulators.
 */

/** How many times each `event_id` was found. */
export type EventCounts = Map<string, number>;

interface StoredRecord {
  readonly compression?: unknown;
  readonly data?: unknown;
}

/** The events a sink record carries: its `data` is the body as sent (base64 gzip text when compressed). */
function eventIdsOfRecord(recordJson: string): string[] {
  const record = JSON.parse(recordJson) as StoredRecord;
  if (typeof record.data !== 'string') return [];
  const text =
    record.compression === 'gzip'
      ? gunzipSync(Buffer.from(record.data, 'base64')).toString('utf8')
      : record.data;
  const events: unknown = JSON.parse(text);
  if (!Array.isArray(events)) return [];
  return events.flatMap((event: unknown) => {
    const id = (event as { event_id?: unknown } | null)?.event_id;
    return typeof id === 'string' ? [id] : [];
  });
}

function count(into: EventCounts, ids: readonly string[]): void {
  for (const id of ids) into.set(id, (into.get(id) ?? 0) + 1);
}

export interface EmulatorTarget {
  readonly kinesisEndpoint: string;
  readonly s3Endpoint: string;
  readonly streamName: string;
  readonly bucket: string;
  /** @default 'fallback/' */
  readonly fallbackPrefix?: string;
}

/** Every event in the stream, read from the start of each shard until the shards are drained. */
export async function readStreamEvents(kinesisEndpoint: string, streamName: string): Promise<EventCounts> {
  const client = createKinesisClient({ endpoint: kinesisEndpoint, region: 'us-east-1', emulator: true });
  const counts: EventCounts = new Map();
  try {
    const reader = new ShardReader(client, streamName, 'TRIM_HORIZON');
    // kinesalite may answer an empty page before the end; two empty rounds in a row mean drained.
    let emptyRounds = 0;
    while (emptyRounds < 2) {
      const { records, behind } = await reader.read();
      for (const record of records)
        count(counts, eventIdsOfRecord(Buffer.from(record.data).toString('utf8')));
      emptyRounds = records.length === 0 && !behind ? emptyRounds + 1 : 0;
    }
    return counts;
  } finally {
    client.destroy();
  }
}

/** Every event in the fallback objects (gzip NDJSON of sink records) under `prefix`. */
async function readFallbackEvents(
  s3Endpoint: string,
  bucket: string,
  prefix = 'fallback/',
): Promise<EventCounts> {
  const client = createS3Client({ endpoint: s3Endpoint, region: 'us-east-1', emulator: true });
  const counts: EventCounts = new Map();
  try {
    let token: string | undefined;
    do {
      const page = await client.send(
        new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix, ContinuationToken: token }),
      );
      for (const entry of page.Contents ?? []) {
        // The deep health check writes a probe object inside the prefix; it holds no records.
        if (entry.Key === undefined || !entry.Key.endsWith('.ndjson.gz')) continue;
        const object = await client.send(new GetObjectCommand({ Bucket: bucket, Key: entry.Key }));
        const bytes = Buffer.from((await object.Body?.transformToByteArray()) ?? []);
        for (const line of gunzipSync(bytes).toString('utf8').split('\n')) {
          if (line.trim() !== '') count(counts, eventIdsOfRecord(line));
        }
      }
      token = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (token !== undefined);
    return counts;
  } finally {
    client.destroy();
  }
}

export interface DeliveredEvents {
  readonly stream: EventCounts;
  readonly fallback: EventCounts;
}

export async function readDeliveredEvents(target: EmulatorTarget): Promise<DeliveredEvents> {
  const [stream, fallback] = await Promise.all([
    readStreamEvents(target.kinesisEndpoint, target.streamName),
    readFallbackEvents(target.s3Endpoint, target.bucket, target.fallbackPrefix),
  ]);
  return { stream, fallback };
}

/** The acknowledged event IDs found neither in the stream nor in the fallback. */
export function missingEvents(acknowledged: Iterable<string>, delivered: DeliveredEvents): string[] {
  const missing: string[] = [];
  for (const id of acknowledged) {
    if (!delivered.stream.has(id) && !delivered.fallback.has(id)) missing.push(id);
  }
  return missing;
}
