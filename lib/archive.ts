import { Duration, RemovalPolicy, Validations } from 'aws-cdk-lib';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';

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

function checkPrefix(name: string, value: string): void {
  if (!/^([A-Za-z0-9_.=-]+\/)+$/.test(value)) {
    throw new Error(`Archive: ${name} "${value}" must be one or more path segments ending with "/"`);
  }
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
    this.prefix = props.prefix ?? 'events/';
    this.tablesPrefix = props.tablesPrefix ?? 'tables/';
    const sidePrefixes = props.sidePrefixes ?? ['fallback/', 'quarantine/'];
    const transitionAfterDays = props.transitionAfterDays ?? 30;
    const expireAfterDays = props.expireAfterDays ?? 0;
    const sideExpireAfterDays = props.sideObjectsExpireAfterDays ?? 90;
    const removalPolicy = props.removalPolicy ?? RemovalPolicy.RETAIN;

    checkPrefix('prefix', this.prefix);
    checkPrefix('tablesPrefix', this.tablesPrefix);
    for (const side of sidePrefixes) checkPrefix('side prefix', side);
    const all = [this.prefix, this.tablesPrefix, ...sidePrefixes];
    for (const a of all) {
      for (const b of all) {
        if (a !== b && b.startsWith(a)) {
          throw new Error(
            `Archive: prefixes "${a}" and "${b}" overlap; the archive table would read foreign objects`,
          );
        }
      }
    }
    if (new Set(all).size !== all.length) throw new Error('Archive: prefixes must be distinct');
    if (expireAfterDays > 0 && transitionAfterDays > 0 && expireAfterDays <= transitionAfterDays) {
      throw new Error('Archive: expireAfterDays must be greater than transitionAfterDays');
    }

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
