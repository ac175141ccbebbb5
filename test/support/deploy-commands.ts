import { codeBlocks, commands, section } from './readme';

/**
 * The shell commands of the README's "Deploying to AWS" section, each with who runs it:
 * - `cdk`: test/infra/deploy-commands.test.ts, offline and without credentials;
 * - `local`: test/integration/deploy/walkthrough.test.ts, against the local collector, kinesalite,
 *   DuckDB and a stand-in for SSM;
 * - `aws`: the AWS CLI against a real account, which no test here has; checked for its names only.
 */

type DeployCommandKind = 'cdk' | 'local' | 'aws';

export interface DeployCommand {
  readonly text: string;
  readonly kind: DeployCommandKind;
}

export const DEPLOY_SECTION = section('Deploying to AWS');

/** Why each AWS CLI service the section uses cannot run here. */
export const NEEDS_AWS: Readonly<Record<string, string>> = {
  athena: 'Athena runs queries only in AWS; the same SQL runs in DuckDB over the local tables',
  cloudformation: 'reads the resources of a deployed stack',
  kinesis: 'deletes the deployed stream',
  s3: 'deletes the deployed buckets',
  ssm: 'writes the deployed registry parameter; npm run apps does the same against the SSM stand-in',
};

function kindOf(text: string): DeployCommandKind {
  if (text.startsWith('npx cdk ')) return 'cdk';
  if (/(^|\$\()aws /.test(text)) return 'aws';
  return 'local';
}

/** Every command of the section's bash blocks, in order. */
export const DEPLOY_COMMANDS: readonly DeployCommand[] = codeBlocks(DEPLOY_SECTION, 'bash')
  .flatMap(commands)
  .map((text) => ({ text, kind: kindOf(text) }));

/** The AWS CLI service a command calls (`aws athena …` → `athena`). */
export function awsService(text: string): string | undefined {
  return /(?:^|\$\()aws ([a-z0-9-]+)/.exec(text)?.[1];
}
