import type { InvalidEvent } from './event-schema';
import { hourPartition } from './partition-path';
import type { ObjectStore } from './ports';

/**
 * Quarantine objects: what the collector refused to put on the stream, with the reason for each,
 * so nothing a client sent disappears without a trace. One JSON object per request under
 * `{prefix}year=…/month=…/day=…/hour=…/{rid}.json`.
 */

export interface RequestSummary {
  readonly rid: string;
  readonly appId: string | null;
  readonly receivedAt: number;
  readonly method: string;
  readonly uri: string;
  readonly ip: string | null;
  readonly ua: string | null;
}

export type QuarantineEntry =
  | { readonly kind: 'rejected_body'; readonly code: string; readonly reason: string; readonly body: Buffer }
  | {
      readonly kind: 'invalid_events';
      readonly events: readonly InvalidEvent[];
      /** The whole request body, kept when an event cannot be serialised on its own. */
      readonly body: Buffer;
    };

export function quarantineObjectKey(prefix: string, request: RequestSummary): string {
  return `${prefix}${hourPartition(request.receivedAt)}${request.rid}.json`;
}

export function quarantineDocument(request: RequestSummary, entry: QuarantineEntry): string {
  const common = {
    rid: request.rid,
    appId: request.appId,
    received_at: new Date(request.receivedAt).toISOString(),
    method: request.method,
    uri: request.uri,
    ip: request.ip,
    ua: request.ua,
  };
  if (entry.kind === 'rejected_body') {
    // The raw bytes may be anything (binary, broken UTF-8): base64 keeps them exact.
    return JSON.stringify({
      ...common,
      kind: entry.kind,
      error: entry.code,
      reason: entry.reason,
      body_base64: entry.body.toString('base64'),
    });
  }
  try {
    return JSON.stringify({
      ...common,
      kind: entry.kind,
      events: entry.events.map((invalid) => ({
        index: invalid.index,
        reasons: invalid.reasons,
        event: invalid.event,
      })),
    });
  } catch {
    // An event nested too deep for JSON.stringify: keep the reasons and the exact request instead.
    return JSON.stringify({
      ...common,
      kind: entry.kind,
      events: entry.events.map((invalid) => ({ index: invalid.index, reasons: invalid.reasons })),
      body_base64: entry.body.toString('base64'),
    });
  }
}

export async function quarantine(
  store: ObjectStore,
  prefix: string,
  request: RequestSummary,
  entry: QuarantineEntry,
): Promise<void> {
  await store.put({
    key: quarantineObjectKey(prefix, request),
    body: quarantineDocument(request, entry),
    contentType: 'application/json',
  });
}
