import { hourPartition } from '../lambda/core/partition-path';
import { LOCAL_SETTINGS } from '../settings/local-settings';

/**
 * The archive layout of DESIGN §3 (what Firehose writes in AWS and the local archiver writes into
 * the S3 emulator): gzip newline-delimited JSON records under
 * `{prefix}year=YYYY/month=MM/day=DD/hour=HH/`, partitioned by the UTC hour the record reached the
 * stream, as Firehose partitions by arrival time. Pure functions, unit-tested.
 */

export interface ArchivableRecord {
  /** The record's bytes: one JSON object. */
  readonly data: Uint8Array;
  /** When the stream received it (`ApproximateArrivalTimestamp`). */
  readonly arrivedAt: Date;
}

export interface PlannedObject {
  readonly key: string;
  /** Uncompressed newline-delimited JSON: one record per line. */
  readonly body: Buffer;
  readonly recordCount: number;
}

export interface PlanOptions {
  /** Key prefix, e.g. `archive/`. */
  readonly prefix: string;
  /** When the objects are written; part of each object's name. */
  readonly writtenAt: Date;
  /** Number of the first object; each object takes the next. */
  readonly firstNumber: number;
  /** Uncompressed bytes per object before starting another (Firehose buffers 5 MiB by default). */
  readonly maxObjectBytes?: number;
}

export const DEFAULT_ARCHIVE_PREFIX = LOCAL_SETTINGS.archivePrefix.default;
export const DEFAULT_MAX_OBJECT_BYTES = 5 * 1024 * 1024;

const pad = (value: number, width = 2) => String(value).padStart(width, '0');

/** `{prefix}year=YYYY/month=MM/day=DD/hour=HH/` for the UTC hour of `date` (the Firehose layout). */
export function archivePartition(prefix: string, date: Date): string {
  return `${prefix}${hourPartition(date.getTime())}`;
}

/** `20240627T061945123Z`: sortable, and free of characters that file systems or URLs dislike. */
export function compactTime(date: Date): string {
  return (
    `${date.getUTCFullYear()}${pad(date.getUTCMonth() + 1)}${pad(date.getUTCDate())}T` +
    `${pad(date.getUTCHours())}${pad(date.getUTCMinutes())}${pad(date.getUTCSeconds())}` +
    `${pad(date.getUTCMilliseconds(), 3)}Z`
  );
}

/** `{partition}<time>-<n>.json.gz`. */
export function archiveObjectKey(partition: string, writtenAt: Date, objectNumber: number): string {
  return `${partition}${compactTime(writtenAt)}-${pad(objectNumber, 6)}.json.gz`;
}

/** The record as one NDJSON line: its bytes, with exactly one trailing newline. */
export function toNdjsonLine(data: Uint8Array): Buffer {
  let end = data.length;
  while (end > 0 && (data[end - 1] === 0x0a || data[end - 1] === 0x0d)) end -= 1;
  return Buffer.concat([data.subarray(0, end), Buffer.from('\n')]);
}

/**
 * Groups records into archive objects: one or more per hour partition, in arrival order, each at
 * most `maxObjectBytes` uncompressed (a single larger record still gets an object of its own).
 */
export function planArchiveObjects(
  records: readonly ArchivableRecord[],
  options: PlanOptions,
): PlannedObject[] {
  const maxBytes = options.maxObjectBytes ?? DEFAULT_MAX_OBJECT_BYTES;
  const byPartition = new Map<string, Buffer[]>();
  for (const record of records) {
    const partition = archivePartition(options.prefix, record.arrivedAt);
    const lines = byPartition.get(partition) ?? [];
    lines.push(toNdjsonLine(record.data));
    byPartition.set(partition, lines);
  }
  const objects: PlannedObject[] = [];
  let objectNumber = options.firstNumber;
  for (const [partition, lines] of byPartition) {
    let batch: Buffer[] = [];
    let batchBytes = 0;
    const flush = (): void => {
      if (batch.length === 0) return;
      objects.push({
        key: archiveObjectKey(partition, options.writtenAt, objectNumber),
        body: Buffer.concat(batch),
        recordCount: batch.length,
      });
      objectNumber += 1;
      batch = [];
      batchBytes = 0;
    };
    for (const line of lines) {
      if (batchBytes > 0 && batchBytes + line.length > maxBytes) flush();
      batch.push(line);
      batchBytes += line.length;
    }
    flush();
  }
  return objects;
}
