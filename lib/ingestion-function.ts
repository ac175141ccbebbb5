import { fileURLToPath } from 'node:url';
import { type CfnResource, Duration, RemovalPolicy } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kinesis from 'aws-cdk-lib/aws-kinesis';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as nodejs from 'aws-cdk-lib/aws-lambda-nodejs';
import * as logs from 'aws-cdk-lib/aws-logs';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { METRICS_NAMESPACE, SERVICE_NAME } from '../lambda/observability/telemetry';
import { COLLECTOR_SETTINGS } from '../settings/collector-settings';
import { STACK_SETTINGS } from '../settings/deployment-settings';
import { functionEnvironment } from '../settings/lambda-environment';
import type { FunctionSettings } from '../settings/table';
import type { AppRegistry } from './app-registry';
import { functionBundling } from './function-bundling';
import { acknowledgeAll, nagArnRef } from './nag';

export interface IngestionFunctionProps {
  readonly stream: kinesis.IStream;
  readonly bucket: s3.IBucket;
  /**
   * The function's settings (the table's `collector` and `auth` groups), as `parseContext` yields
   * them; each becomes its `CLICKSTREAM_*` variable.
   */
  readonly settings: FunctionSettings;
  /** The registry the function reads its apps from (instead of the fixed `appIds`). */
  readonly appRegistry: AppRegistry;
  /** @default 256 (the lambdaMemoryMb setting's default) */
  readonly memorySize?: number;
  /** @default - unreserved */
  readonly reservedConcurrency?: number;
  /** @default 10 seconds (the lambdaTimeoutSeconds setting's default) */
  readonly timeout?: Duration;
  /** @default 30 days (the logRetentionDays setting's default) */
  readonly logRetention?: logs.RetentionDays;
  /**
   * Handler source file.
   * @default lambda/handler.ts of this repository
   */
  readonly entry?: string;
}

/**
 * The collector function: the bundled `lambda/handler.ts` (ESM, ARM64, Node 24), its log group, its
 * environment (the `CLICKSTREAM_*` contract of `lambda/config.ts`) and least-privilege permissions:
 * `kinesis:PutRecords` on the stream, `s3:PutObject` under the fallback and quarantine prefixes only, and
 * `ssm:GetParameter` on its app registry parameter.
 */
export class IngestionFunction extends Construct {
  public readonly function: nodejs.NodejsFunction;
  public readonly logGroup: logs.LogGroup;
  public readonly role: iam.Role;

  constructor(scope: Construct, id: string, props: IngestionFunctionProps) {
    super(scope, id);
    const { fallbackPrefix, quarantinePrefix } = props.settings.collector;
    const secretArn = props.settings.auth.mode === 'jwt' ? props.settings.auth.secretArn : undefined;

    this.logGroup = new logs.LogGroup(this, 'Logs', {
      retention: props.logRetention ?? STACK_SETTINGS.logRetentionDays.default,
      removalPolicy: RemovalPolicy.DESTROY,
    });

    // Own role instead of AWSLambdaBasicExecutionRole: log writes to this log group only.
    // The trust names Lambda without aws:SourceAccount or aws:SourceArn: AWS documents no such
    // condition for execution roles, no other account can pass this role to its function
    // (iam:PassRole), and a condition Lambda does not set would lock the function out of its role.
    this.role = new iam.Role(this, 'Role', {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: 'Clickstream collector function',
    });
    this.role.addToPolicy(
      new iam.PolicyStatement({
        actions: ['logs:CreateLogStream', 'logs:PutLogEvents'],
        resources: [this.logGroup.logGroupArn],
      }),
    );

    const environment: Record<string, string> = {
      ...functionEnvironment(props.settings),
      [COLLECTOR_SETTINGS.streamName.env]: props.stream.streamName,
      [COLLECTOR_SETTINGS.bucket.env]: props.bucket.bucketName,
      [COLLECTOR_SETTINGS.appRegistryParameter.env]: props.appRegistry.parameter.parameterName,
      POWERTOOLS_SERVICE_NAME: SERVICE_NAME,
      POWERTOOLS_METRICS_NAMESPACE: METRICS_NAMESPACE,
    };

    this.function = new nodejs.NodejsFunction(this, 'Function', {
      entry: props.entry ?? fileURLToPath(new URL('../lambda/handler.ts', import.meta.url)),
      handler: 'handler',
      runtime: lambda.Runtime.NODEJS_24_X,
      architecture: lambda.Architecture.ARM_64,
      memorySize: props.memorySize ?? STACK_SETTINGS.lambdaMemoryMb.default,
      timeout: props.timeout ?? Duration.seconds(STACK_SETTINGS.lambdaTimeoutSeconds.default),
      reservedConcurrentExecutions: props.reservedConcurrency,
      role: this.role,
      logGroup: this.logGroup,
      // JSON logs let Lambda drop its own START/END/REPORT lines (system level WARN): at high request
      // rates those lines alone would cost more in CloudWatch Logs than the function's compute.
      loggingFormat: lambda.LoggingFormat.JSON,
      systemLogLevelV2: lambda.SystemLogLevel.WARN,
      applicationLogLevelV2: lambda.ApplicationLogLevel.INFO,
      environment,
      description: 'Clickstream collector: validates requests and writes records to Kinesis',
      projectRoot: fileURLToPath(new URL('..', import.meta.url)),
      depsLockFilePath: fileURLToPath(new URL('../package-lock.json', import.meta.url)),
      bundling: functionBundling('collector'),
    });

    // PutRecords, plus DescribeStreamSummary for `GET /health?deep=1`; the function never reads the stream.
    props.stream.grant(this.role, 'kinesis:PutRecords', 'kinesis:DescribeStreamSummary');
    this.role.addToPolicy(
      new iam.PolicyStatement({
        actions: ['s3:PutObject'],
        resources: [
          props.bucket.arnForObjects(`${fallbackPrefix}*`),
          props.bucket.arnForObjects(`${quarantinePrefix}*`),
        ],
      }),
    );
    props.appRegistry.grantRead(this.role);
    if (secretArn) {
      this.role.addToPolicy(
        new iam.PolicyStatement({ actions: ['secretsmanager:GetSecretValue'], resources: [secretArn] }),
      );
    }

    const bucketArn = nagArnRef(props.bucket.node.defaultChild as CfnResource);
    acknowledgeAll(
      this.role,
      [
        `AwsSolutions-IAM5[Resource::${bucketArn}/${fallbackPrefix}*]`,
        `AwsSolutions-IAM5[Resource::${bucketArn}/${quarantinePrefix}*]`,
      ],
      'Fallback and quarantine keys hold the date partition and the request ID, known only per request, so s3:PutObject is granted under those two prefixes only: never the archive or table prefixes, and no read, list or delete.',
    );
  }
}
