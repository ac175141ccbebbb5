import { CfnOutput, Duration, RemovalPolicy, Stack, type StackProps } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import type * as logs from 'aws-cdk-lib/aws-logs';
import type { Construct } from 'constructs';
import { Archive } from './archive';
import { ArchiveConsumer } from './archive-consumer';
import { AlbEndpoint, type AlbOidcSettings } from './endpoints/alb-endpoint';
import type { CollectorEndpoint } from './endpoints/endpoint';
import { FunctionUrlEndpoint } from './endpoints/function-url-endpoint';
import { type CustomDomain, HttpApiEndpoint } from './endpoints/http-api-endpoint';
import { EventStream, type StreamCapacity } from './event-stream';
import { IngestionFunction, type JwtAuthSettings } from './ingestion-function';
import { Monitoring } from './monitoring';
import { EventTables } from './tables';

export type EndpointType = 'function-url' | 'http-api' | 'alb';

export type EndpointSettings =
  | { readonly type: 'function-url' }
  | {
      readonly type: 'http-api';
      /** @default 1000 */
      readonly throttleRateLimit?: number;
      /** @default 2000 */
      readonly throttleBurstLimit?: number;
      /** @default - the execute-api URL */
      readonly customDomain?: CustomDomain;
    }
  | {
      readonly type: 'alb';
      /** Existing VPC (looked up at synth: needs credentials and an explicit account/region). @default - a new VPC */
      readonly vpcId?: string;
      /** @default - HTTP only */
      readonly certificateArn?: string;
      /** @default - the ALB DNS name */
      readonly domainName?: string;
      /** @default - no DNS record */
      readonly hostedZone?: { readonly hostedZoneId: string; readonly zoneName: string };
      /** @default - no ALB authentication */
      readonly oidc?: AlbOidcSettings;
    };

export interface CollectorStackProps extends StackProps {
  /** @default { type: 'function-url' } */
  readonly endpoint?: EndpointSettings;
  readonly appIds: readonly string[];
  /** @default '/collect' */
  readonly collectPath?: string;
  /** @default - no browser origin allowed */
  readonly corsOrigins?: readonly string[];
  /** @default { mode: 'on-demand' } */
  readonly streamCapacity?: StreamCapacity;
  /** @default 24 */
  readonly streamRetentionHours?: number;
  /** @default 1048576 */
  readonly maxRecordBytes?: number;
  /** @default 1048576 */
  readonly maxBodyBytes?: number;
  /** @default 8388608 */
  readonly maxDecompressedBytes?: number;
  /** @default 'events/' */
  readonly archivePrefix?: string;
  /** @default 'tables/' */
  readonly tablesPrefix?: string;
  /** @default 'fallback/' */
  readonly fallbackPrefix?: string;
  /** @default 'quarantine/' */
  readonly quarantinePrefix?: string;
  /** Seconds the archive consumer gathers records before it writes a batch. @default 60 */
  readonly archiveBatchSeconds?: number;
  /** Most records per archive batch. @default 1000 */
  readonly archiveBatchSize?: number;
  /** @default 30 */
  readonly archiveTransitionDays?: number;
  /** @default 0 (never) */
  readonly archiveExpirationDays?: number;
  /** @default 90 */
  readonly quarantineExpirationDays?: number;
  /** @default 'clickstream' */
  readonly athenaDatabase?: string;
  /** @default 'first-forwarded' */
  readonly ipPolicy?: 'first-forwarded' | 'trusted-hop';
  /** @default 'keep' */
  readonly ipAnonymization?: 'keep' | 'truncate' | 'drop';
  /** @default - no token authentication in the function */
  readonly jwtAuth?: JwtAuthSettings;
  /** @default true */
  readonly alarmsEnabled?: boolean;
  /** @default - no e-mail subscription */
  readonly alarmEmail?: string;
  /** @default logs.RetentionDays.ONE_MONTH */
  readonly logRetention?: logs.RetentionDays;
  /** @default - unreserved */
  readonly reservedConcurrency?: number;
  /** @default 512 */
  readonly lambdaMemoryMb?: number;
  /** @default 10 */
  readonly lambdaTimeoutSeconds?: number;
  /** Delete the stream and buckets with the stack (for trials). @default false */
  readonly destroyOnRemoval?: boolean;
}

/**
 * The collector: endpoint -> function -> Kinesis -> archive consumer -> S3 raw archive and event
 * tables -> Glue tables, with a dashboard and alarms. One endpoint type per deployment.
 */
export class CollectorStack extends Stack {
  public readonly eventStream: EventStream;
  public readonly archive: Archive;
  public readonly archiveConsumer: ArchiveConsumer;
  public readonly ingestion: IngestionFunction;
  public readonly endpoint: CollectorEndpoint;
  public readonly tables: EventTables;
  public readonly monitoring: Monitoring;

  constructor(scope: Construct, id: string, props: CollectorStackProps) {
    super(scope, id, {
      description:
        'Clickstream collector: serverless ingestion endpoint, Kinesis, S3 archive and event tables for Athena',
      ...props,
    });
    const endpointSettings = props.endpoint ?? { type: 'function-url' };
    const collectPath = props.collectPath ?? '/collect';
    const fallbackPrefix = props.fallbackPrefix ?? 'fallback/';
    const quarantinePrefix = props.quarantinePrefix ?? 'quarantine/';
    const removalPolicy = props.destroyOnRemoval ? RemovalPolicy.DESTROY : RemovalPolicy.RETAIN;
    const maxBodyBytes = props.maxBodyBytes ?? 1024 * 1024;
    if (endpointSettings.type === 'alb' && maxBodyBytes > 1024 * 1024) {
      throw new Error(
        'CollectorStack: an ALB passes at most 1 MB bodies to Lambda; maxBodyBytes must be ≤ 1048576',
      );
    }

    this.eventStream = new EventStream(this, 'EventStream', {
      capacity: props.streamCapacity,
      retention: Duration.hours(props.streamRetentionHours ?? 24),
      maxRecordBytes: props.maxRecordBytes,
      removalPolicy,
    });

    this.archive = new Archive(this, 'Archive', {
      prefix: props.archivePrefix,
      tablesPrefix: props.tablesPrefix,
      sidePrefixes: [fallbackPrefix, quarantinePrefix],
      transitionAfterDays: props.archiveTransitionDays,
      expireAfterDays: props.archiveExpirationDays,
      sideObjectsExpireAfterDays: props.quarantineExpirationDays,
      removalPolicy,
    });

    const retentionHours = props.streamRetentionHours ?? 24;
    this.archiveConsumer = new ArchiveConsumer(this, 'ArchiveConsumer', {
      stream: this.eventStream.stream,
      bucket: this.archive.bucket,
      failedBatchesBucket: this.archive.failedBatchesBucket,
      archivePrefix: this.archive.prefix,
      tablesPrefix: this.archive.tablesPrefix,
      batchSize: props.archiveBatchSize,
      batchWindow: Duration.seconds(props.archiveBatchSeconds ?? 60),
      // A failing batch goes to the failed-batches bucket an hour before the stream would drop it.
      maxRecordAge: Duration.hours(Math.min(retentionHours - 1, 7 * 24)),
      logRetention: props.logRetention,
    });

    this.ingestion = new IngestionFunction(this, 'Ingestion', {
      stream: this.eventStream.stream,
      bucket: this.archive.bucket,
      appIds: props.appIds,
      collectPath,
      corsOrigins: props.corsOrigins,
      fallbackPrefix,
      quarantinePrefix,
      maxRecordBytes: props.maxRecordBytes,
      maxBodyBytes,
      maxDecompressedBytes: props.maxDecompressedBytes,
      ipPolicy: props.ipPolicy,
      ipAnonymization: props.ipAnonymization,
      jwtAuth: props.jwtAuth,
      memorySize: props.lambdaMemoryMb,
      reservedConcurrency: props.reservedConcurrency,
      timeout:
        props.lambdaTimeoutSeconds === undefined ? undefined : Duration.seconds(props.lambdaTimeoutSeconds),
      logRetention: props.logRetention,
    });

    this.endpoint = this.createEndpoint(endpointSettings, collectPath, props.logRetention);

    this.tables = new EventTables(this, 'Tables', {
      bucket: this.archive.bucket,
      archivePrefix: this.archive.prefix,
      tablesPrefix: this.archive.tablesPrefix,
      databaseName: props.athenaDatabase,
    });

    this.monitoring = new Monitoring(this, 'Monitoring', {
      function: this.ingestion.function,
      stream: this.eventStream.stream,
      archiveConsumer: this.archiveConsumer.function,
      archiveBatchWindow: this.archiveConsumer.batchWindow,
      alarmsEnabled: props.alarmsEnabled,
      alarmEmail: props.alarmEmail,
    });

    new CfnOutput(this, 'CollectorUrl', {
      value: this.endpoint.collectorUrl,
      description: 'Server endpoint for the Clickstream SDKs (POST, with ?appId=...)',
    });
    new CfnOutput(this, 'StreamName', { value: this.eventStream.stream.streamName });
    new CfnOutput(this, 'ArchiveBucket', {
      value: this.archive.bucket.bucketName,
      description: `Raw archive under ${this.archive.prefix}, event tables under ${this.archive.tablesPrefix}, fallback and quarantine`,
    });
    new CfnOutput(this, 'FailedBatchesBucket', {
      value: this.archive.failedBatchesBucket.bucketName,
      description: 'Batches the archive consumer gave up on (records included); empty when all is well',
    });
    new CfnOutput(this, 'AthenaDatabase', {
      value: this.tables.databaseName,
      description: 'Glue database of the tables ingestion_events, event, event_parameter, user and item',
    });
    new CfnOutput(this, 'AthenaTables', {
      value: this.tables.qualifiedNames.join(','),
      description:
        "Query with: SELECT event_name, count(*) FROM <database>.event WHERE partition_app = '<app>' GROUP BY 1",
    });
    new CfnOutput(this, 'DashboardUrl', { value: this.monitoring.dashboardUrl });
  }

  private createEndpoint(
    settings: EndpointSettings,
    collectPath: string,
    logRetention: logs.RetentionDays | undefined,
  ): CollectorEndpoint {
    const fn = this.ingestion.function;
    switch (settings.type) {
      case 'function-url':
        return new FunctionUrlEndpoint(this, 'FunctionUrl', { function: fn, collectPath });
      case 'http-api':
        return new HttpApiEndpoint(this, 'HttpApi', {
          function: fn,
          collectPath,
          throttleRateLimit: settings.throttleRateLimit,
          throttleBurstLimit: settings.throttleBurstLimit,
          customDomain: settings.customDomain,
          logRetention,
        });
      case 'alb':
        return new AlbEndpoint(this, 'Alb', {
          function: fn,
          collectPath,
          vpc: settings.vpcId ? ec2.Vpc.fromLookup(this, 'Vpc', { vpcId: settings.vpcId }) : undefined,
          certificateArn: settings.certificateArn,
          domainName: settings.domainName,
          hostedZone: settings.hostedZone,
          oidc: settings.oidc,
          accessLogsBucket: this.archive.accessLogsBucket,
        });
    }
  }
}
