import { describe, expect, it } from 'vitest';
import type { RequestOutcome } from '../../../lambda/core/outcome';
import { formatRequestLine, printable } from '../../../local/request-line';

const outcome: RequestOutcome = {
  route: 'collect',
  statusCode: 200,
  requestId: '0123456789abcdef0123456789abcdef',
  appId: 'test_release',
  eventsAccepted: 1,
  eventsQuarantined: 1,
  eventsToFallback: 0,
  streamRetries: 0,
  bytesIn: 300,
  errorCode: null,
  firstReason: 'event 2: timestamp is required',
};

/** The clock part is local time; the rest is what the tests pin down. */
const withoutClock = (line: string) => line.slice(line.indexOf(' ') + 1);

describe('formatRequestLine', () => {
  it('shows status, path, appId, events accepted and quarantined, and the first reason', () => {
    const line = formatRequestLine({
      time: new Date(),
      method: 'POST',
      path: '/collect',
      statusCode: 200,
      durationMs: 3.4,
      outcome,
    });
    expect(withoutClock(line)).toBe(
      '200 POST /collect appId=test_release accepted=1 quarantined=1 3ms rid=0123456789abcdef0123456789abcdef — event 2: timestamp is required',
    );
  });

  it('shows the error code of a refused request', () => {
    const refused = {
      ...outcome,
      statusCode: 403,
      appId: 'nope',
      eventsAccepted: 0,
      eventsQuarantined: 0,
      errorCode: 'forbidden',
      firstReason: 'unknown app',
    };
    const line = formatRequestLine({
      time: new Date(),
      method: 'POST',
      path: '/collect',
      statusCode: 403,
      durationMs: 1,
      outcome: refused,
    });
    expect(line).toMatch(
      / 403 POST \/collect appId=nope accepted=0 quarantined=0 .* — forbidden: unknown app$/,
    );
  });

  it('falls back to the query appId and the server reason when the handler gave no outcome', () => {
    const line = formatRequestLine({
      time: new Date(),
      method: 'POST',
      path: '/collect',
      statusCode: 413,
      durationMs: 0,
      outcome: undefined,
      appId: 'test_app',
      requestId: 'ab',
      reason: 'too big',
    });
    expect(withoutClock(line)).toBe('413 POST /collect appId=test_app 0ms rid=ab — too big');
  });
});

describe('client text in the request line', () => {
  it('escapes control characters, so an appId cannot forge a line or move the cursor', () => {
    const line = formatRequestLine({
      time: new Date(),
      method: 'POST',
      path: '/collect\r\n12:00:00 200 POST /collect',
      statusCode: 403,
      durationMs: 1,
      outcome: undefined,
      appId: '\u001b[2K\u001b[1Gforged\nline',
    });
    expect([...line].some((character) => (character.codePointAt(0) ?? 0) < 0x20)).toBe(false);
    expect(line).toContain('appId=\\x1b[2K\\x1b[1Gforged\\x0aline');
    expect(line).toContain('/collect\\x0d\\x0a12:00:00');
  });

  it('bounds the length of what the client sent', () => {
    expect(printable('a'.repeat(10_000)).length).toBeLessThanOrEqual(120);
  });
});
