import { type KinesisClient, PutRecordsCommand } from '@aws-sdk/client-kinesis';
import { ListObjectsV2Command, type S3Client } from '@aws-sdk/client-s3';
import type { KinesisStreamBatchResponse, KinesisStreamEvent } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Emulators, startEmulators } from '../../../local/emulators';
import { queryLocalTables } from '../../../local/local-tables';
import { ShardReader, type StreamRecord } from '../../../local/shard-reader';
import { emulatorKinesis, emulatorS3 } from '../../support/emulator-clients';
import { type FaultProxy, startFaultProxy } from '../../support/fault-proxy';
import { kinesisStreamEvent } from '../../support/kinesis-events';
import { sinkRecordBytes } from '../../support/sink-records';
import { readObjects } from '../../support/stream-reader';

/**
 * The deployed archive consumer's handler (lambda/archive/handler.ts), run against real records
 * read from the Kinesis emulator and writing to the S3 emulator through a fault proxy: what it
 * writes, how it reports a failed write, and that retries rewrite objects rather than duplicate rows.
 */

const STREAM = 'archive-consumer';
const BUCKET = 'archive-consumer';

type Handler = (event: KinesisStreamEvent) => Promise<KinesisStreamBatchResponse>;

describe('archive consumer against kinesalite and s3rver', () => {
  let emulators: Emulators;
  let proxy: FaultProxy;
  let kinesis: KinesisClient;
  let s3: S3Client;
  let handler: Handler;
  let reader: ShardReader;

  const location = () => ({
    bucketDirectory: `${emulators.s3Directory}/${BUCKET}`,
    archivePrefix: 'events/',
    tablesPrefix: 'tables/',
    quarantinePrefix: 'quarantine/',
    fallbackPrefix: 'fallback/',
  });

  /** Puts one record per event batch and reads them back as the event source mapping would. */
  async function putAndRead(batches: readonly { id: string; appId: string }[][]): Promise<StreamRecord[]> {
    await kinesis.send(
      new PutRecordsCommand({
        StreamName: STREAM,
        Records: batches.map((events, index) => ({
          PartitionKey: `p${index}`,
          Data: sinkRecordBytes(
            events.map((event) => ({
              event_type: 'view',
              event_id: event.id,
              timestamp: 1_700_000_000_000,
              app_id: event.appId,
              attributes: { n: 1, name: 'x' },
            })),
            { appId: events[0]?.appId ?? 'shop', gzip: index % 2 === 1, receivedAt: Date.now() },
          ),
        })),
      }),
    );
    const records: StreamRecord[] = [];
    for (let round = 0; records.length < batches.length && round < 50; round += 1) {
      records.push(...(await reader.read()).records);
    }
    expect(records).toHaveLength(batches.length);
    return records;
  }

  async function keys(prefix: string): Promise<string[]> {
    const listed = await s3.send(new ListObjectsV2Command({ Bucket: BUCKET, Prefix: prefix }));
    return (listed.Contents ?? []).map((object) => object.Key ?? '').sort();
  }

  async function eventCounts(): Promise<{ rows: unknown; distinct: unknown }> {
    const { rows } = await queryLocalTables(
      'SELECT count(*) AS rows, count(DISTINCT event_id) AS distinct FROM event',
      location(),
    );
    return { rows: rows[0]?.rows, distinct: rows[0]?.distinct };
  }

  beforeAll(async () => {
    emulators = await startEmulators({ streamName: STREAM, bucket: BUCKET, shardCount: 1 });
    proxy = await startFaultProxy({ target: emulators.s3Endpoint });
    kinesis = emulatorKinesis(emulators.kinesisEndpoint);
    s3 = emulatorS3(emulators.s3Endpoint);
    reader = new ShardReader(kinesis, STREAM, 'TRIM_HORIZON');
    await reader.open();
    Object.assign(process.env, {
      CLICKSTREAM_ARCHIVE_BUCKET: BUCKET,
      CLICKSTREAM_ARCHIVE_PREFIX: 'events/',
      CLICKSTREAM_TABLES_PREFIX: 'tables/',
      AWS_ENDPOINT_URL_S3: proxy.endpoint,
    });
    ({ handler } = await import('../../../lambda/archive/handler'));
  });

  afterAll(async () => {
    kinesis?.destroy();
    s3?.destroy();
    await proxy?.stop();
    await emulators?.stop();
  });

  it('writes the raw archive byte for byte and the four tables, and reports no failure', async () => {
    const records = await putAndRead([
      [
        { id: 'a-1', appId: 'shop' },
        { id: 'a-2', appId: 'shop' },
      ],
      [{ id: 'b-1', appId: 'blog' }],
    ]);
    const response = await handler(kinesisStreamEvent(records));
    expect(response).toEqual({ batchItemFailures: [] });

    const archive = await readObjects(emulators.s3Endpoint, BUCKET, 'events/');
    expect(archive).toHaveLength(1);
    expect(archive[0]?.key).toMatch(
      /^events\/year=\d{4}\/month=\d{2}\/day=\d{2}\/hour=\d{2}\/shardId-000000000000-\d+\.json\.gz$/,
    );
    expect(archive[0]?.gzip).toBe(true);
    expect(archive[0]?.text).toBe(
      records.map((record) => `${Buffer.from(record.data).toString('utf8')}\n`).join(''),
    );

    const tables = await keys('tables/');
    expect(tables.some((key) => key.startsWith('tables/event/partition_app=shop/partition_year='))).toBe(
      true,
    );
    expect(tables.some((key) => key.startsWith('tables/event_parameter/partition_app=blog/'))).toBe(true);
    const { rows } = await queryLocalTables(
      'SELECT event_id, partition_app FROM event ORDER BY event_id',
      location(),
    );
    expect(rows).toEqual([
      { event_id: 'a-1', partition_app: 'shop' },
      { event_id: 'a-2', partition_app: 'shop' },
      { event_id: 'b-1', partition_app: 'blog' },
    ]);
  });

  it('reports a failed write from a safe checkpoint, and the retried batch rewrites its objects instead of duplicating them', async () => {
    const records = await putAndRead([
      [{ id: 'c-1', appId: 'shop' }],
      [{ id: 'c-2', appId: 'shop' }],
      [{ id: 'c-3', appId: 'shop' }],
    ]);
    const archiveBefore = await keys('events/');
    proxy.setMode({
      kind: 'status',
      status: 503,
      only: (operation) => operation.includes('/tables/event_parameter/'),
    });
    const failed = await handler(kinesisStreamEvent(records));
    // The raw archive object holds all three records, so the batch must be retried from its first.
    expect(failed).toEqual({ batchItemFailures: [{ itemIdentifier: records[0]?.sequenceNumber }] });
    expect((await keys('tables/event_parameter/')).length).toBe(2);

    proxy.setMode({ kind: 'pass' });
    // Lambda's retry starts at the reported record and may bring records that arrived since.
    const later = await putAndRead([[{ id: 'c-4', appId: 'shop' }]]);
    const retried = await handler(kinesisStreamEvent([...records, ...later]));
    expect(retried).toEqual({ batchItemFailures: [] });

    const archiveAfter = await keys('events/');
    expect(archiveAfter.length).toBe(archiveBefore.length + 1);
    expect(await eventCounts()).toEqual({ rows: 7, distinct: 7 });
    const parameters = await queryLocalTables(
      "SELECT count(*) AS n FROM event_parameter WHERE event_id LIKE 'c-%'",
      location(),
    );
    expect(parameters.rows[0]?.n).toBe(8);
  });

  it('keeps every row exactly once when a batch is bisected after a failure', async () => {
    const records = await putAndRead([1, 2, 3, 4].map((n) => [{ id: `d-${n}`, appId: 'shop' }]));
    proxy.setMode({
      kind: 'status',
      status: 503,
      only: (operation) => operation.includes('/tables/item/') || operation.includes('/tables/event/'),
    });
    const failed = await handler(kinesisStreamEvent(records));
    expect(failed.batchItemFailures).toHaveLength(1);
    proxy.setMode({ kind: 'pass' });
    // Bisection retries each half on its own: the first half under the batch's keys, the second
    // under the keys of its own first record.
    expect(await handler(kinesisStreamEvent(records.slice(0, 2)))).toEqual({ batchItemFailures: [] });
    expect(await handler(kinesisStreamEvent(records.slice(2)))).toEqual({ batchItemFailures: [] });
    expect(await eventCounts()).toEqual({ rows: 11, distinct: 11 });
    const { rows } = await queryLocalTables(
      "SELECT count(*) AS n, count(DISTINCT event_id) AS d FROM event_parameter WHERE event_id LIKE 'd-%'",
      location(),
    );
    expect(rows[0]).toEqual({ n: 8, d: 4 });
  });
});
