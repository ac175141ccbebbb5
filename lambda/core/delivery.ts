import { gzipSync } from 'node:zlib';
import { ServiceUnavailableError } from './errors';
import { hourPartition } from './partition-path';
import type { ObjectStore, StreamSink } from './ports';
import type { EncodedRecord } from './records/record';

export interface DeliveryReport {
  readonly toStream: number;
  readonly toFallback: number;
  /** Events carried by the records that went to the fallback. */
  readonly eventsToFallback: number;
  readonly streamRetries: number;
}

export interface DeliveryOptions {
  readonly fallbackPrefix: string;
  readonly retryBudgetMs: number;
  readonly retryAfterSeconds: number;
  readonly now: () => number;
}

/**
 * Makes records durable, or says it could not: the stream first (retrying within the budget),
 * then the S3 fallback for whatever the stream refused, then a 503 so the client keeps its data.
 * Fallback objects hold the refused records in the archive's format (gzip NDJSON).
 */
export async function deliver(
  records: readonly EncodedRecord[],
  rid: string,
  stream: StreamSink,
  fallback: ObjectStore,
  options: DeliveryOptions,
): Promise<DeliveryReport> {
  if (records.length === 0) return { toStream: 0, toFallback: 0, eventsToFallback: 0, streamRetries: 0 };
  const started = options.now();
  const { failed, retries } = await stream.put(records, started + options.retryBudgetMs);
  if (failed.length > 0) {
    const ndjson = Buffer.concat(failed.flatMap((record) => [record.data, Buffer.from('\n')]));
    try {
      await fallback.put({
        key: `${options.fallbackPrefix}${hourPartition(started)}${rid}.ndjson.gz`,
        body: gzipSync(ndjson),
        contentType: 'application/x-ndjson',
        contentEncoding: 'gzip',
      });
    } catch {
      throw new ServiceUnavailableError(
        'sink_unavailable',
        'The collector cannot store data right now; retry later',
        options.retryAfterSeconds,
      );
    }
  }
  return {
    toStream: records.length - failed.length,
    toFallback: failed.length,
    eventsToFallback: failed.reduce((sum, record) => sum + record.eventCount, 0),
    streamRetries: retries,
  };
}
