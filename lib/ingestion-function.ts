import { fileURLToPath } from 'node:url';
import { type CfnResource, Duration, RemovalPolicy } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kinesis from 'aws-cdk-lib/aws-kinesis';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as nodejs from 'aws-cdk-lib/aws-lambda-nodejs';
import * as logs from 'aws-cdk-lib/aws-logs';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { acknowledgeAll, nagArnRef } from './nag';

/** Metric namespace and service dimension of the function's EMF metrics. */
export const METRICS_NAMESPACE = 'Clickstream/Collector';
export const SERVICE_NAME = 'clickstream-collector';

/** Token authentication the function performs itself (CLICKSTREAM_AUTH_*). */
export interface JwtAuthSettings {
  /** Apps that must present a token; `['*']` means every registered app. */
  readonly appIds: readonly string[];
  /** @default 'clickstream_token' */
  readonly cookieName?: string;
  readonly issuer: string;
  readonly audience: readonly string[];
  /** Exactly one of jwksUrl, publicKey, secretArn. */
  readonly jwksUrl?: string;
  readonly publicKey?: string;
  /** Full ARN of a Secrets Manager secret holding the verification key; the function may read only it. */
  readonly secretArn?: string;
  /** @default - the library's defaults for the key type */
  readonly algorithms?: readonly string[];
  /** @default 60 */
  readonly clockSkewSeconds?: number;
  /** Timeout of one JWKS request, in ms. @default 2000 */
  readonly jwksTimeoutMs?: number;
}

export interface IngestionFunctionProps {
  readonly stream: kinesis.IStream;
  readonly bucket: s3.IBucket;
  /** Registered app IDs. */
  readonly appIds: readonly string[];
  /** @default '/collect' */
  readonly collectPath?: string;
  /** Allowed browser origins (exact, or `https://*.example.com`). @default - none */
  readonly corsOrigins?: readonly string[];
  /** @default 'fallback/' */
  readonly fallbackPrefix?: string;
  /** @default 'quarantine/' */
  readonly quarantinePrefix?: string;
  /** Largest Kinesis record the function writes, in bytes. @default 1048576 */
  readonly maxRecordBytes?: number;
  /** Largest accepted request body, in bytes. @default 1048576 */
  readonly maxBodyBytes?: number;
  /** Largest accepted body after gzip decompression, in bytes. @default 8388608 */
  readonly maxDecompressedBytes?: number;
  /** @default 'first-forwarded' */
  readonly ipPolicy?: 'first-forwarded' | 'trusted-hop';
  /** @default 'keep' */
  readonly ipAnonymization?: 'keep' | 'truncate' | 'drop';
  /** @default - no token authentication */
  readonly jwtAuth?: JwtAuthSettings;
  /** @default 512 */
  readonly memorySize?: number;
  /** @default - unreserved */
  readonly reservedConcurrency?: number;
  /** @default Duration.seconds(10) */
  readonly timeout?: Duration;
  /** @default logs.RetentionDays.ONE_MONTH */
  readonly logRetention?: logs.RetentionDays;
  /**
   * Handler source file.
   * @default lambda/handler.ts of this repository
   */
  readonly entry?: string;
}

const MIB = 1024 * 1024;

function checkJwt(auth: JwtAuthSettings): void {
  const sources = [auth.jwksUrl, auth.publicKey, auth.secretArn].filter(
    (value) => value !== undefined && value !== '',
  );
  if (sources.length !== 1) {
    throw new Error('IngestionFunction: jwtAuth needs exactly one of jwksUrl, publicKey or secretArn');
  }
  if (auth.issuer === '') throw new Error('IngestionFunction: jwtAuth.issuer is required');
  if (auth.audience.length === 0) throw new Error('IngestionFunction: jwtAuth.audience is required');
  if (auth.appIds.length === 0)
    throw new Error('IngestionFunction: jwtAuth.appIds is required ("*" for all apps)');
  if (auth.secretArn && !/^arn:aws[\w-]*:secretsmanager:[\w-]+:\d{12}:secret:.+$/.test(auth.secretArn)) {
    throw new Error('IngestionFunction: jwtAuth.secretArn must be a Secrets Manager secret ARN');
  }
}

/**
 * The collector function: the bundled `lambda/handler.ts` (ESM, ARM64, Node 24), its log group, its
 * environment (the `CLICKSTREAM_*` contract of `lambda/config.ts`) and least-privilege permissions:
 * `kinesis:PutRecords` on the stream and `s3:PutObject` under the fallback and quarantine prefixes only.
 */
export class IngestionFunction extends Construct {
  public readonly function: nodejs.NodejsFunction;
  public readonly logGroup: logs.LogGroup;
  public readonly role: iam.Role;

  constructor(scope: Construct, id: string, props: IngestionFunctionProps) {
    super(scope, id);
    const fallbackPrefix = props.fallbackPrefix ?? 'fallback/';
    const quarantinePrefix = props.quarantinePrefix ?? 'quarantine/';
    const maxRecordBytes = props.maxRecordBytes ?? MIB;
    if (props.appIds.length === 0) throw new Error('IngestionFunction: register at least one app ID');
    if (fallbackPrefix === quarantinePrefix) {
      throw new Error('IngestionFunction: fallbackPrefix and quarantinePrefix must differ');
    }
    if (props.reservedConcurrency !== undefined && props.reservedConcurrency < 1) {
      throw new Error(
        'IngestionFunction: reservedConcurrency must be at least 1 (0 would stop all requests)',
      );
    }
    if (props.jwtAuth) checkJwt(props.jwtAuth);

    this.logGroup = new logs.LogGroup(this, 'Logs', {
      retention: props.logRetention ?? logs.RetentionDays.ONE_MONTH,
      removalPolicy: RemovalPolicy.DESTROY,
    });

    // Own role instead of AWSLambdaBasicExecutionRole: log writes to this log group only.
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

    const auth = props.jwtAuth;
    const environment: Record<string, string> = {
      CLICKSTREAM_APP_IDS: props.appIds.join(','),
      CLICKSTREAM_PATH: props.collectPath ?? '/collect',
      CLICKSTREAM_CORS_ORIGINS: (props.corsOrigins ?? []).join(','),
      CLICKSTREAM_STREAM_NAME: props.stream.streamName,
      CLICKSTREAM_ARCHIVE_BUCKET: props.bucket.bucketName,
      CLICKSTREAM_FALLBACK_PREFIX: fallbackPrefix,
      CLICKSTREAM_QUARANTINE_PREFIX: quarantinePrefix,
      CLICKSTREAM_MAX_RECORD_BYTES: String(maxRecordBytes),
      CLICKSTREAM_MAX_BODY_BYTES: String(props.maxBodyBytes ?? MIB),
      CLICKSTREAM_MAX_DECOMPRESSED_BYTES: String(props.maxDecompressedBytes ?? 8 * MIB),
      CLICKSTREAM_IP_POLICY: props.ipPolicy ?? 'first-forwarded',
      CLICKSTREAM_IP_ANONYMIZATION: props.ipAnonymization ?? 'keep',
      CLICKSTREAM_AUTH_MODE: auth ? 'jwt' : 'none',
      POWERTOOLS_SERVICE_NAME: SERVICE_NAME,
      POWERTOOLS_METRICS_NAMESPACE: METRICS_NAMESPACE,
    };
    if (auth) {
      Object.assign(environment, {
        CLICKSTREAM_AUTH_APP_IDS: auth.appIds.join(','),
        CLICKSTREAM_AUTH_COOKIE_NAME: auth.cookieName ?? 'clickstream_token',
        CLICKSTREAM_AUTH_ISSUER: auth.issuer,
        CLICKSTREAM_AUTH_AUDIENCE: auth.audience.join(','),
        CLICKSTREAM_AUTH_JWKS_URL: auth.jwksUrl ?? '',
        CLICKSTREAM_AUTH_PUBLIC_KEY: auth.publicKey ?? '',
        CLICKSTREAM_AUTH_SECRET_ARN: auth.secretArn ?? '',
        CLICKSTREAM_AUTH_ALGORITHMS: (auth.algorithms ?? []).join(','),
        CLICKSTREAM_AUTH_CLOCK_SKEW_SECONDS: String(auth.clockSkewSeconds ?? 60),
        CLICKSTREAM_AUTH_JWKS_TIMEOUT_MS: String(auth.jwksTimeoutMs ?? 2_000),
      });
    }

    this.function = new nodejs.NodejsFunction(this, 'Function', {
      entry: props.entry ?? fileURLToPath(new URL('../lambda/handler.ts', import.meta.url)),
      handler: 'handler',
      runtime: lambda.Runtime.NODEJS_24_X,
      architecture: lambda.Architecture.ARM_64,
      memorySize: props.memorySize ?? 512,
      timeout: props.timeout ?? Duration.seconds(10),
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
      bundling: {
        format: nodejs.OutputFormat.ESM,
        target: 'node22',
        mainFields: ['module', 'main'],
        minify: true,
        sourceMap: true,
        // AWS SDK v3 pieces still call `require`; give the ESM bundle one.
        banner:
          "import { createRequire } from 'node:module'; const require = createRequire(import.meta.url);",
        // Version-pinned bundle: the Kinesis and S3 clients of the request path are bundled. Only the
        // Secrets Manager client, loaded once at cold start and only with a secret-signed auth setup,
        // comes from the Lambda runtime's own SDK: every bundled byte is parsed at each cold start.
        externalModules: ['@aws-sdk/client-secrets-manager'],
        forceDockerBundling: false,
      },
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
    if (auth?.secretArn) {
      this.role.addToPolicy(
        new iam.PolicyStatement({ actions: ['secretsmanager:GetSecretValue'], resources: [auth.secretArn] }),
      );
    }

    const bucketArn = nagArnRef(props.bucket.node.defaultChild as CfnResource);
    acknowledgeAll(
      this.role,
      [
        `AwsSolutions-IAM5[Resource::${bucketArn}/${fallbackPrefix}*]`,
        `AwsSolutions-IAM5[Resource::${bucketArn}/${quarantinePrefix}*]`,
      ],
      'The function writes objects with generated keys, so s3:PutObject is granted under its fallback and quarantine prefixes only.',
    );
  }
}
