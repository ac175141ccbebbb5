import { describe, expect, it } from 'vitest';
import { planBatchObjects } from '../../../lambda/tables/batch-objects';
import { sinkRecordBytes } from '../../support/sink-records';

const layout = { archivePrefix: 'events/', tablesPrefix: 'tables/' };
const event = (id: string, attributes: Record<string, unknown> = { n: 1 }) => ({
  event_type: 'view',
  event_id: id,
  timestamp: 1_700_000_000_000,
  app_id: 'shop',
  attributes,
});
const record = (
  sequenceNumber: string,
  arrivedAt: string,
  options: { appId?: string; receivedAt?: number } = {},
) => ({
  sequenceNumber,
  arrivedAt: new Date(arrivedAt),
  data: sinkRecordBytes([event(`e-${sequenceNumber}`)], {
    appId: options.appId ?? 'shop',
    receivedAt: options.receivedAt ?? Date.parse(arrivedAt),
  }),
});

describe('planning the objects of a batch', () => {
  const records = [
    record('100', '2026-11-28T06:59:59.900Z'),
    record('101', '2026-11-28T07:00:00.100Z'),
    record('102', '2026-11-28T07:00:00.200Z', { appId: 'blog' }),
  ];
  const plan = planBatchObjects('shardId-000000000001', records, layout);
  const keys = plan.objects.map((object) => object.key);

  it('writes the raw archive per arrival hour, keyed by shard and first sequence number', () => {
    expect(keys).toContain('events/year=2026/month=11/day=28/hour=06/shardId-000000000001-100.json.gz');
    expect(keys).toContain('events/year=2026/month=11/day=28/hour=07/shardId-000000000001-101.json.gz');
    const hour7 = plan.objects.find((object) => object.key.includes('hour=07'));
    expect(hour7?.lines.map((line) => line.toString())).toEqual([
      `${records[1]?.data.toString()}\n`,
      `${records[2]?.data.toString()}\n`,
    ]);
    expect(hour7).toMatchObject({ firstIndex: 1, lastIndex: 2 });
  });

  it('writes each table per app and arrival day under CAoA partition keys', () => {
    expect(keys).toContain(
      'tables/event/partition_app=shop/partition_year=2026/partition_month=11/partition_day=28/shardId-000000000001-100.json.gz',
    );
    expect(keys).toContain(
      'tables/event_parameter/partition_app=blog/partition_year=2026/partition_month=11/partition_day=28/shardId-000000000001-102.json.gz',
    );
    const shopEvents = plan.objects.find((object) =>
      object.key.startsWith('tables/event/partition_app=shop'),
    );
    expect(shopEvents?.lines.map((line) => JSON.parse(line.toString()).event_id)).toEqual(['e-100', 'e-101']);
    expect(plan.stats).toMatchObject({ records: 3, events: 3, unusableElements: 0 });
  });

  it('plans the same keys for the same records, and a suffix batch keys by its own first record', () => {
    expect(planBatchObjects('shardId-000000000001', records, layout).objects.map((o) => o.key)).toEqual(keys);
    const rest = planBatchObjects('shardId-000000000001', records.slice(1), layout).objects.map((o) => o.key);
    expect(rest.every((key) => key.endsWith('-101.json.gz') || key.endsWith('-102.json.gz'))).toBe(true);
  });

  it('writes 64-bit integers past 2^53 with their exact digits', () => {
    const big = {
      sequenceNumber: '7',
      arrivedAt: new Date('2026-11-28T07:00:00Z'),
      data: Buffer.from(
        JSON.stringify({ appId: 'shop', ingest_time: Date.parse('2026-11-28T07:00:00Z'), data: '' }).replace(
          '"data":""',
          `"data":${JSON.stringify('[{"event_type":"t","event_id":"x","timestamp":1,"app_id":"a","attributes":{"id":9007199254740993}}]')}`,
        ),
      ),
    };
    const parameters = planBatchObjects('s', [big], layout).objects.find((o) => o.kind === 'event_parameter');
    expect(parameters?.lines[0]?.toString()).toContain('"event_param_int_value":9007199254740993');
  });
});
