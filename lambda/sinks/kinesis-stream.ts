import { DescribeStreamSummaryCommand, type KinesisClient, PutRecordsCommand } from '@aws-sdk/client-kinesis';
import type { StreamPutResult, StreamSink } from '../core/ports';
import type { EncodedRecord } from '../core/records/record';

/** PutRecords limits (per call). */
const MAX_RECORDS_PER_CALL = 500;
const MAX_BYTES_PER_CALL = 5 * 1024 * 1024;

/** Errors that retrying cannot fix: go to the fallback at once instead of burning the budget. */
const PERMANENT_ERRORS = new Set([
  'ResourceNotFoundException',
  'AccessDeniedException',
  'ValidationException',
  'InvalidArgumentException',
  'KMSAccessDeniedException',
  'KMSDisabledException',
  'KMSNotFoundException',
  'UnrecognizedClientException',
]);

export interface BackoffOptions {
  readonly baseMs: number;
  readonly capMs: number;
}

const DEFAULT_BACKOFF: BackoffOptions = { baseMs: 50, capMs: 1_000 };

/** Splits records into PutRecords calls within the per-call count and size limits. */
export function batchForPutRecords(records: readonly EncodedRecord[]): EncodedRecord[][] {
  const batches: EncodedRecord[][] = [];
  let batch: EncodedRecord[] = [];
  let bytes = 0;
  for (const record of records) {
    const size = record.data.length + Buffer.byteLength(record.partitionKey);
    if (batch.length === MAX_RECORDS_PER_CALL || (batch.length > 0 && bytes + size > MAX_BYTES_PER_CALL)) {
      batches.push(batch);
      batch = [];
      bytes = 0;
    }
    batch.push(record);
    bytes += size;
  }
  if (batch.length > 0) batches.push(batch);
  return batches;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export class KinesisStream implements StreamSink {
  constructor(
    private readonly client: KinesisClient,
    private readonly streamName: string,
    private readonly backoff: BackoffOptions = DEFAULT_BACKOFF,
    private readonly now: () => number = Date.now,
  ) {}

  async put(records: readonly EncodedRecord[], deadline: number): Promise<StreamPutResult> {
    let pending = [...records];
    let retries = 0;
    for (let attempt = 0; pending.length > 0; attempt += 1) {
      if (attempt > 0) {
        // Full jitter: spreads the retries of many concurrent invocations over the window.
        const delay = Math.random() * Math.min(this.backoff.capMs, this.backoff.baseMs * 2 ** attempt);
        if (this.now() + delay >= deadline) break;
        await sleep(delay);
        retries += pending.length;
      }
      const outcomes = await Promise.all(
        batchForPutRecords(pending).map((batch) => this.putBatch(batch, deadline)),
      );
      pending = outcomes.flatMap((outcome) => outcome.failed);
      if (outcomes.some((outcome) => outcome.permanent)) break;
    }
    return { failed: pending, retries };
  }

  private async putBatch(
    batch: readonly EncodedRecord[],
    deadline: number,
  ): Promise<{ failed: EncodedRecord[]; permanent: boolean }> {
    const remaining = deadline - this.now();
    if (remaining <= 0) return { failed: [...batch], permanent: false };
    try {
      const response = await this.client.send(
        new PutRecordsCommand({
          StreamName: this.streamName,
          Records: batch.map((record) => ({ Data: record.data, PartitionKey: record.partitionKey })),
        }),
        { abortSignal: AbortSignal.timeout(remaining) },
      );
      if (!response.FailedRecordCount) return { failed: [], permanent: false };
      // A partial failure answers 200 with an ErrorCode on each refused record: retry only those.
      const results = response.Records ?? [];
      return {
        failed: batch.filter(
          (_, index) => results[index]?.ErrorCode !== undefined || results[index] === undefined,
        ),
        permanent: false,
      };
    } catch (error) {
      const name = (error as { name?: string }).name ?? '';
      return { failed: [...batch], permanent: PERMANENT_ERRORS.has(name) };
    }
  }

  async check(): Promise<boolean> {
    try {
      const summary = await this.client.send(
        new DescribeStreamSummaryCommand({ StreamName: this.streamName }),
        { abortSignal: AbortSignal.timeout(2_000) },
      );
      const status = summary.StreamDescriptionSummary?.StreamStatus;
      return status === 'ACTIVE' || status === 'UPDATING';
    } catch {
      return false;
    }
  }
}
