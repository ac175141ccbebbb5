import { performance } from 'node:perf_hooks';
import type { LambdaHttpHandler } from '../../lambda/app';
import type { RequestOutcome } from '../../lambda/core/outcome';
import { gzipBase64, hashCodeOf, sampleBatch, sampleEvent } from './events';
import { lambdaContext, lambdaEvent, normalizeResult, type RequestSpec } from './lambda-events';

/**
 * Client-side traffic for the reliability tests and the soak: requests shaped like the SDKs send
 * them, each remembering the `event_id`s it carries, and a bounded-concurrency sender that keeps
 * what each request was answered and how long it took.
 */

export interface PlannedRequest {
  readonly spec: RequestSpec;
  /** IDs of the events that pass the schema: what a 200 acknowledges. */
  readonly validEventIds: readonly string[];
  /** How many events fail the schema (quarantined on a 200). */
  readonly invalidEvents: number;
  readonly kind: 'json' | 'gzip' | 'partly-invalid' | 'not-json' | 'unknown-app';
}

let sequence = 0;

function baseQuery(appId: string, platform: string): string {
  sequence += 1;
  return `appId=${appId}&platform=${platform}&event_bundle_sequence_id=${sequence}&upload_timestamp=${Date.now()}`;
}

/** A Web SDK batch: plain JSON array with its hashCode. */
export function jsonRequest(events: number, appId = 'test_app'): PlannedRequest {
  const batch = sampleBatch(events);
  const body = JSON.stringify(batch);
  return {
    spec: {
      query: `${baseQuery(appId, 'Web')}&hashCode=${hashCodeOf(body)}`,
      headers: { 'content-type': 'application/json; charset=utf-8', 'user-agent': 'reliability-test' },
      body,
    },
    validEventIds: batch.map((event) => event.event_id as string),
    invalidEvents: 0,
    kind: 'json',
  };
}

/** An Android/Swift SDK batch: base64 text of gzip bytes, `compression=gzip`. */
export function gzipRequest(events: number, appId = 'test_app'): PlannedRequest {
  const batch = sampleBatch(events, { platform: 'Android' });
  const body = gzipBase64(JSON.stringify(batch));
  return {
    spec: {
      query: `${baseQuery(appId, 'Android')}&compression=gzip&hashCode=${hashCodeOf(body)}`,
      headers: { 'content-type': 'application/json; charset=utf-8', 'user-agent': 'reliability-test' },
      body,
    },
    validEventIds: batch.map((event) => event.event_id as string),
    invalidEvents: 0,
    kind: 'gzip',
  };
}

/** A batch where some events fail the schema: 200, valid ones stored, the others quarantined. */
export function partlyInvalidRequest(valid: number, invalid: number): PlannedRequest {
  const good = sampleBatch(valid);
  const bad = Array.from({ length: invalid }, () => sampleEvent({ timestamp: 'not-a-number' }));
  return {
    spec: { query: baseQuery('test_app', 'Web'), body: JSON.stringify([...good, ...bad]) },
    validEventIds: good.map((event) => event.event_id as string),
    invalidEvents: invalid,
    kind: 'partly-invalid',
  };
}

/** A body that is not JSON: 400, nothing acknowledged. */
export function notJsonRequest(): PlannedRequest {
  return {
    spec: { query: baseQuery('test_app', 'Web'), body: '{"event_id": "truncated' },
    validEventIds: [],
    invalidEvents: 0,
    kind: 'not-json',
  };
}

/** An app that is not registered: 403, nothing acknowledged. */
export function unknownAppRequest(): PlannedRequest {
  return { ...jsonRequest(2, 'not_registered'), validEventIds: [], kind: 'unknown-app' };
}

export interface Exchange {
  readonly request: PlannedRequest;
  readonly statusCode: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly durationMs: number;
}

/** Runs `work` over `items` with at most `concurrency` in flight, keeping the input order of results. */
export async function mapConcurrent<T, R>(
  items: readonly T[],
  concurrency: number,
  work: (item: T, index: number) => Promise<R>,
): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const index = next++;
      results[index] = await work(items[index] as T, index);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, items.length) }, worker));
  return results;
}

/** `statusCode` of a request that was still unanswered when its time limit ran out. */
const NO_ANSWER = 0;

/**
 * Sends each request through the Lambda handler (function URL events), `concurrency` at a time.
 * With `timeLimitMs`, a request still running after that long counts as `NO_ANSWER` (it keeps
 * running in the background until its sinks give up), so a hang fails a test quickly.
 */
export function sendThroughHandler(
  handler: LambdaHttpHandler,
  requests: readonly PlannedRequest[],
  concurrency: number,
  timeLimitMs = Number.POSITIVE_INFINITY,
): Promise<Exchange[]> {
  return mapConcurrent(requests, concurrency, async (request) => {
    const started = performance.now();
    let timer: NodeJS.Timeout | undefined;
    const expired = new Promise<undefined>((resolve) => {
      if (Number.isFinite(timeLimitMs)) timer = setTimeout(() => resolve(undefined), timeLimitMs);
    });
    const result = await Promise.race([
      handler(lambdaEvent('function-url', request.spec), lambdaContext),
      expired,
    ]);
    clearTimeout(timer);
    const durationMs = performance.now() - started;
    if (result === undefined) return { request, statusCode: NO_ANSWER, headers: {}, durationMs };
    const normalized = normalizeResult(result);
    return { request, statusCode: normalized.statusCode, headers: normalized.headers, durationMs };
  });
}

/** The `event_id`s of every event a 200 answer acknowledged. */
export function acknowledgedEventIds(exchanges: readonly Exchange[]): string[] {
  return exchanges.filter((exchange) => exchange.statusCode === 200).flatMap((e) => e.request.validEventIds);
}

/** Outcomes by request ID, to look up what the collector reported for a given answer. */
export function outcomesById(outcomes: readonly RequestOutcome[]): Map<string, RequestOutcome> {
  return new Map(outcomes.map((outcome) => [outcome.requestId, outcome]));
}
