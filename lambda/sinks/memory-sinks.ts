import type { ObjectStore, StoredObject, StreamPutResult, StreamSink } from '../core/ports';
import type { EncodedRecord } from '../core/records/record';

/** An in-memory stream for tests and benchmarks; `refuse` makes it fail records on purpose. */
export class MemoryStream implements StreamSink {
  readonly records: EncodedRecord[] = [];
  /** Return true for a record to fail it (simulates throttling or an outage). */
  refuse: (record: EncodedRecord) => boolean = () => false;

  async put(records: readonly EncodedRecord[]): Promise<StreamPutResult> {
    const failed = records.filter((record) => this.refuse(record));
    for (const record of records) if (!failed.includes(record)) this.records.push(record);
    return { failed, retries: 0 };
  }

  async check(): Promise<boolean> {
    return true;
  }

  /** The records as parsed JSON objects. */
  parsed(): Array<Record<string, unknown>> {
    return this.records.map((record) => JSON.parse(record.data.toString('utf8')));
  }
}

export class MemoryObjectStore implements ObjectStore {
  readonly objects = new Map<string, StoredObject>();
  failing = false;

  async put(object: StoredObject): Promise<void> {
    if (this.failing) throw new Error('object store unavailable (simulated)');
    this.objects.set(object.key, object);
  }

  async check(): Promise<boolean> {
    return !this.failing;
  }

  keys(prefix = ''): string[] {
    return [...this.objects.keys()].filter((key) => key.startsWith(prefix));
  }
}
