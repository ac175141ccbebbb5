import { gunzipSync } from 'node:zlib';
import { GetObjectCommand, ListObjectsV2Command } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { API_EXAMPLE, exampleUrl } from '../../../local/api-example';
import { createS3Client } from '../../../local/aws-local-clients';
import { type LocalCollector, startLocalCollector } from '../../../local/collector';
import { type Emulators, startEmulators } from '../../../local/emulators';

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
    const s3 = createS3Client({ endpoint: external.s3Endpoint, region: 'us-east-1', emulator: true });
    try {
      const listed = await s3.send(
        new ListObjectsV2Command({ Bucket: 'external-bucket', Prefix: 'archive/' }),
      );
      const texts = await Promise.all(
        (listed.Contents ?? []).map(async (object) => {
          const got = await s3.send(new GetObjectCommand({ Bucket: 'external-bucket', Key: object.Key }));
          return gunzipSync(Buffer.from((await got.Body?.transformToByteArray()) ?? [])).toString('utf8');
        }),
      );
      expect(texts.some((text) => text.includes(rid))).toBe(true);
    } finally {
      s3.destroy();
    }
  });
});
