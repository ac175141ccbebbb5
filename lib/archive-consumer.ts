import { fileURLToPath } from 'node:url';
import { type CfnResource, Duration, RemovalPolicy } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kinesis from 'aws-cdk-lib/aws-kinesis';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as sources from 'aws-cdk-lib/aws-lambda-event-sources';
import * as nodejs from 'aws-cdk-lib/aws-lambda-nodejs';
import * as logs from 'aws-cdk-lib/aws-logs';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { METRICS_NAMESPACE, SERVICE_NAME } from '../lambda/observability/telemetry';
import { ARCHIVE_SETTINGS } from '../settings/archive-settings';
import { COLLECTOR_SETTINGS } from '../settings/collector-settings';
import { functionBundling } from './function-bundling';
import { acknowledgeAll, nagArnRef } from './nag';

export interface ArchiveConsumerProps {
  readonly stream: kinesis.IStream;
  /** The archive bucket: the raw archive and the tables are written there. */
  readonly bucket: s3.IBucket;
  /** Where Lambda puts a batch it gave up on (the event source mapping's on-failure destination). */
  readonly failedBatchesBucket: s3.IBucket;
  /** @default 'events/' */
  readonly archivePrefix?: string;
  /** @default 'tables/' */
  readonly tablesPrefix?: string;
  /**
   * Most records per invocation (Lambda also caps a batch at 6 MB).
   * @default 1000
   */
  readonly batchSize?: number;
  /**
   * How long Lambda gathers records before invoking: fewer, larger objects for longer windows.
   * @default Duration.seconds(60)
   */
  readonly batchWindow?: Duration;
  /**
   * How long a failing batch is retried before it goes to the on-failure destination. Keep it below
   * the stream's retention, so records reach the destination before the stream drops them.
   * @default Duration.hours(23)
   */
  readonly maxRecordAge?: Duration;
  /** @default 1024 */
  readonly memorySize?: number;
  /** @default Duration.minutes(2) */
  readonly timeout?: Duration;
  /** @default logs.RetentionDays.ONE_MONTH */
  readonly logRetention?: logs.RetentionDays;
}

/**
 * An on-failure destination in S3 with only the permissions Lambda needs to write to it
 * (`s3:PutObject` on its objects, `s3:ListBucket`); CDK's own S3 destination grants read and
 * delete as well, and no role here may delete archived data.
 */
class PutOnlyS3Destination implements lambda.IEventSourceDlq {
  constructor(private readonly bucket: s3.IBucket) {}

  bind(_target: lambda.IEventSourceMapping, targetHandler: lambda.IFunction): lambda.DlqDestinationConfig {
    targetHandler.addToRolePolicy(
      new iam.PolicyStatement({ actions: ['s3:PutObject'], resources: [this.bucket.arnForObjects('*')] }),
    );
    targetHandler.addToRolePolicy(
      new iam.PolicyStatement({ actions: ['s3:ListBucket'], resources: [this.bucket.bucketArn] }),
    );
    return { destination: this.bucket.bucketArn };
  }
}

/**
 * The archive consumer: a function on a Kinesis event source mapping that writes each batch of the
 * stream as the raw archive (the layout CAoA's ETL reads) and the flattened event tables
 * (lambda/archive/). It keeps what a Firehose delivery stream gave: at-least-once delivery with
 * partial batch failure reporting and bisection, a destination for batches it gives up on, object
 * keys that a retry overwrites, and least privilege — it may read the stream and put objects under
 * its two prefixes, nothing else (no delete anywhere).
 */
export class ArchiveConsumer extends Construct {
  public readonly function: nodejs.NodejsFunction;
  public readonly role: iam.Role;
  public readonly logGroup: logs.LogGroup;
  public readonly eventSource: sources.KinesisEventSource;
  public readonly batchWindow: Duration;

  constructor(scope: Construct, id: string, props: ArchiveConsumerProps) {
    super(scope, id);
    const archivePrefix = props.archivePrefix ?? 'events/';
    const tablesPrefix = props.tablesPrefix ?? 'tables/';
    const batchSize = props.batchSize ?? 1000;
    this.batchWindow = props.batchWindow ?? Duration.seconds(60);
    const maxRecordAge = props.maxRecordAge ?? Duration.hours(23);
    if (!Number.isInteger(batchSize) || batchSize < 1 || batchSize > 10_000) {
      throw new Error('ArchiveConsumer: batchSize must be an integer between 1 and 10000');
    }
    if (this.batchWindow.toSeconds() > 300)
      throw new Error('ArchiveConsumer: batchWindow must be at most 300 seconds');
    if (maxRecordAge.toSeconds() < 60 || maxRecordAge.toSeconds() > 604_800) {
      throw new Error('ArchiveConsumer: maxRecordAge must be between 60 seconds and 7 days');
    }

    this.logGroup = new logs.LogGroup(this, 'Logs', {
      retention: props.logRetention ?? logs.RetentionDays.ONE_MONTH,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    // The trust names Lambda without aws:SourceAccount or aws:SourceArn: AWS documents no such
    // condition for execution roles, no other account can pass this role to its function
    // (iam:PassRole), and a condition Lambda does not set would lock the function out of its role.
    this.role = new iam.Role(this, 'Role', {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: 'Clickstream archive consumer',
    });
    this.role.addToPolicy(
      new iam.PolicyStatement({
        actions: ['logs:CreateLogStream', 'logs:PutLogEvents'],
        resources: [this.logGroup.logGroupArn],
      }),
    );

    this.function = new nodejs.NodejsFunction(this, 'Function', {
      entry: fileURLToPath(new URL('../lambda/archive/handler.ts', import.meta.url)),
      handler: 'handler',
      runtime: lambda.Runtime.NODEJS_24_X,
      architecture: lambda.Architecture.ARM_64,
      memorySize: props.memorySize ?? 1024,
      timeout: props.timeout ?? Duration.minutes(2),
      role: this.role,
      logGroup: this.logGroup,
      loggingFormat: lambda.LoggingFormat.JSON,
      systemLogLevelV2: lambda.SystemLogLevel.WARN,
      applicationLogLevelV2: lambda.ApplicationLogLevel.INFO,
      environment: {
        [COLLECTOR_SETTINGS.bucket.env]: props.bucket.bucketName,
        [ARCHIVE_SETTINGS.archivePrefix.env]: archivePrefix,
        [ARCHIVE_SETTINGS.tablesPrefix.env]: tablesPrefix,
        POWERTOOLS_SERVICE_NAME: SERVICE_NAME,
        POWERTOOLS_METRICS_NAMESPACE: METRICS_NAMESPACE,
      },
      description: 'Clickstream archive consumer: writes the raw archive and the event tables to S3',
      projectRoot: fileURLToPath(new URL('..', import.meta.url)),
      depsLockFilePath: fileURLToPath(new URL('../package-lock.json', import.meta.url)),
      bundling: functionBundling('archive-consumer'),
    });

    this.eventSource = new sources.KinesisEventSource(props.stream, {
      // From the oldest record still on the stream: on the first deployment nothing is skipped
      // (replacing a Firehose stream may archive up to a retention's worth of records twice).
      startingPosition: lambda.StartingPosition.TRIM_HORIZON,
      batchSize,
      maxBatchingWindow: this.batchWindow,
      reportBatchItemFailures: true,
      bisectBatchOnError: true,
      // Bad data never fails a batch (the flattener skips what it cannot read), so only an outage
      // makes one fail: retry while the records are readable, then hand them to the destination.
      maxRecordAge,
      retryAttempts: 10_000,
      parallelizationFactor: 1,
      onFailure: new PutOnlyS3Destination(props.failedBatchesBucket),
    });
    this.function.addEventSource(this.eventSource);

    this.role.addToPolicy(
      new iam.PolicyStatement({
        actions: ['s3:PutObject'],
        resources: [
          props.bucket.arnForObjects(`${archivePrefix}*`),
          props.bucket.arnForObjects(`${tablesPrefix}*`),
        ],
      }),
    );

    const bucketArn = nagArnRef(props.bucket.node.defaultChild as CfnResource);
    const failedArn = nagArnRef(props.failedBatchesBucket.node.defaultChild as CfnResource);
    acknowledgeAll(
      this.role,
      [
        `AwsSolutions-IAM5[Resource::${bucketArn}/${archivePrefix}*]`,
        `AwsSolutions-IAM5[Resource::${bucketArn}/${tablesPrefix}*]`,
      ],
      'Archive and table keys hold their partitions (hour; app and day) and the shard and first sequence number of the batch, known only per batch, so s3:PutObject is granted under those two prefixes only: never fallback or quarantine, and no read, list or delete.',
    );
    acknowledgeAll(
      this.role,
      [`AwsSolutions-IAM5[Resource::${failedArn}/*]`],
      'Lambda writes a batch it gave up on into the dedicated failed-batches bucket under a key Lambda chooses, so s3:PutObject covers that bucket, which holds nothing else.',
    );
  }
}
