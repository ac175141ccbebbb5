import type { KinesisStreamEvent } from 'aws-lambda';
import { Bench } from 'tinybench';
import { consumeBatch } from '../../lambda/archive/consume';
import { MemoryObjectStore } from '../../lambda/sinks/memory-sinks';
import { kinesisStreamEvent } from '../../test/support/kinesis-events';
import { cpuNow } from './stats';
import { benchRequest, functionUrlEvent, harness, invoke } from './warm-cpu';

/**
 * The cost model's record figures: a record's size, and what the archive consumer (`consumeBatch`,
 * an in-memory store) makes of a batch of them: gzip bytes of raw archive and of table rows, and CPU.
 */

const LAYOUT = { archivePrefix: 'events/', tablesPrefix: 'tables/' };

async function consume(event: KinesisStreamEvent): Promise<{ archive: number; tables: number }> {
  const store = new MemoryObjectStore();
  await consumeBatch(event, { store, layout: LAYOUT });
  const bytes = (prefix: string) =>
    store.keys(prefix).reduce((sum, key) => sum + (store.objects.get(key)?.body.length ?? 0), 0);
  return { archive: bytes(LAYOUT.archivePrefix), tables: bytes(LAYOUT.tablesPrefix) };
}

export async function measureRecords(options: { readonly records: number; readonly ms: number }) {
  const target = harness();
  // Distinct requests, as real traffic is: one body repeated would compress unrealistically well.
  for (let index = 0; index < options.records; index++)
    await invoke(target, functionUrlEvent(benchRequest(10, false)));
  const records = target.stream.records.map((record) => record.data);
  const event = kinesisStreamEvent(
    records.map((data, index) => {
      const at = { shardId: 'shardId-000000000000', partitionKey: 'p', arrivedAt: new Date() };
      return { ...at, sequenceNumber: String(index), data };
    }),
  );
  const { archive, tables } = await consume(event);
  const bench = new Bench({ now: cpuNow, time: options.ms, iterations: 3, throws: true });
  const { result } = (await bench.add('consumer', () => consume(event)).run())[0] ?? {};
  if (result === undefined || !('latency' in result)) throw new Error('the archive consumer did not run');
  const perRecord = (value: number) => value / records.length;
  const recordBytes = perRecord(records.reduce((sum, record) => sum + record.length, 0));
  const consumerCpuMsPerRecord = perRecord(result.latency.mean);
  const [archiveBytesPerRecord, tableBytesPerRecord] = [perRecord(archive), perRecord(tables)];
  return { recordBytes, archiveBytesPerRecord, tableBytesPerRecord, consumerCpuMsPerRecord };
}
