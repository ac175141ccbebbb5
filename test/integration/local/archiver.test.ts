import { PutRecordsCommand } from '@aws-sdk/client-kinesis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startArchiver } from '../../../local/archiver';
import { type Emulators, startEmulators } from '../../../local/emulators';
import { emulatorKinesis, emulatorS3 } from '../../support/emulator-clients';
import { readObjects } from '../../support/stream-reader';

describe('local archiver', () => {
  let emulators: Emulators;
  let kinesis: ReturnType<typeof emulatorKinesis>;
  let s3: ReturnType<typeof emulatorS3>;

  beforeAll(async () => {
    emulators = await startEmulators({ streamName: 'archive-test', bucket: 'archive-test', shardCount: 2 });
    kinesis = emulatorKinesis(emulators.kinesisEndpoint);
    s3 = emulatorS3(emulators.s3Endpoint);
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

    const objects = await readObjects(emulators.s3Endpoint, 'archive-test', 'archive/');
    const keys = objects.map((object) => object.key);
    expect(keys).toHaveLength(2);
    for (const key of keys) {
      expect(key).toMatch(
        /^archive\/year=\d{4}\/month=\d{2}\/day=\d{2}\/hour=\d{2}\/shardId-\d{12}-\d+\.json\.gz$/,
      );
      expect([dayBefore, dayOf(new Date())].some((day) => key.includes(day))).toBe(true);
    }
    expect(new Set(keys.map((key) => key.match(/shardId-\d+/)?.[0])).size).toBe(2);

    const archived: { rid: string }[] = [];
    for (const { text, gzip } of objects) {
      expect(gzip).toBe(true);
      expect(text.endsWith('\n')).toBe(true);
      archived.push(
        ...text
          .trimEnd()
          .split('\n')
          .map((line) => JSON.parse(line) as { rid: string }),
      );
    }
    expect(archived.map((record) => record.rid).sort()).toEqual(records.map((record) => record.rid).sort());
  });
});
