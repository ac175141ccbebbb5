import { Match, type Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { CERTIFICATE_ARN, CONFIGURATIONS, OIDC_SECRET_ARN, synthesize } from './support';

describe('alb deployment with HTTPS, OIDC and a custom domain (Region pinned)', () => {
  let template: Template;
  beforeAll(() => {
    template = synthesize(CONFIGURATIONS.alb).template;
  });

  it('creates an internet-facing ALB in a new VPC with access logs', () => {
    template.resourceCountIs('AWS::EC2::VPC', 1);
    template.resourceCountIs('AWS::EC2::NatGateway', 0);
    template.hasResourceProperties('AWS::EC2::FlowLog', { LogDestinationType: 's3' });
    template.hasResourceProperties('AWS::ElasticLoadBalancingV2::LoadBalancer', {
      Scheme: 'internet-facing',
      Type: 'application',
      LoadBalancerAttributes: Match.arrayWith([
        { Key: 'routing.http.drop_invalid_header_fields.enabled', Value: 'true' },
        { Key: 'access_logs.s3.enabled', Value: 'true' },
      ]),
    });
  });

  it('terminates HTTPS with the certificate, authenticates with OIDC, then forwards to the Lambda target', () => {
    template.hasResourceProperties('AWS::ElasticLoadBalancingV2::Listener', {
      Port: 443,
      Protocol: 'HTTPS',
      Certificates: [{ CertificateArn: CERTIFICATE_ARN }],
      DefaultActions: [
        Match.objectLike({
          Type: 'authenticate-oidc',
          Order: 1,
          AuthenticateOidcConfig: Match.objectLike({
            Issuer: 'https://idp.example.com',
            ClientId: 'collector',
            ClientSecret: Match.stringLikeRegexp(`resolve:secretsmanager:${OIDC_SECRET_ARN}`),
            OnUnauthenticatedRequest: 'deny',
          }),
        }),
        Match.objectLike({ Type: 'forward', Order: 2 }),
      ],
    });
    template.hasResourceProperties('AWS::ElasticLoadBalancingV2::Listener', {
      Port: 80,
      DefaultActions: [
        Match.objectLike({ Type: 'redirect', RedirectConfig: Match.objectLike({ Port: '443' }) }),
      ],
    });
    template.hasResourceProperties('AWS::ElasticLoadBalancingV2::TargetGroup', {
      TargetType: 'lambda',
      Targets: [{ Id: { 'Fn::GetAtt': [Match.stringLikeRegexp('^IngestionFunction'), 'Arn'] } }],
    });
    template.hasResourceProperties('AWS::Lambda::Permission', {
      Action: 'lambda:InvokeFunction',
      Principal: 'elasticloadbalancing.amazonaws.com',
    });
  });

  it("lets only this account's target group invoke the function", () => {
    const [group] = Object.values(
      template.findResources('AWS::ElasticLoadBalancingV2::TargetGroup'),
    ) as Array<{
      Properties: { Name: string };
    }>;
    const permissions = Object.values(template.findResources('AWS::Lambda::Permission')) as Array<{
      Properties: { Principal: string; SourceAccount?: unknown; SourceArn?: unknown };
    }>;
    const elb = permissions.filter(
      (permission) => permission.Properties.Principal === 'elasticloadbalancing.amazonaws.com',
    );
    expect(elb).toHaveLength(1);
    expect(elb[0]?.Properties.SourceAccount).toBeDefined();
    expect(JSON.stringify(elb[0]?.Properties.SourceArn)).toContain(
      `:targetgroup/${group?.Properties.Name}/*`,
    );
  });

  it('points the custom domain at the ALB and outputs its HTTPS URL', () => {
    template.hasResourceProperties('AWS::Route53::RecordSet', { Name: 'collect.example.com.', Type: 'A' });
    template.hasOutput('CollectorUrl', { Value: 'https://collect.example.com/collect' });
  });
});

describe('alb deployment without a certificate (Region-agnostic synth)', () => {
  let template: Template;
  beforeAll(() => {
    template = synthesize(CONFIGURATIONS.albPlain).template;
  });

  it('serves HTTP on port 80, forwarding straight to the function, and outputs the ALB URL', () => {
    const listeners = template.findResources('AWS::ElasticLoadBalancingV2::Listener');
    expect(Object.keys(listeners)).toHaveLength(1);
    template.hasResourceProperties('AWS::ElasticLoadBalancingV2::Listener', {
      Port: 80,
      Protocol: 'HTTP',
      DefaultActions: [Match.objectLike({ Type: 'forward' })],
    });
    template.hasOutput('CollectorUrl', {
      Value: {
        'Fn::Join': [
          '',
          ['http://', { 'Fn::GetAtt': [Match.stringLikeRegexp('^AlbLoadBalancer'), 'DNSName'] }, '/collect'],
        ],
      },
    });
  });

  it('grants ALB log delivery on the access-log bucket', () => {
    template.hasResourceProperties('AWS::S3::BucketPolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Action: 's3:PutObject',
            Principal: { Service: 'logdelivery.elasticloadbalancing.amazonaws.com' },
          }),
        ]),
      },
    });
  });
});
