import { gunzipSync } from 'node:zlib';
import { type JsonValue, parseLossless } from './json-values';

/**
 * Reads a stream record through its documented JSON format only (README "Record format"): the
 * request fields the tables need, and the events its `data` carries. `data` is decoded the way
 * CAoA's ETL decodes it (`Cleaner.extractData`): text that, trimmed, starts with `[` and ends with
 * `]` is the JSON array itself; anything else is base64 of gzip bytes. So records the collector
 * rewrote (events taken out, or split) read the same whether they are plain or gzip + base64.
 */

export interface RecordFields {
  readonly appId: string;
  readonly rid: string | null;
  readonly ip: string | null;
  readonly ua: string | null;
  readonly uri: string | null;
  readonly platform: string | null;
  /** Server time the request arrived, epoch ms. */
  readonly ingestTime: number;
}

export type DecodedRecord =
  | { readonly ok: true; readonly fields: RecordFields; readonly events: readonly JsonValue[] }
  | { readonly ok: false; readonly problem: string; readonly fields: RecordFields | null };

/** Largest `data` after gunzip; the collector caps bodies at 8 MiB decompressed, so this is slack. */
const MAX_DECODED_DATA_BYTES = 16 * 1024 * 1024;

function stringOrNull(value: unknown): string | null {
  return typeof value === 'string' ? value : null;
}

function fieldsOf(record: Record<string, unknown>): RecordFields | null {
  const appId = record.appId;
  const ingestTime = record.ingest_time;
  if (typeof appId !== 'string' || typeof ingestTime !== 'number' || !Number.isSafeInteger(ingestTime)) {
    return null;
  }
  return {
    appId,
    rid: stringOrNull(record.rid),
    // Older records may carry null; newer ones "" when unknown. Both mean no address.
    ip: stringOrNull(record.ip) || null,
    ua: stringOrNull(record.ua),
    uri: stringOrNull(record.uri),
    platform: stringOrNull(record.platform),
    ingestTime,
  };
}

/** The JSON text of the events in `data`. Throws when it is neither JSON array text nor base64 gzip. */
export function dataText(data: string): string {
  const trimmed = data.trim();
  if (trimmed.startsWith('[') && trimmed.endsWith(']')) return trimmed;
  const bytes = Buffer.from(trimmed, 'base64');
  return gunzipSync(bytes, { maxOutputLength: MAX_DECODED_DATA_BYTES }).toString('utf8');
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

export function decodeRecord(bytes: Uint8Array): DecodedRecord {
  let record: unknown;
  try {
    record = JSON.parse(Buffer.from(bytes).toString('utf8'));
  } catch {
    return { ok: false, problem: 'record is not JSON', fields: null };
  }
  if (typeof record !== 'object' || record === null || Array.isArray(record)) {
    return { ok: false, problem: 'record is not a JSON object', fields: null };
  }
  const fields = fieldsOf(record as Record<string, unknown>);
  if (fields === null) return { ok: false, problem: 'record lacks appId or ingest_time', fields: null };
  const data = (record as Record<string, unknown>).data;
  if (typeof data !== 'string') return { ok: false, problem: 'record data is not a string', fields };
  let events: unknown;
  try {
    events = parseLossless(dataText(data));
  } catch (error) {
    // Includes a RangeError from hostile nesting: the record is skipped, never the batch.
    return { ok: false, problem: `data cannot be decoded: ${describe(error)}`, fields };
  }
  if (!Array.isArray(events)) return { ok: false, problem: 'data is not a JSON array', fields };
  return { ok: true, fields, events: events as JsonValue[] };
}
