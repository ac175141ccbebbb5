import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type LocalCollector, startLocalCollector } from '../../../local/collector';
import { sampleEvent } from '../../support/events';
import { type InspectorClient, inspectorClient, postToCollector } from '../../support/inspector';
import { quarantineLines } from '../../support/quarantine';
import { readObjects, readStream } from '../../support/stream-reader';

/**
 * `GET /_local/quarantine`, `GET /_local/summary` and `POST /_local/reset` of the local inspector,
 * against the embedded emulators: quarantined events and rejected bodies read back from S3, the
 * counts of what happened to each request, and a reset that restarts only the inspector's view.
 */

const MAX_BODY_BYTES = 4_096;

describe('local inspector: quarantine, summary and reset', () => {
  let collector: LocalCollector;
  let inspector: InspectorClient;

  beforeAll(async () => {
    collector = await startLocalCollector({
      env: { CLICKSTREAM_MAX_BODY_BYTES: String(MAX_BODY_BYTES) },
      port: 0,
      quiet: true,
      archiver: false,
    });
    inspector = inspectorClient(collector.url);
  });

  beforeEach(async () => {
    await inspector.reset();
  });

  afterAll(async () => {
    await collector?.stop();
  });

  it('lists quarantined events with their reasons beside the accepted events of the same request', async () => {
    const valid = sampleEvent({ event_id: 'kept' });
    const invalid = { event_type: 'purchase', app_id: 'test_app', timestamp: 1 };
    const response = await postToCollector(collector.url, 'appId=test_app', JSON.stringify([valid, invalid]));
    expect(response.status).toBe(200);
    expect(response.headers.get('x-clickstream-quarantined')).toBe('1');
    const rid = response.headers.get('x-request-id');

    const [quarantined, accepted] = await Promise.all([inspector.quarantine(), inspector.events()]);

    expect(quarantined).toEqual([
      expect.objectContaining({
        kind: 'invalid_event',
        appId: 'test_app',
        rid,
        uri: '/collect?appId=test_app',
        eventType: 'purchase',
        eventId: null,
        index: 1,
        error: null,
        reasons: [expect.stringMatching(/^event_id: /)],
        event: invalid,
        body: null,
      }),
    ]);
    expect(accepted.map((item) => item.event)).toEqual([valid]);
  });

  it('lists a body that is not JSON (answered 400) with its error code, reason and exact text', async () => {
    const response = await postToCollector(collector.url, 'appId=test_app', '[{"event_type": oops}]');
    expect(response.status).toBe(400);

    const [item] = await inspector.quarantine();

    expect(item).toMatchObject({
      kind: 'rejected_body',
      appId: 'test_app',
      rid: response.headers.get('x-request-id'),
      error: 'invalid_json',
      reasons: ['The body is not valid JSON'],
      event: null,
      body: '[{"event_type": oops}]',
      bodyBase64: null,
      bodyTruncated: false,
    });
  });

  it('lists a body that is not UTF-8 as base64 of its exact bytes', async () => {
    const bytes = Buffer.from([0x5b, 0xff, 0xfe, 0x5d]);
    const response = await postToCollector(collector.url, 'appId=test_app', bytes);
    expect(response.status).toBe(400);

    const [item] = await inspector.quarantine({ rid: response.headers.get('x-request-id') ?? '' });

    expect(item).toMatchObject({ kind: 'rejected_body', error: 'invalid_utf8', body: null });
    expect(Buffer.from(item?.bodyBase64 ?? '', 'base64').equals(bytes)).toBe(true);
  });

  it('filters the quarantine by appId and event_type', async () => {
    const bad = (eventType: string) => ({ event_type: eventType, app_id: 'x', timestamp: 1 });
    await postToCollector(collector.url, 'appId=test_app', JSON.stringify([bad('login'), bad('logout')]));
    await postToCollector(collector.url, 'appId=test_release', JSON.stringify([bad('login')]));

    const kinds = async (query: Record<string, string>) =>
      (await inspector.quarantine(query)).map((item) => `${item.appId}/${item.eventType}`);

    expect(await kinds({ appId: 'test_app' })).toEqual(['test_app/login', 'test_app/logout']);
    expect(await kinds({ event_type: 'login' })).toEqual(['test_release/login', 'test_app/login']);
    expect(await kinds({ limit: '1' })).toEqual(['test_release/login']);
  });

  it('counts accepted and quarantined events, rejected bodies and rejected requests by status and error', async () => {
    const events = JSON.stringify([
      sampleEvent(),
      sampleEvent(),
      { event_type: 'no_id', app_id: 'x', timestamp: 1 },
    ]);
    expect((await postToCollector(collector.url, 'appId=test_app', events)).status).toBe(200);
    expect((await postToCollector(collector.url, 'appId=test_app', 'not json')).status).toBe(400);
    expect((await postToCollector(collector.url, 'appId=unregistered', '[]')).status).toBe(403);
    const tooLarge = Buffer.alloc(MAX_BODY_BYTES + 1, 0x20);
    expect((await postToCollector(collector.url, 'appId=test_app', tooLarge)).status).toBe(413);
    // Neither a preflight nor a validation is a collected request.
    expect((await fetch(`${collector.url}/collect?appId=test_app`, { method: 'OPTIONS' })).status).toBe(204);
    const validation = await fetch(`${collector.url}/collect/validate?appId=test_app`, {
      method: 'POST',
      body: events,
    });
    expect(validation.status).toBe(200);

    const summary = await inspector.summary();

    expect(summary).toMatchObject({
      accepted: 2,
      quarantined: 1,
      rejectedBodies: 1,
      unreadableRecords: 0,
      requests: {
        total: 4,
        accepted: 1,
        rejected: 3,
        failed: 0,
        byStatus: { '200': 1, '400': 1, '403': 1, '413': 1 },
        byError: { invalid_json: 1, app_id_unknown: 1, payload_too_large: 1 },
      },
      held: { events: 2, quarantine: 2, maxItems: 1_000 },
    });
  });

  it('forgets events, quarantine and counts on reset, shows what comes later, and leaves the stream and bucket as they were', async () => {
    const invalid = JSON.stringify([{ event_type: 'before', app_id: 'x', timestamp: 1 }]);
    const before = await postToCollector(
      collector.url,
      'appId=test_app',
      JSON.stringify([sampleEvent({ event_id: 'before' })]),
    );
    await postToCollector(collector.url, 'appId=test_app', invalid);
    expect(await inspector.events()).toHaveLength(1);

    const resetAt = Date.now();
    const reset = await inspector.call('POST', '/reset');

    expect(reset.status).toBe(200);
    const since = (reset.body as { since: string }).since;
    expect(Date.parse(since)).toBeGreaterThanOrEqual(resetAt);
    expect(await inspector.events()).toEqual([]);
    expect(await inspector.quarantine()).toEqual([]);
    expect(await inspector.summary()).toMatchObject({
      since,
      accepted: 0,
      quarantined: 0,
      rejectedBodies: 0,
      requests: { total: 0, byStatus: {}, byError: {} },
    });

    await postToCollector(
      collector.url,
      'appId=test_app',
      JSON.stringify([sampleEvent({ event_id: 'after' })]),
    );
    expect((await inspector.events()).map((item) => item.eventId)).toEqual(['after']);
    expect((await inspector.summary()).accepted).toBe(1);

    const stream = await readStream(collector.kinesisEndpoint, collector.streamName);
    expect(stream.map((record) => record.rid)).toContain(before.headers.get('x-request-id'));
    const quarantine = await readObjects(
      collector.s3Endpoint,
      collector.bucket,
      collector.config.quarantinePrefix,
    );
    const lines = quarantine.flatMap((object) => quarantineLines(object.text));
    expect(lines.map((line) => line.event_type)).toContain('before');
  });
});
