import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { resolveClientIp } from '../../../lambda/core/client-ip';
import type { EndpointKind } from '../../../lambda/core/ports';
import { httpRequest } from '../../support/lambda-events';

function request(
  forwardedFor: string | undefined,
  sourceIp: string | null,
  endpoint: EndpointKind = 'http-api',
) {
  return httpRequest({
    headers: forwardedFor === undefined ? {} : { 'x-forwarded-for': forwardedFor },
    sourceIp,
    endpoint,
  });
}

describe('client IP, first-forwarded policy (default)', () => {
  it('takes the first X-Forwarded-For entry', () => {
    const ip = resolveClientIp(
      request('203.0.113.7, 10.0.0.1, 10.0.0.2', '10.0.0.3'),
      'first-forwarded',
      'keep',
    );
    expect(ip).toBe('203.0.113.7');
  });

  it('falls back to the request context source IP without X-Forwarded-For', () => {
    expect(resolveClientIp(request(undefined, '198.51.100.4'), 'first-forwarded', 'keep')).toBe(
      '198.51.100.4',
    );
  });

  it('skips entries that are not IPs and takes the next real address', () => {
    const ip = resolveClientIp(request('unknown, 203.0.113.7', '198.51.100.4'), 'first-forwarded', 'keep');
    expect(ip).toBe('203.0.113.7');
  });

  it('behind an ALB with a garbage first entry, takes the nearest real address instead of none', () => {
    const ip = resolveClientIp(request('not-an-ip, 203.0.113.7', null, 'alb'), 'first-forwarded', 'keep');
    expect(ip).toBe('203.0.113.7');
  });

  it('falls back to the source IP when no entry is an IP', () => {
    const ip = resolveClientIp(request('unknown, _hidden', '198.51.100.4'), 'first-forwarded', 'keep');
    expect(ip).toBe('198.51.100.4');
  });

  it('never writes an IPv6 zone index, however long', () => {
    const ip = resolveClientIp(request(`fe80::1%${'x'.repeat(900)}`, null), 'first-forwarded', 'keep');
    expect(ip).toBe('fe80::1');
  });

  it('strips a port from an IPv4 entry', () => {
    expect(resolveClientIp(request('203.0.113.7:51234', null), 'first-forwarded', 'keep')).toBe(
      '203.0.113.7',
    );
  });

  it('strips brackets and a port from an IPv6 entry', () => {
    expect(resolveClientIp(request('[2001:db8::1]:443', null), 'first-forwarded', 'keep')).toBe(
      '2001:db8::1',
    );
  });

  it('accepts a bare IPv6 entry', () => {
    expect(resolveClientIp(request('2001:db8::1, 10.0.0.1', null), 'first-forwarded', 'keep')).toBe(
      '2001:db8::1',
    );
  });

  it('answers an empty string (never null) when no address is known at all', () => {
    expect(resolveClientIp(request(undefined, null), 'first-forwarded', 'keep')).toBe('');
  });

  it('ignores a source IP that is not an IP literal', () => {
    expect(resolveClientIp(request(undefined, 'not-an-ip'), 'first-forwarded', 'keep')).toBe('');
  });
});

describe('client IP, trusted-hop policy', () => {
  it('takes the entry the ALB appended (the last one) behind an ALB', () => {
    const ip = resolveClientIp(request('1.2.3.4, 203.0.113.7', null, 'alb'), 'trusted-hop', 'keep');
    expect(ip).toBe('203.0.113.7');
  });

  it('never lets spoofed entries override the hop the ALB appended', () => {
    const spoofed = request('6.6.6.6, 7.7.7.7, 198.51.100.9', null, 'alb');
    expect(resolveClientIp(spoofed, 'trusted-hop', 'keep')).toBe('198.51.100.9');
  });

  it.each(['function-url', 'http-api', 'rest-api'] as const)(
    'takes the request context source IP on %s and ignores X-Forwarded-For entirely',
    (endpoint) => {
      const spoofed = request('6.6.6.6', '203.0.113.7', endpoint);
      expect(resolveClientIp(spoofed, 'trusted-hop', 'keep')).toBe('203.0.113.7');
    },
  );

  it('behind an ALB without X-Forwarded-For falls back to the source IP', () => {
    expect(resolveClientIp(request(undefined, '203.0.113.7', 'alb'), 'trusted-hop', 'keep')).toBe(
      '203.0.113.7',
    );
  });
});

describe('client IP anonymisation', () => {
  it('keep writes the address unchanged', () => {
    expect(resolveClientIp(request('203.0.113.77', null), 'first-forwarded', 'keep')).toBe('203.0.113.77');
  });

  it('truncate zeroes the last IPv4 octet', () => {
    expect(resolveClientIp(request('203.0.113.77', null), 'first-forwarded', 'truncate')).toBe('203.0.113.0');
  });

  it('truncate keeps the first 48 bits of an IPv6 address, canonically compressed', () => {
    const ip = resolveClientIp(
      request('2001:0DB8:85A3:08D3:1319:8A2E:0370:7348', null),
      'first-forwarded',
      'truncate',
    );
    expect(ip).toBe('2001:db8:85a3::');
  });

  it('truncate compresses zero groups inside the kept prefix as RFC 5952 says', () => {
    expect(resolveClientIp(request('2001:0:0:1::5', null), 'first-forwarded', 'truncate')).toBe('2001::');
    expect(resolveClientIp(request('::1', null), 'first-forwarded', 'truncate')).toBe('::');
  });

  it('truncate treats an IPv4-mapped IPv6 address as IPv4', () => {
    expect(resolveClientIp(request(undefined, '::ffff:203.0.113.77'), 'first-forwarded', 'truncate')).toBe(
      '203.0.113.0',
    );
    expect(resolveClientIp(request(undefined, '::ffff:cb00:714d'), 'first-forwarded', 'truncate')).toBe(
      '203.0.113.0',
    );
  });

  it('truncate keeps a non-mapped embedded IPv4 form as IPv6', () => {
    expect(resolveClientIp(request(undefined, '64:ff9b::203.0.113.77'), 'first-forwarded', 'truncate')).toBe(
      '64:ff9b::',
    );
  });

  it('drop writes an empty address, never null', () => {
    expect(resolveClientIp(request('203.0.113.77', '198.51.100.4'), 'first-forwarded', 'drop')).toBe('');
    expect(resolveClientIp(request('203.0.113.77', '198.51.100.4', 'alb'), 'trusted-hop', 'drop')).toBe('');
  });

  it('truncate of any IPv6 address equals its /48 prefix in the URL standard canonical form', () => {
    const group = fc.integer({ min: 0, max: 0xffff });
    fc.assert(
      fc.property(fc.array(group, { minLength: 8, maxLength: 8 }), (groups) => {
        // IPv4-mapped addresses are truncated as IPv4 (covered above).
        fc.pre(!(groups.slice(0, 5).every((value) => value === 0) && groups[5] === 0xffff));
        const address = groups.map((value) => value.toString(16)).join(':');
        const prefix = `${groups
          .slice(0, 3)
          .map((value) => value.toString(16))
          .join(':')}:0:0:0:0:0`;
        // The WHATWG URL parser serialises IPv6 hosts in the RFC 5952 canonical form.
        const expected = new URL(`http://[${prefix}]/`).hostname.slice(1, -1);
        expect(resolveClientIp(request(address, null), 'first-forwarded', 'truncate')).toBe(expected);
      }),
    );
  });
});
