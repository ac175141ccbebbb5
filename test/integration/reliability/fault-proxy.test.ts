import { type KinesisClient, PutRecordsCommand } from '@aws-sdk/client-kinesis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type KinesisEmulator, startKinesisEmulator } from '../../../local/emulators';
import { readStreamEvents } from '../../support/delivered-events';
import { emulatorKinesis } from '../../support/emulator-clients';
import { type FaultProxy, seededRandom, startFaultProxy } from '../../support/fault-proxy';

/**
 * The fault proxy is the instrument of the reliability tests: its partial-failure answers must look
 * like Kinesis's own, or the tests would prove nothing about the real service.
 */

function probeRecord(id: string) {
  return {
    PartitionKey: id,
    Data: Buffer.from(JSON.stringify({ compression: null, data: JSON.stringify([{ event_id: id }]) })),
  };
}

describe('fault proxy in front of the Kinesis emulator', () => {
  let kinesis: KinesisEmulator;
  let proxy: FaultProxy;
  let client: KinesisClient;

  beforeAll(async () => {
    kinesis = await startKinesisEmulator({ streamName: 'fault-proxy' });
    proxy = await startFaultProxy({ target: kinesis.endpoint });
    client = emulatorKinesis(proxy.endpoint);
  });

  afterAll(async () => {
    client?.destroy();
    await proxy?.stop();
    await kinesis?.stop();
  });

  it('answers a throttled PutRecords like Kinesis and forwards only the records it lets through', async () => {
    proxy.setMode({ kind: 'throttle', share: 0.5, random: seededRandom(3) });
    const ids = Array.from({ length: 20 }, (_, index) => `probe-${index}`);
    const response = await client.send(
      new PutRecordsCommand({ StreamName: 'fault-proxy', Records: ids.map(probeRecord) }),
    );

    const refused = new Set(proxy.calls.at(-1)?.refusedKeys);
    expect(refused.size).toBeGreaterThan(0);
    expect(refused.size).toBeLessThan(ids.length);
    expect(response.FailedRecordCount).toBe(refused.size);
    expect(
      response.Records?.map((entry, index) =>
        refused.has(ids[index] as string)
          ? entry.ErrorCode === 'ProvisionedThroughputExceededException' && entry.SequenceNumber === undefined
          : entry.ErrorCode === undefined && entry.SequenceNumber !== undefined,
      ),
    ).toEqual(ids.map(() => true));
    const stored = await readStreamEvents(kinesis.endpoint, 'fault-proxy');
    expect([...stored.keys()].sort()).toEqual(ids.filter((id) => !refused.has(id)).sort());
  });

  it('answers an injected 503 that the SDK reads as a service error', async () => {
    proxy.setMode({ kind: 'status', status: 503 });
    await expect(
      client.send(new PutRecordsCommand({ StreamName: 'fault-proxy', Records: [probeRecord('x')] })),
    ).rejects.toMatchObject({ name: 'ServiceUnavailable', $metadata: { httpStatusCode: 503 } });
  });
});
