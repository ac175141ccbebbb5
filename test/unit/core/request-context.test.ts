import { describe, expect, it } from 'vitest';
import { bounded, clientTimestamp, FIELD_LIMITS, requestContext } from '../../../lambda/core/request-context';
import { httpRequest } from '../../support/lambda-events';

const policy = { ipPolicy: 'first-forwarded', ipAnonymization: 'keep' } as const;

describe('the request side of a record', () => {
  it.each([
    ['1719469185123', 1719469185123],
    ['0', 0],
    [undefined, null],
    ['', null],
    ['abc\ndef', null],
    ['1.5', null],
    ['-5', null],
    ['99999999999999999', null],
  ])('reads upload_timestamp %j as client_timestamp %j', (value, expected) => {
    expect(clientTimestamp(value)).toBe(expected);
  });

  it('bounds every client-controlled string it copies into the record', () => {
    const request = httpRequest({
      headers: { 'user-agent': 'u'.repeat(100_000) },
      query: { platform: 'p'.repeat(10_000) },
      rawQueryString: `platform=${'p'.repeat(10_000)}`,
    });
    const context = requestContext(request, 'test_app', 'rid', 0, policy);
    expect(context.ua).toHaveLength(FIELD_LIMITS.ua);
    expect(context.platform).toHaveLength(FIELD_LIMITS.platform);
    expect(context.uri).toHaveLength(FIELD_LIMITS.uri);
  });

  it('never cuts a character in half', () => {
    expect(bounded('ab😀', 3)).toBe('ab');
    expect(bounded('ab😀', 4)).toBe('ab😀');
  });

  it('writes an empty ip, never null, when the address is dropped', () => {
    const request = httpRequest({ headers: { 'x-forwarded-for': '203.0.113.7' } });
    const context = requestContext(request, 'test_app', 'rid', 0, { ...policy, ipAnonymization: 'drop' });
    expect(context.ip).toBe('');
  });
});
