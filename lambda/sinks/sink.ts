import type { EncodedRecord } from '../core/record';

/**
 * The two ports the collector writes through. Adapters: Kinesis and S3 for AWS (and the local
 * emulators), in-memory ones for unit tests and benchmarks.
 */

export interface StreamPutResult {
  /** Records the stream still refused when the time budget ran out (or failed for good). */
  readonly failed: readonly EncodedRecord[];
  /** How many records were sent again after a partial or whole failure. */
  readonly retries: number;
}

export interface StreamSink {
  /** Puts every record, retrying failures until `deadline` (epoch ms); never throws. */
  put(records: readonly EncodedRecord[], deadline: number): Promise<StreamPutResult>;
  /** Whether the stream is there and writable (for the deep health check). */
  check(): Promise<boolean>;
}

export interface StoredObject {
  readonly key: string;
  readonly body: Buffer | string;
  readonly contentType: string;
  readonly contentEncoding?: string;
}

export interface ObjectStore {
  /** Stores the object durably or throws. */
  put(object: StoredObject): Promise<void>;
  check(): Promise<boolean>;
}
