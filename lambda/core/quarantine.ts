import { gzipSync } from 'node:zlib';
import { hourPartition } from './partition-path';
import type { ObjectStore } from './ports';
import type { Compression } from './records/record';

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
export const EVENTS_WITH_ALL_REASONS = 100;
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

function common(request: RequestSummary) {
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

export function quarantineObjectKey(prefix: string, request: RequestSummary): string {
  return `${prefix}${hourPartition(request.receivedAt)}${request.rid}.ndjson.gz`;
}

/** The lines for the events of one request (every line has the columns of the `quarantine` table). */
export function eventLines(request: RequestSummary, events: readonly QuarantinedEvent[]): string[] {
  const shared = common(request);
  return events.map((event, position) =>
    JSON.stringify({
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
    }),
  );
}

/** The line for a body that could not be read as events; its bytes are kept exactly. */
export function rejectedBodyLine(request: RequestSummary, rejected: RejectedBody): string {
  let text: string | null = null;
  try {
    text = utf8.decode(rejected.body);
  } catch {
    // Not UTF-8: kept as base64 instead.
  }
  return JSON.stringify({
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
  });
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
