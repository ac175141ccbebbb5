import { hash } from 'node:crypto';
import { gunzipSync } from 'node:zlib';
import { BadRequestError, PayloadTooLargeError } from '../errors';
import type { RequestBody } from '../ports';
import { bodyBytes, bodyLength } from './request-body';

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
  readonly body: RequestBody;
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

// Without ignoreBOM, a leading byte order mark is dropped, as JSON parsers may.
const utf8 = new TextDecoder('utf-8', { fatal: true });
const BOM = 0xfeff;
/** Any half of a surrogate pair: only text with one can hold a lone half. */
const SURROGATE = /[\ud800-\udfff]/;
// Standard base64, optionally wrapped in lines (Android's default encoder wraps at 76 columns).
const BASE64_TEXT = /^[A-Za-z0-9+/\r\n]*={0,2}[\r\n]*$/;

function assertBodySize(body: RequestBody, limits: BodyLimits): void {
  const bytes = bodyLength(body);
  if (bytes > limits.maxBodyBytes) {
    throw new PayloadTooLargeError(
      'payload_too_large',
      `The request body is ${bytes} bytes; the limit is ${limits.maxBodyBytes}`,
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

/**
 * A text body as the text of its UTF-8 bytes, as `decodeUtf8` would read them: the same text, but
 * for a leading byte order mark, which is dropped, and lone surrogate halves, which UTF-8 cannot
 * carry (their bytes are U+FFFD's). Text without surrogates, nearly every body, needs no copy.
 */
function sentText(text: string): string {
  if (SURROGATE.test(text)) return decodeUtf8(Buffer.from(text), 'body');
  return text.charCodeAt(0) === BOM ? text.slice(1) : text;
}

// The one-shot `hash` skips the Hash object of a `createHash` chain: a third faster on SDK-sized bodies.
function sha256Prefix(bytes: Uint8Array | string): string {
  return hash('sha256', bytes, 'hex').slice(0, 8);
}

/** Hashing a text hashes its UTF-8 (lone surrogates as U+FFFD, like `Buffer.from`): the bytes sent. */
function verifyHashCode(bytes: RequestBody, expected: string | undefined): void {
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
  const sent = encoding === 'gzip' ? gunzip(bodyBytes(input.body), limits) : input.body;
  verifyHashCode(sent, input.hashCode);

  const compression = input.compression === undefined || input.compression === '' ? null : input.compression;
  if (compression !== null && compression !== 'gzip') {
    throw new BadRequestError('unsupported_compression', 'Only compression=gzip is supported');
  }
  const bodyText = typeof sent === 'string' ? sentText(sent) : decodeUtf8(sent, 'body');
  if (compression === null) {
    return { bodyText, json: bodyText, compression: null };
  }
  if (!BASE64_TEXT.test(bodyText)) {
    throw new BadRequestError('invalid_base64', 'compression=gzip needs a base64 text body');
  }
  const inflated = gunzip(Buffer.from(bodyText, 'base64'), limits);
  return { bodyText, json: decodeUtf8(inflated, 'decompressed body'), compression: 'gzip' };
}
