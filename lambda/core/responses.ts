import { CollectorError } from './errors';
import type { HttpResponse } from './ports';

type Headers = Readonly<Record<string, string>>;

const JSON_TYPE = { 'content-type': 'application/json' };

export function emptyResponse(statusCode: number, headers: Headers = {}): HttpResponse {
  return { statusCode, headers, body: '' };
}

export function jsonResponse(statusCode: number, document: unknown, headers: Headers = {}): HttpResponse {
  return { statusCode, headers: { ...JSON_TYPE, ...headers }, body: JSON.stringify(document) };
}

/**
 * `/ping` as the original ingestion server's nginx answers it: `{"timestamp": $msec}`, the time in
 * seconds with a millisecond fraction (always three digits).
 */
export function pingResponse(nowMs: number): HttpResponse {
  const seconds = Math.floor(nowMs / 1_000);
  const millis = String(nowMs % 1_000).padStart(3, '0');
  return { statusCode: 200, headers: { ...JSON_TYPE }, body: `{"timestamp": ${seconds}.${millis}}` };
}

/** The one mapping from errors to HTTP: deliberate errors keep their status, anything else is a 500. */
export function errorResponse(error: unknown, requestId: string, headers: Headers = {}): HttpResponse {
  if (error instanceof CollectorError) {
    return jsonResponse(
      error.statusCode,
      { error: error.code, message: error.message, requestId },
      { ...headers, ...error.headers },
    );
  }
  return jsonResponse(500, { error: 'internal_error', message: 'Internal error', requestId }, headers);
}
