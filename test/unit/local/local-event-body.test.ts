import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import {
  formatRequestTime,
  type NodeRequestLike,
  toFunctionUrlEvent,
} from '../../../local/function-url-event';

/**
 * The local adapter's fast paths added with the benchmark work (local/function-url-event.ts): text
 * bodies carried as text, cookies split in one pass, the request time formatted once a second.
 * (They belong with test/unit/local; kept here because the benchmark change may only add tests
 * under test/unit/bench.)
 */

const options = { now: new Date('2024-06-27T06:19:45.123Z'), requestId: 'r-1' };

function request(headers: readonly string[] = []): NodeRequestLike {
  return {
    method: 'POST',
    url: '/collect?appId=test_app',
    rawHeaders: ['Host', '127.0.0.1:8080', ...headers],
    httpVersion: '1.1',
    remoteAddress: '127.0.0.1',
  };
}

/** What the handler does with the event's body (lambda/http/lambda-events.ts). */
const bytesOf = (event: { body?: string; isBase64Encoded: boolean }): Buffer =>
  Buffer.from(event.body ?? '', event.isBase64Encoded ? 'base64' : 'utf8');

describe('the function URL event body', () => {
  it('carries valid UTF-8 without Content-Encoding as text, byte-exact', () => {
    const body = Buffer.from('[{"event_type":"héllo ✓ 😀","x":"\u0000"}]', 'utf8');
    const event = toFunctionUrlEvent(request(), body, options);
    expect(event.isBase64Encoded).toBe(false);
    expect(event.body).toBe(body.toString('utf8'));
    expect(bytesOf(event).equals(body)).toBe(true);
  });

  it('keeps a byte-order mark', () => {
    const body = Buffer.from([0xef, 0xbb, 0xbf, 0x5b, 0x5d]);
    const event = toFunctionUrlEvent(request(), body, options);
    expect(event.isBase64Encoded).toBe(false);
    expect(bytesOf(event).equals(body)).toBe(true);
  });

  it('carries gzip bytes and invalid UTF-8 as base64, byte-exact', () => {
    for (const body of [gzipSync('[{"event_type":"x"}]'), Buffer.from([0x5b, 0xc3, 0x28, 0x5d])]) {
      const event = toFunctionUrlEvent(request(), body, options);
      expect(event.isBase64Encoded).toBe(true);
      expect(bytesOf(event).equals(body)).toBe(true);
    }
  });

  it('carries a body with a Content-Encoding as base64 even when it is valid UTF-8', () => {
    const body = Buffer.from('[]');
    const event = toFunctionUrlEvent(request(['Content-Encoding', 'identity']), body, options);
    expect(event.isBase64Encoded).toBe(true);
    expect(bytesOf(event).equals(body)).toBe(true);
  });
});

describe('headers and time', () => {
  it('moves every Cookie header into cookies and keeps the others, comma-joined', () => {
    const event = toFunctionUrlEvent(
      request(['Cookie', 'a=1; b=2', 'X-Tag', 'one', 'cookie', 'c=3', 'x-tag', 'two']),
      Buffer.alloc(0),
      options,
    );
    expect(event.cookies).toEqual(['a=1', 'b=2', 'c=3']);
    expect(event.headers).toEqual({ host: '127.0.0.1:8080', 'x-tag': 'one,two' });
  });

  it('formats each second right when called again within it and after it', () => {
    const first = new Date('2020-03-12T19:03:58.001Z');
    expect(formatRequestTime(first)).toBe('12/Mar/2020:19:03:58 +0000');
    expect(formatRequestTime(new Date('2020-03-12T19:03:58.999Z'))).toBe('12/Mar/2020:19:03:58 +0000');
    expect(formatRequestTime(new Date('2020-03-12T19:03:59.000Z'))).toBe('12/Mar/2020:19:03:59 +0000');
    expect(formatRequestTime(first)).toBe('12/Mar/2020:19:03:58 +0000');
  });
});
