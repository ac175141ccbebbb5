import { describe, expect, it, vi } from 'vitest';
import { createCorsPolicy } from '../../../lambda/access/cors';
import { assertNoPublicSuffixWildcards, publicSuffixWildcards } from '../../../lambda/access/cors-wildcards';
import { httpRequest } from '../../support/lambda-events';

const ALLOWED = ['https://shop.example.org', 'https://*.example.com', 'http://localhost:3000'];

function fromOrigin(origin: string, headers: Record<string, string> = {}) {
  return httpRequest({ headers: { origin, ...headers } });
}

function allowedHeaders(origin: string) {
  return {
    'access-control-allow-origin': origin,
    'access-control-allow-credentials': 'true',
    vary: 'Origin',
    'access-control-expose-headers': 'x-request-id',
  };
}

describe('CORS decisions', () => {
  const policy = createCorsPolicy(ALLOWED);

  it('leaves requests without an Origin header alone (SDKs, servers, curl)', () => {
    expect(policy.decide(httpRequest())).toEqual({ kind: 'no-origin' });
  });

  it('allows an exact origin and echoes it with credentials, Vary and the exposed request id', () => {
    expect(policy.decide(fromOrigin('https://shop.example.org'))).toEqual({
      kind: 'allowed',
      headers: allowedHeaders('https://shop.example.org'),
    });
  });

  it('denies an origin that is not configured', () => {
    expect(policy.decide(fromOrigin('https://other.example.org'))).toEqual({
      kind: 'denied',
      origin: 'https://other.example.org',
    });
  });

  it('lets a wildcard match exactly one DNS label', () => {
    expect(policy.decide(fromOrigin('https://app.example.com'))).toEqual({
      kind: 'allowed',
      headers: allowedHeaders('https://app.example.com'),
    });
  });

  it('does not let a wildcard match the bare domain', () => {
    expect(policy.decide(fromOrigin('https://example.com')).kind).toBe('denied');
  });

  it('does not let a wildcard match two labels', () => {
    expect(policy.decide(fromOrigin('https://a.b.example.com')).kind).toBe('denied');
  });

  it.each([
    ['a hyphenated look-alike domain', 'https://evil-example.com'],
    ['a look-alike label glued to the domain', 'https://appexample.com'],
    ['the allowed domain as a prefix of another host', 'https://app.example.com.evil.net'],
    ['an exact origin as a prefix of another host', 'https://shop.example.org.evil.net'],
    ['another port', 'https://shop.example.org:8443'],
    ['another port under a wildcard', 'https://app.example.com:8443'],
    ['another scheme', 'http://shop.example.org'],
    ['another scheme under a wildcard', 'http://app.example.com'],
    ['the configured port missing', 'http://localhost'],
    ['an origin with a path', 'https://shop.example.org/x'],
    ['an origin with credentials', 'https://user@shop.example.org'],
    ['two origins in one header', 'https://shop.example.org, https://evil.net'],
    ['the opaque origin "null"', 'null'],
  ])('denies %s (%s) without any CORS header', (_what, origin) => {
    expect(policy.decide(fromOrigin(origin))).toEqual({ kind: 'denied', origin });
  });

  it('treats an explicit default port as the same origin', () => {
    const withPort = createCorsPolicy(['https://shop.example.org:443']);
    expect(withPort.decide(fromOrigin('https://shop.example.org')).kind).toBe('allowed');
  });

  it('matches a configured non-default port exactly', () => {
    expect(policy.decide(fromOrigin('http://localhost:3000')).kind).toBe('allowed');
    expect(policy.decide(fromOrigin('http://localhost:3001')).kind).toBe('denied');
  });

  it('matches configured origins case-insensitively and tolerates a trailing slash', () => {
    const loose = createCorsPolicy(['https://Shop.Example.ORG/']);
    expect(loose.decide(fromOrigin('https://shop.example.org')).kind).toBe('allowed');
  });

  it('supports an IPv6 literal origin', () => {
    const v6 = createCorsPolicy(['http://[::1]:8080']);
    expect(v6.decide(fromOrigin('http://[::1]:8080')).kind).toBe('allowed');
    expect(v6.decide(fromOrigin('http://[::2]:8080')).kind).toBe('denied');
  });

  it('denies every browser origin when none is configured', () => {
    expect(createCorsPolicy([]).decide(fromOrigin('https://shop.example.org')).kind).toBe('denied');
  });
});

describe('CORS preflight headers', () => {
  const policy = createCorsPolicy(ALLOWED, { maxAgeSeconds: 600 });

  it('grants the methods, Content-Type and a max-age to an allowed origin', () => {
    const headers = policy.preflightHeaders(
      fromOrigin('https://app.example.com', {
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'content-type',
      }),
    );
    expect(headers).toEqual({
      'access-control-allow-origin': 'https://app.example.com',
      'access-control-allow-credentials': 'true',
      'access-control-expose-headers': 'x-request-id',
      'access-control-allow-methods': 'POST, GET, OPTIONS',
      'access-control-allow-headers': 'content-type',
      'access-control-max-age': '600',
      vary: 'Origin, Access-Control-Request-Headers',
    });
  });

  it('echoes requested headers from the safe list and drops the others', () => {
    const headers = policy.preflightHeaders(
      fromOrigin('https://app.example.com', {
        'access-control-request-headers': 'Authorization, X-Evil, Content-Type',
      }),
    );
    expect(headers['access-control-allow-headers']).toBe('content-type, authorization');
  });

  it('grants X-Forwarded-For, which the API document example sets from fetch', () => {
    const headers = policy.preflightHeaders(
      fromOrigin('https://app.example.com', {
        'access-control-request-headers': 'content-type,x-forwarded-for',
      }),
    );
    expect(headers['access-control-allow-headers']).toBe('content-type, x-forwarded-for');
  });

  it('grants Content-Type and User-Agent to a Firefox-shaped preflight, so the web SDK POST from Firefox follows', () => {
    // The web SDK sets User-Agent on its fetch; Firefox (and WebKit) send it and so ask for it.
    const headers = policy.preflightHeaders(
      fromOrigin('https://app.example.com', {
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'content-type,user-agent',
      }),
    );
    expect(headers['access-control-allow-headers']).toBe('content-type, user-agent');
  });

  it('grants every header an official SDK sets that a browser may put in a preflight', () => {
    // web, Android, Swift and WeChat SDKs set Content-Type; web and Android set User-Agent. Their
    // `cookie` header is one a page may not set, so no browser ever asks for it.
    const headers = policy.preflightHeaders(
      fromOrigin('https://app.example.com', { 'access-control-request-headers': 'User-Agent, Content-Type' }),
    );
    expect(headers['access-control-allow-headers']).toBe('content-type, user-agent');
  });

  it("grants what CAoA's ingestion server granted, so a page written against it keeps working", () => {
    const caoaList =
      'DNT,X-CustomHeader,Keep-Alive,User-Agent,X-Requested-With,If-Modified-Since,Cache-Control,Content-Type';
    const headers = policy.preflightHeaders(
      fromOrigin('https://app.example.com', { 'access-control-request-headers': caoaList }),
    );
    // Keep-Alive is a header no page may set, so no browser asks for it: it is not on the list.
    expect(headers['access-control-allow-headers']?.split(', ').sort()).toEqual([
      'cache-control',
      'content-type',
      'dnt',
      'if-modified-since',
      'user-agent',
      'x-customheader',
      'x-requested-with',
    ]);
  });

  it('never grants a header outside its fixed list, whatever the preflight asks for', () => {
    const headers = policy.preflightHeaders(
      fromOrigin('https://app.example.com', {
        'access-control-request-headers': 'content-type, x-amz-security-token, cookie, x-anything, *',
      }),
    );
    expect(headers['access-control-allow-headers']).toBe('content-type');
  });

  it('always grants Content-Type, even when the browser did not list it', () => {
    const headers = policy.preflightHeaders(fromOrigin('https://app.example.com'));
    expect(headers['access-control-allow-headers']).toBe('content-type');
  });

  it('uses a two-hour max-age by default', () => {
    const headers = createCorsPolicy(ALLOWED).preflightHeaders(fromOrigin('https://shop.example.org'));
    expect(headers['access-control-max-age']).toBe('7200');
  });

  it('gives a disallowed origin no CORS headers at all', () => {
    expect(policy.preflightHeaders(fromOrigin('https://evil-example.com'))).toEqual({});
  });

  it('gives a request without Origin no CORS headers', () => {
    expect(policy.preflightHeaders(httpRequest())).toEqual({});
  });
});

describe('CORS configuration', () => {
  it.each([
    ['a bare "*"', '*'],
    ['a scheme-less entry', 'example.com'],
    ['a wildcard in a non-leftmost label', 'https://app.*.example.com'],
    ['a partial-label wildcard', 'https://app-*.example.com'],
    ['a wildcard directly over a top-level domain', 'https://*.com'],
    ['a path', 'https://example.com/collect'],
    ['a query', 'https://example.com?x=1'],
    ['a port out of range', 'https://example.com:70000'],
    ['an invalid host', 'https://exa mple.com'],
  ])('rejects %s (%s), naming CLICKSTREAM_CORS_ORIGINS', (_what, entry) => {
    expect(() => createCorsPolicy([entry])).toThrow(/CLICKSTREAM_CORS_ORIGINS/);
  });

  it.each([
    ['an ICANN public suffix', 'https://*.co.uk'],
    ['a private-section public suffix', 'https://*.github.io'],
    ['a cloud public suffix', 'https://*.s3.amazonaws.com'],
    ['a wildcard public suffix rule (*.ck)', 'https://*.foo.ck'],
  ])(
    'rejects a wildcard directly under %s (%s): any site registered there would match',
    async (_what, entry) => {
      await expect(assertNoPublicSuffixWildcards([entry])).rejects.toThrow(
        /CLICKSTREAM_CORS_ORIGINS: .*public suffix/,
      );
    },
  );

  it.each(['https://*.example.co.uk', 'https://*.my-site.github.io', 'https://*.example.com'])(
    'accepts a wildcard below a registered domain (%s)',
    async (entry) => {
      expect(() => createCorsPolicy([entry])).not.toThrow();
      await expect(assertNoPublicSuffixWildcards([entry])).resolves.toBeUndefined();
    },
  );

  it('needs no suffix list when no origin is a wildcard', async () => {
    const publicSuffixOf = vi.fn(() => null);
    expect(publicSuffixWildcards(['https://shop.example.com'], publicSuffixOf)).toEqual([]);
    expect(publicSuffixOf).not.toHaveBeenCalled();
  });

  it('rejects a negative max-age', () => {
    expect(() => createCorsPolicy([], { maxAgeSeconds: -1 })).toThrow();
  });
});
