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
const MAX_FIELD_CHARS = 120;
/** C0 and C1 controls, DEL, and the Unicode line and paragraph separators. */
function isControl(code: number): boolean {
  return code <= 0x1f || (code >= 0x7f && code <= 0x9f) || code === 0x2028 || code === 0x2029;
}

/**
 * Client text made safe for a terminal line: control characters (ANSI escapes, newlines that would
 * forge a line of their own) written as `\xNN` / `\uNNNN` escapes, and the length bounded.
 */
export function printable(text: string, max = MAX_FIELD_CHARS): string {
  let escaped = '';
  for (const character of text) {
    // Stops early: a megabyte of client text costs no more than `max` characters of work.
    if (escaped.length > max) break;
    const code = character.codePointAt(0) ?? 0;
    if (!isControl(code)) escaped += character;
    else
      escaped +=
        code <= 0xff
          ? `\\x${code.toString(16).padStart(2, '0')}`
          : `\\u${code.toString(16).padStart(4, '0')}`;
  }
  return escaped.length > max ? `${escaped.slice(0, max - 1)}…` : escaped;
}

function clockTime(date: Date): string {
  const pad = (value: number) => String(value).padStart(2, '0');
  return `${pad(date.getHours())}:${pad(date.getMinutes())}:${pad(date.getSeconds())}`;
}

function oneLine(text: string): string {
  return printable(text.replace(/[ \t\r\n]+/g, ' ').trim(), MAX_REASON_CHARS);
}

export function formatRequestLine(input: RequestLineInput): string {
  const outcome = input.outcome;
  const appId = outcome?.appId ?? input.appId ?? null;
  const parts = [
    clockTime(input.time),
    String(input.statusCode),
    printable(input.method),
    printable(input.path),
    `appId=${appId === null ? '-' : printable(appId)}`,
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
