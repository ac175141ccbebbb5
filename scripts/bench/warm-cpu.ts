import { Session } from 'node:inspector/promises';
import { gunzipSync } from 'node:zlib';
import { Bench } from 'tinybench';
import { buildHandler } from '../../lambda/app';
import { parseConfig } from '../../lambda/config';
import { buildRecord, encodeRecord } from '../../lambda/core/records/record';
import { newRequestId } from '../../lambda/core/request-id';
import { MemoryObjectStore, MemoryStream } from '../../lambda/sinks/memory-sinks';
import { gzipBase64, hashCodeOf, sampleEvent, TEST_ENV } from '../../test/support/events';
import { lambdaContext, lambdaEvent } from '../../test/support/lambda-events';
import { cpuNow, progress, summarize } from './stats';

/**
 * Warm CPU per request: the real handler against the irreducible baseline, on tinybench with a
 * CPU-time clock, alternating round after round so a noisy neighbour slows both alike.
 */

/** The test suite's configuration, in the region the prices are for. */
export const BENCH_ENV = { ...TEST_ENV, AWS_REGION: 'us-east-1' };
const UA =
  'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Safari/537.36';
const [IP, UPLOADED, TYPE] = ['203.0.113.9', 1700000000123, 'application/json; charset=utf-8'];
const HEADERS = { 'content-type': TYPE, 'user-agent': UA, 'x-forwarded-for': IP };
/** Calls per tinybench sample, so the clock's own cost (a `getrusage` call) is amortised. */
const BATCH = 8;

/** 1 and 10 events as the web SDK sends them (~190 B each); 100 richer mobile events. */
export function benchRequest(events: number, gzip: boolean) {
  const rich = { user: { _user_id: { value: 'u-1', set_timestamp: 1 } }, screen_width: 1080 };
  const json = JSON.stringify(Array.from({ length: events }, () => sampleEvent(events === 100 ? rich : {})));
  const body = gzip ? gzipBase64(json) : json;
  const hash = `hashCode=${hashCodeOf(body)}&compression=${gzip ? 'gzip' : ''}`;
  const name = `${events} event${events === 1 ? '' : 's'}${gzip ? ', gzip' : ''}`;
  const query = `platform=Web&appId=test_app&upload_timestamp=${UPLOADED}&${hash}`;
  return { name, events, gzip, body, query };
}
type BenchRequest = ReturnType<typeof benchRequest>;

export const functionUrlEvent = ({ query, body }: BenchRequest) =>
  lambdaEvent('function-url', { path: '/collect', query, headers: HEADERS, body });

/** The work no collector can skip: read the body, parse it, build and serialise the record. */
function baseline({ gzip, body, query }: BenchRequest): Buffer {
  const events: unknown = JSON.parse(gzip ? gunzipSync(Buffer.from(body, 'base64')).toString() : body);
  if (!Array.isArray(events)) throw new Error('not an array');
  const where = { method: 'POST', path: '/collect', uri: `/collect?${query}`, platform: 'Web' };
  const who = { appId: 'test_app', ip: IP, ua: UA, clientTimestamp: UPLOADED };
  const record = buildRecord(
    { ...where, ...who, rid: newRequestId(), receivedAt: Date.now() },
    body,
    gzip ? 'gzip' : null,
  );
  return encodeRecord(record, events.length).data;
}

export function harness() {
  const [stream, objects] = [new MemoryStream(), new MemoryObjectStore()];
  return { stream, handler: buildHandler(parseConfig(BENCH_ENV), { stream, objects }) };
}

export async function invoke(target: ReturnType<typeof harness>, event: unknown): Promise<void> {
  const result = (await target.handler(event, lambdaContext)) as { statusCode: number };
  if (result.statusCode !== 200) throw new Error(`the handler answered ${result.statusCode}`);
}

/** CPU µs per call of each task, in the order given, over one tinybench run of `ms` per task. */
async function cpuMicros(tasks: ReadonlyArray<() => unknown>, ms: number): Promise<number[]> {
  const bench = new Bench({ now: cpuNow, time: ms, iterations: 4, warmup: false, throws: true });
  for (const [index, fn] of tasks.entries()) bench.add(String(index), fn);
  await bench.run();
  return bench.tasks.map(({ result }) => ('latency' in result ? result.latency.mean * 1000 : NaN) / BATCH);
}

export async function runWarmCpu(options: { readonly rounds: number; readonly roundMs: number }) {
  const target = harness();
  const contenders = [1, 10, 100].flatMap((events) =>
    [false, true].map((gzip) => {
      const request = benchRequest(events, gzip);
      const event = functionUrlEvent(request);
      const handle = async () => {
        for (let index = 0; index < BATCH; index++) await invoke(target, event);
        target.stream.records.length = 0;
      };
      const base = () => Array.from({ length: BATCH }, () => baseline(request));
      return { request, event, handle, base, handler: [] as number[], baseline: [] as number[] };
    }),
  );
  for (const c of contenders) await cpuMicros([c.handle, c.base], options.roundMs); // warm-up
  for (let round = 0; round < options.rounds; round++) {
    for (const c of contenders) {
      const even = round % 2 === 0;
      const order = even ? [c.handle, c.base] : [c.base, c.handle];
      const [x = NaN, y = NaN] = await cpuMicros(order, options.roundMs);
      c.handler.push(even ? x : y);
      c.baseline.push(even ? y : x);
    }
    progress(`warm CPU: round ${round + 1}/${options.rounds}`);
  }
  const variants = [];
  for (const { request, event, handler, baseline } of contenders) {
    await invoke(target, event);
    variants.push({
      ...{ name: request.name, events: request.events, gzip: request.gzip, bodyBytes: request.body.length },
      /** The body once embedded in the record as a JSON string. */
      embeddedBytes: JSON.stringify(request.body).length - 2,
      recordBytes: target.stream.records.pop()?.data.length ?? 0,
      handlerUs: summarize(handler),
      baselineUs: summarize(baseline),
      ratio: summarize(handler.map((value, index) => value / (baseline[index] ?? Number.NaN))),
    });
  }
  return variants;
}

export type VariantResult = Awaited<ReturnType<typeof runWarmCpu>>[number];

/** Where the handler's CPU goes on the 10-event request: the top self time by module and by function. */
export async function profileHandler(ms: number) {
  const target = harness();
  const event = functionUrlEvent(benchRequest(10, false));
  const session = new Session();
  session.connect();
  for (const step of ['Profiler.enable', 'Profiler.start'] as const) await session.post(step);
  for (const until = performance.now() + ms; performance.now() < until; target.stream.records.length = 0)
    for (let index = 0; index < 100; index++) await invoke(target, event);
  const { profile } = await session.post('Profiler.stop');
  session.disconnect();
  const frames = new Map(profile.nodes.map((node) => [node.id, node.callFrame]));
  const [byModule, byFunction] = [new Map<string, number>(), new Map<string, number>()];
  const add = (map: Map<string, number>, key: string, by: number) => map.set(key, (map.get(key) ?? 0) + by);
  let total = 0;
  (profile.samples ?? []).forEach((id, index) => {
    const frame = frames.get(id);
    const delta = profile.timeDeltas?.[index] ?? 0;
    if (frame === undefined || ['(idle)', '(program)'].includes(frame.functionName)) return;
    total += delta;
    const file = frame.url.replace(/^file:\/\/.*?\/(?=(lambda|node_modules|scripts|test)\/)/, '');
    const module = /^node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(file)?.[1] ?? file.replace(/^node:.*/, 'node:');
    add(byModule, module || 'V8 (native code, GC)', delta);
    const where = file ? ` (${file.split('/').at(-1)})` : '';
    add(byFunction, `${frame.functionName || '(anonymous)'}${where}`, delta);
  });
  const share = ([name, time]: [string, number]) => ({ name, percent: (100 * time) / total });
  const top = (map: Map<string, number>) =>
    [...map]
      .sort((a, b) => b[1] - a[1])
      .slice(0, 8)
      .map(share);
  return { modules: top(byModule), functions: top(byFunction) };
}
