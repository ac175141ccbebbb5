import { App } from 'aws-cdk-lib';
import { describe, expect, it } from 'vitest';
import { addCollectorStack } from '../../../bin/collector-app';
import { ContextError, parseContext } from '../../../bin/context';

const CERTIFICATE_ARN = 'arn:aws:acm:eu-west-1:123456789012:certificate/11111111-2222-3333-4444-555555555555';

function errorOf(context: Record<string, unknown>): string {
  try {
    parseContext(context);
  } catch (error) {
    expect(error).toBeInstanceOf(ContextError);
    return (error as Error).message;
  }
  throw new Error('expected parseContext to throw');
}

describe('CDK context validation', () => {
  it('applies the defaults: function URL, on-demand stream, /collect, auth off, alarms on', () => {
    const context = parseContext({ appIds: 'my_app' });
    expect(context.endpoint.endpointType).toBe('function-url');
    expect(context.stream.streamMode).toBe('on-demand');
    expect(context.collector.collectPath).toBe('/collect');
    expect(context.auth.mode).toBe('none');
    expect(context.stack.alarms).toBe(true);
    expect(context.stack.logRetentionDays).toBe(30);
    expect(context.stack.stackName).toBe('ClickstreamCollector');
  });

  it('accepts -c strings and cdk.json JSON for numbers, booleans and lists alike', () => {
    const fromCli = parseContext({
      appIds: 'a, b',
      streamMode: 'provisioned',
      shardCount: '4',
      alarms: 'false',
    });
    const fromJson = parseContext({
      appIds: ['a', 'b'],
      streamMode: 'provisioned',
      shardCount: 4,
      alarms: false,
    });
    expect(fromCli).toEqual(fromJson);
    expect(fromCli.collector.appIds).toEqual(['a', 'b']);
    expect(fromCli.stream).toMatchObject({ streamMode: 'provisioned', shardCount: 4 });
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
    [{ appIds: 'a', fallbackPrefix: 'quarantine/late/' }, 'fallbackPrefix'],
    [{ appIds: 'a', archiveTransitionDays: '30', archiveExpirationDays: '10' }, 'archiveExpirationDays'],
    [
      {
        appIds: 'a',
        endpointType: 'http-api',
        domainName: 'c.example.org',
        certificateArn: CERTIFICATE_ARN,
        hostedZoneId: 'Z0123456789ABCDEFGHIJ',
        hostedZoneName: 'example.com',
      },
      'domainName',
    ],
    [{ appIds: 'a', endpointType: 'http-api', hostedZoneId: 'Z0123456789ABCDEFGHIJ' }, 'hostedZoneName'],
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
    const app = new App({ context: { appIds: 'my_app', endpointType: 'lambda' } });
    expect(() => addCollectorStack(app, {}, { nag: false })).toThrow(/-c endpointType:/);
  });
});

describe('CDK context keys', () => {
  it('refuses an unknown key, naming it and the closest known key', () => {
    const message = errorOf({ appIds: 'my_app', endpointTyp: 'alb' });
    expect(message).toMatch(/-c endpointTyp: unknown context key; did you mean endpointType\?/);
  });

  it('suggests nothing for a key close to none of ours', () => {
    expect(errorOf({ appIds: 'my_app', zzzzzzzzzz: '1' })).toMatch(/-c zzzzzzzzzz: unknown context key$/m);
  });

  it.each([
    '@aws-cdk/aws-lambda:recognizeLayerVersion',
    'aws:cdk:enable-path-metadata',
    'acknowledged-issue-numbers',
    'vpc-provider:account=123456789012:filter.vpc-id=vpc-1:region=eu-west-1',
    'cdk-something',
  ])('leaves keys of the CDK itself alone (%s)', (key) => {
    expect(() => parseContext({ appIds: 'my_app', [key]: 'x' })).not.toThrow();
  });

  it('requires appIds, with a message that says what to pass', () => {
    expect(errorOf({})).toMatch(/-c appIds: required: register the app IDs your SDKs send, comma-separated/);
  });
});

describe('CDK context rules added by the hardening review', () => {
  const jwt = { appIds: 'shop,partner', authMode: 'jwt', authIssuer: 'https://i', authAudience: 'x' };

  it('refuses authAppIds naming an app that is not registered (a typo would leave it unprotected)', () => {
    const message = errorOf({ ...jwt, authJwksUrl: 'https://i/jwks', authAppIds: 'partnr' });
    expect(message).toMatch(/-c authAppIds: partnr not in appIds/);
    expect(
      parseContext({ ...jwt, authJwksUrl: 'https://i/jwks', authAppIds: 'partner' }).auth.appIds,
    ).toEqual(['partner']);
  });

  it.each(['https://*.co.uk', 'https://*.github.io', 'https://*.s3.amazonaws.com'])(
    'refuses the CORS wildcard %s, whose parent is a public suffix',
    (origin) => {
      expect(errorOf({ appIds: 'a', corsOrigins: origin })).toMatch(/-c corsOrigins: .*public suffix/);
    },
  );

  it('refuses a plain-http JWKS URL unless its host is a loopback address', () => {
    expect(errorOf({ ...jwt, authJwksUrl: 'http://idp.example.com/jwks' })).toMatch(
      /-c authJwksUrl: must be an https URL/,
    );
    expect(parseContext({ ...jwt, authJwksUrl: 'http://127.0.0.1:9000/jwks' }).auth.jwksUrl).toBe(
      'http://127.0.0.1:9000/jwks',
    );
  });

  it('bounds authMaxTokenLifetimeSeconds and allows it only with authMode=jwt', () => {
    expect(errorOf({ ...jwt, authJwksUrl: 'https://i/j', authMaxTokenLifetimeSeconds: '0' })).toMatch(
      /-c authMaxTokenLifetimeSeconds:/,
    );
    expect(errorOf({ appIds: 'a', authMaxTokenLifetimeSeconds: '3600' })).toMatch(
      /-c authMaxTokenLifetimeSeconds: applies only with authMode=jwt/,
    );
  });

  it('refuses an ALB without a certificate unless allowPlainHttp=true', () => {
    expect(errorOf({ appIds: 'a', endpointType: 'alb' })).toMatch(/-c certificateArn: .*allowPlainHttp=true/);
    expect(
      parseContext({ appIds: 'a', endpointType: 'alb', allowPlainHttp: 'true' }).endpoint.allowPlainHttp,
    ).toBe(true);
    expect(
      parseContext({ appIds: 'a', endpointType: 'alb', certificateArn: CERTIFICATE_ARN }).endpoint,
    ).toMatchObject({ certificateArn: CERTIFICATE_ARN });
  });

  it('allows allowPlainHttp only with endpointType=alb', () => {
    expect(errorOf({ appIds: 'a', allowPlainHttp: 'true' })).toMatch(
      /-c allowPlainHttp: applies only with endpointType=alb/,
    );
  });
});
