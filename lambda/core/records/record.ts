/**
 * The sink record: one JSON object per request in the format the ingestion server of "Clickstream
 * Analytics on AWS" wrote, so its data processing reads our stream unchanged. Field names, types
 * and order are the contract (README "Record format").
 */

export interface RecordContext {
  readonly appId: string;
  readonly rid: string;
  readonly receivedAt: number;
  /** Never null: the downstream IP enrichment fails on a null address. `""` when unknown. */
  readonly ip: string;
  readonly ua: string | null;
  readonly method: string;
  readonly path: string;
  /** Path plus the original query string. */
  readonly uri: string;
  readonly platform: string | null;
  /** The query's `upload_timestamp` when it is an integer (epoch ms), else null. */
  readonly clientTimestamp: number | null;
}

export type Compression = 'gzip' | null;

export interface CollectorRecord {
  readonly appId: string;
  readonly compression: Compression;
  readonly data: string;
  readonly date: string;
  readonly timestamp: string;
  readonly ingest_time: number;
  readonly server_ingest_time: number;
  readonly client_timestamp: number | null;
  readonly ip: string;
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

export function buildRecord(context: RecordContext, data: string, compression: Compression): CollectorRecord {
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

export function encodeRecord(record: CollectorRecord, eventCount: number): EncodedRecord {
  return { partitionKey: record.rid, data: Buffer.from(JSON.stringify(record)), eventCount };
}
