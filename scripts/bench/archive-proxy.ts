import { gunzipSync, gzipSync } from 'node:zlib';
import { Bench } from 'tinybench';
import { cpuNow } from './stats';
import { benchRequest, functionUrlEvent, harness, invoke } from './warm-cpu';

/**
 * The cost model's record figures: size, the raw archive's gzip size, and a stand-in for the archive
 * consumer until it can be imported here (decode, a row per event and attribute, gzip; the real one
 * also parses user agents and writes user and item rows).
 */

type Json = Record<string, unknown>;

function consume(records: readonly Buffer[]): { archive: number; tables: number } {
  const events: string[] = [];
  const parameters: string[] = [];
  for (const data of records) {
    const { data: body, compression, ...record } = JSON.parse(data.toString()) as Json & { data: string };
    const text = compression ? gunzipSync(Buffer.from(body, 'base64')).toString() : body;
    for (const { attributes, ...event } of JSON.parse(text) as Json[]) {
      const key = { event_id: event.event_id, event_name: event.event_type, event_time: event.timestamp };
      events.push(JSON.stringify({ ...event, ...key, rid: record.rid, ip: record.ip, ua: record.ua }));
      for (const [name, value] of Object.entries(attributes ?? {}))
        parameters.push(JSON.stringify({ ...key, param_key: name, [`${typeof value}_value`]: value }));
    }
  }
  const archive = gzipSync(Buffer.concat(records.flatMap((record) => [record, Buffer.from('\n')])));
  const tables = gzipSync(`${events.join('\n')}\n${parameters.join('\n')}`);
  return { archive: archive.length, tables: tables.length };
}

export async function measureRecords(options: { readonly records: number; readonly ms: number }) {
  const target = harness();
  // Distinct requests, as real traffic is: one body repeated would compress unrealistically well.
  for (let index = 0; index < options.records; index++)
    await invoke(target, functionUrlEvent(benchRequest(10, false)));
  const records = target.stream.records.map((record) => record.data);
  const { archive, tables } = consume(records);
  const bench = new Bench({ now: cpuNow, time: options.ms, iterations: 3, throws: true });
  const { result } = (await bench.add('consumer', () => consume(records)).run())[0] ?? {};
  if (result === undefined || !('latency' in result)) throw new Error('the consumer stand-in did not run');
  const perRecord = (value: number) => value / records.length;
  const recordBytes = perRecord(records.reduce((sum, record) => sum + record.length, 0));
  const consumerCpuMsPerRecord = perRecord(result.latency.mean);
  const [archiveBytesPerRecord, tableBytesPerRecord] = [perRecord(archive), perRecord(tables)];
  return { recordBytes, archiveBytesPerRecord, tableBytesPerRecord, consumerCpuMsPerRecord };
}
