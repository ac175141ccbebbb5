import { dataText } from '../lambda/tables/decode-record';

/**
 * Reads a sink record (README "Record format") for `npm run tail`: who sent it and which events it carries,
 * undoing the clients' `compression=gzip` (base64 text of gzip bytes). Pure, unit-tested.
 */

export interface RecordSummary {
  /** The record's server `timestamp`, if it has one. */
  readonly timestamp: string | null;
  readonly appId: string | null;
  readonly rid: string | null;
  readonly platform: string | null;
  readonly compression: string | null;
  /** The events in `data`, or null when `data` could not be read. */
  readonly eventCount: number | null;
  readonly eventTypes: readonly string[];
  /** Why the record or its `data` could not be read. */
  readonly problem: string | null;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function text(value: unknown): string | null {
  return typeof value === 'string' ? value : null;
}

/**
 * The events a record's `data` carries: the body's JSON array text, or base64 text of its gzip
 * bytes (`compression=gzip`), decoded as the tables read it (`dataText`).
 */
export function decodeEvents(data: unknown): unknown[] {
  if (typeof data !== 'string') throw new Error('data is not a string');
  const events: unknown = JSON.parse(dataText(data));
  if (!Array.isArray(events)) throw new Error('data is not an event array');
  return events;
}

export function summarizeRecord(bytes: Uint8Array): RecordSummary {
  const empty = { timestamp: null, appId: null, rid: null, platform: null, compression: null };
  let record: unknown;
  try {
    record = JSON.parse(Buffer.from(bytes).toString('utf8'));
  } catch {
    return { ...empty, eventCount: null, eventTypes: [], problem: 'record is not JSON' };
  }
  if (!isRecord(record))
    return { ...empty, eventCount: null, eventTypes: [], problem: 'record is not a JSON object' };
  const compression = text(record.compression);
  const fields = {
    timestamp: text(record.timestamp),
    appId: text(record.appId),
    rid: text(record.rid),
    platform: text(record.platform),
    compression,
  };
  try {
    const events = decodeEvents(record.data);
    const eventTypes = events.map((event) => (isRecord(event) ? (text(event.event_type) ?? '?') : '?'));
    return { ...fields, eventCount: events.length, eventTypes, problem: null };
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    return { ...fields, eventCount: null, eventTypes: [], problem: `cannot decode data: ${reason}` };
  }
}

const MAX_TYPES_SHOWN = 8;

/** `button_click ×2, item_view`, in order of first appearance. */
export function describeEventTypes(types: readonly string[]): string {
  const counts = new Map<string, number>();
  for (const type of types) counts.set(type, (counts.get(type) ?? 0) + 1);
  const shown = [...counts]
    .slice(0, MAX_TYPES_SHOWN)
    .map(([type, count]) => (count > 1 ? `${type} ×${count}` : type));
  if (counts.size > MAX_TYPES_SHOWN) shown.push('…');
  return shown.join(', ');
}

/** One compact line: time, appId, rid, platform, event count and types. */
export function formatRecordLine(summary: RecordSummary, arrivedAt: Date): string {
  const parts = [
    summary.timestamp ?? arrivedAt.toISOString(),
    summary.appId ?? '-',
    `rid=${summary.rid ?? '-'}`,
    summary.platform ?? '-',
  ];
  if (summary.compression !== null && summary.compression !== '') parts.push(`(${summary.compression})`);
  if (summary.eventCount !== null) {
    const noun = summary.eventCount === 1 ? 'event' : 'events';
    const types = describeEventTypes(summary.eventTypes);
    parts.push(types === '' ? `${summary.eventCount} ${noun}` : `${summary.eventCount} ${noun}: ${types}`);
  }
  if (summary.problem !== null) parts.push(`[${summary.problem}]`);
  return parts.join(' ');
}
