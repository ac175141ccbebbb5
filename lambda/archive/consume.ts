import { promisify } from 'node:util';
import { gzip } from 'node:zlib';
import type { KinesisStreamBatchResponse, KinesisStreamEvent, KinesisStreamRecord } from 'aws-lambda';
import {
  type BatchLayout,
  type BatchRecord,
  type PlannedObject,
  planBatchObjects,
} from '../tables/batch-objects';
import { UserAgentCache } from '../tables/user-agent';
import { failureCheckpoint } from './checkpoint';

/**
 * The archive consumer's work for one invocation of the Kinesis event source mapping: plan the raw
 * archive and table objects of the batch, write them all, and answer with the partial batch
 * failure (ReportBatchItemFailures) that makes Lambda retry exactly what is not yet durable.
 * Pure except for the injected object store; the handler (handler.ts) only wires it.
 */

const gzipAsync = promisify(gzip);

interface ConsumeSummary {
  readonly records: number;
  readonly events: number;
  readonly unusableElements: number;
  readonly eventsOverBudget: number;
  readonly unreadableRecords: number;
  readonly objectsWritten: number;
  readonly bytesWritten: number;
  readonly writeFailures: number;
}

/** The one thing the consumer needs of S3: put an object or throw. The S3 adapter is in handler.ts. */
export interface ArchiveObjectStore {
  put(object: { readonly key: string; readonly body: Buffer; readonly contentType: string }): Promise<void>;
}

export interface ConsumeDependencies {
  readonly store: ArchiveObjectStore;
  readonly layout: BatchLayout;
  /** Objects written at once. @default 8 */
  readonly concurrency?: number;
  /** Lines a batch may hold before the rest is handed back to Lambda. @default 500000 */
  readonly maxLinesPerBatch?: number;
  /** Called with every failed write (for the log). */
  readonly onWriteError?: (key: string, error: unknown) => void;
}

export interface ConsumeResult {
  readonly response: KinesisStreamBatchResponse;
  readonly summary: ConsumeSummary;
}

/** `shardId-000000000000:4959…`: the ESM's event id is the shard id and the sequence number. */
function shardOf(record: KinesisStreamRecord): string {
  const separator = record.eventID.lastIndexOf(':');
  return separator > 0 ? record.eventID.slice(0, separator) : 'shard';
}

function toBatchRecord(record: KinesisStreamRecord): BatchRecord {
  return {
    sequenceNumber: record.kinesis.sequenceNumber,
    data: Buffer.from(record.kinesis.data, 'base64'),
    // Seconds with a fraction, in the event; the raw archive's hour partition is taken from it.
    arrivedAt: new Date(Math.round(record.kinesis.approximateArrivalTimestamp * 1000)),
  };
}

/** Runs `work` on each item with at most `limit` running at once. */
async function forEachLimited<T>(items: readonly T[], limit: number, work: (item: T) => Promise<void>) {
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const item = items[next];
      next += 1;
      if (item !== undefined) await work(item);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}

export async function consumeBatch(
  event: KinesisStreamEvent,
  deps: ConsumeDependencies,
): Promise<ConsumeResult> {
  // An event source mapping sends one shard's records per batch; grouping keeps that an assumption
  // the code does not depend on.
  const byShard = new Map<string, KinesisStreamRecord[]>();
  for (const record of event.Records) {
    const shard = shardOf(record);
    const records = byShard.get(shard) ?? [];
    records.push(record);
    byShard.set(shard, records);
  }
  const userAgents = new UserAgentCache();
  const failures: { itemIdentifier: string }[] = [];
  const totals = {
    records: 0,
    events: 0,
    unusableElements: 0,
    eventsOverBudget: 0,
    unreadableRecords: 0,
    objectsWritten: 0,
    bytesWritten: 0,
    writeFailures: 0,
  };
  for (const [shard, records] of byShard) {
    const plan = planBatchObjects(shard, records.map(toBatchRecord), deps.layout, {
      userAgents,
      maxLinesPerBatch: deps.maxLinesPerBatch,
    });
    totals.records += plan.stats.records;
    totals.events += plan.stats.events;
    totals.unusableElements += plan.stats.unusableElements;
    totals.eventsOverBudget += plan.stats.eventsOverBudget;
    totals.unreadableRecords += plan.stats.unreadableRecords;
    const outcomes: { object: PlannedObject; written: boolean }[] = [];
    await forEachLimited(plan.objects, deps.concurrency ?? 8, async (object) => {
      try {
        const body = await gzipAsync(Buffer.concat(object.lines));
        await deps.store.put({ key: object.key, body, contentType: 'application/gzip' });
        totals.objectsWritten += 1;
        totals.bytesWritten += body.length;
        outcomes.push({ object, written: true });
      } catch (error) {
        totals.writeFailures += 1;
        deps.onWriteError?.(object.key, error);
        outcomes.push({ object, written: false });
      }
    });
    const checkpoint = failureCheckpoint(
      outcomes.map(({ object, written }) => ({
        firstIndex: object.firstIndex,
        lastIndex: object.lastIndex,
        written,
      })),
    );
    // Records past the line budget were not planned: they are not done either.
    const firstNotDone = Math.min(checkpoint ?? plan.plannedRecords, plan.plannedRecords);
    const failed = records[firstNotDone];
    if (failed !== undefined) failures.push({ itemIdentifier: failed.kinesis.sequenceNumber });
  }
  return { response: { batchItemFailures: failures }, summary: totals };
}
