import { randomBytes } from 'node:crypto';
import { pathToFileURL } from 'node:url';
import { gunzipSync, gzipSync } from 'node:zlib';
import type { LambdaHttpHandler } from '../../lambda/app';
import { parseConfig } from '../../lambda/config';
import { MemoryObjectStore, MemoryStream } from '../../lambda/sinks/memory-sinks';
import { gzipBase64, hashCodeOf, sampleEvent } from '../../test/support/events';
import { lambdaContext, lambdaEvent } from '../../test/support/lambda-events';
import { progress, type Summary, summarize } from './stats';

/**
 * Part 1: the handler's CPU cost per request, in process, with in-memory sinks, next to a baseline
 * that does only the work no collector can skip. Rounds of the two alternate, so a noisy
 * neighbour slows both alike and their ratio holds.
 */

export const BENCH_ENV = {
  CLICKSTREAM_APP_IDS: 'test_app',
  CLICKSTREAM_STREAM_NAME: 'clickstream-bench',
  CLICKSTREAM_ARCHIVE_BUCKET: 'clickstream-bench',
  AWS_REGION: 'us-east-1',
} as const;

const USER_AGENT =
  'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Safari/537.36';
const CLIENT_IP = '203.0.113.9';
const UPLOAD_TIMESTAMP = '1700000000123';

export type Compression = 'none' | 'gzip';

export interface RequestBody {
  readonly events: number;
  readonly compression: Compression;
  /** The body as sent: JSON text, or base64 text of its gzip bytes. */
  readonly body: string;
  /** Bytes of the JSON array before compression. */
  readonly jsonBytes: number;
  readonly query: string;
}

/** A mobile SDK event (~500 bytes): the device fields and a few attributes real clients send. */
function richEvent(index: number): Record<string, unknown> {
  return sampleEvent({
    event_type: index % 3 === 0 ? '_screen_view' : 'add_to_cart',
    platform: 'Android',
    os_version: '14',
    make: 'samsung',
    model: 'SM-S918B',
    locale: 'en_US',
    zone_offset: -28_800_000,
    screen_height: 2340,
    screen_width: 1080,
    sdk_version: '0.12.6',
    app_version: '1.4.2',
    user: { _user_id: { value: `user-${index}`, set_timestamp: 1_700_000_000_000 } },
    attributes: {
      _session_id: `session-${index}`,
      _session_start_timestamp: 1_700_000_000_000,
      productName: 'shoes',
      Price: 99.9,
    },
  });
}

/** A lean web SDK event (~200 bytes): immediate-mode clicks. */
function leanEvent(): Record<string, unknown> {
  return sampleEvent();
}

/** The benchmark's request bodies: 1 event, 10 events (~2 KB), 100 events (~50 KB). */
export function requestBody(events: 1 | 10 | 100, compression: Compression): RequestBody {
  const batch = Array.from({ length: events }, (_, index) =>
    events === 100 ? richEvent(index) : leanEvent(),
  );
  const json = JSON.stringify(batch);
  const body = compression === 'gzip' ? gzipBase64(json) : json;
  const query = [
    'platform=Web',
    'appId=test_app',
    'event_bundle_sequence_id=1',
    `upload_timestamp=${UPLOAD_TIMESTAMP}`,
    `hashCode=${hashCodeOf(body)}`,
    `compression=${compression === 'gzip' ? 'gzip' : ''}`,
  ].join('&');
  return { events, compression, body, jsonBytes: Buffer.byteLength(json), query };
}

export function requestHeaders(): Record<string, string> {
  return {
    'content-type': 'application/json; charset=utf-8',
    'user-agent': USER_AGENT,
    'x-forwarded-for': CLIENT_IP,
  };
}

function functionUrlEvent(request: RequestBody): unknown {
  return lambdaEvent('function-url', {
    method: 'POST',
    path: '/collect',
    query: request.query,
    headers: requestHeaders(),
    body: request.body,
    base64: false,
  });
}

/** Request ids from a pooled buffer: one getrandom call per 256 ids, the cheapest sound way to make them. */
let idPool = Buffer.alloc(0);
let idOffset = 0;
function pooledRequestId(): string {
  if (idOffset + 16 > idPool.length) {
    idPool = randomBytes(4096);
    idOffset = 0;
  }
  const id = idPool.toString('hex', idOffset, idOffset + 16);
  idOffset += 16;
  return id;
}

/**
 * The irreducible work of one request: read the body (inflating it when compressed), parse the
 * JSON, build the record and serialise it to bytes. No routing, validation, hashing or telemetry.
 */
export function baselineRequest(request: RequestBody): Buffer {
  const text =
    request.compression === 'gzip'
      ? gunzipSync(Buffer.from(request.body, 'base64')).toString('utf8')
      : request.body;
  const events: unknown = JSON.parse(text);
  if (!Array.isArray(events)) throw new Error('not an array');
  const now = Date.now();
  const iso = new Date(now).toISOString();
  const record = {
    appId: 'test_app',
    compression: request.compression === 'gzip' ? 'gzip' : null,
    data: request.body,
    date: `${iso.slice(0, 19)}+00:00`,
    timestamp: iso,
    ingest_time: now,
    server_ingest_time: now,
    client_timestamp: UPLOAD_TIMESTAMP,
    ip: CLIENT_IP,
    ua: USER_AGENT,
    method: 'POST',
    path: '/collect',
    uri: `/collect?${request.query}`,
    platform: 'Web',
    rid: pooledRequestId(),
    source_type: 'http_server',
  };
  return Buffer.from(JSON.stringify(record));
}

export interface Harness {
  readonly handler: LambdaHttpHandler;
  readonly stream: MemoryStream;
}

/**
 * The handler of lambda/app.ts with in-memory sinks. `metrics: true` builds its telemetry as the
 * deployed function has it (EMF metrics on, Powertools' default INFO level, the default metrics
 * flush interval); otherwise both are silenced, as for every other in-process figure. `clock`, if
 * given, is what `Date.now` returns while the handler is built and whenever the caller installs it
 * (see `withClock`): the metrics batching keeps time with it, so minutes can pass in a second.
 */
export async function createHarness(options: {
  readonly metrics: boolean;
  readonly clock?: () => number;
}): Promise<Harness> {
  const { buildHandler } = await import('../../lambda/app');
  const { createTelemetry } = await import('../../lambda/observability/telemetry');
  const stream = new MemoryStream();
  const config = parseConfig(BENCH_ENV);
  // Powertools reads these when a Logger/Metrics is constructed: set them around construction only.
  const saved = {
    metrics: process.env.POWERTOOLS_METRICS_DISABLED,
    level: process.env.POWERTOOLS_LOG_LEVEL,
  };
  process.env.POWERTOOLS_METRICS_DISABLED = options.metrics ? 'false' : 'true';
  if (options.metrics) delete process.env.POWERTOOLS_LOG_LEVEL;
  else process.env.POWERTOOLS_LOG_LEVEL = 'SILENT';
  const telemetry = createTelemetry();
  restoreEnv('POWERTOOLS_METRICS_DISABLED', saved.metrics);
  restoreEnv('POWERTOOLS_LOG_LEVEL', saved.level);
  const build = () => buildHandler(config, { stream, objects: new MemoryObjectStore(), telemetry });
  const handler = options.clock === undefined ? build() : withClock(options.clock, build);
  return { handler, stream };
}

/** Runs `work` with `Date.now` replaced by `clock` (restored afterwards, even on failure). */
export function withClock<T>(clock: () => number, work: () => T): T {
  const real = Date.now;
  Date.now = clock;
  try {
    return work();
  } finally {
    Date.now = real;
  }
}

async function withClockAsync<T>(clock: () => number, work: () => Promise<T>): Promise<T> {
  const real = Date.now;
  Date.now = clock;
  try {
    return await work();
  } finally {
    Date.now = real;
  }
}

function restoreEnv(name: string, value: string | undefined): void {
  if (value === undefined) delete process.env[name];
  else process.env[name] = value;
}

interface StatusResult {
  readonly statusCode: number;
}

async function invoke(harness: Harness, event: unknown): Promise<void> {
  const result = (await harness.handler(event, lambdaContext)) as StatusResult;
  if (result.statusCode !== 200) throw new Error(`handler answered ${result.statusCode}`);
}

const BATCH = 8;

/**
 * One timed round. `cpuUs` is this process's CPU time (user + system) per request: on a shared
 * machine other processes steal wall time, not CPU time, so it is the figure the ratios use.
 */
export interface Timing {
  readonly cpuUs: number;
  readonly wallUs: number;
}

async function timeRounds(budgetMs: number, run: () => Promise<void> | void): Promise<Timing> {
  const budget = BigInt(budgetMs) * 1_000_000n;
  let operations = 0;
  const cpuStart = process.cpuUsage();
  const start = process.hrtime.bigint();
  let elapsed = 0n;
  do {
    for (let index = 0; index < BATCH; index++) await run();
    operations += BATCH;
    elapsed = process.hrtime.bigint() - start;
  } while (elapsed < budget);
  const cpu = process.cpuUsage(cpuStart);
  return { cpuUs: (cpu.user + cpu.system) / operations, wallUs: Number(elapsed) / 1000 / operations };
}

/** Per-request cost of the handler, run back to back for about `budgetMs`. */
async function timeHandler(harness: Harness, event: unknown, budgetMs: number): Promise<Timing> {
  const timing = await timeRounds(budgetMs, () => invoke(harness, event));
  // The memory stream keeps every record; drop them so the heap stays flat across rounds.
  harness.stream.records.splice(0);
  return timing;
}

let sinkBytes = 0;

function timeBaseline(request: RequestBody, budgetMs: number): Promise<Timing> {
  return timeRounds(budgetMs, () => {
    sinkBytes += baselineRequest(request).length;
  });
}

/** Counts (and swallows) what the process writes to stdout: the log lines the function would ship. */
function captureStdout(): { stop(): { bytes: number; lines: number } } {
  const original = process.stdout.write;
  let bytes = 0;
  let lines = 0;
  const counting = (chunk: string | Uint8Array): boolean => {
    const text = typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8');
    bytes += Buffer.byteLength(text);
    lines += text.split('\n').length - 1;
    return true;
  };
  process.stdout.write = counting as typeof process.stdout.write;
  return {
    stop() {
      process.stdout.write = original;
      return { bytes, lines };
    },
  };
}

export interface VariantResult {
  readonly name: string;
  readonly events: number;
  readonly compression: Compression;
  readonly bodyBytes: number;
  readonly jsonBytes: number;
  readonly recordBytes: number;
  /** CPU µs per request. */
  readonly handlerUs: Summary;
  readonly baselineUs: Summary;
  /** Requests/s one core sustains (1e6 / CPU µs). */
  readonly handlerRps: Summary;
  readonly baselineRps: Summary;
  /** Wall-clock µs per request (noisier on a shared machine; for reference). */
  readonly handlerWallUs: Summary;
  readonly baselineWallUs: Summary;
  /** handler / baseline CPU time per round (each round's pair ran back to back). */
  readonly ratio: Summary;
}

export interface TelemetryResult {
  /** The 10-event request with metrics off and with metrics on (as deployed), interleaved. */
  readonly silentUs: Summary;
  readonly deployedUs: Summary;
  readonly deployedWallUs: Summary;
  /**
   * What the deployed handler writes to stdout (CloudWatch Logs) per successful request, in real
   * time: `realRequests` requests over `realSeconds`, bytes and lines counted and divided.
   */
  readonly logBytesPerRequest: number;
  readonly logLinesPerRequest: number;
  readonly realRequests: number;
  readonly realSeconds: number;
  /** The metrics flush interval the handler runs with (the config default, as deployed). */
  readonly metricsFlushSeconds: number;
  /**
   * The same handler over `simulatedSeconds` of a simulated clock at `simulatedRate` requests/s
   * (one instance): the periodic EMF documents it writes, counted and measured.
   */
  readonly simulatedSeconds: number;
  readonly simulatedRate: number;
  readonly simulatedLines: number;
  readonly simulatedBytes: number;
  /** Bytes of one periodic EMF line (simulatedBytes / simulatedLines). */
  readonly metricsLineBytes: number;
}

export interface HandlerCpuResult {
  readonly rounds: number;
  readonly roundMs: number;
  readonly variants: readonly VariantResult[];
  readonly telemetry: TelemetryResult;
  /** Gzip size / raw size of the archive's NDJSON for 10-event records (Firehose compresses it). */
  readonly archiveGzipRatio: number;
}

const VARIANTS: ReadonlyArray<{ events: 1 | 10 | 100; compression: Compression }> = [
  { events: 1, compression: 'none' },
  { events: 10, compression: 'none' },
  { events: 100, compression: 'none' },
  { events: 1, compression: 'gzip' },
  { events: 10, compression: 'gzip' },
  { events: 100, compression: 'gzip' },
];

export function variantName(events: number, compression: Compression): string {
  return `${events} event${events === 1 ? '' : 's'}${compression === 'gzip' ? ', gzip+base64' : ''}`;
}

interface Contender {
  readonly spec: (typeof VARIANTS)[number];
  readonly request: RequestBody;
  readonly event: unknown;
  readonly handler: Timing[];
  readonly baseline: Timing[];
  recordBytes: number;
}

const cpu = (timings: readonly Timing[]) => summarize(timings.map((timing) => timing.cpuUs));
const wall = (timings: readonly Timing[]) => summarize(timings.map((timing) => timing.wallUs));
const rate = (timings: readonly Timing[]) => summarize(timings.map((timing) => 1e6 / timing.cpuUs));

export async function runHandlerCpu(options: {
  readonly rounds: number;
  readonly roundMs: number;
}): Promise<HandlerCpuResult> {
  const silent = await createHarness({ metrics: false });
  const contenders: Contender[] = VARIANTS.map((spec) => {
    const request = requestBody(spec.events, spec.compression);
    return { spec, request, event: functionUrlEvent(request), handler: [], baseline: [], recordBytes: 0 };
  });

  // Warm-up: every path reaches optimised code before anything counts.
  for (const contender of contenders) {
    await timeHandler(silent, contender.event, options.roundMs);
    await timeBaseline(contender.request, options.roundMs);
    await invoke(silent, contender.event);
    contender.recordBytes = silent.stream.records[0]?.data.length ?? 0;
    silent.stream.records.splice(0);
  }

  // Round-robin over the variants, handler and baseline back to back (order alternating), so
  // each variant's rounds are spread over the whole run and each pair shares its moment.
  for (let round = 0; round < options.rounds; round++) {
    for (const contender of contenders) {
      if (round % 2 === 0) {
        contender.handler.push(await timeHandler(silent, contender.event, options.roundMs));
        contender.baseline.push(await timeBaseline(contender.request, options.roundMs));
      } else {
        contender.baseline.push(await timeBaseline(contender.request, options.roundMs));
        contender.handler.push(await timeHandler(silent, contender.event, options.roundMs));
      }
    }
    progress(`handler CPU: round ${round + 1}/${options.rounds}`);
  }

  const variants = contenders.map((contender): VariantResult => {
    const ratios = contender.handler.map(
      (timing, index) => timing.cpuUs / (contender.baseline[index] as Timing).cpuUs,
    );
    return {
      name: variantName(contender.spec.events, contender.spec.compression),
      events: contender.spec.events,
      compression: contender.spec.compression,
      bodyBytes: Buffer.byteLength(contender.request.body),
      jsonBytes: contender.request.jsonBytes,
      recordBytes: contender.recordBytes,
      handlerUs: cpu(contender.handler),
      baselineUs: cpu(contender.baseline),
      handlerRps: rate(contender.handler),
      baselineRps: rate(contender.baseline),
      handlerWallUs: wall(contender.handler),
      baselineWallUs: wall(contender.baseline),
      ratio: summarize(ratios),
    };
  });
  for (const variant of variants) {
    progress(
      `  ${variant.name}: ${variant.handlerUs.median.toFixed(1)} µs vs baseline ${variant.baselineUs.median.toFixed(1)} µs (×${variant.ratio.median.toFixed(2)})`,
    );
  }

  const telemetry = await measureTelemetry(silent, options);
  return {
    rounds: options.rounds,
    roundMs: options.roundMs,
    variants,
    telemetry,
    archiveGzipRatio: measureArchiveRatio(),
  };
}

/** The deployed configuration (EMF metrics, INFO logs) against the silent one, 10-event requests. */
async function measureTelemetry(
  silent: Harness,
  options: { readonly rounds: number; readonly roundMs: number },
): Promise<TelemetryResult> {
  // Real time plus an offset the simulation below moves forward; 0 while timing.
  let offsetMs = 0;
  const realNow = Date.now;
  const clock = () => realNow() + offsetMs;
  const deployed = await createHarness({ metrics: true, clock });
  const event = functionUrlEvent(requestBody(10, 'none'));
  const silentTimings: Timing[] = [];
  const deployedTimings: Timing[] = [];
  const measureDeployed = async (): Promise<Timing> => {
    const capture = captureStdout();
    try {
      return await timeHandler(deployed, event, options.roundMs);
    } finally {
      capture.stop();
    }
  };
  await measureDeployed();
  for (let round = 0; round < options.rounds; round++) {
    if (round % 2 === 0) {
      silentTimings.push(await timeHandler(silent, event, options.roundMs));
      deployedTimings.push(await measureDeployed());
    } else {
      deployedTimings.push(await measureDeployed());
      silentTimings.push(await timeHandler(silent, event, options.roundMs));
    }
  }
  // Log volume in real time: many requests, bytes written counted and divided.
  const count = 5000;
  const realStart = performance.now();
  const capture = captureStdout();
  for (let index = 0; index < count; index++) await withClockAsync(clock, () => invoke(deployed, event));
  const real = capture.stop();
  const realSeconds = (performance.now() - realStart) / 1000;
  deployed.stream.records.splice(0);

  // Log volume over simulated minutes: one instance at a steady rate, the clock moved forward by
  // the gap between requests, so the handler's own flush timer decides when it writes.
  const simulatedRate = 50;
  const simulatedSeconds = 600;
  const simulatedCount = simulatedRate * simulatedSeconds;
  const simulation = captureStdout();
  for (let index = 0; index < simulatedCount; index++) {
    offsetMs += 1000 / simulatedRate;
    await withClockAsync(clock, () => invoke(deployed, event));
    if (index % 1000 === 999) deployed.stream.records.splice(0);
  }
  const simulated = simulation.stop();
  deployed.stream.records.splice(0);
  const metricsFlushSeconds = parseConfig(BENCH_ENV).metricsFlushSeconds;
  if (simulated.lines === 0) {
    throw new Error(
      `no metrics line in ${simulatedSeconds} simulated seconds: the flush timer no longer follows Date.now (update the bench)`,
    );
  }
  const result: TelemetryResult = {
    silentUs: cpu(silentTimings),
    deployedUs: cpu(deployedTimings),
    deployedWallUs: wall(deployedTimings),
    logBytesPerRequest: real.bytes / count,
    logLinesPerRequest: real.lines / count,
    realRequests: count,
    realSeconds,
    metricsFlushSeconds,
    simulatedSeconds,
    simulatedRate,
    simulatedLines: simulated.lines,
    simulatedBytes: simulated.bytes,
    metricsLineBytes: simulated.bytes / simulated.lines,
  };
  progress(
    `telemetry: ${result.silentUs.median.toFixed(1)} µs silent vs ${result.deployedUs.median.toFixed(1)} µs as deployed; ` +
      `${real.bytes} log bytes over ${count} requests in ${realSeconds.toFixed(1)} s; ` +
      `${simulated.lines} lines (${result.metricsLineBytes.toFixed(0)} B each) in ${simulatedSeconds} simulated s`,
  );
  return result;
}

/** How well the archive compresses: gzip over NDJSON of distinct 10-event records, as Firehose writes them. */
function measureArchiveRatio(): number {
  const records: Buffer[] = [];
  // Distinct bodies, as real traffic has: one body repeated would compress unrealistically well.
  for (let index = 0; index < 500; index++) records.push(baselineRequest(requestBody(10, 'none')));
  const ndjson = Buffer.concat(records.flatMap((record) => [record, Buffer.from('\n')]));
  return gzipSync(ndjson).length / ndjson.length;
}

/** Keeps the baseline's result observable, so no optimiser can drop its work. */
export function baselineSink(): number {
  return sinkBytes;
}

/**
 * Profiling entry (`node --cpu-prof`): the 10- and 100-event requests back to back for a while,
 * so the profile shows where the handler's time goes. Run by main.ts in a child process.
 */
export async function profileHandler(seconds: number): Promise<void> {
  const harness = await createHarness({ metrics: false });
  const events = [functionUrlEvent(requestBody(10, 'none')), functionUrlEvent(requestBody(100, 'none'))];
  const until = Date.now() + seconds * 1000;
  while (Date.now() < until) {
    for (const event of events) await timeHandler(harness, event, 50);
  }
}

export interface HotSpot {
  readonly name: string;
  /** Share of the profiled time (idle and module loading excluded). */
  readonly percent: number;
}

export interface ProfileSummary {
  /** Self time by function, top entries. */
  readonly selfTop: readonly HotSpot[];
  /** Inclusive time of the collector's stages (a function and everything it calls). */
  readonly stages: readonly HotSpot[];
  readonly garbageCollectionPercent: number;
}

interface ProfileNode {
  readonly id: number;
  readonly callFrame: { readonly functionName: string; readonly url: string; readonly lineNumber: number };
  readonly children?: readonly number[];
}

interface CpuProfile {
  readonly nodes: readonly ProfileNode[];
  readonly samples: readonly number[];
  readonly timeDeltas: readonly number[];
}

/** Stages of a request, by the function that runs each (inclusive time is reported). */
const STAGES: ReadonlyArray<[string, string]> = [
  ['runRequest', 'middy (the whole request inside the middleware chain)'],
  ['validateBatch', 'event validation (fast path, Zod for what it cannot vouch for)'],
  ['isSurelyValidEvent', '… of which the fast path'],
  ['decodeBody', 'body decoding (hashCode, UTF-8, JSON.parse)'],
  ['planRecords', 'record building (JSON.stringify)'],
  ['newRequestId', 'request id (pooled randomBytes)'],
  ['toHttpRequest', 'event → request (query, headers, body Buffer)'],
  ['resolveClientIp', 'client IP'],
  ['deliver', 'delivery to the (memory) stream'],
  ['record', 'metrics sums (OutcomeMetrics.record)'],
  ['logOutcome', 'outcome log line (DEBUG, filtered)'],
  ['toLambdaResult', 'response shaping'],
];

/** Reads a `.cpuprofile` (as written by `node --cpu-prof`) into self-time and stage shares. */
export function summarizeProfile(profile: CpuProfile): ProfileSummary {
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const parent = new Map<number, number>();
  for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id);
  const isNoise = (node: ProfileNode): boolean => {
    const { functionName, url } = node.callFrame;
    return functionName === '(idle)' || functionName === '(program)' || url.includes('internal/modules');
  };
  const selfTime = new Map<string, number>();
  const stageTime = new Map<string, number>();
  let total = 0;
  let gc = 0;
  profile.samples.forEach((id, index) => {
    const node = byId.get(id);
    const delta = profile.timeDeltas[index] ?? 0;
    if (node === undefined || isNoise(node)) return;
    // Module loading happens once; it is no per-request cost.
    for (let up = parent.get(id); up !== undefined; up = parent.get(up)) {
      const ancestor = byId.get(up);
      if (ancestor !== undefined && isNoise(ancestor)) return;
    }
    total += delta;
    if (node.callFrame.functionName === '(garbage collector)') gc += delta;
    const where = node.callFrame.url.replace(/^file:\/\/.*?\/(lambda|node_modules|local|scripts)\//, '$1/');
    const key =
      `${node.callFrame.functionName || '(anonymous)'} ${where === '' ? '' : `(${where}:${node.callFrame.lineNumber + 1})`}`.trim();
    selfTime.set(key, (selfTime.get(key) ?? 0) + delta);
    const seen = new Set<string>();
    for (let up: number | undefined = id; up !== undefined; up = parent.get(up)) {
      const name = byId.get(up)?.callFrame.functionName ?? '';
      if (!seen.has(name)) {
        seen.add(name);
        stageTime.set(name, (stageTime.get(name) ?? 0) + delta);
      }
    }
  });
  const percent = (value: number) => (total === 0 ? 0 : (100 * value) / total);
  return {
    selfTop: [...selfTime.entries()]
      .sort((a, b) => b[1] - a[1])
      .slice(0, 15)
      .map(([name, time]) => ({ name, percent: percent(time) })),
    stages: STAGES.map(([fn, label]) => ({
      name: `${label} — \`${fn}\``,
      percent: percent(stageTime.get(fn) ?? 0),
    })),
    garbageCollectionPercent: percent(gc),
  };
}

// Profiling child: `node --cpu-prof --import tsx scripts/bench/handler-cpu.ts --profile <seconds>`.
if (process.argv[2] === '--profile' && import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  process.env.POWERTOOLS_METRICS_DISABLED = 'true';
  process.env.POWERTOOLS_LOG_LEVEL = 'SILENT';
  await profileHandler(Number(process.argv[3] ?? '5'));
}
