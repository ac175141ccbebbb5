import { Agent } from 'node:http';
import { Agent as HttpsAgent } from 'node:https';
import { KinesisClient } from '@aws-sdk/client-kinesis';
import { S3Client } from '@aws-sdk/client-s3';
import { NodeHttpHandler } from '@smithy/node-http-handler';

/**
 * The only key pair s3rver accepts (kinesalite accepts any). Using it for the embedded emulators
 * means the local tools never consult the default credentials chain, which could otherwise stall
 * on the EC2 metadata endpoint of a laptop without AWS credentials.
 */
export const EMULATOR_CREDENTIALS = { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' } as const;

export interface LocalClientOptions {
  readonly endpoint: string | undefined;
  readonly region: string;
  /** True for the embedded emulators: static local credentials instead of the environment's. */
  readonly emulator: boolean;
}

function httpHandler(): NodeHttpHandler {
  // The SDK's default Kinesis handler speaks HTTP/2, which the emulators answer with a protocol
  // error; HTTP/1.1 with keep-alive works with them and with AWS alike. Bounded timeouts keep a
  // dead emulator from hanging the archiver or `npm run tail`.
  return new NodeHttpHandler({
    httpAgent: new Agent({ keepAlive: true }),
    httpsAgent: new HttpsAgent({ keepAlive: true }),
    connectionTimeout: 2_000,
    requestTimeout: 10_000,
    throwOnRequestTimeout: true,
  });
}

export function createKinesisClient(options: LocalClientOptions): KinesisClient {
  return new KinesisClient({
    region: options.region,
    ...(options.endpoint === undefined ? {} : { endpoint: options.endpoint }),
    ...(options.emulator ? { credentials: EMULATOR_CREDENTIALS } : {}),
    requestHandler: httpHandler(),
    maxAttempts: 3,
  });
}

export function createS3Client(options: LocalClientOptions): S3Client {
  return new S3Client({
    region: options.region,
    ...(options.endpoint === undefined ? {} : { endpoint: options.endpoint }),
    ...(options.emulator ? { credentials: EMULATOR_CREDENTIALS } : {}),
    // s3rver (and most S3-compatible services) cannot route virtual-hosted bucket names on 127.0.0.1.
    forcePathStyle: options.endpoint !== undefined,
    // Checksums the emulator does not know would only add failure modes to a local tool.
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
    requestHandler: httpHandler(),
    maxAttempts: 3,
  });
}
