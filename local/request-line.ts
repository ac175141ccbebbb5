import type { RequestOutcome } from '../lambda/core/outcome';

/** The one line the local server prints per request. Pure, so its format is unit-tested. */

export interface RequestLineInput {
  readonly time: Date;
  readonly method: string;
  /** Path without the query string: the query can be long and is in the record anyway. */
  readonly path: string;
  readonly statusCode: number;
  readonly durationMs: number;
  /** The handler's report, when it gave one. */
  readonly outcome: RequestOutcome | undefined;
  /** The appId of the query, used when there is no outcome. */
  readonly appId?: string | null;
  /** The request id, when known (the `x-request-id` response header). */
  readonly requestId?: string | null;
  /** A reason given by the server itself (413 before the handler, a crash). */
  readonly reason?: string | null;
}

const MAX_REASON_CHARS = 200;

function clockTime(date: Date): string {
  const pad = (value: number) => String(value).padStart(2, '0');
  return `${pad(date.getHours())}:${pad(date.getMinutes())}:${pad(date.getSeconds())}`;
}

function oneLine(text: string): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > MAX_REASON_CHARS ? `${flat.slice(0, MAX_REASON_CHARS - 1)}…` : flat;
}

export function formatRequestLine(input: RequestLineInput): string {
  const outcome = input.outcome;
  const appId = outcome?.appId ?? input.appId ?? null;
  const parts = [
    clockTime(input.time),
    String(input.statusCode),
    input.method,
    input.path,
    `appId=${appId ?? '-'}`,
  ];
  if (outcome !== undefined) {
    parts.push(`accepted=${outcome.eventsAccepted}`, `quarantined=${outcome.eventsQuarantined}`);
    if (outcome.eventsToFallback > 0) parts.push(`fallback=${outcome.eventsToFallback}`);
    if (outcome.streamRetries > 0) parts.push(`retries=${outcome.streamRetries}`);
  }
  parts.push(`${Math.round(input.durationMs)}ms`);
  const requestId = outcome?.requestId ?? input.requestId ?? null;
  if (requestId !== null) parts.push(`rid=${requestId}`);
  const code = outcome?.errorCode ?? null;
  const reason = outcome?.firstReason ?? input.reason ?? null;
  if (code !== null || reason !== null) {
    parts.push('—', oneLine([code, reason].filter((part) => part !== null).join(': ')));
  }
  return parts.join(' ');
}
