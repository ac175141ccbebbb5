import { decodeRecordEvents } from './record-schema';
import { readObjects, readStreamRecords } from './stream-reader';

/**
 * Reads back everything the collector stored — the whole stream and the fallback prefix — and
 * counts events by `event_id`, so a test can prove that every acknowledged event arrived (at
 * least once). Used by the reliability tests and `npm run soak`, against the local emulators.
 */

/** How many times each `event_id` was found. */
export type EventCounts = Map<string, number>;

function countEvents(into: EventCounts, recordJson: string): void {
  for (const event of decodeRecordEvents(JSON.parse(recordJson))) {
    const id = (event as { event_id?: unknown } | null)?.event_id;
    if (typeof id === 'string') into.set(id, (into.get(id) ?? 0) + 1);
  }
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
  const counts: EventCounts = new Map();
  for (const record of await readStreamRecords(kinesisEndpoint, streamName)) {
    countEvents(counts, Buffer.from(record.data).toString('utf8'));
  }
  return counts;
}

/** Every event in the fallback objects (gzip NDJSON of sink records) under `prefix`. */
async function readFallbackEvents(
  s3Endpoint: string,
  bucket: string,
  prefix = 'fallback/',
): Promise<EventCounts> {
  const counts: EventCounts = new Map();
  for (const { key, text } of await readObjects(s3Endpoint, bucket, prefix)) {
    // The deep health check writes a probe object inside the prefix; it holds no records.
    if (!key.endsWith('.ndjson.gz')) continue;
    for (const line of text.split('\n')) if (line.trim() !== '') countEvents(counts, line);
  }
  return counts;
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
