import { GetParameterCommand, PutParameterCommand, type SSMClient } from '@aws-sdk/client-ssm';
import { APP_ID_PATTERN, APP_ID_RULE, parseAppIdList } from '../../lambda/core/app-ids';
import { registryParameterName } from '../../settings/collector-settings';

/**
 * `npm run apps`: lists, adds or removes the registered apps of a deployed collector by changing
 * its registry parameter (the function reads it within its cache time, no deploy needed). The same
 * ID rule as the function; every change prints the list before and after.
 */

export const USAGE = `Usage: npm run apps -- <list | add ID | remove ID> [--stack NAME] [--parameter NAME] [--region R]

  list          print the registered app IDs
  add ID        register an app (letters, digits, "_" and "-")
  remove ID     unregister an app
  --stack NAME      the collector's stack name (default ClickstreamCollector)
  --parameter NAME  the registry parameter itself (default /clickstream/<stack>/app-ids)
  --region R        the stack's Region (default: your AWS configuration)`;

export class AppsArgsError extends Error {
  override readonly name = 'AppsArgsError';
}

type AppsAction = { readonly kind: 'list' } | { readonly kind: 'add' | 'remove'; readonly appId: string };

export interface AppsOptions {
  readonly action: AppsAction;
  readonly parameterName: string;
  readonly region: string | undefined;
}

export function parseAppsArgs(argv: readonly string[]): AppsOptions {
  const positional: string[] = [];
  const flags = new Map<string, string>();
  for (let index = 0; index < argv.length; index += 1) {
    const arg = argv[index] ?? '';
    if (!arg.startsWith('--')) {
      positional.push(arg);
      continue;
    }
    const value = argv[index + 1];
    if (!['--stack', '--parameter', '--region'].includes(arg))
      throw new AppsArgsError(`unknown option ${arg}`);
    if (value === undefined || value.startsWith('--')) throw new AppsArgsError(`${arg} needs a value`);
    flags.set(arg, value);
    index += 1;
  }
  const [command, appId, extra] = positional;
  if (extra !== undefined) throw new AppsArgsError(`unexpected argument "${extra}"`);
  let action: AppsAction;
  if (command === 'list' && appId === undefined) action = { kind: 'list' };
  else if ((command === 'add' || command === 'remove') && appId !== undefined) {
    if (!APP_ID_PATTERN.test(appId)) throw new AppsArgsError(`"${appId}": ${APP_ID_RULE}`);
    action = { kind: command, appId };
  } else
    throw new AppsArgsError(
      command === undefined ? 'a command is required' : `cannot read "${positional.join(' ')}"`,
    );
  return {
    action,
    parameterName:
      flags.get('--parameter') ?? registryParameterName(flags.get('--stack') ?? 'ClickstreamCollector'),
    region: flags.get('--region'),
  };
}

/** Runs one command against the parameter; returns the lines to print. */
export async function runAppsCommand(ssm: SSMClient, options: AppsOptions): Promise<string[]> {
  const current = await ssm.send(new GetParameterCommand({ Name: options.parameterName }));
  const before = parseAppIdList(current.Parameter?.Value ?? '');
  const { action } = options;
  if (action.kind === 'list') return before.length === 0 ? ['(no apps registered)'] : before;

  const registered = before.includes(action.appId);
  if ((action.kind === 'add') === registered) {
    return [
      `${action.appId} is ${registered ? 'already' : 'not'} registered; nothing changed: ${before.join(', ')}`,
    ];
  }
  const after =
    action.kind === 'add' ? [...before, action.appId] : before.filter((id) => id !== action.appId);
  if (after.length === 0) return [`refusing to remove ${action.appId}: it is the last registered app`];
  await ssm.send(
    new PutParameterCommand({
      Name: options.parameterName,
      Value: after.join(','),
      Type: 'String',
      Overwrite: true,
    }),
  );
  return [
    `${action.kind === 'add' ? 'added' : 'removed'} ${action.appId} (${options.parameterName})`,
    `  before: ${before.join(', ')}`,
    `  after:  ${after.join(', ')}`,
    'The collector picks the change up within its registry cache time (60 s by default).',
  ];
}
