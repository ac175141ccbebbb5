import type { Context } from 'aws-lambda';
import { retryingAuthenticator } from './access/auth/prepare';
import { createCorsPolicy } from './access/cors';
import type { CollectorConfig } from './config';
import { refreshingAppRegistry, staticAppRegistry } from './core/app-registry';
import { BadRequestError } from './core/errors';
import type { RequestOutcome } from './core/outcome';
import type { AppRegistry, Authenticator, ObjectStore, StreamSink } from './core/ports';
import { errorResponse } from './core/responses';
import { createCollector } from './core/router';
import { toHttpRequest, toLambdaResult, UnsupportedEventError } from './http/lambda-events';
import { redactedRequest } from './observability/request-log';
import { createTelemetry, logOutcome, OutcomeMetrics, type Telemetry } from './observability/telemetry';
import { ssmAppIdsReader } from './registry/ssm-app-ids';
import { createKinesisClient, httpHandler, loadS3Sdk } from './sinks/aws-clients';
import { KinesisStream } from './sinks/kinesis-stream';
import { S3ObjectStore } from './sinks/s3-object-store';

export interface HandlerOptions {
  /** Called once per request after the response is decided (the local server prints a line from it). */
  readonly onOutcome?: (outcome: RequestOutcome, context: Context) => void;
  /** Replace the AWS adapters (tests, benchmarks). */
  readonly stream?: StreamSink;
  readonly objects?: ObjectStore;
  readonly authenticator?: Authenticator;
  /** @default the SSM registry when CLICKSTREAM_APP_REGISTRY_PARAMETER is set, else CLICKSTREAM_APP_IDS */
  readonly apps?: AppRegistry;
  readonly telemetry?: Telemetry;
}

export type LambdaHttpHandler = (event: unknown, context: Context) => Promise<unknown>;

const UNSUPPORTED_EVENT_SHAPE = { endpoint: 'function-url', multiValueHeaders: false } as const;
/** After a failed registry read, the last good list is served this long before SSM is asked again. */
const REGISTRY_FAILURE_BACKOFF_MS = 10_000;

/** The registry of the configuration: an SSM parameter read at run time, or the fixed app IDs. */
function appRegistry(config: CollectorConfig, telemetry: Telemetry, metrics: OutcomeMetrics): AppRegistry {
  const parameterName = config.appRegistryParameter;
  if (parameterName === undefined) return staticAppRegistry(config.appIds);
  const registry = refreshingAppRegistry({
    read: ssmAppIdsReader({
      parameterName,
      cacheSeconds: config.appRegistryCacheSeconds,
      region: config.region,
      requestHandler: httpHandler(config),
    }),
    failureBackoffMs: Math.min(REGISTRY_FAILURE_BACKOFF_MS, config.appRegistryCacheSeconds * 1_000),
    retryAfterSeconds: config.retryAfterSeconds,
    onReadFailure: () => metrics.count('AppRegistryReadFailures'),
    onOutageStart: (error) =>
      telemetry.logger.warn('Cannot read the app registry; serving the last good list', {
        parameter: parameterName,
        error: String(error),
      }),
    now: Date.now,
  });
  // Read during the cold start; the first request waits for this same read.
  void registry.refresh();
  return registry;
}

/**
 * The Lambda handler (all four HTTP event shapes) wired to the AWS sinks of `config`. A plain
 * function rather than a middleware chain: the core already maps every error to its answer, so
 * the only cross-cutting work left — the logger's Lambda context, metrics, one log line — is three
 * calls. Powertools' event logging is never used: it would log tokens and cookies; a redacted
 * request is logged instead when `POWERTOOLS_LOGGER_LOG_EVENT=true`.
 */
export function buildHandler(config: CollectorConfig, options: HandlerOptions = {}): LambdaHttpHandler {
  const telemetry = options.telemetry ?? createTelemetry();
  const { logger } = telemetry;
  const metrics = new OutcomeMetrics(telemetry.metrics, config.metricsFlushSeconds * 1_000);
  const collect = createCollector({
    config,
    stream: options.stream ?? new KinesisStream(createKinesisClient(config), config.streamName),
    objects:
      options.objects ??
      new S3ObjectStore(() => loadS3Sdk(config), config.bucket, `${config.fallbackPrefix}_health-check`),
    cors: createCorsPolicy(config.corsOrigins),
    authenticator: options.authenticator ?? retryingAuthenticator(config.auth, config.retryAfterSeconds),
    apps: options.apps ?? appRegistry(config, telemetry, metrics),
    logger,
  });

  return async (event, context) => {
    logger.addContext(context);
    let converted: ReturnType<typeof toHttpRequest>;
    try {
      converted = toHttpRequest(event);
    } catch (error) {
      if (!(error instanceof UnsupportedEventError)) throw error;
      logger.error(
        'Unsupported event shape: invoke this function through a function URL, API Gateway or an ALB',
      );
      const invalid = new BadRequestError('unsupported_event', 'Not an HTTP event');
      return toLambdaResult(errorResponse(invalid, ''), UNSUPPORTED_EVENT_SHAPE);
    }
    if (config.logRequests) logger.info('request', { request: redactedRequest(converted.request) });
    const { response, outcome } = await collect(converted.request);
    metrics.record(outcome);
    logOutcome(logger, outcome);
    options.onOutcome?.(outcome, context);
    return toLambdaResult(response, converted.shape);
  };
}
