import { promisify } from 'node:util';
import { gzip } from 'node:zlib';
import type { KinesisClient } from '@aws-sdk/client-kinesis';
import { PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { DEFAULT_ARCHIVE_PREFIX, type PlannedObject, planArchiveObjects } from './archive-layout';
import { ShardReader, type StartingPosition } from './shard-reader';

/**
 * The local stand-in for Firehose: drains the stream into the S3 emulator in the archive layout
 * of DESIGN §3, so `npm start` shows the whole path (request → stream → archive) on a laptop.
 */

const gzipAsync = promisify(gzip);

export interface ArchiverOptions {
  readonly kinesis: KinesisClient;
  readonly s3: S3Client;
  readonly streamName: string;
  readonly bucket: string;
  /** @default 'archive/' */
  readonly prefix?: string;
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
  readonly onArchived?: (key: string, recordCount: number) => void;
  /** Called for a failed poll or write (repeated identical failures are reported once). */
  readonly onError?: (error: unknown) => void;
  readonly now?: () => Date;
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
  const prefix = options.prefix ?? DEFAULT_ARCHIVE_PREFIX;
  const now = options.now ?? (() => new Date());
  const reader = new ShardReader(
    options.kinesis,
    options.streamName,
    options.startingPosition ?? 'TRIM_HORIZON',
  );
  // Planned objects stay here until S3 takes them, so a failed write is retried, never dropped.
  const pending: PlannedObject[] = [];
  let objectNumber = 1;
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
          Body: await gzipAsync(object.body),
          ContentType: 'application/x-ndjson',
          ContentEncoding: 'gzip',
        }),
      );
      pending.shift();
      written += object.recordCount;
      options.onArchived?.(object.key, object.recordCount);
    }
    return written;
  };

  const drainOnce = async (): Promise<number> => {
    try {
      for (let round = 0; round < MAX_ROUNDS_PER_DRAIN; round += 1) {
        const { records, behind } = await reader.read();
        if (records.length > 0) {
          const planned = planArchiveObjects(records, {
            prefix,
            writtenAt: now(),
            firstNumber: objectNumber,
          });
          objectNumber += planned.length;
          pending.push(...planned);
        }
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
