import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import type { RequestOutcome } from '../core/outcome';

/** Names the stack's dashboard and alarms rely on (lib/monitoring.ts). */
export const METRICS_NAMESPACE = 'Clickstream/Collector';
export const SERVICE_NAME = 'clickstream-collector';

export interface Telemetry {
  readonly logger: Logger;
  readonly metrics: Metrics;
}

export function createTelemetry(): Telemetry {
  return {
    logger: new Logger({ serviceName: SERVICE_NAME }),
    metrics: new Metrics({ namespace: METRICS_NAMESPACE, serviceName: SERVICE_NAME }),
  };
}

const SINK_FAILURES = new Set(['sink_unavailable', 'quarantine_unavailable']);

/** One request's metrics (EMF, flushed by the middy middleware after the response). */
export function recordOutcome(metrics: Metrics, outcome: RequestOutcome): void {
  const statusClass = Math.floor(outcome.statusCode / 100);
  metrics.addMetric(`Requests${statusClass}xx`, MetricUnit.Count, 1);
  metrics.addMetric('BytesIn', MetricUnit.Bytes, outcome.bytesIn);
  if (outcome.eventsAccepted > 0)
    metrics.addMetric('EventsAccepted', MetricUnit.Count, outcome.eventsAccepted);
  if (outcome.eventsQuarantined > 0)
    metrics.addMetric('EventsQuarantined', MetricUnit.Count, outcome.eventsQuarantined);
  if (outcome.streamRetries > 0) metrics.addMetric('KinesisRetries', MetricUnit.Count, outcome.streamRetries);
  if (outcome.eventsToFallback > 0) {
    metrics.addMetric('FallbackWrites', MetricUnit.Count, 1);
    metrics.addMetric('EventsToFallback', MetricUnit.Count, outcome.eventsToFallback);
  }
  if (outcome.errorCode !== null && SINK_FAILURES.has(outcome.errorCode)) {
    metrics.addMetric('SinkFailures', MetricUnit.Count, 1);
  }
}

/**
 * One log line per request, by severity: successes only at DEBUG (at scale a line per request
 * would cost more than the collector), refusals at INFO, failures as errors. The outcome holds no
 * headers, cookies or tokens, so nothing secret can reach the logs from here.
 */
export function logOutcome(logger: Logger, outcome: RequestOutcome): void {
  if (outcome.statusCode >= 500) logger.error('request failed', { outcome });
  else if (outcome.statusCode >= 400) logger.info('request refused', { outcome });
  else if (outcome.eventsToFallback > 0 || outcome.eventsQuarantined > 0)
    logger.warn('request degraded', { outcome });
  else logger.debug('request accepted', { outcome });
}
