import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { consumeBatch } from '../../../lambda/archive/consume';
import { MemoryObjectStore } from '../../../lambda/sinks/memory-sinks';
import { kinesisStreamEvent } from '../../support/kinesis-events';
import { sinkRecordBytes } from '../../support/sink-records';

const layout = { archivePrefix: 'events/', tablesPrefix: 'tables/' };
const record = (sequenceNumber: string, events: number) => ({
  shardId: 'shardId-000000000003',
  sequenceNumber,
  partitionKey: 'p',
  arrivedAt: new Date('2026-11-28T07:00:00Z'),
  data: sinkRecordBytes(
    Array.from({ length: events }, (_, index) => ({
      event_type: 'view',
      event_id: `${sequenceNumber}-${index}`,
      timestamp: 1_700_000_000_000,
      app_id: 'shop',
      attributes: { a: 1, b: 'x' },
    })),
    { appId: 'shop' },
  ),
});

describe('consuming one batch of the event source mapping', () => {
  it('writes gzip objects for every record and reports no failure', async () => {
    const store = new MemoryObjectStore();
    const result = await consumeBatch(kinesisStreamEvent([record('10', 2), record('11', 1)]), {
      store,
      layout,
    });
    expect(result.response).toEqual({ batchItemFailures: [] });
    expect(result.summary).toMatchObject({ records: 2, events: 3, writeFailures: 0 });
    const archive = store.keys('events/');
    expect(archive).toEqual(['events/year=2026/month=11/day=28/hour=07/shardId-000000000003-10.json.gz']);
    const body = store.objects.get(archive[0] ?? '')?.body;
    expect(
      gunzipSync(Buffer.from(body ?? ''))
        .toString()
        .trimEnd()
        .split('\n'),
    ).toHaveLength(2);
    expect(store.keys('tables/event_parameter/')).toHaveLength(1);
  });

  it('reports the whole batch from its first record when the store is down', async () => {
    const store = new MemoryObjectStore();
    store.failing = true;
    const result = await consumeBatch(kinesisStreamEvent([record('20', 1), record('21', 1)]), {
      store,
      layout,
    });
    expect(result.response).toEqual({ batchItemFailures: [{ itemIdentifier: '20' }] });
    expect(result.summary.writeFailures).toBeGreaterThan(0);
  });

  it('hands back the records past the line budget, and writes the ones before it', async () => {
    const store = new MemoryObjectStore();
    const records = [record('30', 3), record('31', 3), record('32', 3)];
    // Each record makes 1 raw line + 3 event rows + 6 parameter rows = 10 lines.
    const result = await consumeBatch(kinesisStreamEvent(records), { store, layout, maxLinesPerBatch: 25 });
    expect(result.response).toEqual({ batchItemFailures: [{ itemIdentifier: '32' }] });
    expect(result.summary.records).toBe(2);
    const events = store.objects.get(store.keys('tables/event/')[0] ?? '')?.body;
    expect(
      gunzipSync(Buffer.from(events ?? ''))
        .toString()
        .trimEnd()
        .split('\n'),
    ).toHaveLength(6);
  });
});
