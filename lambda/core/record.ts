/**
 * The sink record: one JSON object per request in the format the "Clickstream Analytics on AWS"
 * ingestion server wrote, so its data processing reads our stream unchanged (DESIGN.md §3).
 */

export interface RecordContext {
  readonly appId: string;
  readonly rid: string;
  readonly receivedAt: number;
  readonly ip: string | null;
  readonly ua: string | null;
  readonly method: string;
  readonly path: string;
  /** Path plus the original query string. */
  readonly uri: string;
  readonly platform: string | null;
  readonly clientTimestamp: string | null;
}

/** Field order and names are the contract; every field is present, missing values are null. */
export interface CollectorRecord {
  readonly appId: string;
  readonly compression: 'gzip' | null;
  readonly data: string;
  readonly date: string;
  readonly timestamp: string;
  readonly ingest_time: number;
  readonly server_ingest_time: number;
  readonly client_timestamp: string | null;
  readonly ip: string | null;
  readonly ua: string | null;
  readonly method: string;
  readonly path: string;
  readonly uri: string;
  readonly platform: string | null;
  readonly rid: string;
  readonly source_type: 'http_server';
}

/** A record ready for the stream: its serialised bytes and partition key. */
export interface EncodedRecord {
  readonly partitionKey: string;
  readonly data: Buffer;
  /** How many events it carries (for accounting, not part of the record). */
  readonly eventCount: number;
}

export function buildRecord(
  context: RecordContext,
  data: string,
  compression: 'gzip' | null,
): CollectorRecord {
  const iso = new Date(context.receivedAt).toISOString();
  return {
    appId: context.appId,
    compression,
    data,
    date: `${iso.slice(0, 19)}+00:00`,
    timestamp: iso,
    ingest_time: context.receivedAt,
    server_ingest_time: context.receivedAt,
    client_timestamp: context.clientTimestamp,
    ip: context.ip,
    ua: context.ua,
    method: context.method,
    path: context.path,
    uri: context.uri,
    platform: context.platform,
    rid: context.rid,
    source_type: 'http_server',
  };
}

function encode(record: CollectorRecord, eventCount: number): EncodedRecord {
  return { partitionKey: record.rid, data: Buffer.from(JSON.stringify(record)), eventCount };
}

/** Bytes that `text` takes once embedded in a JSON string (quotes and escapes included). */
function embeddedSize(text: string): number {
  return Buffer.byteLength(JSON.stringify(text)) - 2;
}

export interface RecordPlan {
  readonly records: readonly EncodedRecord[];
  /** Events that cannot fit a stream record even alone; they go to the quarantine. */
  readonly oversized: readonly unknown[];
}

/**
 * The records for one request. Normally one record whose `data` is the body as received; when
 * that would exceed `maxRecordBytes` (a Kinesis record holds data plus partition key ≤ 1 MiB), the
 * events are spread over several records, each a valid record of its own with a JSON array in
 * `data`.
 */
export function planRecords(
  context: RecordContext,
  body: { readonly text: string; readonly compression: 'gzip' | null } | null,
  events: readonly unknown[],
  maxRecordBytes: number,
): RecordPlan {
  if (events.length === 0) return { records: [], oversized: [] };
  const limit = maxRecordBytes - Buffer.byteLength(context.rid);
  if (body !== null) {
    const whole = encode(buildRecord(context, body.text, body.compression), events.length);
    if (whole.data.length <= limit) return { records: [whole], oversized: [] };
  }

  // Size of a record with empty data: the rest is the embedded array `[e1,e2,…]`.
  const envelope = encode(buildRecord(context, '', null), 0).data.length;
  const room = limit - envelope - 2;
  const records: EncodedRecord[] = [];
  const oversized: unknown[] = [];
  let chunk: string[] = [];
  let chunkSize = 0;
  const flush = () => {
    if (chunk.length === 0) return;
    records.push(encode(buildRecord(context, `[${chunk.join(',')}]`, null), chunk.length));
    chunk = [];
    chunkSize = 0;
  };
  for (const event of events) {
    const json = JSON.stringify(event);
    const size = embeddedSize(json);
    if (size > room) {
      oversized.push(event);
      continue;
    }
    const separator = chunk.length === 0 ? 0 : 1;
    if (chunkSize + separator + size > room) flush();
    chunkSize += (chunk.length === 0 ? 0 : 1) + size;
    chunk.push(json);
  }
  flush();
  return { records, oversized };
}
