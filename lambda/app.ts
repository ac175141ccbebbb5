import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import type { Context } from 'aws-lambda';
import { retryingAuthenticator } from './access/auth';
import { createCorsPolicy } from './access/cors';
import type { CollectorConfig } from './config';
import { BadRequestError } from './core/errors';
import type { RequestOutcome } from './core/outcome';
import type { Authenticator, ObjectStore, StreamSink } from './core/ports';
import { errorResponse } from './core/responses';
import { createCollector } from './core/router';
import {
  type LambdaHttpEvent,
  toHttpRequest,
  toLambdaResult,
  UnsupportedEventError,
} from './http/lambda-events';
import { createTelemetry, logOutcome, OutcomeMetrics, type Telemetry } from './observability/telemetry';
import { createKinesisClient, createS3Client } from './sinks/aws-clients';
import { KinesisStream } from './sinks/kinesis-stream';
import { S3ObjectStore } from './sinks/s3-object-store';

export interface HandlerOptions {
  /** Called once per request after the response is decided (the local server prints a line from it). */
  readonly onOutcome?: (outcome: RequestOutcome) => void;
  /** Replace the AWS adapters (tests, benchmarks). */
  readonly stream?: StreamSink;
  readonly objects?: ObjectStore;
  readonly authenticator?: Authenticator;
  readonly telemetry?: Telemetry;
}

export type LambdaHttpHandler = (event: unknown, context: Context) => Promise<unknown>;

/** Builds the middy Lambda handler (all four event shapes) wired to the AWS sinks of `config`. */
export function buildHandler(config: CollectorConfig, options: HandlerOptions = {}): LambdaHttpHandler {
  const telemetry = options.telemetry ?? createTelemetry();
  const metrics = new OutcomeMetrics(telemetry.metrics, config.metricsFlushSeconds * 1_000);
  const collect = createCollector({
    config,
    stream: options.stream ?? new KinesisStream(createKinesisClient(config), config.streamName),
    objects:
      options.objects ??
      new S3ObjectStore(createS3Client(config), config.bucket, `${config.fallbackPrefix}_health-check`),
    cors: createCorsPolicy(config.corsOrigins),
    authenticator: options.authenticator ?? retryingAuthenticator(config.auth, config.retryAfterSeconds),
    logger: telemetry.logger,
  });

  const handle = async (event: LambdaHttpEvent) => {
    let converted: ReturnType<typeof toHttpRequest>;
    try {
      converted = toHttpRequest(event);
    } catch (error) {
      if (!(error instanceof UnsupportedEventError)) throw error;
      telemetry.logger.error(
        'Unsupported event shape: invoke this function through a function URL, API Gateway or an ALB',
      );
      const invalid = new BadRequestError('unsupported_event', 'Not an HTTP event');
      return toLambdaResult(errorResponse(invalid, ''), {
        endpoint: 'function-url',
        multiValueHeaders: false,
      });
    }
    const { response, outcome } = await collect(converted.request);
    metrics.record(outcome);
    logOutcome(telemetry.logger, outcome);
    options.onOutcome?.(outcome);
    return toLambdaResult(response, converted.shape);
  };

  return middy(handle).use(injectLambdaContext(telemetry.logger)) as unknown as LambdaHttpHandler;
}
