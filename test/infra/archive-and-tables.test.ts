import { Match, type Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { TABLES } from '../../lambda/tables/catalog';
import { documentedColumns, glueTypeAt } from '../support/readme-columns';
import { CONTRACT_FIELDS } from '../support/record-schema';
import { CONFIGURATIONS, roleStatements, synthesize } from './support';

/** The archive path of the default deployment: the consumer, its event source mapping and the Glue tables. */

interface GlueTableInput {
  readonly Name: string;
  readonly PartitionKeys: readonly { Name: string; Type: string }[];
  readonly Parameters: Record<string, unknown>;
  readonly StorageDescriptor: {
    readonly Columns: readonly { Name: string; Type: string }[];
    readonly SerdeInfo: { SerializationLibrary: string };
  };
}

function glueTables(template: Template): Map<string, GlueTableInput> {
  const tables = template.findResources('AWS::Glue::Table');
  return new Map(
    Object.values(tables).map((resource) => {
      const input = (resource as { Properties: { TableInput: GlueTableInput } }).Properties.TableInput;
      return [input.Name, input];
    }),
  );
}

describe('archive consumer and event tables (function-url deployment)', () => {
  let template: Template;
  beforeAll(() => {
    template = synthesize(CONFIGURATIONS.functionUrl).template;
  });

  it('replaces Firehose with a consumer function on the stream, ARM64 and Node 24, bundled', () => {
    template.resourceCountIs('AWS::KinesisFirehose::DeliveryStream', 0);
    template.hasResourceProperties('AWS::Lambda::Function', {
      Runtime: 'nodejs24.x',
      Architectures: ['arm64'],
      Handler: 'index.handler',
      Environment: {
        Variables: Match.objectLike({
          CLICKSTREAM_ARCHIVE_BUCKET: { Ref: Match.stringLikeRegexp('^ArchiveBucket') },
          CLICKSTREAM_ARCHIVE_PREFIX: 'events/',
          CLICKSTREAM_TABLES_PREFIX: 'tables/',
        }),
      },
    });
  });

  it('maps the stream with partial batch failure reports, bisection and an S3 on-failure destination', () => {
    template.resourceCountIs('AWS::Lambda::EventSourceMapping', 1);
    template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      EventSourceArn: { 'Fn::GetAtt': [Match.stringLikeRegexp('^EventStream'), 'Arn'] },
      FunctionName: { Ref: Match.stringLikeRegexp('^ArchiveConsumerFunction') },
      StartingPosition: 'TRIM_HORIZON',
      FunctionResponseTypes: ['ReportBatchItemFailures'],
      BisectBatchOnFunctionError: true,
      MaximumBatchingWindowInSeconds: 60,
      BatchSize: 1000,
      MaximumRecordAgeInSeconds: 23 * 3600,
      DestinationConfig: {
        OnFailure: {
          Destination: { 'Fn::GetAtt': [Match.stringLikeRegexp('^ArchiveFailedBatches'), 'Arn'] },
        },
      },
    });
  });

  it('lets the consumer read the stream and put objects under its two prefixes and the failed-batches bucket, nothing else', () => {
    const statements = roleStatements(template, 'ArchiveConsumerFunction');
    const actions = statements.flatMap((statement) => [statement.Action].flat());
    expect([...new Set(actions.filter((action) => action.startsWith('s3:')))].sort()).toEqual([
      's3:ListBucket',
      's3:PutObject',
    ]);
    expect(
      actions.every((action) =>
        /^(kinesis:(Get|List|Describe|SubscribeToShard)|logs:|s3:(PutObject|ListBucket)$)/.test(action),
      ),
    ).toBe(true);
    // (Statements with the same action may be merged into one by the CDK's policy minimizing.)
    const puts = statements.filter((statement) => [statement.Action].flat().includes('s3:PutObject'));
    const resources = JSON.stringify(puts.map((statement) => statement.Resource));
    expect(resources).toContain('/events/*');
    expect(resources).toContain('/tables/*');
    expect(resources).toContain('FailedBatches');
    const archiveWide = puts
      .flatMap((statement) => [statement.Resource].flat())
      .filter((resource) => {
        const text = JSON.stringify(resource);
        return text.includes('ArchiveBucket') && text.endsWith('"/*"]]}');
      });
    expect(archiveWide).toEqual([]);
  });

  it('gives no role the right to delete or overwrite-by-wildcard archive objects', () => {
    const policies = JSON.stringify(template.findResources('AWS::IAM::Policy'));
    expect(policies).not.toMatch(/s3:Delete|s3:\*|s3:Abort|"s3:PutObject\*"/);
  });

  it('alarms on the consumer: errors, failed writes and freshness', () => {
    for (const [metric, namespace] of [
      ['Errors', 'AWS/Lambda'],
      ['ArchiveWriteFailures', 'Clickstream/Collector'],
      ['IteratorAge', 'AWS/Lambda'],
    ]) {
      template.hasResourceProperties('AWS::CloudWatch::Alarm', {
        MetricName: metric,
        Namespace: namespace,
        AlarmActions: [{ Ref: Match.stringLikeRegexp('^MonitoringAlarmTopic') }],
      });
    }
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      MetricName: 'IteratorAge',
      Dimensions: [
        { Name: 'FunctionName', Value: { Ref: Match.stringLikeRegexp('^ArchiveConsumerFunction') } },
      ],
    });
  });

  it('moves table objects to Intelligent-Tiering like the raw archive', () => {
    template.hasResourceProperties('AWS::S3::Bucket', {
      LifecycleConfiguration: {
        Rules: Match.arrayWith([
          Match.objectLike({
            Prefix: 'events/',
            Transitions: [{ StorageClass: 'INTELLIGENT_TIERING', TransitionInDays: 30 }],
          }),
          Match.objectLike({
            Prefix: 'tables/',
            Transitions: [{ StorageClass: 'INTELLIGENT_TIERING', TransitionInDays: 30 }],
          }),
        ]),
      },
    });
  });

  it('keeps the failed batches in an encrypted, TLS-only, access-logged bucket', () => {
    template.hasResourceProperties('AWS::S3::Bucket', {
      LoggingConfiguration: { LogFilePrefix: 'failed-batches-bucket/' },
      BucketEncryption: {
        ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }],
      },
      LifecycleConfiguration: { Rules: [Match.objectLike({ ExpirationInDays: 90 })] },
    });
  });

  it("defines the quarantine and fallback tables over the collector's prefixes, by hour", () => {
    const tables = glueTables(template);
    for (const [name, prefix] of [
      ['quarantine', 'quarantine'],
      ['fallback', 'fallback'],
    ] as const) {
      const table = tables.get(name);
      expect(table?.PartitionKeys.map((key) => key.Name)).toEqual(['year', 'month', 'day', 'hour']);
      expect(JSON.stringify(table?.Parameters['storage.location.template'])).toContain(
        `/${prefix}/year=\${year}/month=\${month}/day=\${day}/hour=\${hour}/`,
      );
    }
    expect(tables.get('quarantine')?.StorageDescriptor.Columns.map((column) => column.Name)).toContain(
      'reasons',
    );
  });

  it('defines the five tables, with partition projection on app and day (hour for the raw archive)', () => {
    const tables = glueTables(template);
    expect([...tables.keys()].sort()).toEqual([
      'event',
      'event_parameter',
      'fallback',
      'ingestion_events',
      'item',
      'quarantine',
      'user',
    ]);
    const raw = tables.get('ingestion_events');
    expect(raw?.PartitionKeys.map((key) => key.Name)).toEqual(['year', 'month', 'day', 'hour']);
    expect(raw?.Parameters).toMatchObject({ 'projection.enabled': 'true', 'projection.hour.range': '0,23' });
    expect(JSON.stringify(raw?.Parameters['storage.location.template'])).toContain(
      // biome-ignore lint/suspicious/noTemplateCurlyInString: Athena's own ${column} placeholders
      '/events/year=${year}/month=${month}/day=${day}/hour=${hour}/',
    );
    for (const name of ['event', 'event_parameter', 'user', 'item']) {
      const table = tables.get(name);
      expect(table?.PartitionKeys.map((key) => key.Name)).toEqual([
        'partition_app',
        'partition_year',
        'partition_month',
        'partition_day',
      ]);
      expect(table?.Parameters).toMatchObject({
        'projection.enabled': 'true',
        'projection.partition_app.type': 'injected',
        'projection.partition_year.type': 'date',
        'projection.partition_year.range': expect.stringMatching(/,NOW$/),
        'projection.partition_month.digits': '2',
        'projection.partition_day.range': '1,31',
      });
      expect(JSON.stringify(table?.Parameters['storage.location.template'])).toContain(
        `/tables/${name}/partition_app=\${partition_app}/partition_year=\${partition_year}/partition_month=\${partition_month}/partition_day=\${partition_day}/`,
      );
      expect(table?.StorageDescriptor.SerdeInfo.SerializationLibrary).toBe(
        'org.apache.hive.hcatalog.data.JsonSerDe',
      );
    }
  });

  it("gives ingestion_events CAoA's columns and types, and every field of the record contract", () => {
    const columns = new Map(
      glueTables(template)
        .get('ingestion_events')
        ?.StorageDescriptor.Columns.map((c) => [c.Name, c.Type]),
    );
    const caoa = {
      date: 'string',
      data: 'string',
      ip: 'string',
      source_type: 'string',
      rid: 'string',
      ua: 'string',
      m: 'string',
      uri: 'string',
      platform: 'string',
      path: 'string',
      appId: 'string',
      compression: 'string',
      ingest_time: 'bigint',
      client_timestamp: 'bigint',
    };
    for (const [name, type] of Object.entries(caoa)) expect(columns.get(name), name).toBe(type);
    for (const field of CONTRACT_FIELDS) expect(columns.has(field), field).toBe(true);
  });

  it('has every column the README documents, with the documented type, in each Glue table', () => {
    const tables = glueTables(template);
    for (const table of TABLES) {
      const documented = documentedColumns(table.name);
      expect(documented.length, table.name).toBeGreaterThan(3);
      const glueColumns = tables.get(table.name)?.StorageDescriptor.Columns ?? [];
      for (const column of documented) {
        expect(glueTypeAt(glueColumns, column.path), `${table.name}.${column.path}`).toBe(column.type);
      }
    }
  });
});
