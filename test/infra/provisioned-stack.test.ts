import { Match, type Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { CONFIGURATIONS, JWT_SECRET_ARN, synthesize } from './support';

describe('provisioned stream with JWT auth from a secret, alarm e-mail and tuned function', () => {
  let template: Template;
  beforeAll(() => {
    template = synthesize(CONFIGURATIONS.provisioned).template;
  });

  it('provisions the stream with the configured shard count and large-record support', () => {
    template.hasResourceProperties('AWS::Kinesis::Stream', {
      StreamModeDetails: { StreamMode: 'PROVISIONED' },
      ShardCount: 3,
      MaxRecordSizeInKiB: 2048,
      StreamEncryption: { EncryptionType: 'KMS', KeyId: 'alias/aws/kinesis' },
    });
  });

  it('passes the record size, auth settings, memory, reserved concurrency and log retention to the function', () => {
    template.hasResourceProperties('AWS::Lambda::Function', {
      MemorySize: 1024,
      ReservedConcurrentExecutions: 50,
      Environment: {
        Variables: Match.objectLike({
          CLICKSTREAM_MAX_RECORD_BYTES: String(2 * 1024 * 1024),
          CLICKSTREAM_AUTH_MODE: 'jwt',
          CLICKSTREAM_AUTH_APP_IDS: '*',
          CLICKSTREAM_AUTH_ISSUER: 'https://issuer.example.com',
          CLICKSTREAM_AUTH_AUDIENCE: 'clickstream',
          CLICKSTREAM_AUTH_SECRET_ARN: JWT_SECRET_ARN,
          CLICKSTREAM_AUTH_JWKS_URL: Match.absent(),
          CLICKSTREAM_AUTH_JWKS_TIMEOUT_MS: '1500',
        }),
      },
    });
    template.hasResourceProperties('AWS::Logs::LogGroup', { RetentionInDays: 90 });
  });

  it('lets the function read only the auth secret, and only with GetSecretValue', () => {
    const policies = JSON.stringify(template.findResources('AWS::IAM::Policy'));
    const statements = Object.values(template.findResources('AWS::IAM::Policy')).flatMap(
      (policy) =>
        (
          policy as {
            Properties: { PolicyDocument: { Statement: { Action: unknown; Resource: unknown }[] } };
          }
        ).Properties.PolicyDocument.Statement,
    );
    const secretStatements = statements.filter((statement) =>
      JSON.stringify(statement.Action).includes('secretsmanager'),
    );
    expect(secretStatements).toEqual([
      expect.objectContaining({ Action: 'secretsmanager:GetSecretValue', Resource: JWT_SECRET_ARN }),
    ]);
    expect(policies).not.toContain('secretsmanager:*');
  });

  it('subscribes the alarm e-mail to the alarm topic', () => {
    template.hasResourceProperties('AWS::SNS::Subscription', {
      Protocol: 'email',
      Endpoint: 'ops@example.com',
      TopicArn: { Ref: Match.stringLikeRegexp('^MonitoringAlarmTopic') },
    });
  });
});
