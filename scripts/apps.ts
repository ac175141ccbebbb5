import { SSMClient } from '@aws-sdk/client-ssm';
import { quietSdkNodeVersionNotice } from '../local/local-config';
import { AppsArgsError, parseAppsArgs, runAppsCommand, USAGE } from './apps/registry-command';

/** `npm run apps -- list | add ID | remove ID`, with the operator's AWS credentials. */
async function main(): Promise<void> {
  quietSdkNodeVersionNotice();
  let options: ReturnType<typeof parseAppsArgs>;
  try {
    options = parseAppsArgs(process.argv.slice(2));
  } catch (error) {
    if (!(error instanceof AppsArgsError)) throw error;
    console.error(`npm run apps: ${error.message}\n\n${USAGE}`);
    process.exit(2);
  }
  const ssm = new SSMClient(options.region === undefined ? {} : { region: options.region });
  try {
    for (const line of await runAppsCommand(ssm, options)) console.log(line);
  } finally {
    ssm.destroy();
  }
}

main().catch((error: unknown) => {
  console.error(
    `npm run apps: ${error instanceof Error ? `${error.name}: ${error.message}` : String(error)}`,
  );
  process.exit(1);
});
