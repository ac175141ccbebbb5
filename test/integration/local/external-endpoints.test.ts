import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { API_EXAMPLE, exampleUrl } from '../../../local/api-example';
import { type LocalCollector, startLocalCollector } from '../../../local/collector';
import { type Emulators, startEmulators } from '../../../local/emulators';
import { readObjects } from '../../support/stream-reader';

/** With AWS_ENDPOINT_URL_* set, the local collector uses those services and starts no emulator. */

describe('local collector with external endpoints', () => {
  let external: Emulators;
  let collector: LocalCollector;

  beforeAll(async () => {
    external = await startEmulators({ streamName: 'external-stream', bucket: 'external-bucket' });
    // The environment's credentials are used with external endpoints; these are the ones s3rver knows.
    vi.stubEnv('AWS_ACCESS_KEY_ID', 'S3RVER');
    vi.stubEnv('AWS_SECRET_ACCESS_KEY', 'S3RVER');
    collector = await startLocalCollector({
      env: {
        AWS_ENDPOINT_URL_KINESIS: external.kinesisEndpoint,
        AWS_ENDPOINT_URL_S3: external.s3Endpoint,
        CLICKSTREAM_STREAM_NAME: 'external-stream',
        CLICKSTREAM_ARCHIVE_BUCKET: 'external-bucket',
        CLICKSTREAM_LOCAL_ARCHIVER: 'on',
      },
      port: 0,
      quiet: true,
    });
  });

  afterAll(async () => {
    await collector?.stop();
    await external?.stop();
    vi.unstubAllEnvs();
  });

  it('reports the external endpoints and embeds nothing', () => {
    expect(collector.kinesisEndpoint).toBe(external.kinesisEndpoint);
    expect(collector.s3Endpoint).toBe(external.s3Endpoint);
    expect(collector.embedded).toEqual({ kinesis: false, s3: false });
  });

  it('delivers to the external stream and archives into the external bucket', async () => {
    const response = await fetch(exampleUrl(collector.url, '/collect'), {
      method: 'POST',
      headers: API_EXAMPLE.headers,
      body: API_EXAMPLE.body,
    });
    expect(response.status).toBe(200);
    const rid = response.headers.get('x-request-id') ?? '';
    // Stopping drains the stream one last time, so the archive is complete afterwards.
    await collector.stop();
    const archived = await readObjects(external.s3Endpoint, 'external-bucket', 'archive/');
    expect(archived.every((object) => object.gzip)).toBe(true);
    expect(archived.some((object) => object.text.includes(rid))).toBe(true);
  });
});
