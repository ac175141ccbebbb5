import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import type { Context } from 'aws-lambda';
import { type Authenticator, createAuthenticator } from './access/auth';
import { createCorsPolicy } from './access/cors';
import { type CollectorConfig, ConfigError } from './config';
import { createCollector } from './core/collect';
import { BadRequestError, ServiceUnavailableError } from './core/errors';
import type { RequestOutcome } from './core/outcome';
import { errorResponse } from './core/responses';
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
import type { ObjectStore, StreamSink } from './sinks/sink';

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

/**
 * An authenticator that is built on first use and rebuilt after a failure. Only a secret that
 * cannot be fetched right now gets here (configuration faults fail the start, see
 * `prepareAuthenticator`): requests that need auth get a 503, so the client keeps its data and
 * retries, and the next request tries again.
 */
function retryingAuthenticator(config: CollectorConfig): Authenticator {
  let pending: Promise<Authenticator> | undefined;
  return {
    async authenticate(request, appId) {
      pending ??= createAuthenticator(config.auth, { retryAfterSeconds: config.retryAfterSeconds });
      let authenticator: Authenticator;
      try {
        authenticator = await pending;
      } catch (error) {
        pending = undefined;
        if (error instanceof ConfigError) throw error;
        throw new ServiceUnavailableError(
          'auth_unavailable',
          'Authentication is unavailable; retry later',
          config.retryAfterSeconds,
        );
      }
      await authenticator.authenticate(request, appId);
    },
  };
}

/**
 * Builds the authenticator at cold start (fetching its secret, if any). A configuration fault
 * fails the start like any bad configuration; a secret that cannot be fetched yet does not.
 */
export async function prepareAuthenticator(config: CollectorConfig): Promise<Authenticator> {
  try {
    return await createAuthenticator(config.auth, { retryAfterSeconds: config.retryAfterSeconds });
  } catch (error) {
    if (error instanceof ConfigError) throw error;
    return retryingAuthenticator(config);
  }
}

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
    authenticator: options.authenticator ?? retryingAuthenticator(config),
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
