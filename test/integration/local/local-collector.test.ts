import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { API_EXAMPLE, exampleUrl } from '../../../local/api-example';
import { type LocalCollector, startLocalCollector } from '../../../local/collector';
import { ShardReader, type StreamRecord } from '../../../local/shard-reader';
import { emulatorKinesis } from '../../support/emulator-clients';
import { readObjects } from '../../support/stream-reader';
import { eventually } from '../../support/wait';

/** The whole local path with the Lambda's real handler: HTTP → handler → Kinesis emulator → archive. */

describe('local collector with the Lambda handler', () => {
  let collector: LocalCollector;

  beforeAll(async () => {
    collector = await startLocalCollector({ env: {}, port: 0, quiet: true });
  });

  afterAll(async () => {
    await collector?.stop();
  });

  it('accepts the API document cURL example with 200 and puts its record on the stream', async () => {
    const kinesis = emulatorKinesis(collector.kinesisEndpoint);
    try {
      const reader = new ShardReader(kinesis, collector.streamName, 'TRIM_HORIZON');
      await reader.read();
      const response = await fetch(exampleUrl(collector.url, '/collect'), {
        method: 'POST',
        headers: API_EXAMPLE.headers,
        body: API_EXAMPLE.body,
      });
      expect(response.status).toBe(200);
      const rid = response.headers.get('x-request-id');
      expect(rid).toMatch(/^[0-9a-f]{32}$/);

      const record = await eventually<StreamRecord>(
        'the record is on the stream',
        async () => (await reader.read()).records[0],
        10_000,
      );
      const sink = JSON.parse(Buffer.from(record.data).toString('utf8')) as Record<string, unknown>;
      expect(sink).toMatchObject({
        appId: 'test_release',
        platform: 'Android',
        ip: '101.188.67.134',
        method: 'POST',
        path: '/collect',
        rid,
        source_type: 'http_server',
      });
      expect(sink.data).toBe(API_EXAMPLE.body);
    } finally {
      kinesis.destroy();
    }
  });

  it('archives accepted records into the S3 emulator as gzip NDJSON under archive/year=…/hour=…/', async () => {
    const response = await fetch(exampleUrl(collector.url, '/collect'), {
      method: 'POST',
      headers: API_EXAMPLE.headers,
      body: API_EXAMPLE.body,
    });
    const rid = response.headers.get('x-request-id') ?? '';
    const archived = await eventually(
      'the record is archived',
      async () =>
        (await readObjects(collector.s3Endpoint, collector.bucket, 'archive/')).find((object) =>
          object.text.includes(rid),
        ),
      10_000,
    );
    expect(archived.key).toMatch(/^archive\/year=\d{4}\/month=\d{2}\/day=\d{2}\/hour=\d{2}\//);
    expect(archived.gzip).toBe(true);
    const lines = archived.text.trimEnd().split('\n');
    expect(lines.some((line) => (JSON.parse(line) as { rid: string }).rid === rid)).toBe(true);
  });

  it('answers GET /health with 200', async () => {
    const response = await fetch(`${collector.url}/health`);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ status: 'ok' });
  });

  it('refuses an unregistered appId with 403', async () => {
    const response = await fetch(exampleUrl(collector.url, '/collect', 'not_registered'), {
      method: 'POST',
      headers: API_EXAMPLE.headers,
      body: API_EXAMPLE.body,
    });
    expect(response.status).toBe(403);
  });
});
