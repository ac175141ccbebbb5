import { gunzipSync } from 'node:zlib';
import { PutRecordsCommand } from '@aws-sdk/client-kinesis';
import { GetObjectCommand, ListObjectsV2Command } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startArchiver } from '../../../local/archiver';
import { createKinesisClient, createS3Client } from '../../../local/aws-local-clients';
import { type Emulators, startEmulators } from '../../../local/emulators';

describe('local archiver', () => {
  let emulators: Emulators;
  let kinesis: ReturnType<typeof createKinesisClient>;
  let s3: ReturnType<typeof createS3Client>;

  beforeAll(async () => {
    emulators = await startEmulators({ streamName: 'archive-test', bucket: 'archive-test', shardCount: 2 });
    kinesis = createKinesisClient({
      endpoint: emulators.kinesisEndpoint,
      region: 'us-east-1',
      emulator: true,
    });
    s3 = createS3Client({ endpoint: emulators.s3Endpoint, region: 'us-east-1', emulator: true });
  });

  afterAll(async () => {
    kinesis?.destroy();
    s3?.destroy();
    await emulators?.stop();
  });

  it('writes the records of each shard as a gzip NDJSON object under archive/year=/month=/day=/hour=/, keyed by shard and first sequence number', async () => {
    const dayOf = (date: Date) =>
      `year=${date.getUTCFullYear()}/month=${String(date.getUTCMonth() + 1).padStart(2, '0')}/day=${String(date.getUTCDate()).padStart(2, '0')}/`;
    const dayBefore = dayOf(new Date());
    const records = Array.from({ length: 6 }, (_, index) => ({ rid: `r${index}`, appId: 'test_app' }));
    const archiver = await startArchiver({
      kinesis,
      s3,
      streamName: 'archive-test',
      bucket: 'archive-test',
      intervalMs: 60_000,
    });
    try {
      await kinesis.send(
        new PutRecordsCommand({
          StreamName: 'archive-test',
          // Distinct partition keys spread the records over both shards.
          Records: records.map((record) => ({
            Data: Buffer.from(JSON.stringify(record)),
            PartitionKey: record.rid,
          })),
        }),
      );
      expect(await archiver.drain()).toBe(6);
    } finally {
      await archiver.stop();
    }

    const listed = await s3.send(new ListObjectsV2Command({ Bucket: 'archive-test', Prefix: 'archive/' }));
    const keys = (listed.Contents ?? []).map((object) => object.Key ?? '');
    expect(keys).toHaveLength(2);
    for (const key of keys) {
      expect(key).toMatch(
        /^archive\/year=\d{4}\/month=\d{2}\/day=\d{2}\/hour=\d{2}\/shardId-\d{12}-\d+\.json\.gz$/,
      );
      expect([dayBefore, dayOf(new Date())].some((day) => key.includes(day))).toBe(true);
    }
    expect(new Set(keys.map((key) => key.match(/shardId-\d+/)?.[0])).size).toBe(2);

    const archived: { rid: string }[] = [];
    for (const key of keys) {
      const object = await s3.send(new GetObjectCommand({ Bucket: 'archive-test', Key: key }));
      const lines = gunzipSync(Buffer.from((await object.Body?.transformToByteArray()) ?? [])).toString(
        'utf8',
      );
      expect(lines.endsWith('\n')).toBe(true);
      archived.push(
        ...lines
          .trimEnd()
          .split('\n')
          .map((line) => JSON.parse(line) as { rid: string }),
      );
    }
    expect(archived.map((record) => record.rid).sort()).toEqual(records.map((record) => record.rid).sort());
  });
});
