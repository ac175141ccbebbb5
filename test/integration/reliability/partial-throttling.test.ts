import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EncodedRecord } from '../../../lambda/core/records/record';
import { createKinesisClient } from '../../../lambda/sinks/aws-clients';
import { KinesisStream } from '../../../lambda/sinks/kinesis-stream';
import { missingEvents, readStreamEvents } from '../../support/delivered-events';
import { seededRandom } from '../../support/fault-proxy';
import { type Rig, requestTimeBoundMs, startRig } from '../../support/reliability-rig';
import {
  acknowledgedEventIds,
  gzipRequest,
  jsonRequest,
  type PlannedRequest,
  sendThroughHandler,
} from '../../support/traffic';

/**
 * Kinesis under throttling: PutRecords answers 200 but refuses some records with
 * ProvisionedThroughputExceededException (the fault proxy lets only the others reach the emulator).
 */

const THROTTLED_SHARE = 0.3;

function record(partitionKey: string): EncodedRecord {
  const data = JSON.stringify([{ event_id: partitionKey, event_type: 'retry_probe' }]);
  return {
    partitionKey,
    data: Buffer.from(JSON.stringify({ appId: 'test_app', compression: null, data, rid: partitionKey })),
    eventCount: 1,
  };
}

const sorted = (keys: readonly string[]) => [...keys].sort();

describe('partial throttling by Kinesis', () => {
  let rig: Rig;

  beforeAll(async () => {
    rig = await startRig({ name: 'throttling' });
  });

  afterAll(async () => {
    await rig?.stop();
  });

  it('stores every event of every acknowledged request when 30% of records are throttled, in time', async () => {
    rig.kinesisProxy.setMode({ kind: 'throttle', share: THROTTLED_SHARE, random: seededRandom(7) });
    const requests: PlannedRequest[] = Array.from({ length: 60 }, (_, index) =>
      index % 3 === 0 ? gzipRequest(1 + (index % 7)) : jsonRequest(1 + (index % 7)),
    );
    const answered = await sendThroughHandler(rig.handler, requests, 6, requestTimeBoundMs(rig.config));

    // With S3 up, throttling never costs a client its data: every request is acknowledged.
    expect(answered.filter((exchange) => exchange.statusCode !== 200)).toEqual([]);
    const refusals = rig.kinesisProxy.calls.flatMap((call) => call.refusedKeys);
    expect(refusals.length).toBeGreaterThan(0);
    expect(missingEvents(acknowledgedEventIds(answered), await rig.delivered())).toEqual([]);
    expect(Math.max(...answered.map((exchange) => exchange.durationMs))).toBeLessThan(
      requestTimeBoundMs(rig.config),
    );
  });

  it('retries only the records Kinesis refused: each call carries exactly the previous refusals', async () => {
    rig.kinesisProxy.setMode({ kind: 'throttle', share: 0.5, random: seededRandom(42) });
    rig.kinesisProxy.clearCalls();
    // Distinct partition keys, so each record can be told apart in the proxy's log.
    const keys = Array.from({ length: 40 }, (_, index) =>
      createHash('sha256').update(`retry-probe-${index}`).digest('hex').slice(0, 32),
    );
    const stream = new KinesisStream(createKinesisClient(rig.config), rig.config.streamName);
    const result = await stream.put(keys.map(record), Date.now() + 5_000);

    const calls = rig.kinesisProxy.calls.filter((call) => call.operation.endsWith('.PutRecords'));
    expect(calls.length).toBeGreaterThan(1);
    expect(sorted(calls[0]?.partitionKeys ?? [])).toEqual(sorted(keys));
    for (let index = 1; index < calls.length; index += 1) {
      expect(sorted(calls[index]?.partitionKeys ?? [])).toEqual(sorted(calls[index - 1]?.refusedKeys ?? []));
    }
    expect(result.failed).toEqual([]);
    // Exactly once in the stream: nothing accepted was sent again.
    const inStream = await readStreamEvents(rig.emulators.kinesisEndpoint, rig.config.streamName);
    expect(keys.map((key) => inStream.get(key))).toEqual(keys.map(() => 1));
  });
});
