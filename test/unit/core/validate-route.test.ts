import { describe, expect, it } from 'vitest';
import { ForbiddenError } from '../../../lambda/core/errors';
import { gzipBase64, sampleEvent } from '../../support/events';
import { memoryCollector } from '../../support/memory-collector';

const PATH = '/collect/validate';

describe('POST /collect/validate', () => {
  it('reports, per event, its index, event_id, whether it would be accepted and why not', async () => {
    const collector = memoryCollector();
    const good = sampleEvent();
    const response = await collector.send({
      path: PATH,
      query: 'appId=test_app',
      body: JSON.stringify([good, { event_type: 'no id', timestamp: 'soon', app_id: 'test_app' }]),
    });
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toBe('application/json');
    const report = JSON.parse(response.body);
    expect(report).toMatchObject({
      requestId: response.headers['x-request-id'],
      appId: 'test_app',
      received: 2,
      accepted: 1,
      quarantined: 1,
    });
    expect(report.events).toEqual([
      { index: 0, event_id: good.event_id, accepted: true, reasons: [] },
      {
        index: 1,
        event_id: null,
        accepted: false,
        reasons: expect.arrayContaining([
          expect.stringContaining('event_id'),
          expect.stringContaining('timestamp'),
        ]),
      },
    ]);
  });

  it('stores nothing: no record, no quarantine, not even for an unreadable body', async () => {
    const collector = memoryCollector();
    await collector.send({
      path: PATH,
      query: 'appId=test_app',
      body: JSON.stringify([sampleEvent(), { bad: 1 }]),
    });
    const unreadable = await collector.send({ path: PATH, query: 'appId=test_app', body: 'not json' });
    expect(unreadable.statusCode).toBe(400);
    expect(collector.stream.records).toEqual([]);
    expect(collector.objects.keys()).toEqual([]);
    expect(collector.outcomes.map((outcome) => [outcome.route, outcome.eventsAccepted])).toEqual([
      ['validate', 0],
      ['validate', 0],
    ]);
  });

  it('takes exactly what /collect takes: gzip bodies with their hashCode', async () => {
    const body = gzipBase64(JSON.stringify([sampleEvent()]));
    const response = await memoryCollector().send({
      path: PATH,
      query: 'appId=test_app&compression=gzip',
      body,
    });
    expect(JSON.parse(response.body)).toMatchObject({ received: 1, accepted: 1 });
  });

  it('reports an event too large for a stream record as not accepted', async () => {
    const collector = memoryCollector({ CLICKSTREAM_MAX_RECORD_BYTES: '20000' });
    const big = sampleEvent({ attributes: { pad: 'x'.repeat(30_000) } });
    const response = await collector.send({
      path: PATH,
      query: 'appId=test_app',
      body: JSON.stringify([big]),
    });
    expect(JSON.parse(response.body).events[0]).toMatchObject({
      accepted: false,
      reasons: [expect.stringContaining('larger than')],
    });
  });

  it.each([
    ['an unregistered appId', { query: 'appId=nope' }, 403],
    ['a missing appId', { query: '' }, 403],
    ['a GET', { method: 'GET', query: 'appId=test_app' }, 405],
    [
      'a browser origin that is not allowed',
      { query: 'appId=test_app', headers: { origin: 'https://evil.example' } },
      403,
    ],
  ])('answers %s as /collect does (%i)', async (_case, spec, status) => {
    const response = await memoryCollector().send({ path: PATH, body: '[]', ...spec });
    expect(response.statusCode).toBe(status);
  });

  it('needs the token when auth is on, as /collect does', async () => {
    const refuse = async () => {
      throw new ForbiddenError('auth_missing', 'Authentication required');
    };
    const collector = memoryCollector({}, { authenticator: { authenticate: refuse } });
    const response = await collector.send({ path: PATH, query: 'appId=test_app', body: '[]' });
    expect(response.statusCode).toBe(403);
    expect(JSON.parse(response.body).error).toBe('auth_missing');
  });

  it('answers a preflight from an allowed origin', async () => {
    const collector = memoryCollector({ CLICKSTREAM_CORS_ORIGINS: 'https://shop.example.com' });
    const response = await collector.send({
      method: 'OPTIONS',
      path: PATH,
      headers: { origin: 'https://shop.example.com', 'access-control-request-method': 'POST' },
    });
    expect(response.statusCode).toBe(204);
    expect(response.headers['access-control-allow-origin']).toBe('https://shop.example.com');
  });
});
