import type { CollectorConfig } from '../config';
import { resolveClientIp } from './client-ip';
import type { HttpRequest } from './ports';
import type { RecordContext } from './records/record';

/**
 * The request's side of a record: who sent it, how and when. Every string that comes from the
 * client and lands outside `data` is bounded, so a hostile header cannot inflate every record (or
 * the archive, or a log line) by megabytes.
 */

export const FIELD_LIMITS = {
  /** Real user agents are 100–500 characters. */
  ua: 1_024,
  /** The SDKs' query strings are under 300 characters. */
  uri: 2_048,
  platform: 64,
} as const;

/** `upload_timestamp` becomes `client_timestamp` only when it is an integer of epoch milliseconds. */
const EPOCH_MS_DIGITS = /^\d{1,16}$/;

/** Cuts `text` to at most `max` UTF-16 units, never in the middle of a surrogate pair. */
export function bounded(text: string, max: number): string {
  if (text.length <= max) return text;
  const last = text.charCodeAt(max - 1);
  return text.slice(0, last >= 0xd800 && last <= 0xdbff ? max - 1 : max);
}

export function clientTimestamp(uploadTimestamp: string | undefined): number | null {
  if (uploadTimestamp === undefined || !EPOCH_MS_DIGITS.test(uploadTimestamp)) return null;
  const value = Number(uploadTimestamp);
  return Number.isSafeInteger(value) ? value : null;
}

export function requestContext(
  request: HttpRequest,
  appId: string,
  rid: string,
  receivedAt: number,
  config: Pick<CollectorConfig, 'ipPolicy' | 'ipAnonymization'>,
): RecordContext {
  const ua = request.headers['user-agent'];
  const platform = request.query.platform;
  const uri = request.rawQueryString === '' ? request.path : `${request.path}?${request.rawQueryString}`;
  return {
    appId,
    rid,
    receivedAt,
    ip: resolveClientIp(request, config.ipPolicy, config.ipAnonymization),
    ua: ua === undefined ? null : bounded(ua, FIELD_LIMITS.ua),
    method: request.method,
    path: request.path,
    uri: bounded(uri, FIELD_LIMITS.uri),
    platform: platform === undefined || platform === '' ? null : bounded(platform, FIELD_LIMITS.platform),
    clientTimestamp: clientTimestamp(request.query.upload_timestamp),
  };
}
