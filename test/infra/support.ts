import { readFileSync } from 'node:fs';
import { App, Validations } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { BUNDLING_STACKS } from 'aws-cdk-lib/cx-api';
import type { IConstruct } from 'constructs';
import { vi } from 'vitest';
import { addCollectorStack } from '../../bin/collector-app';
import type { CollectorStack } from '../../lib/collector-stack';

export const CERTIFICATE_ARN =
  'arn:aws:acm:eu-west-1:123456789012:certificate/11111111-2222-3333-4444-555555555555';
export const OIDC_SECRET_ARN = 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:oidc-client-AbCdEf';
export const JWT_SECRET_ARN = 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:jwt-key-GhIjKl';

const OIDC_CONTEXT = {
  albOidcIssuer: 'https://idp.example.com',
  albOidcAuthorizationEndpoint: 'https://idp.example.com/authorize',
  albOidcTokenEndpoint: 'https://idp.example.com/token',
  albOidcUserInfoEndpoint: 'https://idp.example.com/userinfo',
  albOidcClientId: 'collector',
  albOidcClientSecretArn: OIDC_SECRET_ARN,
};

/** The deployments the infra tests synthesize (each bundles the handler once). */
export const CONFIGURATIONS = {
  functionUrl: { appIds: 'shop_web,shop_app', corsOrigins: 'https://www.example.com,https://*.example.org' },
  provisioned: {
    appIds: 'shop_web',
    streamMode: 'provisioned',
    shardCount: '3',
    maxRecordBytes: String(2 * 1024 * 1024),
    alarmEmail: 'ops@example.com',
    authMode: 'jwt',
    authIssuer: 'https://issuer.example.com',
    authAudience: 'clickstream',
    authSecretArn: JWT_SECRET_ARN,
    authJwksTimeoutMs: '1500',
    reservedConcurrency: '50',
    lambdaMemoryMb: '1024',
    logRetentionDays: '90',
  },
  httpApi: {
    appIds: 'shop_web',
    endpointType: 'http-api',
    domainName: 'collect.example.com',
    certificateArn: CERTIFICATE_ARN,
    hostedZoneId: 'Z0123456789ABCDEFGHIJ',
    hostedZoneName: 'example.com',
    httpApiThrottleRate: '500',
    httpApiThrottleBurst: '800',
  },
  alb: {
    appIds: 'shop_web',
    endpointType: 'alb',
    region: 'eu-west-1',
    domainName: 'collect.example.com',
    certificateArn: CERTIFICATE_ARN,
    hostedZoneId: 'Z0123456789ABCDEFGHIJ',
    hostedZoneName: 'example.com',
    ...OIDC_CONTEXT,
  },
  albPlain: { appIds: 'shop_web', endpointType: 'alb', allowPlainHttp: 'true' },
} satisfies Record<string, Record<string, string>>;

export type ConfigurationName = keyof typeof CONFIGURATIONS;

export interface Synthesized {
  readonly app: App;
  readonly stack: CollectorStack;
  readonly template: Template;
  /** What synth printed (its validation report: warnings, errors), one entry per console call. */
  readonly synthOutput: readonly string[];
}

/** The context of cdk.json (the CDK feature flags), which the CLI hands every synth. */
const CDK_JSON_CONTEXT: Readonly<Record<string, unknown>> = JSON.parse(
  readFileSync(new URL('../../cdk.json', import.meta.url), 'utf8'),
).context;

/** Context that skips bundling the handler, as `cdk synth` does for stacks it does not deploy. */
export const WITHOUT_BUNDLING: Readonly<Record<string, unknown>> = { [BUNDLING_STACKS]: [] };

/** Runs `synth` and returns what it printed through the console instead of printing it. */
function capturingConsole<T>(synth: () => T): { result: T; output: string[] } {
  const output: string[] = [];
  const capture = (...args: unknown[]) => {
    output.push(args.map(String).join(' '));
  };
  const spies = (['log', 'info', 'warn', 'error'] as const).map((method) =>
    vi.spyOn(console, method).mockImplementation(capture),
  );
  try {
    return { result: synth(), output };
  } finally {
    for (const spy of spies) spy.mockRestore();
  }
}

/**
 * Builds the app exactly as `cdk synth` runs `bin/app.ts`: cdk.json's context, then the given keys
 * (as `-c` would), without credentials. The handler is bundled only with `bundle: true` (as
 * `cdk synth` skips the stacks it does not deploy): a template does not depend on the bundle, and
 * handler-bundle.test.ts and cdk-cli.test.ts bundle it for real. What synth prints is returned
 * in `synthOutput` for the tests to judge, not left in the test run's output.
 */
export function synthesize(
  context: Record<string, string>,
  options: { nag?: boolean; bundle?: boolean } = {},
): Synthesized {
  const bundling = options.bundle === true ? {} : WITHOUT_BUNDLING;
  const app = new App({ context: { ...CDK_JSON_CONTEXT, ...bundling, ...context } });
  const stack = addCollectorStack(app, {}, { nag: options.nag ?? false });
  const { result: template, output } = capturingConsole(() => Template.fromStack(stack));
  return { app, stack, template, synthOutput: output };
}

/** Every `Validations.acknowledge` in the tree: rule ID and reason. */
export function acknowledgements(root: IConstruct): { path: string; id: string; reason: unknown }[] {
  const found: { path: string; id: string; reason: unknown }[] = [];
  const visit = (node: IConstruct) => {
    for (const entry of node.node.metadata) {
      if (entry.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY && entry.data) {
        for (const [id, reason] of Object.entries(entry.data as Record<string, unknown>)) {
          found.push({ path: node.node.path, id, reason });
        }
      }
    }
    for (const child of node.node.children) visit(child);
  };
  visit(root);
  return found;
}

export interface PolicyStatement {
  readonly Effect?: string;
  readonly Action: string | string[];
  readonly Resource: unknown;
  readonly Condition?: unknown;
}

/** All statements of the policies attached to the role of the function whose logical ID starts with `prefix`. */
export function roleStatements(template: Template, prefix: string): PolicyStatement[] {
  const functions = template.findResources('AWS::Lambda::Function');
  const entry = Object.entries(functions).find(([id]) => id.startsWith(prefix));
  if (entry === undefined) throw new Error(`no function ${prefix}* in the template`);
  const fn = entry[1] as { Properties: { Role: { 'Fn::GetAtt': [string, string] } } };
  const roleId = fn.Properties.Role['Fn::GetAtt'][0];
  const policies = template.findResources('AWS::IAM::Policy', { Properties: { Roles: [{ Ref: roleId }] } });
  return Object.values(policies).flatMap(
    (policy) =>
      (policy as { Properties: { PolicyDocument: { Statement: PolicyStatement[] } } }).Properties
        .PolicyDocument.Statement,
  );
}
