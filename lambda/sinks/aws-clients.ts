import { Agent as HttpAgent } from 'node:http';
import { Agent } from 'node:https';
import { KinesisClient } from '@aws-sdk/client-kinesis';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import type { CollectorConfig } from '../config';
import type { S3Sdk } from './s3-object-store';

/**
 * AWS clients tuned for a request path with a deadline: HTTP/1.1 keep-alive (the Kinesis client's
 * default HTTP/2 handler is slower to set up and emulators do not speak it), explicit connection
 * and request timeouts so a hung call cannot eat the Lambda timeout, and no SDK retries: the
 * collector retries itself within its own time budget.
 */
export function httpHandler(config: CollectorConfig): NodeHttpHandler {
  return new NodeHttpHandler({
    connectionTimeout: config.sinkConnectTimeoutMs,
    requestTimeout: config.sinkRequestTimeoutMs,
    // Without this the handler only logs a warning when requestTimeout passes and keeps waiting.
    throwOnRequestTimeout: true,
    httpsAgent: new Agent({ keepAlive: true, maxSockets: 50 }),
    httpAgent: new HttpAgent({ keepAlive: true, maxSockets: 50 }),
  });
}

export function createKinesisClient(config: CollectorConfig): KinesisClient {
  return new KinesisClient({
    region: config.region,
    endpoint: config.kinesisEndpoint,
    maxAttempts: 1,
    requestHandler: httpHandler(config),
  });
}

/**
 * The S3 SDK and a client for the fallback bucket, imported when first needed. The deployed bundle
 * leaves the S3 client out (lib/function-bundling.ts): it comes from the Lambda runtime's SDK, so
 * a cold start parses none of it.
 */
export async function loadS3Sdk(config: CollectorConfig): Promise<S3Sdk> {
  const { S3Client, PutObjectCommand } = await import('@aws-sdk/client-s3');
  const client = new S3Client({
    region: config.region,
    endpoint: config.s3Endpoint,
    forcePathStyle: config.s3Endpoint !== undefined,
    // The fallback is the last line before a 503: give it one quick second try of its own.
    maxAttempts: 2,
    requestHandler: httpHandler(config),
  });
  return { client, PutObjectCommand };
}
