import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { missingEvents } from '../../support/delivered-events';
import type { FaultMode } from '../../support/fault-proxy';
import { type Rig, requestTimeBoundMs, startRig } from '../../support/reliability-rig';
import {
  acknowledgedEventIds,
  type Exchange,
  gzipRequest,
  jsonRequest,
  notJsonRequest,
  outcomesById,
  type PlannedRequest,
  sendThroughHandler,
} from '../../support/traffic';

/**
 * Sink outages, injected by fault proxies in front of the emulators. The invariant in every
 * scenario: each event of each request answered 200 is in the stream or the fallback prefix, and
 * each request ends within `requestTimeBoundMs` (about 1.9 s with the test budgets; the Lambda
 * timeout is 10 s).
 */

const CONCURRENCY = 4;
const REQUESTS_PER_SCENARIO = 8;

/** Alternates Web (JSON) and mobile (gzip) batches of 1–5 events. */
function mixedRequests(count: number): PlannedRequest[] {
  return Array.from({ length: count }, (_, index) =>
    index % 2 === 0 ? jsonRequest(1 + (index % 5)) : gzipRequest(1 + (index % 5)),
  );
}

const KINESIS_FAULTS: ReadonlyArray<readonly [string, FaultMode]> = [
  ['answers 500', { kind: 'status', status: 500 }],
  ['answers 503', { kind: 'status', status: 503 }],
  ['stalls past the client timeout', { kind: 'stall' }],
  ['drops connections', { kind: 'drop' }],
  ['throttles every record', { kind: 'throttle', share: 1 }],
];

const BOTH_DOWN_FAULTS: ReadonlyArray<readonly [string, FaultMode]> = [
  ['answer 503', { kind: 'status', status: 503 }],
  ['stall past the client timeout', { kind: 'stall' }],
  ['drop connections', { kind: 'drop' }],
];

describe('sink outages', () => {
  let rig: Rig;
  // A request still running at the time bound is a failure already: stop waiting for it there.
  const send = (requests: readonly PlannedRequest[]) =>
    sendThroughHandler(rig.handler, requests, CONCURRENCY, requestTimeBoundMs(rig.config));

  function slowest(answered: readonly Exchange[]): number {
    return Math.max(...answered.map((exchange) => exchange.durationMs));
  }

  beforeAll(async () => {
    rig = await startRig({ name: 'outages' });
  });

  afterAll(async () => {
    await rig?.stop();
  });

  describe.each(KINESIS_FAULTS)('when Kinesis %s', (_, fault) => {
    it('acknowledges every request through the S3 fallback, in time', async () => {
      rig.kinesisProxy.setMode(fault);
      rig.s3Proxy.setMode({ kind: 'pass' });
      const answered = await send(mixedRequests(REQUESTS_PER_SCENARIO));

      expect(answered.map((exchange) => exchange.statusCode)).toEqual(answered.map(() => 200));
      const outcomes = outcomesById(rig.outcomes);
      for (const exchange of answered) {
        const outcome = outcomes.get(exchange.headers['x-request-id'] ?? '');
        expect(outcome?.eventsToFallback).toBe(exchange.request.validEventIds.length);
      }
      const delivered = await rig.delivered();
      expect(
        missingEvents(acknowledgedEventIds(answered), { stream: new Map(), fallback: delivered.fallback }),
      ).toEqual([]);
      expect(slowest(answered)).toBeLessThan(requestTimeBoundMs(rig.config));
    });
  });

  describe.each(BOTH_DOWN_FAULTS)('when Kinesis and S3 both %s', (_, fault) => {
    it('answers 503 with Retry-After, acknowledging nothing, in time', async () => {
      rig.kinesisProxy.setMode(fault);
      rig.s3Proxy.setMode(fault);
      const answered = await send(mixedRequests(REQUESTS_PER_SCENARIO));

      for (const exchange of answered) {
        expect(exchange.statusCode).toBe(503);
        expect(exchange.headers['retry-after']).toBe(String(rig.config.retryAfterSeconds));
      }
      expect(slowest(answered)).toBeLessThan(requestTimeBoundMs(rig.config));
    });
  });

  it('still answers a body it cannot read 400, in time, while S3 stalls', async () => {
    rig.kinesisProxy.setMode({ kind: 'pass' });
    rig.s3Proxy.setMode({ kind: 'stall' });
    const [answered] = await send([notJsonRequest()]);
    expect(answered?.statusCode).toBe(400);
    expect(answered?.durationMs).toBeLessThan(requestTimeBoundMs(rig.config));
  });

  it('writes to the stream again, without retries, as soon as Kinesis recovers', async () => {
    rig.kinesisProxy.setMode({ kind: 'status', status: 503 });
    rig.s3Proxy.setMode({ kind: 'status', status: 503 });
    const refused = await send(mixedRequests(REQUESTS_PER_SCENARIO));
    expect(refused.every((exchange) => exchange.statusCode === 503)).toBe(true);

    rig.kinesisProxy.setMode({ kind: 'pass' });
    rig.s3Proxy.setMode({ kind: 'pass' });
    // The SDKs keep what was answered 503 and send it again: those must now land in the stream.
    const resent = await send(refused.map((exchange) => exchange.request));
    const fresh = await send(mixedRequests(REQUESTS_PER_SCENARIO));

    const outcomes = outcomesById(rig.outcomes);
    for (const exchange of [...resent, ...fresh]) {
      expect(exchange.statusCode).toBe(200);
      const outcome = outcomes.get(exchange.headers['x-request-id'] ?? '');
      expect(outcome).toMatchObject({ eventsToFallback: 0, streamRetries: 0 });
    }
    const delivered = await rig.delivered();
    const ids = acknowledgedEventIds([...resent, ...fresh]);
    expect(ids.filter((id) => !delivered.stream.has(id))).toEqual([]);
  });
});
