import { describe, expect, it } from 'vitest';
import { sampleEvent } from '../../support/events';
import { memoryCollector } from '../../support/memory-collector';

// CORS wired into the whole handler (the policy itself is specified in test/unit/access/cors.test.ts).
const env = { CLICKSTREAM_CORS_ORIGINS: 'https://shop.example.com,https://*.example.org' };
const body = JSON.stringify([sampleEvent()]);

describe('collect from browsers', () => {
  it('echoes an allowed origin with credentials on the POST so the browser delivers the answer', async () => {
    const response = await memoryCollector(env).send({
      query: 'appId=test_app',
      headers: { origin: 'https://shop.example.com' },
      body,
    });
    expect(response.statusCode).toBe(200);
    expect(response.headers).toMatchObject({
      'access-control-allow-origin': 'https://shop.example.com',
      'access-control-allow-credentials': 'true',
      vary: 'Origin',
    });
  });

  it('keeps the CORS headers on an error answer to an allowed origin, so the page can read it', async () => {
    const response = await memoryCollector(env).send({
      query: 'appId=nobody',
      headers: { origin: 'https://a.example.org' },
      body,
    });
    expect(response.statusCode).toBe(403);
    expect(response.headers['access-control-allow-origin']).toBe('https://a.example.org');
  });

  it.each([
    'https://evil-example.com',
    'https://shop.example.com.evil.net',
    'http://shop.example.com',
    'https://shop.example.com:8443',
    'https://a.b.example.org',
  ])('refuses the look-alike origin %s with 403 and no CORS headers, storing nothing', async (origin) => {
    const collector = memoryCollector(env);
    const response = await collector.send({ query: 'appId=test_app', headers: { origin }, body });
    expect(response.statusCode).toBe(403);
    expect(response.headers['access-control-allow-origin']).toBeUndefined();
    expect(collector.stream.records).toHaveLength(0);
  });

  it('answers a preflight with the allowed methods, headers and a max-age', async () => {
    const response = await memoryCollector(env).send({
      method: 'OPTIONS',
      query: 'appId=test_app',
      headers: {
        origin: 'https://shop.example.com',
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'content-type',
      },
    });
    expect(response.statusCode).toBe(204);
    expect(response.headers['access-control-allow-methods']).toContain('POST');
    expect(response.headers['access-control-allow-headers']?.toLowerCase()).toContain('content-type');
    expect(Number(response.headers['access-control-max-age'])).toBeGreaterThan(0);
  });

  it('leaves requests without Origin (mobile SDKs, servers, curl) unaffected', async () => {
    const response = await memoryCollector(env).send({ query: 'appId=test_app', body });
    expect(response.statusCode).toBe(200);
    expect(response.headers['access-control-allow-origin']).toBeUndefined();
  });
});
