import { CfnOutput, Duration, RemovalPolicy, Stack, type StackProps } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import type { Construct } from 'constructs';
import type { CollectorSettings } from '../settings/table';
import { AppRegistry } from './app-registry';
import { Archive } from './archive';
import { ArchiveConsumer } from './archive-consumer';
import { AlbEndpoint, type AlbOidcSettings } from './endpoints/alb-endpoint';
import type { CollectorEndpoint } from './endpoints/endpoint';
import { FunctionUrlEndpoint } from './endpoints/function-url-endpoint';
import { HttpApiEndpoint } from './endpoints/http-api-endpoint';
import { EventStream } from './event-stream';
import { IngestionFunction } from './ingestion-function';
import { Monitoring } from './monitoring';
import { EventTables } from './tables';

export interface CollectorStackProps extends StackProps {
  /** The deployment's settings, as `parseContext` (bin/context.ts) yields them from CDK context. */
  readonly settings: CollectorSettings;
}

/**
 * The collector: endpoint -> function -> Kinesis -> archive consumer -> S3 raw archive and event
 * tables -> Glue tables, with a dashboard and alarms. One endpoint type per deployment.
 */
export class CollectorStack extends Stack {
  public readonly eventStream: EventStream;
  public readonly archive: Archive;
  public readonly archiveConsumer: ArchiveConsumer;
  public readonly appRegistry: AppRegistry;
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
    const { collector, stack, stream, archive } = props.settings;
    const removalPolicy = stack.destroyOnRemoval ? RemovalPolicy.DESTROY : RemovalPolicy.RETAIN;
    const logRetention = stack.logRetentionDays;

    this.eventStream = new EventStream(this, 'EventStream', {
      capacity:
        stream.streamMode === 'provisioned'
          ? { mode: 'provisioned', shardCount: stream.shardCount }
          : { mode: 'on-demand' },
      retention: Duration.hours(stream.streamRetentionHours),
      maxRecordBytes: collector.maxRecordBytes,
      removalPolicy,
    });

    this.archive = new Archive(this, 'Archive', {
      prefix: archive.archivePrefix,
      tablesPrefix: archive.tablesPrefix,
      sidePrefixes: [collector.fallbackPrefix, collector.quarantinePrefix],
      transitionAfterDays: archive.archiveTransitionDays,
      expireAfterDays: archive.archiveExpirationDays,
      sideObjectsExpireAfterDays: archive.quarantineExpirationDays,
      removalPolicy,
    });

    this.archiveConsumer = new ArchiveConsumer(this, 'ArchiveConsumer', {
      stream: this.eventStream.stream,
      bucket: this.archive.bucket,
      failedBatchesBucket: this.archive.failedBatchesBucket,
      archivePrefix: this.archive.prefix,
      tablesPrefix: this.archive.tablesPrefix,
      batchSize: archive.archiveBatchSize,
      batchWindow: Duration.seconds(archive.archiveBatchSeconds),
      // A failing batch goes to the failed-batches bucket an hour before the stream would drop it.
      maxRecordAge: Duration.hours(Math.min(stream.streamRetentionHours - 1, 7 * 24)),
      logRetention,
    });

    this.appRegistry = new AppRegistry(this, 'AppRegistry', { appIds: props.settings.collector.appIds });

    this.ingestion = new IngestionFunction(this, 'Ingestion', {
      stream: this.eventStream.stream,
      bucket: this.archive.bucket,
      settings: props.settings,
      appRegistry: this.appRegistry,
      memorySize: stack.lambdaMemoryMb,
      reservedConcurrency: stack.reservedConcurrency,
      timeout: Duration.seconds(stack.lambdaTimeoutSeconds),
      logRetention,
    });

    this.endpoint = this.createEndpoint(props.settings);

    this.tables = new EventTables(this, 'Tables', {
      bucket: this.archive.bucket,
      archivePrefix: this.archive.prefix,
      tablesPrefix: this.archive.tablesPrefix,
      quarantinePrefix: collector.quarantinePrefix,
      fallbackPrefix: collector.fallbackPrefix,
      databaseName: archive.athenaDatabase,
    });

    this.monitoring = new Monitoring(this, 'Monitoring', {
      function: this.ingestion.function,
      functionLogGroup: this.ingestion.logGroup,
      stream: this.eventStream.stream,
      archiveConsumer: this.archiveConsumer.function,
      archiveBatchWindow: this.archiveConsumer.batchWindow,
      alarmsEnabled: stack.alarms,
      alarmEmail: stack.alarmEmail,
    });

    new CfnOutput(this, 'CollectorUrl', {
      value: this.endpoint.collectorUrl,
      description: 'Server endpoint for the Clickstream SDKs (POST, with ?appId=...)',
    });
    new CfnOutput(this, 'StreamName', { value: this.eventStream.stream.streamName });
    new CfnOutput(this, 'AppRegistryParameter', {
      value: this.appRegistry.parameter.parameterName,
      description: 'The registered app IDs; change them with: npm run apps -- add ID',
    });
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
      description:
        'Glue database of the tables ingestion_events, event, event_parameter, user, item, quarantine and fallback',
    });
    new CfnOutput(this, 'AthenaTables', {
      value: this.tables.qualifiedNames.join(','),
      description:
        "Query with: SELECT event_name, count(*) FROM <database>.event WHERE partition_app = '<app>' GROUP BY 1",
    });
    new CfnOutput(this, 'DashboardUrl', { value: this.monitoring.dashboardUrl });
  }

  private createEndpoint(settings: CollectorSettings): CollectorEndpoint {
    const fn = this.ingestion.function;
    const { collectPath } = settings.collector;
    const endpoint = settings.endpoint;
    const hostedZone =
      endpoint.hostedZoneId && endpoint.hostedZoneName
        ? { hostedZoneId: endpoint.hostedZoneId, zoneName: endpoint.hostedZoneName }
        : undefined;
    switch (endpoint.endpointType) {
      case 'function-url':
        return new FunctionUrlEndpoint(this, 'FunctionUrl', { function: fn, collectPath });
      case 'http-api':
        return new HttpApiEndpoint(this, 'HttpApi', {
          function: fn,
          collectPath,
          throttleRateLimit: endpoint.httpApiThrottleRate,
          throttleBurstLimit: endpoint.httpApiThrottleBurst,
          customDomain:
            endpoint.domainName && endpoint.certificateArn
              ? { domainName: endpoint.domainName, certificateArn: endpoint.certificateArn, hostedZone }
              : undefined,
          logRetention: settings.stack.logRetentionDays,
        });
      case 'alb':
        return new AlbEndpoint(this, 'Alb', {
          function: fn,
          collectPath,
          vpc: endpoint.vpcId ? ec2.Vpc.fromLookup(this, 'Vpc', { vpcId: endpoint.vpcId }) : undefined,
          certificateArn: endpoint.certificateArn,
          domainName: endpoint.domainName,
          hostedZone,
          oidc: albOidc(settings),
          accessLogsBucket: this.archive.accessLogsBucket,
        });
    }
  }
}

function albOidc(settings: CollectorSettings): AlbOidcSettings | undefined {
  const e = settings.endpoint;
  if (
    !e.albOidcIssuer ||
    !e.albOidcAuthorizationEndpoint ||
    !e.albOidcTokenEndpoint ||
    !e.albOidcUserInfoEndpoint ||
    !e.albOidcClientId ||
    !e.albOidcClientSecretArn
  ) {
    return undefined;
  }
  return {
    issuer: e.albOidcIssuer,
    authorizationEndpoint: e.albOidcAuthorizationEndpoint,
    tokenEndpoint: e.albOidcTokenEndpoint,
    userInfoEndpoint: e.albOidcUserInfoEndpoint,
    clientId: e.albOidcClientId,
    clientSecretArn: e.albOidcClientSecretArn,
  };
}
