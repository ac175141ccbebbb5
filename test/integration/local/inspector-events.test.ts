import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type LocalCollector, startLocalCollector } from '../../../local/collector';
import {
  DOC_EXAMPLE_BODY,
  DOC_EXAMPLE_HEADERS,
  DOC_EXAMPLE_QUERY,
  gzipBase64,
  sampleEvent,
} from '../../support/events';
import { type InspectorClient, inspectorClient, postToCollector } from '../../support/inspector';

/**
 * `GET /_local/events` of the local inspector: the events the collector accepted, read back from
 * the stream of the embedded Kinesis emulator, as a user's end-to-end test reads them.
 */

describe('local inspector: accepted events', () => {
  let collector: LocalCollector;
  let inspector: InspectorClient;

  beforeAll(async () => {
    collector = await startLocalCollector({ env: {}, port: 0, quiet: true, archiver: false });
    inspector = inspectorClient(collector.url);
  });

  beforeEach(async () => {
    await inspector.reset();
  });

  afterAll(async () => {
    await collector?.stop();
  });

  async function send(appId: string, events: readonly Record<string, unknown>[]): Promise<string> {
    const response = await postToCollector(
      collector.url,
      `appId=${appId}&platform=Web`,
      JSON.stringify(events),
    );
    expect(response.status).toBe(200);
    return response.headers.get('x-request-id') ?? '';
  }

  it("lists a request's events right after its 200, each as sent with its appId, rid and receive time", async () => {
    const before = Date.now();
    const response = await postToCollector(
      collector.url,
      DOC_EXAMPLE_QUERY,
      DOC_EXAMPLE_BODY,
      DOC_EXAMPLE_HEADERS,
    );
    expect(response.status).toBe(200);
    const rid = response.headers.get('x-request-id');

    // No sleep: the inspector reads the stream when asked.
    const items = await inspector.events();

    const sent = JSON.parse(DOC_EXAMPLE_BODY) as Array<Record<string, unknown>>;
    expect(items).toEqual(
      sent.map((event) => ({
        appId: 'test_release',
        rid,
        receivedAt: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/),
        platform: 'Android',
        eventType: event.event_type,
        eventId: event.event_id,
        source: 'stream',
        event,
      })),
    );
    const receivedAt = Date.parse(items[0]?.receivedAt ?? '');
    expect(receivedAt).toBeGreaterThanOrEqual(before);
    expect(receivedAt).toBeLessThanOrEqual(Date.now());
  });

  it('puts the newest request first and keeps the order of the events within each request', async () => {
    const first = [sampleEvent({ event_id: 'first-1' }), sampleEvent({ event_id: 'first-2' })];
    const second = [sampleEvent({ event_id: 'second-1' }), sampleEvent({ event_id: 'second-2' })];
    await send('test_app', first);
    await send('test_app', second);

    const ids = (await inspector.events()).map((item) => item.eventId);

    expect(ids).toEqual(['second-1', 'second-2', 'first-1', 'first-2']);
  });

  it('filters by appId, event_type and rid, and returns at most limit items', async () => {
    const shopRid = await send('test_app', [
      sampleEvent({ event_type: 'add_to_cart', event_id: 'cart-1' }),
      sampleEvent({ event_type: 'view_item', event_id: 'view-1' }),
      sampleEvent({ event_type: 'add_to_cart', event_id: 'cart-2' }),
    ]);
    await send('test_release', [sampleEvent({ event_type: 'add_to_cart', event_id: 'other-app' })]);

    const ids = async (query: Record<string, string>) =>
      (await inspector.events(query)).map((item) => item.eventId);

    expect(await ids({ appId: 'test_app' })).toEqual(['cart-1', 'view-1', 'cart-2']);
    expect(await ids({ event_type: 'add_to_cart' })).toEqual(['other-app', 'cart-1', 'cart-2']);
    expect(await ids({ appId: 'test_app', event_type: 'add_to_cart' })).toEqual(['cart-1', 'cart-2']);
    expect(await ids({ rid: shopRid })).toEqual(['cart-1', 'view-1', 'cart-2']);
    expect(await ids({ limit: '2' })).toEqual(['other-app', 'cart-1']);
    expect(await ids({ appId: 'test_app', event_type: 'view_item', limit: '1' })).toEqual(['view-1']);
    expect(await ids({ appId: 'no_such_app' })).toEqual([]);
  });

  it('shows the events of a body sent as base64 gzip text (compression=gzip) decoded', async () => {
    const events = [
      sampleEvent({ event_id: 'gz-1', platform: 'Android' }),
      sampleEvent({ event_id: 'gz-2' }),
    ];
    const body = gzipBase64(JSON.stringify(events));
    const response = await postToCollector(
      collector.url,
      'appId=test_app&platform=Android&compression=gzip',
      body,
    );
    expect(response.status).toBe(200);

    const items = await inspector.events({ rid: response.headers.get('x-request-id') ?? '' });

    expect(items.map((item) => item.event)).toEqual(events);
    expect(items.map((item) => item.platform)).toEqual(['Android', 'Android']);
  });

  it('returns hostile strings as JSON data, character for character', async () => {
    const hostile = {
      markup: '<img src=x onerror="window.pwned=1"><script>alert(1)</script>',
      quotes: '"\'`{{constructor}}` \\',
      controls: 'line\nbreak\u0000nul\u2028separator\u202eoverride',
      html: '</td></tr></table><h1>injected</h1>',
    };
    const event = sampleEvent({ event_type: hostile.markup, event_id: hostile.html, attributes: hostile });
    const rid = await send('test_app', [event]);

    const answer = await inspector.call('GET', `/events?rid=${rid}`);

    expect(answer.headers.get('content-type')).toBe('application/json; charset=utf-8');
    expect(answer.headers.get('x-content-type-options')).toBe('nosniff');
    expect(answer.body).toEqual({
      items: [expect.objectContaining({ eventType: hostile.markup, eventId: hostile.html, event })],
    });
  });

  it('filters by an event type that holds characters to escape in a URL', async () => {
    const eventType = 'a&b=c?d#e f/ü';
    await send('test_app', [sampleEvent({ event_type: eventType, event_id: 'odd-type' })]);
    await send('test_app', [sampleEvent({ event_type: 'a', event_id: 'plain-type' })]);

    const items = await inspector.events({ event_type: eventType });

    expect(items.map((item) => item.eventId)).toEqual(['odd-type']);
  });
});
