import { describe, expect, it } from 'vitest';
import { ContextError, parseContext, toStackProps } from '../../bin/context';
import { synthesize } from './support';

const read = (context: Record<string, unknown>) => (key: string) => context[key];

function errorOf(context: Record<string, unknown>): string {
  try {
    parseContext(read(context));
  } catch (error) {
    expect(error).toBeInstanceOf(ContextError);
    return (error as Error).message;
  }
  throw new Error('expected parseContext to throw');
}

describe('CDK context validation', () => {
  it('applies the defaults: function URL, on-demand stream, /collect, auth off, alarms on', () => {
    const context = parseContext(read({ appIds: 'my_app' }));
    const props = toStackProps(context);
    expect(props.endpoint).toEqual({ type: 'function-url' });
    expect(props.streamCapacity).toEqual({ mode: 'on-demand' });
    expect(props.collectPath).toBe('/collect');
    expect(props.jwtAuth).toBeUndefined();
    expect(props.alarmsEnabled).toBeUndefined();
    expect(props.logRetention).toBe(30);
    expect(context.stackName).toBe('ClickstreamCollector');
  });

  it('accepts -c strings and cdk.json JSON for numbers, booleans and lists alike', () => {
    const fromCli = parseContext(
      read({ appIds: 'a, b', streamMode: 'provisioned', shardCount: '4', alarms: 'false' }),
    );
    const fromJson = parseContext(
      read({ appIds: ['a', 'b'], streamMode: 'provisioned', shardCount: 4, alarms: false }),
    );
    expect(toStackProps(fromCli)).toEqual(toStackProps(fromJson));
    expect(fromCli.appIds).toEqual(['a', 'b']);
    expect(toStackProps(fromCli).streamCapacity).toEqual({ mode: 'provisioned', shardCount: 4 });
  });

  it.each([
    [{ appIds: 'my_app', endpointType: 'lambda' }, 'endpointType'],
    [{ appIds: '' }, 'appIds'],
    [{ appIds: 'bad id!' }, 'appIds'],
    [{ appIds: 'a', corsOrigins: 'www.example.com' }, 'corsOrigins'],
    [{ appIds: 'a', corsOrigins: 'https://*.com' }, 'corsOrigins'],
    [{ appIds: 'a', streamMode: 'fast' }, 'streamMode'],
    [{ appIds: 'a', streamMode: 'provisioned', shardCount: 'many' }, 'shardCount'],
    [{ appIds: 'a', shardCount: '2' }, 'shardCount'],
    [{ appIds: 'a', streamRetentionHours: '12' }, 'streamRetentionHours'],
    [{ appIds: 'a', maxRecordBytes: String(20 * 1024 * 1024) }, 'maxRecordBytes'],
    [{ appIds: 'a', archiveBatchSeconds: '301' }, 'archiveBatchSeconds'],
    [{ appIds: 'a', archiveBatchSize: '0' }, 'archiveBatchSize'],
    [{ appIds: 'a', tablesPrefix: 'events/' }, 'tablesPrefix'],
    [{ appIds: 'a', archivePrefix: 'events' }, 'archivePrefix'],
    [{ appIds: 'a', quarantinePrefix: 'events/' }, 'quarantinePrefix'],
    [{ appIds: 'a', logRetentionDays: '31' }, 'logRetentionDays'],
    [{ appIds: 'a', alarmEmail: 'not-an-email' }, 'alarmEmail'],
    [{ appIds: 'a', alarms: 'yes' }, 'alarms'],
    [{ appIds: 'a', reservedConcurrency: '0' }, 'reservedConcurrency'],
    [{ appIds: 'a', lambdaMemoryMb: '64' }, 'lambdaMemoryMb'],
    [{ appIds: 'a', lambdaTimeoutSeconds: '5' }, 'lambdaTimeoutSeconds'],
    [{ appIds: 'a', domainName: 'c.example.com' }, 'domainName'],
    [{ appIds: 'a', endpointType: 'http-api', domainName: 'c.example.com' }, 'certificateArn'],
    [{ appIds: 'a', endpointType: 'http-api', certificateArn: 'arn:aws:s3:::bucket' }, 'certificateArn'],
    [{ appIds: 'a', vpcId: 'vpc-0123456789abcdef0' }, 'vpcId'],
    [{ appIds: 'a', endpointType: 'alb', albOidcIssuer: 'https://idp.example.com' }, 'albOidcClientId'],
    [{ appIds: 'a', endpointType: 'alb', maxBodyBytes: String(2 * 1024 * 1024) }, 'maxBodyBytes'],
    [{ appIds: 'a', authMode: 'jwt', authIssuer: 'https://i', authAudience: 'x' }, 'authJwksUrl'],
    [{ appIds: 'a', authMode: 'jwt', authJwksUrl: 'https://i/jwks', authAudience: 'x' }, 'authIssuer'],
    [{ appIds: 'a', authIssuer: 'https://i' }, 'authIssuer'],
    [
      {
        appIds: 'a',
        authMode: 'jwt',
        authIssuer: 'https://i',
        authAudience: 'x',
        authJwksUrl: 'https://i/j',
        authAlgorithms: 'none',
      },
      'authAlgorithms',
    ],
  ])('rejects %j with a message naming %s', (context, key) => {
    expect(errorOf(context)).toMatch(new RegExp(`-c ${key}:`));
  });

  it('fails the app (as `cdk synth` would) with the bad key in the message', () => {
    expect(() => synthesize({ appIds: 'my_app', endpointType: 'lambda' })).toThrow(/-c endpointType:/);
  });
});
