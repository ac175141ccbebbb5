import { createHash } from 'node:crypto';
import { gunzipSync } from 'node:zlib';
import { BadRequestError, PayloadTooLargeError } from '../errors';

/**
 * Turns a request body into the JSON text of its events, enforcing the API's limits before any
 * work that grows with the input: the raw size first, then a cap on what gzip may inflate to.
 * (`read-batch.ts` then finds the events in that text.)
 */

export interface BodyLimits {
  readonly maxBodyBytes: number;
  readonly maxDecompressedBytes: number;
}

export interface DecodeInput {
  readonly body: Buffer;
  /** The `compression` query parameter; empty means none, as the mobile SDKs send it when off. */
  readonly compression: string | undefined;
  /** The `hashCode` query parameter, if any. */
  readonly hashCode: string | undefined;
  /** The `Content-Encoding` header, if any (transport compression, undone first). */
  readonly contentEncoding: string | undefined;
}

export interface DecodedBody {
  /** The body string as the application sent it: what goes into the record's `data`. */
  readonly bodyText: string;
  /** The JSON text of the events: `bodyText` itself, or what its gzip inflates to. */
  readonly json: string;
  /** `'gzip'` when `bodyText` is base64 text of gzip bytes (the mobile SDKs' format). */
  readonly compression: 'gzip' | null;
}

const utf8 = new TextDecoder('utf-8', { fatal: true });
// Standard base64, optionally wrapped in lines (Android's default encoder wraps at 76 columns).
const BASE64_TEXT = /^[A-Za-z0-9+/\r\n]*={0,2}[\r\n]*$/;

export function assertBodySize(body: Buffer, limits: BodyLimits): void {
  if (body.length > limits.maxBodyBytes) {
    throw new PayloadTooLargeError(
      'payload_too_large',
      `The request body is ${body.length} bytes; the limit is ${limits.maxBodyBytes}`,
    );
  }
}

function gunzip(bytes: Buffer, limits: BodyLimits): Buffer {
  try {
    return gunzipSync(bytes, { maxOutputLength: limits.maxDecompressedBytes });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE') {
      throw new PayloadTooLargeError(
        'decompressed_too_large',
        `The body decompresses to more than ${limits.maxDecompressedBytes} bytes`,
      );
    }
    throw new BadRequestError('invalid_gzip', 'The body is not valid gzip data');
  }
}

function decodeUtf8(bytes: Uint8Array, what: string): string {
  try {
    return utf8.decode(bytes);
  } catch {
    throw new BadRequestError('invalid_utf8', `The ${what} is not valid UTF-8`);
  }
}

export function sha256Prefix(bytes: Uint8Array | string): string {
  return createHash('sha256').update(bytes).digest('hex').slice(0, 8);
}

function verifyHashCode(bytes: Buffer, expected: string | undefined): void {
  if (expected === undefined || expected === '') return;
  if (sha256Prefix(bytes) !== expected.toLowerCase()) {
    throw new BadRequestError('hash_mismatch', 'hashCode does not match the body');
  }
}

export function decodeBody(input: DecodeInput, limits: BodyLimits): DecodedBody {
  assertBodySize(input.body, limits);
  const encoding = input.contentEncoding?.trim().toLowerCase();
  if (encoding !== undefined && encoding !== '' && encoding !== 'identity' && encoding !== 'gzip') {
    throw new BadRequestError('unsupported_content_encoding', 'Only gzip Content-Encoding is supported');
  }
  // Content-Encoding is the transport's business: undo it, then read the body as the SDK built it.
  const sent = encoding === 'gzip' ? gunzip(input.body, limits) : input.body;
  verifyHashCode(sent, input.hashCode);

  const compression = input.compression === undefined || input.compression === '' ? null : input.compression;
  if (compression !== null && compression !== 'gzip') {
    throw new BadRequestError('unsupported_compression', 'Only compression=gzip is supported');
  }
  const bodyText = decodeUtf8(sent, 'body');
  if (compression === null) {
    return { bodyText, json: bodyText, compression: null };
  }
  if (!BASE64_TEXT.test(bodyText)) {
    throw new BadRequestError('invalid_base64', 'compression=gzip needs a base64 text body');
  }
  const inflated = gunzip(Buffer.from(bodyText, 'base64'), limits);
  return { bodyText, json: decodeUtf8(inflated, 'decompressed body'), compression: 'gzip' };
}
