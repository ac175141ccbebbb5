import { Aws, Duration, Fn } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as actions from 'aws-cdk-lib/aws-cloudwatch-actions';
import type * as kinesis from 'aws-cdk-lib/aws-kinesis';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import type * as logs from 'aws-cdk-lib/aws-logs';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as subscriptions from 'aws-cdk-lib/aws-sns-subscriptions';
import { Construct } from 'constructs';
import type { ArchiveMetricName } from '../lambda/archive/metric-names';
import { METRICS_NAMESPACE, type MetricName, SERVICE_NAME } from '../lambda/observability/telemetry';

export interface MonitoringProps {
  readonly function: lambda.IFunction;
  /** The function's log group: the per-app quarantine widget reads its `request degraded` lines. */
  readonly functionLogGroup: logs.ILogGroup;
  readonly stream: kinesis.IStream;
  /** The archive consumer (the stream's event source mapping). */
  readonly archiveConsumer: lambda.IFunction;
  /** The consumer's batching window; the freshness alarm allows this plus 15 minutes. */
  readonly archiveBatchWindow: Duration;
  /**
   * Create the alarms.
   * @default true
   */
  readonly alarmsEnabled?: boolean;
  /** @default - no e-mail subscription (subscribe to the topic yourself) */
  readonly alarmEmail?: string;
  /** @default 'Clickstream/Collector' */
  readonly metricsNamespace?: string;
  /** @default 'clickstream-collector' */
  readonly serviceName?: string;
}

/** Metrics of the collector function and of the archive consumer (EMF), with the dimension `service`. */
export type CollectorMetricName = MetricName | ArchiveMetricName;

/** A CloudWatch dashboard over the function, stream and archive consumer, and alarms on an SNS topic. */
export class Monitoring extends Construct {
  public readonly dashboard: cloudwatch.Dashboard;
  public readonly topic: sns.Topic;
  public readonly alarms: cloudwatch.Alarm[] = [];
  /** Console URL of the dashboard. */
  public readonly dashboardUrl: string;
  private readonly namespace: string;
  private readonly service: string;

  constructor(scope: Construct, id: string, props: MonitoringProps) {
    super(scope, id);
    this.namespace = props.metricsNamespace ?? METRICS_NAMESPACE;
    this.service = props.serviceName ?? SERVICE_NAME;

    this.topic = new sns.Topic(this, 'AlarmTopic', {
      displayName: 'Clickstream collector alarms',
      enforceSSL: true,
    });
    // Not KMS-encrypted: alarm notifications carry no event data, CloudWatch cannot publish to a
    // topic encrypted with the AWS managed SNS key, and a customer key would add a standing cost.
    // (cdk-nag's AwsSolutions pack has no rule on it; publishing needs TLS, rule SNS3.)
    if (props.alarmEmail) this.topic.addSubscription(new subscriptions.EmailSubscription(props.alarmEmail));

    const fn = props.function;
    const stream = props.stream;
    const consumer = props.archiveConsumer;
    const fiveMinutes = Duration.minutes(5);
    const iteratorAge = consumer.metric('IteratorAge', { statistic: 'Maximum', period: fiveMinutes });
    const sum = (metric: cloudwatch.Metric, label?: string) =>
      metric.with({ statistic: 'Sum', period: fiveMinutes, label });

    this.dashboard = new cloudwatch.Dashboard(this, 'Dashboard', {
      defaultInterval: Duration.hours(3),
    });
    this.dashboard.addWidgets(
      new cloudwatch.GraphWidget({
        title: 'Requests by outcome',
        left: [
          this.metric('Requests2xx', 'accepted (2xx)'),
          this.metric('Requests4xx', 'rejected (4xx)'),
          this.metric('Requests5xx', 'failed (5xx)'),
        ],
        right: [this.metric('ValidationRequests', 'validation calls (store nothing)')],
        width: 8,
      }),
      new cloudwatch.GraphWidget({
        title: 'Events by outcome',
        left: [this.metric('EventsAccepted', 'accepted'), this.metric('EventsQuarantined', 'quarantined')],
        right: [this.metric('BytesIn', 'bytes in')],
        width: 8,
      }),
      new cloudwatch.GraphWidget({
        title: 'Sink health',
        left: [
          this.metric('KinesisRetries', 'Kinesis retries'),
          this.metric('FallbackWrites', 'S3 fallback writes'),
          this.metric('SinkFailures', 'sink failures (503)'),
          this.metric('AppRegistryReadFailures', 'app registry read failures'),
        ],
        right: [this.metric('EventsToFallback', 'events to the S3 fallback')],
        width: 8,
      }),
    );
    this.dashboard.addWidgets(
      new cloudwatch.GraphWidget({
        title: 'Lambda errors and throttles',
        left: [sum(fn.metricErrors(), 'errors'), sum(fn.metricThrottles(), 'throttles')],
        width: 8,
      }),
      new cloudwatch.GraphWidget({
        title: 'Lambda duration',
        left: [
          fn.metricDuration({ statistic: 'p50', period: fiveMinutes, label: 'p50' }),
          fn.metricDuration({ statistic: 'p99', period: fiveMinutes, label: 'p99' }),
          fn.metricDuration({ statistic: 'Maximum', period: fiveMinutes, label: 'max' }),
        ],
        width: 8,
      }),
      new cloudwatch.GraphWidget({
        title: 'Lambda concurrency',
        left: [
          fn.metric('ConcurrentExecutions', {
            statistic: 'Maximum',
            period: fiveMinutes,
            label: 'concurrent executions',
          }),
        ],
        width: 8,
      }),
    );
    this.dashboard.addWidgets(
      new cloudwatch.GraphWidget({
        title: 'Kinesis incoming',
        left: [sum(stream.metricIncomingRecords(), 'records')],
        right: [sum(stream.metricIncomingBytes(), 'bytes')],
        width: 8,
      }),
      new cloudwatch.GraphWidget({
        title: 'Kinesis write throttling',
        left: [
          sum(stream.metricWriteProvisionedThroughputExceeded(), 'write throughput exceeded'),
          sum(stream.metricPutRecordsThrottledRecords(), 'throttled records'),
        ],
        width: 8,
      }),
      new cloudwatch.GraphWidget({
        title: 'Kinesis PutRecords latency',
        left: [
          stream.metricPutRecordsLatency({ statistic: 'Average', period: fiveMinutes, label: 'average' }),
          stream.metricPutRecordsLatency({ statistic: 'Maximum', period: fiveMinutes, label: 'max' }),
        ],
        width: 8,
      }),
    );
    this.dashboard.addWidgets(
      new cloudwatch.GraphWidget({
        title: 'Archive freshness (iterator age, ms)',
        left: [iteratorAge.with({ label: 'oldest record not yet archived' })],
        width: 8,
      }),
      new cloudwatch.GraphWidget({
        title: 'Archive consumer errors',
        left: [
          sum(consumer.metricErrors(), 'function errors'),
          sum(this.metric('ArchiveWriteFailures'), 'object writes failed (batch retried)'),
          sum(consumer.metric('DestinationDeliveryFailures'), 'failed-batch deliveries failed'),
        ],
        right: [
          consumer.metricDuration({ statistic: 'Maximum', period: fiveMinutes, label: 'max duration' }),
        ],
        width: 8,
      }),
      new cloudwatch.GraphWidget({
        title: 'Archive throughput',
        left: [
          this.metric('ArchiveRecords', 'records'),
          this.metric('ArchiveEvents', 'events in tables'),
          this.metric('ArchiveUnusableElements', 'elements skipped'),
          this.metric('ArchiveEventsOverBudget', 'events left out of the tables (row budget of a record)'),
          this.metric('ArchiveUnreadableRecords', 'records not readable'),
        ],
        right: [
          this.metric('ArchiveObjectsWritten', 'objects written'),
          this.metric('ArchiveBytesWritten', 'bytes'),
        ],
        width: 8,
      }),
    );
    this.dashboard.addWidgets(
      new cloudwatch.LogQueryWidget({
        title: 'Quarantined events per app',
        logGroupNames: [props.functionLogGroup.logGroupName],
        view: cloudwatch.LogQueryVisualizationType.BAR,
        // Requests that quarantined events are logged at WARN as "request degraded", with their
        // outcome: no metric per app is needed (and no metric dimension per client-sent value).
        queryLines: [
          'filter message = "request degraded" and outcome.eventsQuarantined > 0',
          'stats sum(outcome.eventsQuarantined) as quarantined by outcome.appId',
          'sort quarantined desc',
        ],
        width: 24,
      }),
    );
    this.dashboardUrl = Fn.join('', [
      'https://',
      Aws.REGION,
      '.console.aws.amazon.com/cloudwatch/home?region=',
      Aws.REGION,
      '#dashboards:name=',
      this.dashboard.dashboardName,
    ]);

    if (props.alarmsEnabled === false) return;
    const anyAbove = (id: string, metric: cloudwatch.IMetric, description: string) =>
      this.addAlarm(id, {
        metric,
        threshold: 0,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
        evaluationPeriods: 1,
        alarmDescription: description,
      });
    anyAbove(
      'FunctionErrors',
      sum(fn.metricErrors()),
      'The collector function failed (uncaught errors or timeouts).',
    );
    anyAbove(
      'FunctionThrottles',
      sum(fn.metricThrottles()),
      'The collector function was throttled; clients saw errors and will resend.',
    );
    anyAbove(
      'SinkFailures',
      sum(this.metric('SinkFailures')),
      'Kinesis and the S3 fallback both failed: clients got 503.',
    );
    anyAbove(
      'FallbackWrites',
      sum(this.metric('FallbackWrites')),
      'Records went to the S3 fallback because Kinesis did not take them.',
    );
    anyAbove(
      'KinesisWriteThrottling',
      sum(stream.metricWriteProvisionedThroughputExceeded()),
      'Kinesis throttled writes; add shards or use on-demand mode.',
    );
    anyAbove(
      'ArchiveErrors',
      sum(consumer.metricErrors()),
      'The archive consumer failed (uncaught errors or timeouts); Lambda retries the batch.',
    );
    anyAbove(
      'ArchiveWriteFailures',
      sum(this.metric('ArchiveWriteFailures')),
      'The archive consumer could not write objects; the batch is retried from a safe checkpoint, and after the maximum record age it goes to the failed-batches bucket.',
    );
    const freshnessLimitMs = (props.archiveBatchWindow.toSeconds() + 900) * 1000;
    this.addAlarm('ArchiveFreshness', {
      metric: iteratorAge,
      threshold: freshnessLimitMs,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
      evaluationPeriods: 3,
      alarmDescription: `The archive consumer is more than ${freshnessLimitMs / 1000} s behind the stream: archiving is falling behind or failing.`,
    });
  }

  /** A function metric in the collector namespace, summed over 5 minutes. */
  public metric(name: CollectorMetricName, label?: string): cloudwatch.Metric {
    return new cloudwatch.Metric({
      namespace: this.namespace,
      metricName: name,
      dimensionsMap: { service: this.service },
      statistic: 'Sum',
      period: Duration.minutes(5),
      label,
    });
  }

  private addAlarm(id: string, props: Omit<cloudwatch.AlarmProps, 'treatMissingData'>): void {
    const alarm = new cloudwatch.Alarm(this, id, {
      ...props,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    });
    alarm.addAlarmAction(new actions.SnsAction(this.topic));
    alarm.addOkAction(new actions.SnsAction(this.topic));
    this.alarms.push(alarm);
  }
}
