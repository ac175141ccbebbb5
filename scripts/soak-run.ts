import { Agent, request as httpRequest } from 'node:http';
import { performance } from 'node:perf_hooks';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { startLocalCollector } from '../local/collector';
import { missingEvents, readDeliveredEvents } from '../test/support/delivered-events';
import {
  gzipRequest,
  jsonRequest,
  mapConcurrent,
  notJsonRequest,
  type PlannedRequest,
  partlyInvalidRequest,
  unknownAppRequest,
} from '../test/support/traffic';

/**
 * The soak: N requests at concurrency C against the local collector (the Lambda handler behind
 * its HTTP adapter, with embedded Kinesis and S3 emulators on free loopback ports), a mix of valid,
 * invalid and gzip requests. Afterwards the whole stream and the fallback prefix are read back
 * and every acknowledged event is looked up by `event_id`. Bounded: it sends exactly N requests,
 * gives up after `maxSeconds`, and stops everything it started.
 */

export interface SoakOptions {
  readonly requests: number;
  readonly concurrency: number;
  /**
   * Allowed growth of this process's RSS (after a full GC) from after the warm-up to the end.
   * @default `rssGrowthBoundMb` of the requests answered 200
   */
  readonly maxRssGrowthMb?: number;
  /** Allowed growth of the JS heap in use (after a full GC): where a leak of the collector would show. */
  readonly maxHeapGrowthMb: number;
  /** The run fails (and stops sending) when it takes longer than this. */
  readonly maxSeconds: number;
  /** Extra collector environment (CLICKSTREAM_* variables). */
  readonly env?: Readonly<Record<string, string>>;
  /** Progress lines; silent by default. */
  readonly log?: (line: string) => void;
}

export const DEFAULT_SOAK_OPTIONS: SoakOptions = {
  requests: 2_000,
  concurrency: 16,
  maxHeapGrowthMb: 48,
  maxSeconds: 600,
};

/** Fixed allowance for RSS growth: pools, JIT code, socket buffers, allocator slack. */
export const RSS_BASE_ALLOWANCE_MB = 64;
/**
 * kinesalite keeps every record in memory, in this same process, outside the JS heap (a buffer per
 * record): measured at 10.6 KB of RSS per 1.6 KB record alone, and 15.5 KB per request answered
 * 200 in a 20,000-request soak (allocator fragmentation included). So the RSS bound grows with the
 * records stored; a leak of the collector itself is caught by the heap bound instead.
 */
export const RSS_PER_STORED_RECORD_KB = 20;

/** The RSS growth bound for a run whose `stored` requests were answered 200 (one record each). */
export function rssGrowthBoundMb(stored: number): number {
  return Math.round(RSS_BASE_ALLOWANCE_MB + (stored * RSS_PER_STORED_RECORD_KB) / 1024);
}

type Kind = PlannedRequest['kind'];

/** What each kind of request must be answered: anything else counts as an error. */
export const EXPECTED_STATUS: Readonly<Record<Kind, number>> = {
  json: 200,
  gzip: 200,
  'partly-invalid': 200,
  'not-json': 400,
  'unknown-app': 403,
};

/**
 * The traffic mix, by request index (out of every 50): 30 Web JSON batches, 10 mobile gzip
 * batches, 4 batches with some invalid events, 3 unreadable bodies, 3 unregistered apps.
 * Batch sizes cycle 1–10 events, like SDKs flushing queues of different lengths.
 */
export function plannedRequest(index: number): PlannedRequest {
  const slot = index % 50;
  const events = 1 + (index % 10);
  if (slot < 30) return jsonRequest(events);
  if (slot < 40) return gzipRequest(events);
  if (slot < 44) return partlyInvalidRequest(events, 1 + (index % 3));
  if (slot < 47) return notJsonRequest();
  return unknownAppRequest();
}

/** The p-th percentile (0–100) by nearest rank; NaN for no samples. */
export function percentile(sortedSamples: readonly number[], p: number): number {
  if (sortedSamples.length === 0) return Number.NaN;
  const rank = Math.ceil((p / 100) * sortedSamples.length);
  return sortedSamples[Math.min(sortedSamples.length, Math.max(1, rank)) - 1] as number;
}

export interface SoakReport {
  readonly options: SoakOptions;
  readonly warmupRequests: number;
  readonly measuredRequests: number;
  readonly elapsedSeconds: number;
  readonly requestsPerSecond: number;
  readonly eventsPerSecond: number;
  readonly latencyMs: {
    readonly p50: number;
    readonly p90: number;
    readonly p99: number;
    readonly max: number;
  };
  readonly statuses: Readonly<Record<string, number>>;
  /** Answers other than the one expected for the request's kind, transport failures included. */
  readonly errors: number;
  readonly errorSamples: readonly string[];
  readonly acknowledgedEvents: number;
  readonly eventsInStream: number;
  readonly eventsInFallback: number;
  /** Acknowledged event IDs found more than once (at-least-once delivery allows it). */
  readonly duplicates: number;
  readonly missing: number;
  readonly rssMb: {
    readonly start: number;
    readonly afterWarmup: number;
    readonly end: number;
    readonly peak: number;
  };
  readonly rssGrowthMb: number;
  readonly rssBoundMb: number;
  readonly heapUsedMb: { readonly afterWarmup: number; readonly end: number };
  readonly heapGrowthMb: number;
  /** Growth of memory outside the JS heap (buffers): mostly the emulator's stored records. */
  readonly externalGrowthMb: number;
  readonly timedOut: boolean;
  readonly failures: readonly string[];
  readonly passed: boolean;
}

interface Answer {
  readonly status: number;
  readonly latencyMs: number;
  readonly error?: string;
}

function post(agent: Agent, base: URL, planned: PlannedRequest): Promise<Answer> {
  const started = performance.now();
  const spec = planned.spec;
  const body = spec.body === undefined ? Buffer.alloc(0) : Buffer.from(spec.body);
  return new Promise((resolve) => {
    const outgoing = httpRequest(
      {
        host: base.hostname,
        port: base.port,
        method: 'POST',
        path: `/collect?${spec.query ?? ''}`,
        agent,
        headers: { ...spec.headers, 'content-length': String(body.length) },
        timeout: 30_000,
      },
      (response) => {
        response.resume();
        response.on('end', () =>
          resolve({ status: response.statusCode ?? 0, latencyMs: performance.now() - started }),
        );
        response.on('error', (error) =>
          resolve({ status: 0, latencyMs: performance.now() - started, error: String(error) }),
        );
      },
    );
    outgoing.on('timeout', () => outgoing.destroy(new Error('no answer within 30 s')));
    outgoing.on('error', (error) =>
      resolve({ status: 0, latencyMs: performance.now() - started, error: String(error) }),
    );
    outgoing.end(body);
  });
}

const megabytes = (bytes: number) => Math.round((bytes / 1024 / 1024) * 10) / 10;

/**
 * A full garbage collection before each memory reading, so RSS growth reflects memory still held,
 * not garbage V8 has not collected yet. Exposing `gc` at run time avoids a node flag in the scripts.
 */
function collectGarbage(): void {
  setFlagsFromString('--expose-gc');
  const gc: unknown = runInNewContext('gc');
  if (typeof gc === 'function') gc();
}

function settledMemory(): NodeJS.MemoryUsage {
  collectGarbage();
  return process.memoryUsage();
}

export async function runSoak(options: SoakOptions): Promise<SoakReport> {
  const log = options.log ?? (() => undefined);
  const rssStart = settledMemory().rss;
  let rssPeak = rssStart;
  const sampler = setInterval(() => {
    rssPeak = Math.max(rssPeak, process.memoryUsage().rss);
  }, 250);
  sampler.unref();

  const collector = await startLocalCollector({
    env: { ...options.env },
    port: 0,
    embedEmulators: true,
    quiet: true,
    // The archiver would compete for the same two cores; the soak is about the collector.
    archiver: false,
  });
  const agent = new Agent({ keepAlive: true, maxSockets: options.concurrency });
  const base = new URL(collector.url);
  const deadline = performance.now() + options.maxSeconds * 1_000;
  let timedOut = false;

  const statuses: Record<string, number> = {};
  const errorSamples: string[] = [];
  let errors = 0;
  const acknowledged: string[] = [];

  const exchange = async (planned: PlannedRequest): Promise<Answer | undefined> => {
    if (performance.now() > deadline) {
      timedOut = true;
      return undefined;
    }
    const answer = await post(agent, base, planned);
    const key = answer.status === 0 ? 'transport-error' : String(answer.status);
    statuses[key] = (statuses[key] ?? 0) + 1;
    if (answer.status !== EXPECTED_STATUS[planned.kind]) {
      errors += 1;
      if (errorSamples.length < 10)
        errorSamples.push(`${planned.kind}: got ${key}${answer.error ? ` (${answer.error})` : ''}`);
    }
    if (answer.status === 200) acknowledged.push(...planned.validEventIds);
    return answer;
  };

  try {
    // Warm-up: JIT, connection pools, the emulators' first allocations; not in the figures.
    const warmupRequests = Math.min(500, Math.floor(options.requests / 10));
    const measuredRequests = options.requests - warmupRequests;
    await mapConcurrent(
      Array.from({ length: warmupRequests }, (_, index) => index),
      options.concurrency,
      (index) => exchange(plannedRequest(index)),
    );
    const afterWarmup = settledMemory();
    const rssAfterWarmup = afterWarmup.rss;
    log(`warm-up: ${warmupRequests} requests; RSS ${megabytes(rssAfterWarmup)} MB`);

    const latencies: number[] = [];
    const started = performance.now();
    let done = 0;
    await mapConcurrent(
      Array.from({ length: measuredRequests }, (_, index) => warmupRequests + index),
      options.concurrency,
      async (index) => {
        const answer = await exchange(plannedRequest(index));
        if (answer !== undefined) latencies.push(answer.latencyMs);
        done += 1;
        if (done % 5_000 === 0) log(`${done}/${measuredRequests} requests`);
      },
    );
    const elapsedSeconds = (performance.now() - started) / 1_000;
    rssPeak = Math.max(rssPeak, process.memoryUsage().rss);
    const end = settledMemory();
    const rssEnd = end.rss;

    log('reading back the stream and the fallback prefix…');
    const delivered = await readDeliveredEvents({
      kinesisEndpoint: collector.kinesisEndpoint,
      s3Endpoint: collector.s3Endpoint,
      streamName: collector.streamName,
      bucket: collector.bucket,
      fallbackPrefix: collector.config.fallbackPrefix,
    });
    const missing = missingEvents(acknowledged, delivered);
    const duplicates = acknowledged.filter(
      (id) => (delivered.stream.get(id) ?? 0) + (delivered.fallback.get(id) ?? 0) > 1,
    ).length;
    const sum = (counts: Map<string, number>) => [...counts.values()].reduce((total, n) => total + n, 0);

    latencies.sort((a, b) => a - b);
    const rssGrowthMb = megabytes(rssEnd - rssAfterWarmup);
    const rssBoundMb = options.maxRssGrowthMb ?? rssGrowthBoundMb(statuses['200'] ?? 0);
    const heapGrowthMb = megabytes(end.heapUsed - afterWarmup.heapUsed);
    const failures: string[] = [];
    if (timedOut) failures.push(`stopped after ${options.maxSeconds} s before sending every request`);
    if (errors > 0) failures.push(`${errors} unexpected answers`);
    if (missing.length > 0) failures.push(`${missing.length} acknowledged events missing`);
    if (rssGrowthMb > rssBoundMb) failures.push(`RSS grew ${rssGrowthMb} MB (bound ${rssBoundMb} MB)`);
    if (heapGrowthMb > options.maxHeapGrowthMb)
      failures.push(`heap in use grew ${heapGrowthMb} MB (bound ${options.maxHeapGrowthMb} MB)`);

    return {
      options,
      warmupRequests,
      measuredRequests,
      elapsedSeconds: Math.round(elapsedSeconds * 100) / 100,
      requestsPerSecond: Math.round(latencies.length / elapsedSeconds),
      eventsPerSecond: Math.round(
        latencies.length === 0
          ? 0
          : (acknowledged.length * (measuredRequests / options.requests)) / elapsedSeconds,
      ),
      latencyMs: {
        p50: Math.round(percentile(latencies, 50) * 10) / 10,
        p90: Math.round(percentile(latencies, 90) * 10) / 10,
        p99: Math.round(percentile(latencies, 99) * 10) / 10,
        max: Math.round((latencies.at(-1) ?? Number.NaN) * 10) / 10,
      },
      statuses,
      errors,
      errorSamples,
      acknowledgedEvents: acknowledged.length,
      eventsInStream: sum(delivered.stream),
      eventsInFallback: sum(delivered.fallback),
      duplicates,
      missing: missing.length,
      rssMb: {
        start: megabytes(rssStart),
        afterWarmup: megabytes(rssAfterWarmup),
        end: megabytes(rssEnd),
        peak: megabytes(rssPeak),
      },
      rssGrowthMb,
      rssBoundMb,
      heapUsedMb: { afterWarmup: megabytes(afterWarmup.heapUsed), end: megabytes(end.heapUsed) },
      heapGrowthMb,
      externalGrowthMb: megabytes(end.external - afterWarmup.external),
      timedOut,
      failures,
      passed: failures.length === 0,
    };
  } finally {
    clearInterval(sampler);
    agent.destroy();
    await collector.stop();
  }
}

/** The report as the lines `npm run soak` prints (and RELIABILITY.md quotes). */
export function formatSoakReport(report: SoakReport): string {
  const statuses = Object.entries(report.statuses)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([status, count]) => `${status}: ${count}`)
    .join(', ');
  return [
    `requests      ${report.options.requests} at concurrency ${report.options.concurrency} (${report.warmupRequests} warm-up, ${report.measuredRequests} measured)`,
    `throughput    ${report.requestsPerSecond} requests/s, ${report.eventsPerSecond} acknowledged events/s over ${report.elapsedSeconds} s`,
    `latency       p50 ${report.latencyMs.p50} ms, p90 ${report.latencyMs.p90} ms, p99 ${report.latencyMs.p99} ms, max ${report.latencyMs.max} ms`,
    `statuses      ${statuses}`,
    `errors        ${report.errors}${report.errorSamples.length > 0 ? ` (${report.errorSamples.join('; ')})` : ''}`,
    `delivery      ${report.acknowledgedEvents} events acknowledged; found ${report.eventsInStream} in the stream, ${report.eventsInFallback} in the fallback; ${report.missing} missing, ${report.duplicates} duplicated`,
    `memory (RSS)  start ${report.rssMb.start} MB, after warm-up ${report.rssMb.afterWarmup} MB, end ${report.rssMb.end} MB, peak ${report.rssMb.peak} MB; growth ${report.rssGrowthMb} MB (bound ${report.rssBoundMb} MB)`,
    `memory (heap) in use after GC: after warm-up ${report.heapUsedMb.afterWarmup} MB, end ${report.heapUsedMb.end} MB; growth ${report.heapGrowthMb} MB (bound ${report.options.maxHeapGrowthMb} MB); outside the heap (buffers, mostly the emulator's records) +${report.externalGrowthMb} MB`,
    `result        ${report.passed ? 'PASS' : `FAIL: ${report.failures.join('; ')}`}`,
  ].join('\n');
}
