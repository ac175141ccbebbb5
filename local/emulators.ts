import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  CreateStreamCommand,
  DescribeStreamSummaryCommand,
  type KinesisClient,
  ResourceInUseException,
} from '@aws-sdk/client-kinesis';
import kinesalite from 'kinesalite';
import S3rver from 's3rver';
import { createKinesisClient } from './aws-local-clients';

export interface KinesisEmulator {
  readonly endpoint: string;
  readonly streamName: string;
  stop(): Promise<void>;
}

export interface S3Emulator {
  readonly endpoint: string;
  readonly bucket: string;
  /** Where s3rver keeps the objects (one file per object, named `<key>._S3rver_object`). */
  readonly directory: string;
  stop(): Promise<void>;
}

export interface EmulatorsOptions {
  /** Loopback by default: the emulators accept any request. */
  readonly host?: string;
  /** 0 = any free port (the default). */
  readonly kinesisPort?: number;
  /** 0 = any free port (the default). */
  readonly s3Port?: number;
  /** Default: a fresh temporary folder, removed by `stop()`. */
  readonly s3Directory?: string;
  readonly streamName: string;
  readonly bucket: string;
  /** @default 1 */
  readonly shardCount?: number;
}

export interface Emulators {
  readonly kinesisEndpoint: string;
  readonly s3Endpoint: string;
  readonly streamName: string;
  readonly bucket: string;
  readonly s3Directory: string;
  stop(): Promise<void>;
}

const DEFAULT_HOST = '127.0.0.1';
const STREAM_ACTIVE_TIMEOUT_MS = 10_000;

function endpointOf(host: string, address: AddressInfo | string | null): string {
  if (address === null || typeof address === 'string') {
    throw new Error('emulator is not listening on a TCP port');
  }
  const hostPart = host.includes(':') ? `[${host}]` : host;
  return `http://${hostPart}:${address.port}`;
}

function describeListenError(error: unknown, what: string, port: number): Error {
  if (error instanceof Error && 'code' in error && error.code === 'EADDRINUSE') {
    return new Error(`${what}: port ${port} is already in use (is another local collector running?)`, {
      cause: error,
    });
  }
  return error instanceof Error ? error : new Error(String(error));
}

function listen(server: Server, port: number, host: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const onError = (error: Error): void => {
      server.off('listening', onListening);
      reject(error);
    };
    const onListening = (): void => {
      server.off('error', onError);
      resolve();
    };
    server.once('error', onError);
    server.once('listening', onListening);
    server.listen(port, host);
  });
}

function closeServer(server: Server): Promise<void> {
  return new Promise((resolve, reject) => {
    server.close((error) => (error ? reject(error) : resolve()));
    // Keep-alive sockets of SDK clients would otherwise hold `close` open until they time out.
    server.closeAllConnections();
  });
}

async function createActiveStream(
  client: KinesisClient,
  streamName: string,
  shardCount: number,
): Promise<void> {
  try {
    await client.send(new CreateStreamCommand({ StreamName: streamName, ShardCount: shardCount }));
  } catch (error) {
    // An external or reused emulator may already hold the stream; that is what we want.
    if (!(error instanceof ResourceInUseException)) throw error;
  }
  const deadline = Date.now() + STREAM_ACTIVE_TIMEOUT_MS;
  for (;;) {
    const summary = await client.send(new DescribeStreamSummaryCommand({ StreamName: streamName }));
    if (summary.StreamDescriptionSummary?.StreamStatus === 'ACTIVE') return;
    if (Date.now() > deadline) throw new Error(`stream ${streamName} did not become ACTIVE`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** Starts kinesalite in memory and creates `streamName`, resolving once the stream is ACTIVE. */
export async function startKinesisEmulator(options: {
  readonly host?: string;
  readonly port?: number;
  readonly streamName: string;
  readonly shardCount?: number;
}): Promise<KinesisEmulator> {
  const host = options.host ?? DEFAULT_HOST;
  const port = options.port ?? 0;
  // Stream state changes are instant so start-up and tests never wait on simulated provisioning.
  const server = kinesalite({ createStreamMs: 0, deleteStreamMs: 0, updateStreamMs: 0 });
  try {
    await listen(server, port, host);
  } catch (error) {
    throw describeListenError(error, 'Kinesis emulator', port);
  }
  const endpoint = endpointOf(host, server.address());
  const stop = () => closeServer(server);
  const client = createKinesisClient({ endpoint, region: 'us-east-1', emulator: true });
  try {
    await createActiveStream(client, options.streamName, options.shardCount ?? 1);
  } catch (error) {
    await stop().catch(() => undefined);
    throw error;
  } finally {
    client.destroy();
  }
  return { endpoint, streamName: options.streamName, stop };
}

/** Starts s3rver with `bucket` created, keeping objects under `directory` (default: a temporary folder). */
export async function startS3Emulator(options: {
  readonly host?: string;
  readonly port?: number;
  readonly directory?: string;
  readonly bucket: string;
}): Promise<S3Emulator> {
  const host = options.host ?? DEFAULT_HOST;
  const port = options.port ?? 0;
  const ownDirectory = options.directory === undefined;
  const directory = options.directory ?? (await mkdtemp(join(tmpdir(), 'clickstream-s3-')));
  await mkdir(directory, { recursive: true });
  const removeOwnDirectory = async (): Promise<void> => {
    if (ownDirectory) await rm(directory, { recursive: true, force: true });
  };
  const s3rver = new S3rver({
    silent: true,
    directory,
    configureBuckets: [{ name: options.bucket }],
    // Clients here use path-style URLs; host-based bucket routing would misread `127.0.0.1`.
    vhostBuckets: false,
  });
  // Our own server instead of `s3rver.run()`: its listen promise never settles on EADDRINUSE and
  // the error surfaces as an uncaught exception instead.
  const server = createServer(s3rver.callback());
  const stop = async (): Promise<void> => {
    if (server.listening) await closeServer(server);
    s3rver.logger.close();
    await removeOwnDirectory();
  };
  try {
    await s3rver.configureBuckets();
    await listen(server, port, host);
  } catch (error) {
    await stop().catch(() => undefined);
    throw describeListenError(error, 'S3 emulator', port);
  }
  return { endpoint: endpointOf(host, server.address()), bucket: options.bucket, directory, stop };
}

/** Both emulators, as the local collector and the integration tests use them. */
export async function startEmulators(options: EmulatorsOptions): Promise<Emulators> {
  const kinesis = await startKinesisEmulator({
    ...(options.host === undefined ? {} : { host: options.host }),
    port: options.kinesisPort ?? 0,
    streamName: options.streamName,
    ...(options.shardCount === undefined ? {} : { shardCount: options.shardCount }),
  });
  let s3: S3Emulator;
  try {
    s3 = await startS3Emulator({
      ...(options.host === undefined ? {} : { host: options.host }),
      port: options.s3Port ?? 0,
      ...(options.s3Directory === undefined ? {} : { directory: options.s3Directory }),
      bucket: options.bucket,
    });
  } catch (error) {
    await kinesis.stop().catch(() => undefined);
    throw error;
  }
  return {
    kinesisEndpoint: kinesis.endpoint,
    s3Endpoint: s3.endpoint,
    streamName: kinesis.streamName,
    bucket: s3.bucket,
    s3Directory: s3.directory,
    stop: async () => {
      const results = await Promise.allSettled([kinesis.stop(), s3.stop()]);
      const failure = results.find((result) => result.status === 'rejected');
      if (failure !== undefined) throw failure.reason;
    },
  };
}
