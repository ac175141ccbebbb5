import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { type LocalCollector, startLocalCollector } from '../../../local/collector';
import { type Emulators, startEmulators } from '../../../local/emulators';
import { sampleEvent } from '../../support/events';
import { type FaultProxy, startFaultProxy } from '../../support/fault-proxy';
import { inspectorClient, postToCollector } from '../../support/inspector';
import { FAST_SINK_ENV } from '../../support/reliability-rig';

/**
 * An event acknowledged while the stream refused it lives in the S3 fallback: the inspector shows
 * it there (`source: "fallback"`), so "accepted" means every 200, not only what reached the stream.
 */

describe('local inspector with a stream that refuses records', () => {
  let emulators: Emulators;
  let kinesisProxy: FaultProxy;
  let collector: LocalCollector;

  beforeAll(async () => {
    emulators = await startEmulators({ streamName: 'inspector-fallback', bucket: 'inspector-fallback' });
    kinesisProxy = await startFaultProxy({ target: emulators.kinesisEndpoint });
    // External endpoints use the environment's credentials; these are the ones s3rver knows.
    vi.stubEnv('AWS_ACCESS_KEY_ID', 'S3RVER');
    vi.stubEnv('AWS_SECRET_ACCESS_KEY', 'S3RVER');
    collector = await startLocalCollector({
      env: {
        ...FAST_SINK_ENV,
        AWS_ENDPOINT_URL_KINESIS: kinesisProxy.endpoint,
        AWS_ENDPOINT_URL_S3: emulators.s3Endpoint,
        CLICKSTREAM_STREAM_NAME: 'inspector-fallback',
        CLICKSTREAM_ARCHIVE_BUCKET: 'inspector-fallback',
      },
      port: 0,
      quiet: true,
    });
  });

  afterAll(async () => {
    await collector?.stop();
    await kinesisProxy?.stop();
    await emulators?.stop();
    vi.unstubAllEnvs();
  });

  it('lists events the fallback took with source "fallback", and later ones from the stream with source "stream"', async () => {
    const inspector = inspectorClient(collector.url);
    kinesisProxy.setMode({ kind: 'throttle', share: 1 });
    const refused = [sampleEvent({ event_id: 'refused-1' }), sampleEvent({ event_id: 'refused-2' })];
    const response = await postToCollector(collector.url, 'appId=test_app', JSON.stringify(refused));
    expect(response.status).toBe(200);

    expect(await inspector.events()).toEqual([
      expect.objectContaining({
        eventId: 'refused-1',
        source: 'fallback',
        rid: response.headers.get('x-request-id'),
      }),
      expect.objectContaining({ eventId: 'refused-2', source: 'fallback', event: refused[1] }),
    ]);

    kinesisProxy.setMode({ kind: 'pass' });
    const later = await postToCollector(
      collector.url,
      'appId=test_app',
      JSON.stringify([sampleEvent({ event_id: 'later' })]),
    );
    expect(later.status).toBe(200);
    const items = await inspector.events();
    expect(items.map((item) => `${item.eventId}:${item.source}`)).toEqual([
      'later:stream',
      'refused-1:fallback',
      'refused-2:fallback',
    ]);
    expect((await inspector.summary()).accepted).toBe(3);
  });
});
