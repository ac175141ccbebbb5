import type { QuarantineKind, QuarantineLine } from '../../lambda/core/quarantine';
import { decodeEvents } from '../record-summary';
import type { FeedItem } from './feed';

/**
 * What the inspector shows, read from what the collector stored: the events of a sink record
 * (README "Record format"; `data` may be base64 gzip text) and the lines of a quarantine object
 * (gzip NDJSON, one line per quarantined event or rejected body). Pure: the JSON API's item shapes
 * are defined here.
 */

/** Where an accepted event was found: the stream, or the S3 fallback when the stream refused it. */
export type EventSource = 'stream' | 'fallback';

export interface AcceptedEvent {
  readonly appId: string | null;
  readonly rid: string | null;
  /** The collector's receive time, ISO 8601 UTC (the record's `timestamp`). */
  readonly receivedAt: string | null;
  readonly platform: string | null;
  /** The event's `event_type` and `event_id` when they are strings, else null. */
  readonly eventType: string | null;
  readonly eventId: string | null;
  readonly source: EventSource;
  /** The event as sent, parsed. */
  readonly event: unknown;
}

export interface QuarantineItem {
  readonly kind: QuarantineKind;
  readonly appId: string | null;
  readonly rid: string | null;
  readonly receivedAt: string | null;
  /** The request's path and query as sent. */
  readonly uri: string | null;
  readonly eventType: string | null;
  readonly eventId: string | null;
  /** Position of the event in its request; null for a rejected body. */
  readonly index: number | null;
  /** The error code a rejected body was answered with (400); null for events. */
  readonly error: string | null;
  readonly reasons: readonly string[];
  /** The quarantined event as sent, parsed (its text when it is not JSON); null for a rejected body. */
  readonly event: unknown;
  /** A rejected body as text when it is UTF-8, else as base64; at most BODY_PREVIEW_CHARS of it. */
  readonly body: string | null;
  readonly bodyBase64: string | null;
  readonly bodyTruncated: boolean;
}

/** The items read from one stored record or object: one request's. */
export interface ReadBatch<T> {
  /** Epoch ms, for ordering and for the reset boundary. */
  readonly receivedAt: number;
  readonly items: FeedItem<T>[];
}

/** Rejected bodies may be up to the body cap (1 MB); the inspector shows their start. */
export const BODY_PREVIEW_CHARS = 65_536;
/** Rough cost of an item's fields beside its event or body. */
const ITEM_OVERHEAD_BYTES = 256;

type Fields = Readonly<Record<string, unknown>>;

function isFields(value: unknown): value is Fields {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function text(value: unknown): string | null {
  return typeof value === 'string' ? value : null;
}

/** The receive time of a record or line: its epoch ms, else its ISO time, else `fallback`. */
function epochMs(fields: Fields, isoField: string, fallback: number): number {
  const millis = fields.ingest_time;
  if (typeof millis === 'number' && Number.isFinite(millis)) return millis;
  const parsed = Date.parse(text(fields[isoField]) ?? '');
  return Number.isNaN(parsed) ? fallback : parsed;
}

function parseJson(value: string): unknown {
  try {
    return JSON.parse(value);
  } catch {
    return value;
  }
}

function sizeOf(value: unknown): number {
  return (JSON.stringify(value) ?? '').length + ITEM_OVERHEAD_BYTES;
}

/** A sink record and its events, or null when it is not one the collector wrote. */
function readRecord(bytes: Uint8Array): { readonly record: Fields; readonly events: unknown[] } | null {
  try {
    const record: unknown = JSON.parse(Buffer.from(bytes).toString('utf8'));
    if (!isFields(record)) return null;
    return { record, events: decodeEvents(record.data) };
  } catch {
    return null;
  }
}

/** The events of one sink record, or null when it is not one the collector wrote (not JSON, no events). */
export function recordEvents(
  bytes: Uint8Array,
  source: EventSource,
  arrivedAt: number,
): ReadBatch<AcceptedEvent> | null {
  const read = readRecord(bytes);
  if (read === null) return null;
  const { record, events } = read;
  return {
    receivedAt: epochMs(record, 'timestamp', arrivedAt),
    items: events.map((event) => {
      const value: AcceptedEvent = {
        appId: text(record.appId),
        rid: text(record.rid),
        receivedAt: text(record.timestamp),
        platform: text(record.platform),
        eventType: isFields(event) ? text(event.event_type) : null,
        eventId: isFields(event) ? text(event.event_id) : null,
        source,
        event,
      };
      return { value, size: sizeOf(event) };
    }),
  };
}

function preview(value: string | null): { readonly text: string | null; readonly truncated: boolean } {
  if (value === null || value.length <= BODY_PREVIEW_CHARS) return { text: value, truncated: false };
  return { text: value.slice(0, BODY_PREVIEW_CHARS), truncated: true };
}

function quarantineKind(value: unknown): QuarantineKind | null {
  return value === 'invalid_event' || value === 'oversized_event' || value === 'rejected_body' ? value : null;
}

/** A parsed quarantine line, each of its columns still to be checked (names from the line's type). */
type LineFields = Readonly<Partial<Record<keyof QuarantineLine, unknown>>>;

function quarantineItem(line: LineFields, kind: QuarantineKind): FeedItem<QuarantineItem> {
  const body = preview(text(line.body));
  const bodyBase64 = preview(text(line.body_base64));
  const eventText = text(line.event);
  const reasons = Array.isArray(line.reasons)
    ? line.reasons.filter((reason) => typeof reason === 'string')
    : [];
  const value: QuarantineItem = {
    kind,
    appId: text(line.app_id),
    rid: text(line.rid),
    receivedAt: text(line.received_at),
    uri: text(line.uri),
    eventType: text(line.event_type),
    eventId: text(line.event_id),
    index: typeof line.event_index === 'number' ? line.event_index : null,
    error: text(line.error),
    reasons,
    event: eventText === null ? null : parseJson(eventText),
    body: body.text,
    bodyBase64: bodyBase64.text,
    bodyTruncated: body.truncated || bodyBase64.truncated,
  };
  const stored = (eventText ?? '').length + (body.text ?? '').length + (bodyBase64.text ?? '').length;
  return { value, size: stored + ITEM_OVERHEAD_BYTES };
}

/** The lines of one quarantine object (already gunzipped); lines that are not quarantine lines are skipped. */
export function quarantineLines(ndjson: string, arrivedAt: number): ReadBatch<QuarantineItem> {
  let receivedAt = arrivedAt;
  const items: FeedItem<QuarantineItem>[] = [];
  for (const line of ndjson.split('\n')) {
    if (line.trim() === '') continue;
    const fields = parseJson(line);
    if (!isFields(fields)) continue;
    const kind = quarantineKind(fields.kind);
    if (kind === null) continue;
    receivedAt = epochMs(fields, 'received_at', arrivedAt);
    items.push(quarantineItem(fields, kind));
  }
  return { receivedAt, items };
}

/** The filters of `/_local/events` and `/_local/quarantine`; an absent one matches everything. */
export interface ItemFilter {
  readonly appId?: string;
  readonly eventType?: string;
  readonly rid?: string;
}

export function matches(filter: ItemFilter) {
  return (item: AcceptedEvent | QuarantineItem): boolean =>
    (filter.appId === undefined || item.appId === filter.appId) &&
    (filter.eventType === undefined || item.eventType === filter.eventType) &&
    (filter.rid === undefined || item.rid === filter.rid);
}
