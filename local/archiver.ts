import { promisify } from 'node:util';
import { gzip } from 'node:zlib';
import type { KinesisClient } from '@aws-sdk/client-kinesis';
import { PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { type PlannedObject, planBatchObjects } from '../lambda/tables/batch-objects';
import { UserAgentCache } from '../lambda/tables/user-agent';
import { LOCAL_SETTINGS } from '../settings/local-settings';
import { ShardReader, type StartingPosition, type StreamRecord } from './shard-reader';

/**
 * The local stand-in for the deployed archive consumer: drains the stream into the S3 emulator
 * with the same planning and flattening code (lambda/tables/), so `npm start` shows the whole
 * path on a laptop: request → stream → raw archive and the event tables `npm run query` reads.
 * Each read round of a shard is one batch, keyed like the consumer's (shard and first sequence
 * number), so an object written again after a failure replaces itself.
 */

const gzipAsync = promisify(gzip);

export interface ArchiverOptions {
  readonly kinesis: KinesisClient;
  readonly s3: S3Client;
  readonly streamName: string;
  readonly bucket: string;
  /** @default 'archive/' */
  readonly prefix?: string;
  /** Where the flattened tables go. @default 'tables/' */
  readonly tablesPrefix?: string;
  /**
   * Where reading starts. TRIM_HORIZON suits the embedded emulator: its in-memory stream is new on
   * every start, so this archives every record once, including any put before the archiver's first
   * poll. LATEST suits an external stream, whose older records were archived by an earlier run
   * (or by Firehose) and would otherwise be copied again on every start.
   * @default 'TRIM_HORIZON'
   */
  readonly startingPosition?: StartingPosition;
  /** @default 1000 */
  readonly intervalMs?: number;
  /** Called for each object written: a raw archive object (`archive`) or a table's. */
  readonly onArchived?: (object: ArchivedObject) => void;
  /** Called for a failed poll or write (repeated identical failures are reported once). */
  readonly onError?: (error: unknown) => void;
}

interface ArchivedObject {
  readonly key: string;
  readonly kind: PlannedObject['kind'];
  /** Records (raw archive) or rows (tables) in the object. */
  readonly lines: number;
}

export interface Archiver {
  /** Polls now and writes what it got; resolves with the number of records archived. */
  drain(): Promise<number>;
  /** Stops polling after a last drain, so records accepted before `stop` reach the archive. */
  stop(): Promise<void>;
}

/** Bounds one drain, so a busy stream cannot keep a single cycle going forever. */
const MAX_ROUNDS_PER_DRAIN = 20;

/**
 * Starts the archiver once it holds its shard positions, so nothing put on the stream after this
 * resolves is missed (if the stream cannot be reached yet, it reports that and keeps trying).
 */
export async function startArchiver(options: ArchiverOptions): Promise<Archiver> {
  const layout = {
    archivePrefix: options.prefix ?? LOCAL_SETTINGS.archivePrefix.default,
    tablesPrefix: options.tablesPrefix ?? LOCAL_SETTINGS.tablesPrefix.default,
  };
  const userAgents = new UserAgentCache();
  // The archive must not miss a record put while a read runs (see `freshIterators`).
  const reader = new ShardReader(
    options.kinesis,
    options.streamName,
    options.startingPosition ?? 'TRIM_HORIZON',
    {
      freshIterators: true,
    },
  );
  // Planned objects stay here until S3 takes them, so a failed write is retried, never dropped.
  const pending: PlannedObject[] = [];
  let lastErrorMessage: string | undefined;
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<number> = Promise.resolve(0);

  const report = (error: unknown): void => {
    const message = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
    if (message === lastErrorMessage) return;
    lastErrorMessage = message;
    options.onError?.(error);
  };

  const writePending = async (): Promise<number> => {
    let written = 0;
    while (pending.length > 0) {
      const object = pending[0];
      if (object === undefined) break;
      await options.s3.send(
        new PutObjectCommand({
          Bucket: options.bucket,
          Key: object.key,
          Body: await gzipAsync(Buffer.concat(object.lines)),
          ContentType: 'application/gzip',
        }),
      );
      pending.shift();
      if (object.kind === 'archive') written += object.lines.length;
      options.onArchived?.({ key: object.key, kind: object.kind, lines: object.lines.length });
    }
    return written;
  };

  const plan = (records: readonly StreamRecord[]): void => {
    const byShard = new Map<string, StreamRecord[]>();
    for (const record of records) {
      const shard = byShard.get(record.shardId) ?? [];
      shard.push(record);
      byShard.set(record.shardId, shard);
    }
    for (const [shardId, shardRecords] of byShard) {
      // A round larger than one batch's line budget is planned as several batches, in order.
      for (let rest = shardRecords; rest.length > 0; ) {
        const batch = planBatchObjects(shardId, rest, layout, { userAgents });
        pending.push(...batch.objects);
        rest = rest.slice(batch.plannedRecords);
      }
    }
  };

  const drainOnce = async (): Promise<number> => {
    try {
      for (let round = 0; round < MAX_ROUNDS_PER_DRAIN; round += 1) {
        const { records, behind } = await reader.read();
        if (records.length > 0) plan(records);
        if (!behind) break;
      }
      const written = await writePending();
      lastErrorMessage = undefined;
      return written;
    } catch (error) {
      report(error);
      return 0;
    }
  };

  // Serialised: a drain asked for while one runs waits for it, so shard positions stay consistent.
  const drain = (): Promise<number> => {
    running = running.then(drainOnce, drainOnce);
    return running;
  };

  try {
    await reader.open();
  } catch (error) {
    report(error);
  }

  const schedule = (): void => {
    if (stopped) return;
    timer = setTimeout(() => {
      void drain().finally(schedule);
    }, options.intervalMs ?? 1_000);
  };
  schedule();

  return {
    drain,
    stop: async () => {
      if (stopped) return;
      stopped = true;
      if (timer !== undefined) clearTimeout(timer);
      await drain();
    },
  };
}
