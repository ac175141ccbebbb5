import { connect } from 'node:net';
import { DescribeStreamSummaryCommand } from '@aws-sdk/client-kinesis';
import { HeadBucketCommand } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Emulators, startEmulators } from '../../../local/emulators';
import { emulatorKinesis, emulatorS3 } from '../../support/emulator-clients';

function refusesConnections(endpoint: string): Promise<boolean> {
  const { hostname, port } = new URL(endpoint);
  return new Promise((resolve) => {
    const socket = connect(Number(port), hostname);
    socket.once('connect', () => {
      socket.destroy();
      resolve(false);
    });
    socket.once('error', () => resolve(true));
  });
}

describe('startEmulators', () => {
  let emulators: Emulators;

  beforeAll(async () => {
    emulators = await startEmulators({ streamName: 'emulator-test', bucket: 'emulator-test', shardCount: 2 });
  });

  afterAll(async () => {
    await emulators?.stop();
  });

  it('reports the free loopback ports it got when asked for port 0', () => {
    expect(emulators.kinesisEndpoint).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(emulators.s3Endpoint).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(emulators.kinesisEndpoint).not.toMatch(/:0$/);
  });

  it('creates the stream ACTIVE with the shards asked for', async () => {
    const client = emulatorKinesis(emulators.kinesisEndpoint);
    try {
      const summary = await client.send(new DescribeStreamSummaryCommand({ StreamName: 'emulator-test' }));
      expect(summary.StreamDescriptionSummary?.StreamStatus).toBe('ACTIVE');
      expect(summary.StreamDescriptionSummary?.OpenShardCount).toBe(2);
    } finally {
      client.destroy();
    }
  });

  it('creates the bucket', async () => {
    const client = emulatorS3(emulators.s3Endpoint);
    try {
      const head = await client.send(new HeadBucketCommand({ Bucket: 'emulator-test' }));
      expect(head.$metadata.httpStatusCode).toBe(200);
    } finally {
      client.destroy();
    }
  });
});

describe('stopping the emulators', () => {
  it('closes both ports, even with a keep-alive client connected', async () => {
    const emulators = await startEmulators({ streamName: 'stop-test', bucket: 'stop-test' });
    const client = emulatorS3(emulators.s3Endpoint);
    await client.send(new HeadBucketCommand({ Bucket: 'stop-test' }));
    await emulators.stop();
    client.destroy();
    expect(await refusesConnections(emulators.kinesisEndpoint)).toBe(true);
    expect(await refusesConnections(emulators.s3Endpoint)).toBe(true);
  });

  it('names the port when it is already taken', async () => {
    const first = await startEmulators({ streamName: 'busy', bucket: 'busy' });
    try {
      const kinesisPort = Number(new URL(first.kinesisEndpoint).port);
      await expect(startEmulators({ streamName: 'busy', bucket: 'busy', kinesisPort })).rejects.toThrow(
        `port ${kinesisPort} is already in use`,
      );
    } finally {
      await first.stop();
    }
  });
});
