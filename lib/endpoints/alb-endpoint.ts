import { Annotations, Names, SecretValue, Stack, Token, Validations } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import * as route53 from 'aws-cdk-lib/aws-route53';
import * as targets from 'aws-cdk-lib/aws-route53-targets';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import { RegionInfo } from 'aws-cdk-lib/region-info';
import { Construct } from 'constructs';
import type { CollectorEndpoint } from './endpoint';
import { ScopedLambdaTarget } from './scoped-lambda-target';

/** ALB OIDC authentication in front of the function (as in Clickstream Analytics on AWS). */
export interface AlbOidcSettings {
  readonly issuer: string;
  readonly authorizationEndpoint: string;
  readonly tokenEndpoint: string;
  readonly userInfoEndpoint: string;
  readonly clientId: string;
  /** Secrets Manager secret (full ARN) whose SecretString is the OIDC client secret. */
  readonly clientSecretArn: string;
}

export interface AlbEndpointProps {
  readonly function: lambda.IFunction;
  /** The path the SDKs POST to (the collectPath setting), e.g. `/collect`. */
  readonly collectPath: string;
  /** @default - a new VPC with two public subnets and no NAT gateway */
  readonly vpc?: ec2.IVpc;
  /** ACM certificate for an HTTPS listener (HTTP then redirects to HTTPS). @default - HTTP only */
  readonly certificateArn?: string;
  /** Domain name clients use; requires certificateArn. @default - the ALB's DNS name */
  readonly domainName?: string;
  /** Creates an alias record for domainName in this zone. @default - no DNS record */
  readonly hostedZone?: { readonly hostedZoneId: string; readonly zoneName: string };
  /** @default - no ALB authentication */
  readonly oidc?: AlbOidcSettings;
  /** Bucket for ALB access logs (and the new VPC's flow logs); SSE-S3 encrypted. */
  readonly accessLogsBucket: s3.IBucket;
}

/**
 * An internet-facing Application Load Balancer with the function as its Lambda target; HTTPS when a
 * certificate is given, optionally behind an OIDC authenticate action. ALB bodies are limited to 1 MB.
 */
export class AlbEndpoint extends Construct implements CollectorEndpoint {
  public readonly vpc: ec2.IVpc;
  public readonly loadBalancer: elbv2.ApplicationLoadBalancer;
  public readonly targetGroup: elbv2.ApplicationTargetGroup;
  public readonly listener: elbv2.ApplicationListener;
  public readonly collectorUrl: string;

  constructor(scope: Construct, id: string, props: AlbEndpointProps) {
    super(scope, id);
    const path = props.collectPath;
    // Without a certificate there is no HTTPS listener for the OIDC action: the endpoint would be
    // open while its user believes it authenticated. (Synth checks this too; this guards direct use.)
    if (props.oidc && !props.certificateArn) {
      throw new Error(
        'AlbEndpoint: oidc requires certificateArn (ALB authenticates on HTTPS listeners only)',
      );
    }

    if (props.vpc) {
      this.vpc = props.vpc;
    } else {
      const vpc = new ec2.Vpc(this, 'Vpc', {
        maxAzs: 2,
        natGateways: 0,
        subnetConfiguration: [{ name: 'public', subnetType: ec2.SubnetType.PUBLIC, cidrMask: 24 }],
        // Avoids the custom-resource Lambda that rewrites the default security group; nothing uses it.
        restrictDefaultSecurityGroup: false,
      });
      vpc.addFlowLog('FlowLogs', {
        destination: ec2.FlowLogDestination.toS3(props.accessLogsBucket, 'vpc-flow-logs/'),
        trafficType: ec2.FlowLogTrafficType.REJECT,
      });
      this.vpc = vpc;
    }

    const securityGroup = new ec2.SecurityGroup(this, 'SecurityGroup', {
      vpc: this.vpc,
      description: 'Clickstream collector load balancer',
      allowAllOutbound: false,
    });
    this.loadBalancer = new elbv2.ApplicationLoadBalancer(this, 'LoadBalancer', {
      vpc: this.vpc,
      internetFacing: true,
      vpcSubnets: { subnetType: ec2.SubnetType.PUBLIC },
      securityGroup,
      dropInvalidHeaderFields: true,
    });
    Validations.of(securityGroup).acknowledge({
      id: 'AwsSolutions-EC23',
      reason:
        'The collector is a public ingestion endpoint: SDKs in browsers and apps anywhere must reach its listener (443, with 80 redirecting to it; 80 alone with allowPlainHttp).',
    });
    this.enableAccessLogs(props.accessLogsBucket);

    // Named, so the function's invoke permission can name it (see ScopedLambdaTarget).
    const targetGroupName = Names.uniqueResourceName(this, { maxLength: 32, separator: '-' });
    this.targetGroup = new elbv2.ApplicationTargetGroup(this, 'Targets', {
      targetType: elbv2.TargetType.LAMBDA,
      targetGroupName,
      targets: [new ScopedLambdaTarget(props.function, targetGroupName)],
    });
    const forward = elbv2.ListenerAction.forward([this.targetGroup]);

    if (props.certificateArn) {
      const action = props.oidc
        ? elbv2.ListenerAction.authenticateOidc({
            issuer: props.oidc.issuer,
            authorizationEndpoint: props.oidc.authorizationEndpoint,
            tokenEndpoint: props.oidc.tokenEndpoint,
            userInfoEndpoint: props.oidc.userInfoEndpoint,
            clientId: props.oidc.clientId,
            clientSecret: SecretValue.secretsManager(props.oidc.clientSecretArn),
            // SDKs cannot follow a login redirect: without a session they get 401 and resend later.
            onUnauthenticatedRequest: elbv2.UnauthenticatedAction.DENY,
            next: forward,
          })
        : forward;
      this.listener = this.loadBalancer.addListener('Https', {
        port: 443,
        protocol: elbv2.ApplicationProtocol.HTTPS,
        certificates: [elbv2.ListenerCertificate.fromArn(props.certificateArn)],
        sslPolicy: elbv2.SslPolicy.RECOMMENDED_TLS,
        defaultAction: action,
      });
      this.loadBalancer.addRedirect({ sourcePort: 80, targetPort: 443 });
    } else {
      this.listener = this.loadBalancer.addListener('Http', {
        port: 80,
        protocol: elbv2.ApplicationProtocol.HTTP,
        defaultAction: forward,
      });
    }

    if (props.domainName && props.hostedZone) {
      new route53.ARecord(this, 'Alias', {
        zone: route53.HostedZone.fromHostedZoneAttributes(this, 'Zone', props.hostedZone),
        recordName: props.domainName,
        target: route53.RecordTarget.fromAlias(new targets.LoadBalancerTarget(this.loadBalancer)),
      });
    }

    const scheme = props.certificateArn ? 'https' : 'http';
    const host = props.domainName ?? this.loadBalancer.loadBalancerDnsName;
    this.collectorUrl = `${scheme}://${host}${path}`;
  }

  /**
   * Grants log delivery on the bucket ourselves rather than with `logAccessLogs`: the library's
   * grant to the log-delivery service (`delivery.logs.amazonaws.com`) carries no source condition,
   * so any account's delivery could write under this prefix; ours names this account and Region.
   * The ELB principal (the Region's ELB account, or ELB's log-delivery service in Regions opened
   * since August 2022) gets no condition: ELB documents none for it, and a condition it does not
   * set would stop log delivery silently. Its grant is limited to `alb/AWSLogs/<this account>/`.
   */
  private enableAccessLogs(bucket: s3.IBucket): void {
    const prefix = 'alb';
    const stack = Stack.of(this);
    const regionKnown = !Token.isUnresolved(stack.region);
    const elbAccount = regionKnown ? RegionInfo.get(stack.region).elbv2Account : undefined;
    if (!regionKnown) {
      Annotations.of(this).addWarningV2(
        'clickstream:albAccessLogsRegion',
        'The stack has no region, so ALB access-log delivery is granted to logdelivery.elasticloadbalancing.amazonaws.com. ' +
          'In Regions older than August 2022 synthesize with -c region=<region> so the Region’s ELB account is granted.',
      );
    }
    this.loadBalancer.setAttribute('access_logs.s3.enabled', 'true');
    this.loadBalancer.setAttribute('access_logs.s3.bucket', bucket.bucketName);
    this.loadBalancer.setAttribute('access_logs.s3.prefix', prefix);
    const logObjects = bucket.arnForObjects(`${prefix}/AWSLogs/${stack.account}/*`);
    const results = [
      bucket.addToResourcePolicy(
        new iam.PolicyStatement({
          actions: ['s3:PutObject'],
          principals: [
            elbAccount
              ? new iam.AccountPrincipal(elbAccount)
              : new iam.ServicePrincipal('logdelivery.elasticloadbalancing.amazonaws.com'),
          ],
          resources: [logObjects],
        }),
      ),
    ];
    if (regionKnown) {
      // What the library grants the log-delivery service as well, limited to deliveries of this
      // account and Region (the conditions AWS documents for that service).
      const fromThisAccount = {
        StringEquals: { 'aws:SourceAccount': stack.account },
        ArnLike: { 'aws:SourceArn': stack.formatArn({ service: 'logs', resource: '*' }) },
      };
      const logDelivery = new iam.ServicePrincipal('delivery.logs.amazonaws.com');
      results.push(
        bucket.addToResourcePolicy(
          new iam.PolicyStatement({
            actions: ['s3:PutObject'],
            principals: [logDelivery],
            resources: [logObjects],
            conditions: {
              ...fromThisAccount,
              StringEquals: { ...fromThisAccount.StringEquals, 's3:x-amz-acl': 'bucket-owner-full-control' },
            },
          }),
        ),
        bucket.addToResourcePolicy(
          new iam.PolicyStatement({
            actions: ['s3:GetBucketAcl'],
            principals: [logDelivery],
            resources: [bucket.bucketArn],
            conditions: fromThisAccount,
          }),
        ),
      );
    }
    // ELB checks that it may write when the attribute is set: the policy must exist first.
    for (const result of results) {
      if (result.policyDependable) this.loadBalancer.node.addDependency(result.policyDependable);
    }
  }
}
