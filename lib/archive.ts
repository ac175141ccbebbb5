import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { ARCHIVE_SETTINGS as A } from '../settings/archive-settings';
import { COLLECTOR_SETTINGS as C } from '../settings/collector-settings';

export interface ArchiveProps {
  /**
   * Key prefix of the archived records; partitions `year=YYYY/month=MM/day=DD/hour=HH/` follow it.
   * @default 'events/'
   */
  readonly prefix?: string;
  /**
   * Key prefix of the flattened tables (`{prefix}{table}/partition_app=…/…`).
   * @default 'tables/'
   */
  readonly tablesPrefix?: string;
  /**
   * Prefixes the function writes fallback and quarantine objects under; they get their own lifecycle.
   * @default ['fallback/', 'quarantine/']
   */
  readonly sidePrefixes?: readonly string[];
  /**
   * Days after which archived objects (raw archive and tables) move to S3 Intelligent-Tiering; 0 keeps them in S3 Standard.
   * @default 30
   */
  readonly transitionAfterDays?: number;
  /**
   * Days after which archived objects (raw archive and tables) are deleted; 0 keeps them forever.
   * @default 0
   */
  readonly expireAfterDays?: number;
  /**
   * Days after which fallback and quarantine objects, and failed batches, are deleted; 0 keeps them.
   * @default 90
   */
  readonly sideObjectsExpireAfterDays?: number;
  /**
   * Days the server access logs (and other delivered logs) are kept.
   * @default 90
   */
  readonly accessLogsExpireAfterDays?: number;
  /**
   * What happens to the buckets when the stack is deleted.
   * @default RemovalPolicy.RETAIN
   */
  readonly removalPolicy?: RemovalPolicy;
}

/**
 * The S3 archive: a bucket (public access blocked, TLS only, encrypted, access-logged) that holds the
 * raw archive (gzip newline-delimited JSON in hourly partitions `{prefix}year=YYYY/month=MM/day=DD/hour=HH/`),
 * the flattened tables under `{tablesPrefix}`, and the collector's fallback and quarantine objects;
 * plus a bucket of its own for the batches the archive consumer gave up on (its on-failure destination).
 */
export class Archive extends Construct {
  public readonly bucket: s3.Bucket;
  /** Receives the archive bucket's server access logs; other log deliveries (ALB, VPC flow logs) may use it too. */
  public readonly accessLogsBucket: s3.Bucket;
  /** Where Lambda puts a batch (records included) the consumer could not write within its retries. */
  public readonly failedBatchesBucket: s3.Bucket;
  public readonly prefix: string;
  public readonly tablesPrefix: string;

  constructor(scope: Construct, id: string, props: ArchiveProps) {
    super(scope, id);
    // Defaults and ranges are the settings table's (settings/archive-settings.ts), checked at synth.
    this.prefix = props.prefix ?? A.archivePrefix.default;
    this.tablesPrefix = props.tablesPrefix ?? A.tablesPrefix.default;
    const sidePrefixes = props.sidePrefixes ?? [C.fallbackPrefix.default, C.quarantinePrefix.default];
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
    // No access logs of its own (logging it into itself would loop): cdk-nag's S1 accepts a bucket
    // that receives another bucket's access logs, so this needs no acknowledgement.

    const lifecycleRules: s3.LifecycleRule[] = [
      { id: 'abort-incomplete-uploads', abortIncompleteMultipartUploadAfter: Duration.days(7) },
    ];
    for (const [ruleId, prefix] of [
      ['archive', this.prefix],
      ['tables', this.tablesPrefix],
    ] as const) {
      if (transitionAfterDays === 0 && expireAfterDays === 0) break;
      lifecycleRules.push({
        id: ruleId,
        prefix,
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
      });
    }
    if (sideExpireAfterDays > 0) {
      for (const side of sidePrefixes) {
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

    this.failedBatchesBucket = new s3.Bucket(this, 'FailedBatches', {
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      encryption: s3.BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      serverAccessLogsBucket: this.accessLogsBucket,
      serverAccessLogsPrefix: 'failed-batches-bucket/',
      lifecycleRules:
        sideExpireAfterDays > 0
          ? [{ id: 'expire-failed-batches', expiration: Duration.days(sideExpireAfterDays) }]
          : [],
      removalPolicy,
    });
  }
}
