import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import type { NodeHttpHandler } from '@smithy/node-http-handler';
import type { CollectorConfig } from '../config';
import type { S3Sdk } from './s3-object-store';

/** Loaded by `loadS3Sdk` on first use of the bucket. */
export function createS3Sdk(config: CollectorConfig, requestHandler: NodeHttpHandler): S3Sdk {
  const client = new S3Client({
    region: config.region,
    endpoint: config.s3Endpoint,
    forcePathStyle: config.s3Endpoint !== undefined,
    // The fallback is the last line before a 503: give it one quick second try of its own.
    maxAttempts: 2,
    requestHandler,
  });
  return { client, PutObjectCommand };
}
