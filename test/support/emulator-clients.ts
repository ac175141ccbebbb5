import type { KinesisClient } from '@aws-sdk/client-kinesis';
import type { S3Client } from '@aws-sdk/client-s3';
import { createKinesisClient, createS3Client } from '../../local/aws-local-clients';

/**
 * The AWS clients every test uses against the emulators: the local tools' own (HTTP/1.1, which the
 * emulators need; the key pair s3rver accepts; bounded timeouts), so tests and tools talk to the
 * emulators one way. Destroy a client when done with it.
 */

const REGION = 'us-east-1';

export function emulatorKinesis(endpoint: string): KinesisClient {
  return createKinesisClient({ endpoint, region: REGION, emulator: true });
}

export function emulatorS3(endpoint: string): S3Client {
  return createS3Client({ endpoint, region: REGION, emulator: true });
}

/**
 * The Lambda's AWS clients take credentials from the default provider chain, which would stall on
 * the EC2 metadata endpoint on a machine without credentials; s3rver accepts only its own key pair
 * (kinesalite accepts any). Tests that run the real adapters against the emulators call this first.
 */
export function useEmulatorCredentials(): void {
  process.env.AWS_ACCESS_KEY_ID = 'S3RVER';
  process.env.AWS_SECRET_ACCESS_KEY = 'S3RVER';
  process.env.AWS_REGION = REGION;
  delete process.env.AWS_SESSION_TOKEN;
  delete process.env.AWS_PROFILE;
}
