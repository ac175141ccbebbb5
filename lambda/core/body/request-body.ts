import type { RequestBody } from '../ports';

/** The size of the body as sent, in bytes. */
export function bodyLength(body: RequestBody): number {
  return typeof body === 'string' ? Buffer.byteLength(body) : body.length;
}

/** The body's bytes as sent: a text body's UTF-8. */
export function bodyBytes(body: RequestBody): Buffer {
  return typeof body === 'string' ? Buffer.from(body) : body;
}
