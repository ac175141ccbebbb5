import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import type { RequestOutcome } from '../core/outcome';

/** Names the stack's dashboard and alarms rely on (lib/monitoring.ts). */
export const METRICS_NAMESPACE = 'Clickstream/Collector';
export const SERVICE_NAME = 'clickstream-collector';

/** Every metric the function emits (EMF), in `METRICS_NAMESPACE` with the dimension `service`. */
export const METRIC_NAMES = [
  'Requests2xx',
  'Requests4xx',
  'Requests5xx',
  'EventsAccepted',
  'EventsQuarantined',
  'BytesIn',
  'KinesisRetries',
  'FallbackWrites',
  'EventsToFallback',
  'SinkFailures',
  'ValidationRequests',
  'AppRegistryReadFailures',
] as const;

export type MetricName = (typeof METRIC_NAMES)[number];

function requestsMetric(statusCode: number): MetricName {
  if (statusCode >= 500) return 'Requests5xx';
  return statusCode >= 400 ? 'Requests4xx' : 'Requests2xx';
}

export type Unit = (typeof MetricUnit)[keyof typeof MetricUnit];

/** The part of Powertools' `Metrics` the collector uses. */
export interface MetricsPublisher {
  addMetric(name: string, unit: Unit, value: number): void;
  publishStoredMetrics(): void;
}

export interface Telemetry {
  readonly logger: Logger;
  readonly metrics: MetricsPublisher;
}

export function createTelemetry(): Telemetry {
  return {
    logger: new Logger({ serviceName: SERVICE_NAME }),
    metrics: new Metrics({ namespace: METRICS_NAMESPACE, serviceName: SERVICE_NAME }),
  };
}

const SINK_FAILURES = new Set(['sink_unavailable', 'quarantine_unavailable']);

/**
 * Sums request metrics in the function instance and publishes them as one EMF document at most
 * every `flushIntervalMs`, instead of one per request: at 1,000 requests/s a metrics line per
 * request would cost more in CloudWatch Logs than the function itself. What needs an alarm now
 * (5xx answers, fallback writes) is published at once. The price: when Lambda retires an
 * instance, the sums since its last flush (at most one interval) are lost — metrics only, never
 * data.
 */
export class OutcomeMetrics {
  private readonly sums = new Map<MetricName, { unit: Unit; value: number }>();
  private lastFlush: number;

  constructor(
    private readonly publisher: MetricsPublisher,
    private readonly flushIntervalMs: number,
    private readonly now: () => number = Date.now,
  ) {
    this.lastFlush = now();
  }

  record(outcome: RequestOutcome): void {
    this.add(requestsMetric(outcome.statusCode), MetricUnit.Count, 1);
    // Validation calls store nothing; they are counted apart so they never read as traffic lost.
    this.add('ValidationRequests', MetricUnit.Count, outcome.route === 'validate' ? 1 : 0);
    this.add('BytesIn', MetricUnit.Bytes, outcome.bytesIn);
    this.add('EventsAccepted', MetricUnit.Count, outcome.eventsAccepted);
    this.add('EventsQuarantined', MetricUnit.Count, outcome.eventsQuarantined);
    this.add('KinesisRetries', MetricUnit.Count, outcome.streamRetries);
    this.add('FallbackWrites', MetricUnit.Count, outcome.eventsToFallback > 0 ? 1 : 0);
    this.add('EventsToFallback', MetricUnit.Count, outcome.eventsToFallback);
    const sinkFailed = outcome.errorCode !== null && SINK_FAILURES.has(outcome.errorCode);
    this.add('SinkFailures', MetricUnit.Count, sinkFailed ? 1 : 0);

    const urgent = outcome.statusCode >= 500 || outcome.eventsToFallback > 0;
    if (urgent || this.now() - this.lastFlush >= this.flushIntervalMs) this.flush();
  }

  /** Counts something that is not a request (e.g. a failed registry read); published with the rest. */
  count(name: MetricName, value = 1): void {
    this.add(name, MetricUnit.Count, value);
  }

  flush(): void {
    this.lastFlush = this.now();
    if (this.sums.size === 0) return;
    for (const [name, { unit, value }] of this.sums) this.publisher.addMetric(name, unit, value);
    this.sums.clear();
    this.publisher.publishStoredMetrics();
  }

  private add(name: MetricName, unit: Unit, value: number): void {
    const sum = this.sums.get(name);
    if (sum) sum.value += value;
    else this.sums.set(name, { unit, value });
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
