import { Match, type Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { ARCHIVE_METRIC_NAMES } from '../../lambda/archive/metric-names';
import { METRIC_NAMES } from '../../lambda/observability/telemetry';
import { CONFIGURATIONS, roleStatements, synthesize } from './support';

/** All statements of the policies attached to the collector function's role. */
function functionStatements(template: Template): { Action: string | string[]; Resource: unknown }[] {
  return roleStatements(template, 'IngestionFunction');
}

describe('function-url deployment, on-demand stream (defaults)', () => {
  let template: Template;
  beforeAll(() => {
    template = synthesize(CONFIGURATIONS.functionUrl).template;
  });

  it('exposes the function through a function URL with auth NONE and its own CORS left off', () => {
    template.resourceCountIs('AWS::Lambda::Url', 1);
    template.hasResourceProperties('AWS::Lambda::Url', { AuthType: 'NONE', Cors: Match.absent() });
    template.hasResourceProperties('AWS::Lambda::Permission', {
      Action: 'lambda:InvokeFunctionUrl',
      Principal: '*',
      FunctionUrlAuthType: 'NONE',
    });
    template.resourceCountIs('AWS::ApiGatewayV2::Api', 0);
    template.resourceCountIs('AWS::ElasticLoadBalancingV2::LoadBalancer', 0);
  });

  it('runs the bundled handler on ARM64 with a current Node runtime and an explicit log group', () => {
    template.hasResourceProperties('AWS::Lambda::Function', {
      Runtime: Match.stringLikeRegexp('^nodejs(2[2-9]|[3-9]\\d)\\.x$'),
      Architectures: ['arm64'],
      Handler: 'index.handler',
      MemorySize: 256,
      Timeout: 15,
      LoggingConfig: Match.objectLike({ LogGroup: { Ref: Match.stringLikeRegexp('^IngestionLogs') } }),
    });
    template.hasResourceProperties('AWS::Logs::LogGroup', { RetentionInDays: 30 });
  });

  it("drops Lambda's own per-invocation log lines (JSON logs, system level WARN)", () => {
    template.hasResourceProperties('AWS::Lambda::Function', {
      LoggingConfig: Match.objectLike({
        LogFormat: 'JSON',
        SystemLogLevel: 'WARN',
        ApplicationLogLevel: 'INFO',
      }),
    });
  });

  it('sets the function environment from the validated configuration', () => {
    template.hasResourceProperties('AWS::Lambda::Function', {
      Environment: {
        Variables: Match.objectLike({
          CLICKSTREAM_APP_IDS: 'shop_web,shop_app',
          CLICKSTREAM_PATH: '/collect',
          CLICKSTREAM_CORS_ORIGINS: 'https://www.example.com,https://*.example.org',
          CLICKSTREAM_STREAM_NAME: { Ref: Match.stringLikeRegexp('^EventStream') },
          CLICKSTREAM_ARCHIVE_BUCKET: { Ref: Match.stringLikeRegexp('^ArchiveBucket') },
          CLICKSTREAM_FALLBACK_PREFIX: 'fallback/',
          CLICKSTREAM_QUARANTINE_PREFIX: 'quarantine/',
          CLICKSTREAM_MAX_RECORD_BYTES: '1048576',
          CLICKSTREAM_AUTH_MODE: 'none',
          POWERTOOLS_SERVICE_NAME: 'clickstream-collector',
          POWERTOOLS_METRICS_NAMESPACE: 'Clickstream/Collector',
        }),
      },
    });
  });

  it('grants the function only PutRecords (and DescribeStreamSummary for the deep health check) on its stream and PutObject under the fallback and quarantine prefixes', () => {
    const statements = functionStatements(template);
    const actions = statements.flatMap((statement) => [statement.Action].flat());
    expect(actions.sort()).toEqual([
      'kinesis:DescribeStreamSummary',
      'kinesis:PutRecords',
      'logs:CreateLogStream',
      'logs:PutLogEvents',
      's3:PutObject',
      'ssm:GetParameter',
    ]);
    const kinesis = statements.find((statement) => [statement.Action].flat().includes('kinesis:PutRecords'));
    expect(kinesis?.Resource).toEqual({ 'Fn::GetAtt': [expect.stringMatching(/^EventStream/), 'Arn'] });
    const s3 = statements.find((statement) => statement.Action === 's3:PutObject');
    const resources = JSON.stringify(s3?.Resource);
    expect(resources).toContain('/fallback/*');
    expect(resources).toContain('/quarantine/*');
    expect(resources).not.toMatch(/"\/\*"/);
    expect(JSON.stringify(statements)).not.toContain('secretsmanager');
  });

  it('keeps the registered apps in one SSM parameter, seeded from appIds, that the function alone may read', () => {
    const parameters = template.findResources('AWS::SSM::Parameter');
    expect(Object.values(parameters)).toHaveLength(1);
    template.hasResourceProperties('AWS::SSM::Parameter', {
      Name: '/clickstream/ClickstreamCollector/app-ids',
      Type: 'String',
      Value: 'shop_web,shop_app',
    });
    const read = functionStatements(template).filter((statement) =>
      JSON.stringify(statement.Action).includes('ssm:'),
    );
    expect(read).toHaveLength(1);
    expect(read[0]?.Action).toBe('ssm:GetParameter');
    expect(JSON.stringify(read[0]?.Resource)).toContain(
      ':parameter/clickstream/ClickstreamCollector/app-ids',
    );
    expect(JSON.stringify(read[0]?.Resource)).not.toContain('*');
    const functions = template.findResources('AWS::Lambda::Function');
    const [, fn] = Object.entries(functions).find(([id]) => id.startsWith('IngestionFunction')) as [
      string,
      { Properties: { Environment: { Variables: Record<string, unknown> } } },
    ];
    expect(fn.Properties.Environment.Variables.CLICKSTREAM_APP_REGISTRY_PARAMETER).toEqual({
      Ref: expect.stringMatching(/^AppRegistryParameter/),
    });
  });

  it('creates an encrypted on-demand Kinesis stream', () => {
    template.hasResourceProperties('AWS::Kinesis::Stream', {
      StreamModeDetails: { StreamMode: 'ON_DEMAND' },
      ShardCount: Match.absent(),
      RetentionPeriodHours: 24,
      StreamEncryption: { EncryptionType: 'KMS', KeyId: 'alias/aws/kinesis' },
    });
  });

  it('protects the archive bucket: public access blocked, encryption, TLS only, access logging, lifecycle', () => {
    template.hasResourceProperties('AWS::S3::Bucket', {
      PublicAccessBlockConfiguration: {
        BlockPublicAcls: true,
        BlockPublicPolicy: true,
        IgnorePublicAcls: true,
        RestrictPublicBuckets: true,
      },
      BucketEncryption: {
        ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }],
      },
      LoggingConfiguration: {
        DestinationBucketName: { Ref: Match.stringLikeRegexp('^ArchiveAccessLogs') },
        LogFilePrefix: 'archive-bucket/',
      },
      LifecycleConfiguration: {
        Rules: Match.arrayWith([
          Match.objectLike({
            Prefix: 'events/',
            Transitions: [{ StorageClass: 'INTELLIGENT_TIERING', TransitionInDays: 30 }],
          }),
          Match.objectLike({ Prefix: 'fallback/', ExpirationInDays: 90 }),
          Match.objectLike({ Prefix: 'quarantine/', ExpirationInDays: 90 }),
        ]),
      },
    });
    template.hasResourceProperties('AWS::S3::BucketPolicy', {
      Bucket: { Ref: Match.stringLikeRegexp('^ArchiveBucket') },
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Effect: 'Deny',
            Action: 's3:*',
            Condition: { Bool: { 'aws:SecureTransport': 'false' } },
          }),
        ]),
      },
    });
  });

  it('raises alarms on errors, throttles, sink failures, fallback writes, Kinesis throttling and the archive consumer', () => {
    const alarms = template.findResources('AWS::CloudWatch::Alarm');
    expect(Object.keys(alarms)).toHaveLength(8);
    const topic = { Ref: Match.stringLikeRegexp('^MonitoringAlarmTopic') };
    const expectAlarm = (metricName: string, namespace: string, threshold: number) =>
      template.hasResourceProperties('AWS::CloudWatch::Alarm', {
        MetricName: metricName,
        Namespace: namespace,
        Threshold: threshold,
        ComparisonOperator: 'GreaterThanThreshold',
        TreatMissingData: 'notBreaching',
        AlarmActions: [topic],
      });
    expectAlarm('Errors', 'AWS/Lambda', 0);
    expectAlarm('Throttles', 'AWS/Lambda', 0);
    expectAlarm('WriteProvisionedThroughputExceeded', 'AWS/Kinesis', 0);
    expectAlarm('IteratorAge', 'AWS/Lambda', 960_000);
    for (const name of ['SinkFailures', 'FallbackWrites', 'ArchiveWriteFailures']) {
      template.hasResourceProperties('AWS::CloudWatch::Alarm', {
        MetricName: name,
        Namespace: 'Clickstream/Collector',
        Dimensions: [{ Name: 'service', Value: 'clickstream-collector' }],
        Threshold: 0,
        AlarmActions: [topic],
      });
    }
    template.resourceCountIs('AWS::SNS::Topic', 1);
    template.resourceCountIs('AWS::SNS::Subscription', 0);
  });

  it('shows requests, events, Lambda, Kinesis and the archive consumer on the dashboard', () => {
    const dashboards = Object.values(template.findResources('AWS::CloudWatch::Dashboard'));
    expect(dashboards).toHaveLength(1);
    const body = JSON.stringify(dashboards[0]);
    for (const metric of [
      'Requests2xx',
      'Requests4xx',
      'Requests5xx',
      'EventsAccepted',
      'EventsQuarantined',
      'FallbackWrites',
      'SinkFailures',
      'Errors',
      'Duration',
      'Throttles',
      'ConcurrentExecutions',
      'IncomingRecords',
      'IncomingBytes',
      'WriteProvisionedThroughputExceeded',
      'PutRecords.Latency',
      'IteratorAge',
      'ArchiveWriteFailures',
      'ArchiveRecords',
      'ArchiveObjectsWritten',
      'DestinationDeliveryFailures',
    ]) {
      expect(body, metric).toContain(`\\"${metric}\\"`);
    }
    expect(body).toContain('Clickstream/Collector');
  });

  it("shows the quarantined events per app from the function's log lines", () => {
    const body = JSON.stringify(Object.values(template.findResources('AWS::CloudWatch::Dashboard'))[0]);
    expect(body).toContain('Quarantined events per app');
    expect(body).toContain('stats sum(outcome.eventsQuarantined) as quarantined by outcome.appId');
    expect(body).toMatch(/IngestionLogs/);
  });

  it('shows every metric the function and the archive consumer emit on the dashboard', () => {
    const body = JSON.stringify(Object.values(template.findResources('AWS::CloudWatch::Dashboard'))[0]);
    for (const metric of [...METRIC_NAMES, ...ARCHIVE_METRIC_NAMES])
      expect(body, metric).toContain(`\\"${metric}\\"`);
  });

  it('outputs the collector URL with its path, the stream, the buckets, the Athena tables and the dashboard URL', () => {
    template.hasOutput('CollectorUrl', {
      Value: {
        'Fn::Join': [
          '',
          [{ 'Fn::GetAtt': [Match.stringLikeRegexp('^FunctionUrl'), 'FunctionUrl'] }, 'collect'],
        ],
      },
    });
    template.hasOutput('StreamName', { Value: { Ref: Match.stringLikeRegexp('^EventStream') } });
    template.hasOutput('ArchiveBucket', { Value: { Ref: Match.stringLikeRegexp('^ArchiveBucket') } });
    template.hasOutput('FailedBatchesBucket', {
      Value: { Ref: Match.stringLikeRegexp('^ArchiveFailedBatches') },
    });
    template.hasOutput('AthenaDatabase', { Value: 'clickstream' });
    template.hasOutput('AthenaTables', {
      Value:
        'clickstream.ingestion_events,clickstream.event,clickstream.event_parameter,clickstream.user,clickstream.item,clickstream.quarantine,clickstream.fallback',
    });
    template.hasOutput('DashboardUrl', {
      Value: {
        'Fn::Join': [
          '',
          Match.arrayWith(['#dashboards:name=', { Ref: Match.stringLikeRegexp('^MonitoringDashboard') }]),
        ],
      },
    });
  });
});
