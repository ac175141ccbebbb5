import * as z from 'zod/mini';
import { SECRET_ARN } from './auth-settings';
import { choice, flag, formatted, integer, numberChoice, text } from './kinds';

/** Settings only the CDK app reads (context keys): the stack, the stream and the endpoint. */

/** CloudWatch Logs retention periods (aws-logs RetentionDays; 9999 = never expire), as plain numbers. */
export const LOG_RETENTION_DAYS = [
  1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653,
  9999,
] as const;

export const STACK_SETTINGS = {
  stackName: text({
    scope: 'stack',
    context: 'stackName',
    default: 'ClickstreamCollector',
    pattern: /^[A-Za-z][A-Za-z0-9-]{0,127}$/,
    patternMessage: 'must be a CloudFormation stack name',
    doc: 'CloudFormation stack name (deploy several collectors with different names)',
  }),
  region: text({
    scope: 'stack',
    context: 'region',
    pattern: /^[a-z]{2}(-[a-z]+)+-\d$/,
    patternMessage: 'must be an AWS Region such as us-east-1',
    defaultText: 'CLI default',
    doc: 'pin the Region (needed for `alb` in Regions older than Aug 2022, and with `vpcId`)',
  }),
  alarms: flag({ scope: 'stack', context: 'alarms', default: true, doc: 'create the alarms' }),
  alarmEmail: formatted({
    scope: 'stack',
    context: 'alarmEmail',
    format: z.email('must be an e-mail address'),
    defaultText: 'none',
    doc: 'e-mail subscribed to the alarm topic (confirm the subscription e-mail)',
  }),
  logRetentionDays: numberChoice({
    scope: 'stack',
    context: 'logRetentionDays',
    values: LOG_RETENTION_DAYS,
    default: 30,
    doc: "retention of the collector's, the archive consumer's and the access log groups, in days (9999: never expire)",
  }),
  reservedConcurrency: integer({
    scope: 'stack',
    context: 'reservedConcurrency',
    min: 1,
    max: 100_000,
    defaultText: 'unreserved',
    doc: "cap the function's concurrency (protects the account's other functions)",
  }),
  // 256 MB holds every worst-case body of `npm run bench` (peak about 200 MiB) and halves the
  // duration bill of 512 MB: a request's billed time is mostly the wait for Kinesis, which more
  // memory does not shorten. A cold start takes longer on less CPU (about 0.5 s against 0.25 s).
  lambdaMemoryMb: integer({
    scope: 'stack',
    context: 'lambdaMemoryMb',
    default: 256,
    min: 128,
    max: 10_240,
    doc: 'function memory (also scales its CPU)',
  }),
  // A request may spend the Kinesis retry budget (2.5 s) plus two S3 fallback attempts (2 s each)
  // before it can answer 503: a shorter timeout would cut that path off. The default adds room for
  // the slowest worst-case body (about 0.65 s of a full core: some 4.5 s on a 256 MB function's
  // share of one), so even that body meets an outage with a 503, not a timeout.
  lambdaTimeoutSeconds: integer({
    scope: 'stack',
    context: 'lambdaTimeoutSeconds',
    default: 15,
    min: 8,
    max: 60,
    doc: 'function timeout (at least 8: room for the Kinesis retry budget and the S3 fallback)',
  }),
  destroyOnRemoval: flag({
    scope: 'stack',
    context: 'destroyOnRemoval',
    default: false,
    doc: 'delete the stream and buckets with the stack (for trials)',
  }),
};

const streamMode = choice({
  scope: 'stack',
  context: 'streamMode',
  values: ['on-demand', 'provisioned'],
  default: 'on-demand',
  doc: 'Kinesis capacity mode',
});

export const STREAM_SETTINGS = {
  streamMode,
  shardCount: integer({
    scope: 'stack',
    context: 'shardCount',
    default: 1,
    min: 1,
    max: 10_000,
    onlyWith: { setting: () => streamMode, values: ['provisioned'] },
    doc: 'shards of a provisioned stream',
  }),
  streamRetentionHours: integer({
    scope: 'stack',
    context: 'streamRetentionHours',
    default: 24,
    min: 24,
    max: 8_760,
    doc: 'how long records stay readable in the stream',
  }),
};

const endpointType = choice({
  scope: 'stack',
  context: 'endpointType',
  values: ['function-url', 'http-api', 'alb'],
  default: 'function-url',
  doc: 'the front door: a Lambda function URL, an API Gateway HTTP API or an Application Load Balancer',
});
const withDomain = { setting: () => endpointType, values: ['http-api', 'alb'] } as const;
const albOnly = { setting: () => endpointType, values: ['alb'] } as const;
const httpApiOnly = { setting: () => endpointType, values: ['http-api'] } as const;
const DNS_NAME = 'must be a DNS name';

const oidcUrl = (key: string, doc: string) =>
  formatted({
    scope: 'stack',
    context: key,
    format: z.url({ protocol: /^https?$/ }),
    onlyWith: albOnly,
    doc,
  });

export const ENDPOINT_SETTINGS = {
  endpointType,
  domainName: formatted({
    scope: 'stack',
    context: 'domainName',
    format: z.hostname(DNS_NAME),
    onlyWith: withDomain,
    defaultText: 'none',
    doc: 'custom domain name (needs `certificateArn`)',
  }),
  certificateArn: text({
    scope: 'stack',
    context: 'certificateArn',
    pattern: /^arn:aws[\w-]*:acm:[a-z0-9-]+:\d{12}:certificate\/[\w-]+$/,
    patternMessage: 'must be an ACM certificate ARN',
    onlyWith: withDomain,
    defaultText: 'none',
    doc: "ACM certificate for the custom domain or the ALB's HTTPS listener, in the stack's Region",
  }),
  allowPlainHttp: flag({
    scope: 'stack',
    context: 'allowPlainHttp',
    default: false,
    onlyWith: albOnly,
    doc: 'let an `alb` without `certificateArn` serve plain HTTP: tokens, cookies and events would cross the internet unencrypted, so synth refuses it unless this is `true`',
  }),
  hostedZoneId: text({
    scope: 'stack',
    context: 'hostedZoneId',
    pattern: /^Z[A-Z0-9]{4,32}$/,
    patternMessage: 'must be a Route 53 hosted zone ID',
    onlyWith: withDomain,
    defaultText: 'none',
    doc: 'create an alias record for `domainName` in this Route 53 zone (with `hostedZoneName`)',
  }),
  hostedZoneName: formatted({
    scope: 'stack',
    context: 'hostedZoneName',
    format: z.hostname(DNS_NAME),
    onlyWith: withDomain,
    defaultText: 'none',
    doc: 'the name of that zone (with `hostedZoneId`)',
  }),
  httpApiThrottleRate: integer({
    scope: 'stack',
    context: 'httpApiThrottleRate',
    default: 1_000,
    min: 1,
    max: 1_000_000,
    onlyWith: httpApiOnly,
    doc: 'HTTP API stage throttling, steady requests/s',
  }),
  httpApiThrottleBurst: integer({
    scope: 'stack',
    context: 'httpApiThrottleBurst',
    default: 2_000,
    min: 1,
    max: 1_000_000,
    onlyWith: httpApiOnly,
    doc: 'HTTP API stage throttling, burst',
  }),
  vpcId: text({
    scope: 'stack',
    context: 'vpcId',
    pattern: /^vpc-[0-9a-f]{8,17}$/,
    patternMessage: 'must be a VPC ID',
    onlyWith: albOnly,
    defaultText: 'new VPC',
    doc: 'existing VPC with public subnets for the ALB (needs credentials at synth)',
  }),
  albOidcIssuer: oidcUrl(
    'albOidcIssuer',
    'ALB OIDC authentication: the issuer (all six `albOidc*` keys together; needs `certificateArn`); unauthenticated requests get 401',
  ),
  albOidcAuthorizationEndpoint: oidcUrl('albOidcAuthorizationEndpoint', 'ALB OIDC: authorization endpoint'),
  albOidcTokenEndpoint: oidcUrl('albOidcTokenEndpoint', 'ALB OIDC: token endpoint'),
  albOidcUserInfoEndpoint: oidcUrl('albOidcUserInfoEndpoint', 'ALB OIDC: user info endpoint'),
  albOidcClientId: text({
    scope: 'stack',
    context: 'albOidcClientId',
    onlyWith: albOnly,
    doc: 'ALB OIDC: client ID',
  }),
  albOidcClientSecretArn: text({
    scope: 'stack',
    context: 'albOidcClientSecretArn',
    pattern: SECRET_ARN,
    patternMessage: 'must be a Secrets Manager secret ARN',
    onlyWith: albOnly,
    doc: 'ALB OIDC: Secrets Manager secret (full ARN) whose SecretString is the client secret',
  }),
};
