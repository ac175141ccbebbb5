import { App, Stack } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { describe, expect, it } from 'vitest';
import { AlbEndpoint } from '../../../lib/endpoints/alb-endpoint';

const OIDC_SECRET_ARN = 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:oidc-client-AbCdEf';

// The construct used on its own, without the CDK context checks of bin/context.ts in front of it.
function albWith(props: Partial<ConstructorParameters<typeof AlbEndpoint>[2]>): () => AlbEndpoint {
  const stack = new Stack(new App(), 'Direct', { env: { region: 'eu-west-1' } });
  const fn = new lambda.Function(stack, 'Fn', {
    runtime: lambda.Runtime.NODEJS_22_X,
    handler: 'index.handler',
    code: lambda.Code.fromInline('export const handler = async () => ({ statusCode: 200 });'),
  });
  const accessLogsBucket = new s3.Bucket(stack, 'Logs');
  return () =>
    new AlbEndpoint(stack, 'Alb', { function: fn, collectPath: '/collect', accessLogsBucket, ...props });
}

const OIDC = {
  issuer: 'https://idp.example.com',
  authorizationEndpoint: 'https://idp.example.com/authorize',
  tokenEndpoint: 'https://idp.example.com/token',
  userInfoEndpoint: 'https://idp.example.com/userinfo',
  clientId: 'collector',
  clientSecretArn: OIDC_SECRET_ARN,
};

describe('AlbEndpoint used directly', () => {
  it('refuses OIDC without a certificate, which would leave a plain-HTTP listener without authentication', () => {
    expect(albWith({ oidc: OIDC })).toThrow(/oidc requires certificateArn/);
  });

  it('accepts OIDC with a certificate', () => {
    const certificateArn =
      'arn:aws:acm:eu-west-1:123456789012:certificate/11111111-2222-3333-4444-555555555555';
    expect(albWith({ oidc: OIDC, certificateArn })).not.toThrow();
  });
});
