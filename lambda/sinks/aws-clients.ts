import { Agent as HttpAgent } from 'node:http';
import { Agent } from 'node:https';
import { KinesisClient } from '@aws-sdk/client-kinesis';
import { S3Client } from '@aws-sdk/client-s3';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import type { CollectorConfig } from '../config';

/**
 * AWS clients tuned for a request path with a deadline: HTTP/1.1 keep-alive (the Kinesis client's
 * default HTTP/2 handler is slower to set up and emulators do not speak it), explicit connection
 * and request timeouts so a hung call cannot eat the Lambda timeout, and no SDK retries: the
 * collector retries itself within its own time budget.
 */
function httpHandler(config: CollectorConfig): NodeHttpHandler {
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

export function createS3Client(config: CollectorConfig): S3Client {
  return new S3Client({
    region: config.region,
    endpoint: config.s3Endpoint,
    forcePathStyle: config.s3Endpoint !== undefined,
    // The fallback is the last line before a 503: give it one quick second try of its own.
    maxAttempts: 2,
    requestHandler: httpHandler(config),
  });
}
