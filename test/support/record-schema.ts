import { gunzipSync } from 'node:zlib';

/**
 * Checks a sink record two ways, so client tests can prove that what real clients produce is what
 * downstream readers expect:
 * - `recordContractProblems`: our record contract (README "Record format") — every field present,
 *   with its type and format; missing values are `null`, never absent; `ip` always a string.
 * - `ingestionSchemaProblems`: the input schema that the original CAoA data processing declares
 *   for these records — strings `date, data, ip, source_type, rid, ua, uri, platform, path, appId,
 *   compression` and longs `ingest_time, client_timestamp, server_ingest_time` — read the way
 *   Spark's JSON reader reads it: a string field takes a string or null; a long field takes an
 *   integral JSON number in the int64 range or null (a string there is read as null).
 * Both return a list of problems (empty when the record is fine), so a failing test names them all.
 */

export type SinkRecord = Record<string, unknown>;

export const CONTRACT_FIELDS = [
  'appId',
  'compression',
  'data',
  'date',
  'timestamp',
  'ingest_time',
  'server_ingest_time',
  'client_timestamp',
  'ip',
  'ua',
  'method',
  'path',
  'uri',
  'platform',
  'rid',
  'source_type',
] as const;

const INGESTION_STRING_FIELDS = [
  'date',
  'data',
  'ip',
  'source_type',
  'rid',
  'ua',
  'uri',
  'platform',
  'path',
  'appId',
  'compression',
] as const;

const INGESTION_LONG_FIELDS = ['ingest_time', 'client_timestamp', 'server_ingest_time'] as const;

const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;
const MAX_45_CHARACTERS = /^.{0,45}$/;
const DATE_WITH_OFFSET = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}[+-]\d{2}:\d{2}$/;
const ISO_UTC_FRACTION = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d+Z$/;
const RID = /^[0-9a-f]{32}$/;

/** The value a long-typed JSON reader gets, or undefined if it cannot read one (a string, a fraction). */
export function readAsLong(value: unknown): bigint | null | undefined {
  if (value === null) return null;
  if (typeof value !== 'number' || !Number.isSafeInteger(value)) return undefined;
  const parsed = BigInt(value);
  return parsed >= INT64_MIN && parsed <= INT64_MAX ? parsed : undefined;
}

function stringOrNull(record: SinkRecord, field: string, problems: string[]): void {
  const value = record[field];
  if (value !== null && typeof value !== 'string') {
    problems.push(`${field}: expected a string or null, got ${JSON.stringify(value)}`);
  }
}

function requiredString(record: SinkRecord, field: string, problems: string[], shape?: RegExp): void {
  const value = record[field];
  if (typeof value !== 'string') {
    problems.push(`${field}: expected a string, got ${JSON.stringify(value)}`);
  } else if (shape !== undefined && !shape.test(value)) {
    problems.push(`${field}: ${JSON.stringify(value)} does not match ${shape}`);
  }
}

function epochMillis(record: SinkRecord, field: string, problems: string[]): void {
  const value = record[field];
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value <= 0) {
    problems.push(`${field}: expected epoch milliseconds as a JSON number, got ${JSON.stringify(value)}`);
  }
}

/** Problems of a record against the record contract. */
export function recordContractProblems(record: SinkRecord): string[] {
  const problems: string[] = [];
  for (const field of CONTRACT_FIELDS) {
    if (!(field in record)) problems.push(`${field}: missing (missing values must be null)`);
  }
  requiredString(record, 'appId', problems);
  if (record.compression !== null && record.compression !== 'gzip') {
    problems.push(`compression: expected "gzip" or null, got ${JSON.stringify(record.compression)}`);
  }
  requiredString(record, 'data', problems);
  requiredString(record, 'date', problems, DATE_WITH_OFFSET);
  requiredString(record, 'timestamp', problems, ISO_UTC_FRACTION);
  epochMillis(record, 'ingest_time', problems);
  epochMillis(record, 'server_ingest_time', problems);
  const clientTimestamp = record.client_timestamp;
  if (clientTimestamp !== null && !(Number.isSafeInteger(clientTimestamp) && Number(clientTimestamp) >= 0)) {
    problems.push(
      `client_timestamp: expected epoch milliseconds as a JSON number, or null, got ${JSON.stringify(clientTimestamp)}`,
    );
  }
  requiredString(record, 'ip', problems, MAX_45_CHARACTERS);
  stringOrNull(record, 'ua', problems);
  requiredString(record, 'method', problems);
  requiredString(record, 'path', problems);
  requiredString(record, 'uri', problems);
  stringOrNull(record, 'platform', problems);
  requiredString(record, 'rid', problems, RID);
  if (record.source_type !== 'http_server') {
    problems.push(`source_type: expected "http_server", got ${JSON.stringify(record.source_type)}`);
  }
  if (typeof record.date === 'string' && typeof record.timestamp === 'string') {
    // Both describe the same instant: `date` is `timestamp` cut to the second.
    if (Date.parse(record.date) !== Math.floor(Date.parse(record.timestamp) / 1000) * 1000) {
      problems.push(`date: ${record.date} is not the second of timestamp ${record.timestamp}`);
    }
  }
  if (
    typeof record.uri === 'string' &&
    typeof record.path === 'string' &&
    !record.uri.startsWith(record.path)
  ) {
    problems.push(`uri: ${record.uri} does not start with path ${record.path}`);
  }
  return problems;
}

/** Problems of a record against the original data processing's input schema (see the module comment). */
export function ingestionSchemaProblems(record: SinkRecord): string[] {
  const problems: string[] = [];
  for (const field of INGESTION_STRING_FIELDS) stringOrNull(record, field, problems);
  for (const field of INGESTION_LONG_FIELDS) {
    if (readAsLong(record[field]) === undefined) {
      problems.push(`${field}: a long-typed reader rejects ${JSON.stringify(record[field])}`);
    }
  }
  return problems;
}

/** The events a record's `data` carries, decoded as the data processing does (base64 gzip when compressed). */
export function decodeRecordEvents(record: SinkRecord): unknown[] {
  if (typeof record.data !== 'string') throw new Error('record has no data string');
  const text =
    record.compression === 'gzip'
      ? gunzipSync(Buffer.from(record.data, 'base64')).toString('utf8')
      : record.data;
  const events: unknown = JSON.parse(text);
  if (!Array.isArray(events)) throw new Error('record data is not a JSON array');
  return events;
}
