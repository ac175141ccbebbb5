import { RemovalPolicy, Validations } from 'aws-cdk-lib';
import { AccessLogFormat } from 'aws-cdk-lib/aws-apigateway';
import * as apigw from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import * as acm from 'aws-cdk-lib/aws-certificatemanager';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as route53 from 'aws-cdk-lib/aws-route53';
import * as targets from 'aws-cdk-lib/aws-route53-targets';
import { Construct } from 'constructs';
import { ENDPOINT_SETTINGS } from '../../settings/deployment-settings';
import type { CollectorEndpoint } from './endpoint';

/** A custom domain served with a certificate; the DNS record is created when the hosted zone is given. */
interface CustomDomain {
  readonly domainName: string;
  /** ACM certificate ARN covering domainName (same region as the stack). */
  readonly certificateArn: string;
  /** @default - no DNS record; point the name at the endpoint yourself */
  readonly hostedZone?: { readonly hostedZoneId: string; readonly zoneName: string };
}

export interface HttpApiEndpointProps {
  readonly function: lambda.IFunction;
  /** The path the SDKs POST to (the collectPath setting), e.g. `/collect`. */
  readonly collectPath: string;
  /** Steady-state requests per second of the stage. @default 1000 */
  readonly throttleRateLimit?: number;
  /** Burst of the stage. @default 2000 */
  readonly throttleBurstLimit?: number;
  /** @default - the execute-api URL */
  readonly customDomain?: CustomDomain;
  /** Retention of the access log group. @default logs.RetentionDays.ONE_MONTH */
  readonly logRetention?: logs.RetentionDays;
}

/**
 * An API Gateway HTTP API whose `$default` route sends every request to the function (which answers
 * 404/405/CORS itself), with stage throttling and JSON access logs.
 */
export class HttpApiEndpoint extends Construct implements CollectorEndpoint {
  public readonly api: apigw.HttpApi;
  public readonly stage: apigw.HttpStage;
  public readonly accessLogs: logs.LogGroup;
  public readonly domainName?: apigw.DomainName;
  public readonly collectorUrl: string;

  constructor(scope: Construct, id: string, props: HttpApiEndpointProps) {
    super(scope, id);
    const path = props.collectPath;
    const rateLimit = props.throttleRateLimit ?? ENDPOINT_SETTINGS.httpApiThrottleRate.default;
    const burstLimit = props.throttleBurstLimit ?? ENDPOINT_SETTINGS.httpApiThrottleBurst.default;

    this.api = new apigw.HttpApi(this, 'Api', {
      description: 'Clickstream collector',
      createDefaultStage: false,
      defaultIntegration: new HttpLambdaIntegration('Collector', props.function, {
        payloadFormatVersion: apigw.PayloadFormatVersion.VERSION_2_0,
      }),
      // With a custom domain, clients should use it only.
      disableExecuteApiEndpoint: props.customDomain !== undefined,
    });

    const defaultRoute = this.api.node.tryFindChild('DefaultRoute');
    Validations.of(defaultRoute ?? this.api).acknowledge({
      id: 'AwsSolutions-APIG4',
      reason:
        'Public ingestion endpoint: the Clickstream SDKs sign no requests and cannot use an API Gateway authorizer. The function itself refuses unregistered app IDs (its app registry) and, with authMode=jwt, requests without a valid JWT (Authorization: Bearer or cookie).',
    });

    if (props.customDomain) {
      this.domainName = new apigw.DomainName(this, 'Domain', {
        domainName: props.customDomain.domainName,
        certificate: acm.Certificate.fromCertificateArn(
          this,
          'Certificate',
          props.customDomain.certificateArn,
        ),
        securityPolicy: apigw.SecurityPolicy.TLS_1_2,
      });
      const zone = props.customDomain.hostedZone;
      if (zone) {
        new route53.ARecord(this, 'Alias', {
          zone: route53.HostedZone.fromHostedZoneAttributes(this, 'Zone', zone),
          recordName: props.customDomain.domainName,
          target: route53.RecordTarget.fromAlias(
            new targets.ApiGatewayv2DomainProperties(
              this.domainName.regionalDomainName,
              this.domainName.regionalHostedZoneId,
            ),
          ),
        });
      }
    }

    this.accessLogs = new logs.LogGroup(this, 'AccessLogs', {
      retention: props.logRetention ?? logs.RetentionDays.ONE_MONTH,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    this.stage = new apigw.HttpStage(this, 'Stage', {
      httpApi: this.api,
      stageName: '$default',
      autoDeploy: true,
      throttle: { rateLimit, burstLimit },
      domainMapping: this.domainName ? { domainName: this.domainName } : undefined,
      accessLogSettings: {
        destination: new apigw.LogGroupLogDestination(this.accessLogs),
        format: AccessLogFormat.custom(
          JSON.stringify({
            requestId: '$context.requestId',
            ip: '$context.identity.sourceIp',
            requestTime: '$context.requestTime',
            method: '$context.httpMethod',
            path: '$context.path',
            status: '$context.status',
            responseLength: '$context.responseLength',
            integrationLatency: '$context.integrationLatency',
            integrationError: '$context.integrationErrorMessage',
            userAgent: '$context.identity.userAgent',
          }),
        ),
      },
    });

    const base = props.customDomain ? `https://${props.customDomain.domainName}` : this.api.apiEndpoint;
    this.collectorUrl = `${base}${path}`;
  }
}
