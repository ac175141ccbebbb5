import { gzipSync } from 'node:zlib';
import {
  buildRecord,
  type Compression,
  type EncodedRecord,
  encodeRecord,
  type RecordContext,
} from './record';

/** The request body as received: what an intact record carries. */
export interface ReceivedBody {
  readonly text: string;
  readonly compression: Compression;
}

/** An event the request keeps (it passed validation), with its exact text. */
interface KeptEvent {
  /** Position in the request's array. */
  readonly index: number;
  readonly text: string;
}

/** The events a request keeps, in order; their texts are only looked up when a record is rewritten. */
export interface KeptEvents {
  readonly count: number;
  /** Finding the texts may cost a scan of the body: an intact record that fits never asks. */
  list(): readonly KeptEvent[];
}

export interface RecordPlan {
  readonly records: readonly EncodedRecord[];
  /** Events that cannot fit a stream record even alone; they go to the quarantine. */
  readonly oversized: readonly KeptEvent[];
}

/** Bytes `text` takes once embedded in a JSON string (quotes and escapes included). */
const embeddedSize = (text: string): number => Buffer.byteLength(JSON.stringify(text)) - 2;
const rawSize = (text: string): number => Buffer.byteLength(text);
/** Aim a little below the measured compression ratio, so few parts need a second try. */
const COMPRESSED_TARGET_MARGIN = 0.9;

/**
 * The records for one request, in the events' original order:
 * - intact (every event kept) and small enough: one record whose `data` is the body as received;
 * - otherwise (events were quarantined, or the body exceeds `maxRecordBytes`): records whose `data`
 *   is a JSON array of the kept events' original texts, byte for byte — and for a
 *   `compression=gzip` request, the gzip + base64 of that array, so it stays as small as it came
 *   and decodes like an SDK's body. Each is a valid record of its own, within `maxRecordBytes`
 *   (a Kinesis record holds data plus partition key ≤ 1 MiB).
 */
export function planRecords(
  context: RecordContext,
  body: ReceivedBody,
  keptEvents: KeptEvents,
  intact: boolean,
  maxRecordBytes: number,
): RecordPlan {
  if (keptEvents.count === 0) return { records: [], oversized: [] };
  const limit = maxRecordBytes - Buffer.byteLength(context.rid);
  if (intact) {
    const whole = encodeRecord(buildRecord(context, body.text, body.compression), keptEvents.count);
    if (whole.data.length <= limit) return { records: [whole], oversized: [] };
  }
  const kept = keptEvents.list();

  const compressed = body.compression === 'gzip';
  const encodePart = (events: readonly KeptEvent[]): EncodedRecord => {
    const array = `[${events.map((event) => event.text).join(',')}]`;
    const data = compressed ? gzipSync(array).toString('base64') : array;
    return encodeRecord(buildRecord(context, data, body.compression), events.length);
  };
  // A record with empty data: what is left of the limit is room for the data string.
  const envelope = encodeRecord(buildRecord(context, '', body.compression), 0).data.length;
  const room = limit - envelope;
  const sizes = kept.map((event) => (compressed ? rawSize : embeddedSize)(event.text));

  const records: EncodedRecord[] = [];
  const oversized: KeptEvent[] = [];
  /** A gzip request's kept events as one part, when already encoded: never gzipped twice. */
  let all: EncodedRecord | undefined;
  /** Encodes a group, halving it until every part fits; a single event that does not fit is oversized. */
  const emit = (group: readonly KeptEvent[], groupSizes: readonly number[]): void => {
    // Groups are consecutive runs of `kept`, so one as long as `kept` is all of it.
    const record = all !== undefined && group.length === kept.length ? all : encodePart(group);
    if (record.data.length <= limit) {
      records.push(record);
      return;
    }
    if (group.length === 1) {
      oversized.push(...group);
      return;
    }
    const middle = splitPoint(groupSizes);
    emit(group.slice(0, middle), groupSizes.slice(0, middle));
    emit(group.slice(middle), groupSizes.slice(middle));
  };

  let target = room;
  if (compressed) {
    // Usually everything still fits one record; if not, size the parts by this body's own ratio.
    all = encodePart(kept);
    if (all.data.length <= limit) return { records: [all], oversized: [] };
    const rawTotal = sizes.reduce((sum, size) => sum + size + 1, 1);
    target = Math.max(1, (room * rawTotal * COMPRESSED_TARGET_MARGIN) / (all.data.length - envelope));
  }
  for (const [start, end] of greedyGroups(sizes, target))
    emit(kept.slice(start, end), sizes.slice(start, end));
  return { records, oversized };
}

/** Consecutive index ranges whose array text (`[a,b,…]`) stays within `room` by the given sizes. */
function greedyGroups(sizes: readonly number[], room: number): Array<[number, number]> {
  const groups: Array<[number, number]> = [];
  let start = 0;
  let used = 2;
  sizes.forEach((size, index) => {
    const separator = index === start ? 0 : 1;
    if (index > start && used + separator + size > room) {
      groups.push([start, index]);
      start = index;
      used = 2 + size;
      return;
    }
    used += separator + size;
  });
  groups.push([start, sizes.length]);
  return groups;
}

/** Where to cut a group in two halves of about equal size (never empty halves). */
function splitPoint(sizes: readonly number[]): number {
  const half = sizes.reduce((sum, size) => sum + size, 0) / 2;
  let cumulative = 0;
  for (let index = 0; index < sizes.length - 1; index += 1) {
    cumulative += sizes[index] ?? 0;
    if (cumulative >= half) return index + 1;
  }
  return sizes.length - 1;
}
