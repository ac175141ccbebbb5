import { gzipSync } from 'node:zlib';
import { hourPartition } from './partition-path';
import type { ObjectStore } from './ports';
import type { Compression, RecordContext } from './records/record';

/**
 * Quarantine objects: what the collector did not put on the stream, with the reasons, so nothing
 * a client sent disappears without a trace. One object per request,
 * `{prefix}year=…/month=…/day=…/hour=…/{rid}.ndjson.gz`: gzip newline-delimited JSON with one line
 * per quarantined event (its exact text) or per rejected body — a shape that reads as a table.
 * Each event's text is stored once, and its reasons are bounded, so the object stays within a small
 * multiple of the body however hostile the body.
 */

export interface RequestSummary {
  readonly rid: string;
  readonly appId: string | null;
  readonly receivedAt: number;
  readonly method: string;
  readonly uri: string;
  readonly ip: string;
  readonly ua: string | null;
  readonly compression: Compression;
}

/** What the quarantine lines say about a request (only built when something is quarantined). */
export function requestSummary(context: RecordContext, compression: Compression): RequestSummary {
  const { rid, appId, receivedAt, method, uri, ip, ua } = context;
  return { rid, appId, receivedAt, method, uri, ip, ua, compression };
}

export type QuarantineKind = 'invalid_event' | 'oversized_event' | 'rejected_body';

/** An event kept out of the stream: its position, exact text and why. */
export interface QuarantinedEvent {
  readonly kind: 'invalid_event' | 'oversized_event';
  readonly index: number;
  readonly text: string;
  readonly value: unknown;
  readonly reasons: readonly string[];
}

export interface RejectedBody {
  readonly code: string;
  readonly reason: string;
  readonly body: Buffer;
}

/** After this many quarantined events of one request, each further one keeps only its first reason. */
const EVENTS_WITH_ALL_REASONS = 100;
/** Longer ids are cut: they are for finding the event, the text holds the whole of it. */
const MAX_ID_LENGTH = 128;

// ignoreBOM: a leading byte order mark is part of the bytes to keep.
const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/** A string field of the event, when it is one, as a handle for queries. */
function stringField(value: unknown, field: string): string | null {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return null;
  const candidate: unknown = Reflect.get(value, field);
  return typeof candidate === 'string' ? candidate.slice(0, MAX_ID_LENGTH) : null;
}

/** One line of a quarantine object: the columns of the `quarantine` table (lambda/tables/catalog.ts). */
export interface QuarantineLine {
  readonly kind: QuarantineKind;
  readonly rid: string;
  readonly app_id: string | null;
  readonly received_at: string;
  readonly ingest_time: number;
  readonly method: string;
  readonly uri: string;
  readonly ip: string;
  readonly ua: string | null;
  readonly compression: Compression;
  /** The event's position in its request; null for a rejected body. */
  readonly event_index: number | null;
  readonly event_id: string | null;
  readonly event_type: string | null;
  /** A rejected body's error code; null for events. */
  readonly error: string | null;
  readonly reasons: readonly string[];
  /** The event's text as sent; null for a rejected body. */
  readonly event: string | null;
  /** A rejected body's text when it is UTF-8. */
  readonly body: string | null;
  /** A rejected body's bytes when they are not UTF-8. */
  readonly body_base64: string | null;
}

/** The columns that describe the request, the same on each of its lines. */
type RequestColumns = Pick<
  QuarantineLine,
  'rid' | 'app_id' | 'received_at' | 'ingest_time' | 'method' | 'uri' | 'ip' | 'ua' | 'compression'
>;

function common(request: RequestSummary): RequestColumns {
  return {
    rid: request.rid,
    app_id: request.appId,
    received_at: new Date(request.receivedAt).toISOString(),
    ingest_time: request.receivedAt,
    method: request.method,
    uri: request.uri,
    ip: request.ip,
    ua: request.ua,
    compression: request.compression,
  };
}

function quarantineObjectKey(prefix: string, request: RequestSummary): string {
  return `${prefix}${hourPartition(request.receivedAt)}${request.rid}.ndjson.gz`;
}

/** The lines for the events of one request (every line has the columns of the `quarantine` table). */
export function eventLines(request: RequestSummary, events: readonly QuarantinedEvent[]): string[] {
  const shared = common(request);
  return events.map((event, position) => {
    const line: QuarantineLine = {
      kind: event.kind,
      ...shared,
      event_index: event.index,
      event_id: stringField(event.value, 'event_id'),
      event_type: stringField(event.value, 'event_type'),
      error: null,
      reasons: position < EVENTS_WITH_ALL_REASONS ? event.reasons : event.reasons.slice(0, 1),
      event: event.text,
      body: null,
      body_base64: null,
    };
    return JSON.stringify(line);
  });
}

/** The line for a body that could not be read as events; its bytes are kept exactly. */
export function rejectedBodyLine(request: RequestSummary, rejected: RejectedBody): string {
  let text: string | null = null;
  try {
    text = utf8.decode(rejected.body);
  } catch {
    // Not UTF-8: kept as base64 instead.
  }
  const line: QuarantineLine = {
    kind: 'rejected_body',
    ...common(request),
    event_index: null,
    event_id: null,
    event_type: null,
    error: rejected.code,
    reasons: [rejected.reason],
    event: null,
    body: text,
    body_base64: text === null ? rejected.body.toString('base64') : null,
  };
  return JSON.stringify(line);
}

export async function storeQuarantine(
  store: ObjectStore,
  prefix: string,
  request: RequestSummary,
  lines: readonly string[],
): Promise<void> {
  await store.put({
    key: quarantineObjectKey(prefix, request),
    body: gzipSync(`${lines.join('\n')}\n`),
    contentType: 'application/x-ndjson',
    contentEncoding: 'gzip',
  });
}
