import { Duration, RemovalPolicy, Size, Stack, Validations } from 'aws-cdk-lib';
import type * as kinesis from 'aws-cdk-lib/aws-kinesis';
import * as firehose from 'aws-cdk-lib/aws-kinesisfirehose';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { ARCHIVE_SETTINGS as A } from '../settings/archive-settings';
import { COLLECTOR_SETTINGS as C } from '../settings/collector-settings';
import { acknowledgeAll, nagArnRef } from './nag';

export interface ArchiveProps {
  /** The stream whose records are archived. */
  readonly stream: kinesis.IStream;
  /**
   * Key prefix of the archived records; partitions `year=YYYY/month=MM/day=DD/hour=HH/` follow it.
   * @default 'events/'
   */
  readonly prefix?: string;
  /**
   * Key prefix of the records Firehose could not deliver.
   * @default 'errors/'
   */
  readonly errorPrefix?: string;
  /**
   * Prefixes the function writes fallback and quarantine objects under; they get their own lifecycle.
   * @default ['fallback/', 'quarantine/']
   */
  readonly sidePrefixes?: readonly string[];
  /**
   * Firehose buffering interval.
   * @default Duration.seconds(300)
   */
  readonly bufferingInterval?: Duration;
  /**
   * Firehose buffering size in MiB (1-128).
   * @default 64
   */
  readonly bufferingSizeMiB?: number;
  /**
   * Days after which archived objects move to S3 Intelligent-Tiering; 0 keeps them in S3 Standard.
   * @default 30
   */
  readonly transitionAfterDays?: number;
  /**
   * Days after which archived objects are deleted; 0 keeps them forever.
   * @default 0
   */
  readonly expireAfterDays?: number;
  /**
   * Days after which fallback and quarantine objects are deleted; 0 keeps them forever.
   * @default 90
   */
  readonly sideObjectsExpireAfterDays?: number;
  /**
   * Days the server access logs (and other delivered logs) are kept.
   * @default 90
   */
  readonly accessLogsExpireAfterDays?: number;
  /**
   * Retention of the Firehose error log group.
   * @default logs.RetentionDays.ONE_MONTH
   */
  readonly logRetention?: logs.RetentionDays;
  /**
   * What happens to the buckets when the stack is deleted.
   * @default RemovalPolicy.RETAIN
   */
  readonly removalPolicy?: RemovalPolicy;
}

/**
 * The S3 archive: a bucket (public access blocked, TLS only, encrypted, access-logged) that receives the
 * stream's records through Firehose as gzip newline-delimited JSON in hourly partitions
 * `{prefix}year=YYYY/month=MM/day=DD/hour=HH/`, plus the function's fallback and quarantine objects.
 */
export class Archive extends Construct {
  public readonly bucket: s3.Bucket;
  /** Receives the archive bucket's server access logs; other log deliveries (ALB, VPC flow logs) may use it too. */
  public readonly accessLogsBucket: s3.Bucket;
  public readonly deliveryStream: firehose.DeliveryStream;
  public readonly prefix: string;
  public readonly errorPrefix: string;
  public readonly bufferingInterval: Duration;

  constructor(scope: Construct, id: string, props: ArchiveProps) {
    super(scope, id);
    // Defaults and ranges are the settings table's (settings/archive-settings.ts), checked at synth.
    this.prefix = props.prefix ?? A.archivePrefix.default;
    this.errorPrefix = props.errorPrefix ?? A.archiveErrorPrefix.default;
    const sidePrefixes = props.sidePrefixes ?? [C.fallbackPrefix.default, C.quarantinePrefix.default];
    this.bufferingInterval = props.bufferingInterval ?? Duration.seconds(A.archiveBufferSeconds.default);
    const bufferingSizeMiB = props.bufferingSizeMiB ?? A.archiveBufferMiB.default;
    const transitionAfterDays = props.transitionAfterDays ?? A.archiveTransitionDays.default;
    const expireAfterDays = props.expireAfterDays ?? A.archiveExpirationDays.default;
    const sideExpireAfterDays = props.sideObjectsExpireAfterDays ?? A.quarantineExpirationDays.default;
    const removalPolicy = props.removalPolicy ?? RemovalPolicy.RETAIN;

    // Server access logs are granted by bucket policy, not by the legacy LogDeliveryWrite ACL.
    this.node.setContext('@aws-cdk/aws-s3:serverAccessLogsUseBucketPolicy', true);
    this.accessLogsBucket = new s3.Bucket(this, 'AccessLogs', {
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      // Log deliveries (S3 server access logs, ALB) only support SSE-S3.
      encryption: s3.BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      lifecycleRules: [{ expiration: Duration.days(props.accessLogsExpireAfterDays ?? 90) }],
      removalPolicy,
    });
    Validations.of(this.accessLogsBucket).acknowledge({
      id: 'AwsSolutions-S1',
      reason:
        'This is the access-log bucket itself; logging it into itself would loop and another bucket adds no audit value.',
    });

    const archiveRule: s3.LifecycleRule = {
      id: 'archive',
      prefix: this.prefix,
      transitions:
        transitionAfterDays > 0
          ? [
              {
                storageClass: s3.StorageClass.INTELLIGENT_TIERING,
                transitionAfter: Duration.days(transitionAfterDays),
              },
            ]
          : undefined,
      expiration: expireAfterDays > 0 ? Duration.days(expireAfterDays) : undefined,
    };
    const lifecycleRules: s3.LifecycleRule[] = [
      { id: 'abort-incomplete-uploads', abortIncompleteMultipartUploadAfter: Duration.days(7) },
    ];
    if (archiveRule.transitions || archiveRule.expiration) lifecycleRules.push(archiveRule);
    if (sideExpireAfterDays > 0) {
      for (const side of [this.errorPrefix, ...sidePrefixes]) {
        lifecycleRules.push({
          id: `expire-${side.replace(/\W+/g, '-')}`,
          prefix: side,
          expiration: Duration.days(sideExpireAfterDays),
        });
      }
    }

    this.bucket = new s3.Bucket(this, 'Bucket', {
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      encryption: s3.BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      serverAccessLogsBucket: this.accessLogsBucket,
      serverAccessLogsPrefix: 'archive-bucket/',
      lifecycleRules,
      removalPolicy,
    });

    const logGroup = new logs.LogGroup(this, 'DeliveryLogs', {
      retention: props.logRetention ?? logs.RetentionDays.ONE_MONTH,
      removalPolicy: RemovalPolicy.DESTROY,
    });

    const partitions =
      'year=!{timestamp:yyyy}/month=!{timestamp:MM}/day=!{timestamp:dd}/hour=!{timestamp:HH}/';
    this.deliveryStream = new firehose.DeliveryStream(this, 'Delivery', {
      source: new firehose.KinesisStreamSource(props.stream),
      destination: new firehose.S3Bucket(this.bucket, {
        dataOutputPrefix: `${this.prefix}${partitions}`,
        errorOutputPrefix: `${this.errorPrefix}!{firehose:error-output-type}/${partitions}`,
        compression: firehose.Compression.GZIP,
        fileExtension: '.json.gz',
        bufferingInterval: this.bufferingInterval,
        bufferingSize: Size.mebibytes(bufferingSizeMiB),
        // One record per line, so Athena's JSON SerDe reads each record as one row.
        processors: [new firehose.AppendDelimiterToRecordProcessor()],
        loggingConfig: new firehose.EnableLogging(logGroup),
      }),
    });
    acknowledgeAll(
      this.deliveryStream,
      [
        'AwsSolutions-IAM5[Action::s3:GetObject*]',
        'AwsSolutions-IAM5[Action::s3:GetBucket*]',
        'AwsSolutions-IAM5[Action::s3:List*]',
        'AwsSolutions-IAM5[Action::s3:DeleteObject*]',
        'AwsSolutions-IAM5[Action::s3:Abort*]',
        `AwsSolutions-IAM5[Resource::${nagArnRef(this.bucket.node.defaultChild as s3.CfnBucket)}/*]`,
      ],
      'The Firehose S3 destination role is generated by CDK with read/write on the archive bucket (Firehose lists, writes and aborts multipart uploads of its own generated keys); it is assumable only by Firehose.',
    );
    // CDK's Firehose construct adds a Region-to-CIDR mapping for Region-agnostic templates; only HTTP-type
    // destinations reference it.
    Validations.of(Stack.of(this)).acknowledge({
      id: 'CloudFormation-Validate::W7001',
      reason: 'Unused Firehose CIDR mapping generated by CDK for Region-agnostic templates; harmless.',
    });
    Validations.of(this.deliveryStream).acknowledge({
      id: 'AwsSolutions-KDF1',
      reason:
        'Firehose does not allow server-side encryption on a Kinesis-sourced delivery stream; the source stream is encrypted and the bucket encrypts every object.',
    });
  }
}
