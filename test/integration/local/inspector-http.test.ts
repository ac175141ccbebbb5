import { request as httpRequest } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LocalCollector, startLocalCollector } from '../../../local/collector';
import { type InspectorClient, inspectorClient } from '../../support/inspector';

/**
 * The inspector's HTTP contract: the page and its files, JSON errors in the collector's shape for
 * bad calls, and who may change things (a web page the user visits may not).
 */

/** A GET with a Host header of our choosing (fetch does not let a caller set it). */
function getWithHost(url: string, host: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const request = httpRequest(url, { headers: { host } }, (response) => {
      let body = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => {
        body += chunk;
      });
      response.on('end', () => resolve({ status: response.statusCode ?? 0, body }));
    });
    request.on('error', reject);
    request.end();
  });
}

describe('local inspector: HTTP contract', () => {
  let collector: LocalCollector;
  let inspector: InspectorClient;

  beforeAll(async () => {
    collector = await startLocalCollector({ env: {}, port: 0, quiet: true, archiver: false });
    inspector = inspectorClient(collector.url);
  });

  afterAll(async () => {
    await collector?.stop();
  });

  it('serves the page at /_local/ with its script and style, under a policy that runs only its own script', async () => {
    const page = await inspector.call('GET', '/');

    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(page.headers.get('content-security-policy')).toContain("script-src 'self'");
    expect(page.headers.get('content-security-policy')).toContain("default-src 'none'");
    expect(page.text).toContain('<script type="module" src="/_local/inspector.js"></script>');
    const script = await inspector.call('GET', '/inspector.js');
    expect(script.status).toBe(200);
    expect(script.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(script.text).toContain('textContent');
    expect(script.text).not.toContain('innerHTML');
    const style = await inspector.call('GET', '/inspector.css');
    expect(style.headers.get('content-type')).toBe('text/css; charset=utf-8');
  });

  it('redirects /_local to /_local/', async () => {
    const answer = await inspector.call('GET', '');

    expect(answer.status).toBe(308);
    expect(answer.headers.get('location')).toBe('/_local/');
  });

  it.each([
    ['GET', '/nothing-here'],
    ['GET', '/events/extra'],
    ['PUT', '/apps/a/b'],
    ['GET', '/index.html'],
  ])('answers %s /_local%s with 404 and a JSON error', async (method, path) => {
    const answer = await inspector.call(method, path);

    expect(answer.status).toBe(404);
    expect(answer.headers.get('content-type')).toBe('application/json; charset=utf-8');
    expect(answer.body).toEqual({
      error: 'not_found',
      message: expect.any(String),
      requestId: answer.headers.get('x-request-id'),
    });
    expect(answer.headers.get('x-request-id')).toMatch(/^[0-9a-f]{32}$/);
  });

  it.each([
    ['POST', '/events', 'GET'],
    ['DELETE', '/quarantine', 'GET'],
    ['PUT', '/summary', 'GET'],
    ['GET', '/reset', 'POST'],
    ['POST', '/apps', 'GET'],
    ['POST', '/apps/shop', 'GET, PUT, DELETE'],
    ['POST', '/', 'GET, HEAD'],
  ])('answers %s /_local%s with 405 and Allow: %s', async (method, path, allowed) => {
    const answer = await inspector.call(method, path);

    expect(answer.status).toBe(405);
    expect(answer.headers.get('allow')).toBe(allowed);
    expect(answer.body).toMatchObject({ error: 'method_not_allowed', requestId: expect.any(String) });
  });

  it.each([
    ['/events?limit=0'],
    ['/events?limit=1001'],
    ['/events?limit=ten'],
    ['/quarantine?limit=1.5'],
    ['/events?eventType=click'],
    ['/summary?appId=test_app'],
  ])('answers GET /_local%s with 400 invalid_query', async (path) => {
    const answer = await inspector.call('GET', path);

    expect(answer.status).toBe(400);
    expect(answer.body).toMatchObject({ error: 'invalid_query', message: expect.any(String) });
  });

  it('refuses changes sent by another web origin, and takes them from its own page', async () => {
    const foreign = { headers: { origin: 'http://evil.example' } };
    expect((await inspector.call('POST', '/reset', foreign)).status).toBe(403);
    const refused = await inspector.call('PUT', '/apps/evil_app', foreign);
    expect(refused.body).toMatchObject({ error: 'origin_not_allowed' });
    expect((await inspector.call('GET', '/apps/evil_app')).body).toMatchObject({ registered: false });

    const own = { headers: { origin: collector.url } };
    expect((await inspector.call('PUT', '/apps/own_app', own)).status).toBe(200);
    expect((await inspector.call('GET', '/events', foreign)).status).toBe(200);
  });

  it('refuses a request whose Host is not a loopback name (DNS rebinding)', async () => {
    const port = new URL(collector.url).port;

    const rebound = await getWithHost(`${collector.url}/_local/events`, `attacker.example:${port}`);
    const loopback = await getWithHost(`${collector.url}/_local/events`, `localhost:${port}`);

    expect(rebound.status).toBe(403);
    expect(JSON.parse(rebound.body)).toMatchObject({ error: 'host_not_allowed' });
    expect(loopback.status).toBe(200);
  });

  it('leaves every other path to the collector', async () => {
    const answer = await fetch(`${collector.url}/_localx`);

    expect(answer.status).toBe(404);
    expect(await answer.json()).toMatchObject({ error: 'not_found', message: 'No such endpoint' });
  });
});

describe('local inspector at start', () => {
  it('fails naming CLICKSTREAM_PATH when the collect path is under /_local/', async () => {
    await expect(
      startLocalCollector({ env: { CLICKSTREAM_PATH: '/_local/collect' }, port: 0, quiet: true }),
    ).rejects.toThrow(/CLICKSTREAM_PATH/);
  });
});
