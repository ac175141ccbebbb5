import { gzipSync } from 'node:zlib';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeBody } from '../../../lambda/core/body/decode-body';
import { BadRequestError, PayloadTooLargeError } from '../../../lambda/core/errors';
import { gzipBase64, hashCodeOf } from '../../support/events';

const limits = { maxBodyBytes: 1_048_576, maxDecompressedBytes: 100_000 };
const input = (body: Buffer | string, extra: Partial<Parameters<typeof decodeBody>[0]> = {}) => ({
  body: Buffer.from(body),
  compression: undefined,
  hashCode: undefined,
  contentEncoding: undefined,
  ...extra,
});

function errorOf(run: () => unknown): { status: number; code: string } {
  try {
    run();
  } catch (error) {
    if (error instanceof BadRequestError || error instanceof PayloadTooLargeError) {
      return { status: error.statusCode, code: error.code };
    }
    throw error;
  }
  throw new Error('expected an error');
}

describe('decodeBody', () => {
  it('keeps a plain JSON body as the record text, uncompressed', () => {
    const decoded = decodeBody(input('[{"a":1}]'), limits);
    expect(decoded).toEqual({ bodyText: '[{"a":1}]', json: '[{"a":1}]', compression: null });
  });

  it('treats an empty compression parameter as no compression (mobile SDKs with compression off)', () => {
    expect(decodeBody(input('[]', { compression: '' }), limits).compression).toBeNull();
  });

  it('inflates base64 gzip text and keeps the base64 text for the record', () => {
    const text = gzipBase64('[{"a":1}]');
    const decoded = decodeBody(input(text, { compression: 'gzip' }), limits);
    expect(decoded).toEqual({ bodyText: text, json: '[{"a":1}]', compression: 'gzip' });
  });

  it('accepts base64 wrapped in lines, as Android encoders write it', () => {
    const text = gzipBase64(JSON.stringify([{ pad: 'x'.repeat(500) }]));
    const wrapped = text.replace(/(.{76})/g, '$1\n');
    expect(decodeBody(input(wrapped, { compression: 'gzip' }), limits).json).toContain('x'.repeat(500));
  });

  it('undoes Content-Encoding: gzip before anything else', () => {
    const decoded = decodeBody(input(gzipSync('[{"a":2}]'), { contentEncoding: 'gzip' }), limits);
    expect(decoded.json).toBe('[{"a":2}]');
    expect(decoded.bodyText).toBe('[{"a":2}]');
  });

  it('verifies hashCode over the body string as sent, in either letter case', () => {
    const text = gzipBase64('[]');
    const hash = hashCodeOf(text).toUpperCase();
    expect(decodeBody(input(text, { compression: 'gzip', hashCode: hash }), limits).json).toBe('[]');
  });

  it.each([
    ['a hashCode mismatch', input('[]', { hashCode: '00000000' }), 'hash_mismatch'],
    ['invalid base64', input('not base64!', { compression: 'gzip' }), 'invalid_base64'],
    [
      'base64 that is not gzip',
      input(Buffer.from('hello').toString('base64'), { compression: 'gzip' }),
      'invalid_gzip',
    ],
    ['truncated gzip', input(gzipBase64('[{"a":1}]').slice(0, 20), { compression: 'gzip' }), 'invalid_gzip'],
    ['an unknown compression', input('[]', { compression: 'br' }), 'unsupported_compression'],
    ['an unknown Content-Encoding', input('[]', { contentEncoding: 'br' }), 'unsupported_content_encoding'],
    ['invalid UTF-8', input(Buffer.from([0x5b, 0xff, 0xfe, 0x5d])), 'invalid_utf8'],
  ])('answers 400 for %s', (_case, request, code) => {
    expect(errorOf(() => decodeBody(request, limits))).toEqual({ status: 400, code });
  });

  it('answers 413 when the raw body is over the limit, before decoding it', () => {
    const tooBig = input(Buffer.alloc(limits.maxBodyBytes + 1, 0xff));
    expect(errorOf(() => decodeBody(tooBig, limits))).toEqual({ status: 413, code: 'payload_too_large' });
  });

  it('answers 413 for a decompression bomb', () => {
    const bomb = gzipSync(Buffer.alloc(10_000_000, 0x20)).toString('base64');
    expect(errorOf(() => decodeBody(input(bomb, { compression: 'gzip' }), limits))).toEqual({
      status: 413,
      code: 'decompressed_too_large',
    });
  });
});

describe('decodeBody of a body handed over as text (a Lambda event without base64)', () => {
  const asText = (body: string, extra: Partial<Parameters<typeof decodeBody>[0]> = {}) => ({
    ...input(body, extra),
    body,
  });
  /** The decoded body, or the error's code. */
  function outcome(run: () => unknown) {
    try {
      return run();
    } catch (error) {
      if (error instanceof BadRequestError || error instanceof PayloadTooLargeError) return error.code;
      throw error;
    }
  }

  it('reads it as the text of its UTF-8 bytes, lone surrogates and a leading BOM included', () => {
    const text = fc.oneof(
      fc.string({ unit: 'binary', maxLength: 40 }),
      fc.string({ unit: 'binary', maxLength: 40 }).map((body) => `\ufeff${body}`),
      fc.constantFrom('[1]', '\ufeff[1]', '[\ud800]', '["\udc00\ud83d\ude00"]', '\ufeff\ufeff'),
    );
    fc.assert(
      fc.property(
        text,
        fc.constantFrom('none', 'right', 'wrong'),
        fc.boolean(),
        fc.integer({ min: 0, max: 120 }),
        (body, hash, gzip, maxBodyBytes) => {
          const sent = gzip ? gzipBase64(body) : body;
          const extra = {
            compression: gzip ? 'gzip' : undefined,
            hashCode: { none: undefined, right: hashCodeOf(sent), wrong: '00000000' }[hash],
          };
          const given = { ...limits, maxBodyBytes };
          expect(outcome(() => decodeBody(asText(sent, extra), given))).toEqual(
            outcome(() => decodeBody(input(sent, extra), given)),
          );
        },
      ),
      { numRuns: 2_000 },
    );
  });

  it('replaces a lone surrogate as its UTF-8 bytes do, and drops a leading byte order mark', () => {
    expect(decodeBody(asText('\ufeff["\ud800"]'), limits).bodyText).toBe('["\ufffd"]');
  });

  it('measures the limit in UTF-8 bytes, not characters', () => {
    const body = `["${'é'.repeat(600)}"]`;
    expect(errorOf(() => decodeBody(asText(body), { ...limits, maxBodyBytes: 1_000 }))).toEqual({
      status: 413,
      code: 'payload_too_large',
    });
  });
});
