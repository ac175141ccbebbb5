import { gunzipSync, gzipSync } from 'node:zlib';
import { Bench } from 'tinybench';
import { cpuNow } from './stats';
import { benchRequest, functionUrlEvent, harness, invoke } from './warm-cpu';

/**
 * What the cost model needs from real records: their size, how well the raw archive compresses,
 * and a stand-in for the archive consumer's work until that function can be imported here —
 * decode each record and its events, one row per event and per attribute, gzip archive and rows.
 * (The real consumer also parses user agents and writes user and item rows.)
 */

type Json = Record<string, unknown>;

function consume(records: readonly Buffer[]): { archive: number; tables: number } {
  const events: string[] = [];
  const parameters: string[] = [];
  for (const data of records) {
    const record = JSON.parse(data.toString()) as Json & { data: string; compression: string | null };
    const text = record.compression ? gunzipSync(Buffer.from(record.data, 'base64')).toString() : record.data;
    for (const event of JSON.parse(text) as Json[]) {
      const key = {
        event_id: event.event_id,
        event_name: event.event_type,
        event_timestamp: event.timestamp,
      };
      events.push(
        JSON.stringify({ ...event, ...key, attributes: undefined, rid: record.rid, ua: record.ua }),
      );
      for (const [name, value] of Object.entries((event.attributes ?? {}) as Json))
        parameters.push(
          JSON.stringify({ ...key, event_param_key: name, [`event_param_${typeof value}`]: value }),
        );
    }
  }
  const archive = gzipSync(Buffer.concat(records.flatMap((record) => [record, Buffer.from('\n')]))).length;
  return { archive, tables: gzipSync(events.join('\n')).length + gzipSync(parameters.join('\n')).length };
}

export async function measureRecords(options: { readonly records: number; readonly ms: number }) {
  const target = harness();
  // Distinct requests, as real traffic is: one body repeated would compress unrealistically well.
  for (let index = 0; index < options.records; index++)
    await invoke(target, functionUrlEvent(benchRequest(10, false)));
  const records = target.stream.records.map((record) => record.data);
  const sizes = consume(records);
  const bench = new Bench({ now: cpuNow, time: options.ms, iterations: 3, throws: true });
  await bench.add('consumer', () => consume(records)).run();
  const result = bench.tasks[0]?.result;
  if (result === undefined || !('latency' in result)) throw new Error('the consumer stand-in did not run');
  return {
    recordBytes: records.reduce((sum, record) => sum + record.length, 0) / records.length,
    archiveBytesPerRecord: sizes.archive / records.length,
    tableBytesPerRecord: sizes.tables / records.length,
    consumerCpuMsPerRecord: result.latency.mean / records.length,
  };
}
