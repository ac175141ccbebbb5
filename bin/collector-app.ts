import { type App, type Environment, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { CollectorStack } from '../lib/collector-stack';
import { parseContext } from './context';

export interface DefaultEnvironment {
  /** What the CDK CLI puts in CDK_DEFAULT_ACCOUNT (needs credentials). */
  readonly account?: string;
  /** What the CDK CLI puts in CDK_DEFAULT_REGION. */
  readonly region?: string;
}

export interface CollectorAppOptions {
  /**
   * Run the cdk-nag AwsSolutions checks at synth (synth fails on any unacknowledged finding).
   * @default true
   */
  readonly nag?: boolean;
}

/**
 * Adds the collector stack, configured from the app's context, to `app`.
 *
 * The stack is environment-agnostic (synth needs no credentials) except:
 * - `vpcId` set: the VPC is looked up, so account and Region must be known (credentials required);
 * - `endpointType=alb`: the Region is pinned (from `-c region` or the CLI's default Region) so ALB
 *   access-log delivery is granted to that Region's ELB account.
 */
export function addCollectorStack(
  app: App,
  defaults: DefaultEnvironment,
  options: CollectorAppOptions = {},
): CollectorStack {
  const settings = parseContext(app.node.getAllContext());
  const { region } = settings.stack;
  let env: Environment | undefined;
  if (settings.endpoint.vpcId) {
    env = { account: defaults.account, region: region ?? defaults.region };
    if (!env.account || !env.region) {
      throw new Error(
        '-c vpcId: looking up an existing VPC needs AWS credentials and a Region (set -c region or AWS_REGION)',
      );
    }
  } else if (region || settings.endpoint.endpointType === 'alb') {
    const pinned = region ?? defaults.region;
    env = pinned ? { region: pinned } : undefined;
  }
  const stack = new CollectorStack(app, settings.stack.stackName, { settings, env });
  if (options.nag ?? true) Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
  return stack;
}
