import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { contextSettings } from '../../settings/table';
import { awsService, DEPLOY_COMMANDS, DEPLOY_SECTION, NEEDS_AWS } from '../support/deploy-commands';
import { codeBlocks, subsection } from '../support/readme';
import { synthesize } from './support';

/**
 * The README's deploy walkthrough, teardown and troubleshooting, from the CDK's side: every
 * `npx cdk` command runs here as written, offline and without credentials — `cdk synth` to the
 * end, `cdk bootstrap`, `deploy` and `destroy` through the app's synth (context, cdk-nag, bundling)
 * up to the point where the CDK asks AWS for the account — and what the walkthrough says about the
 * stack (context keys, outputs, what is kept) is checked against the template.
 */

const run = promisify(execFile);
const ROOT = new URL('../..', import.meta.url).pathname;
const scratch = mkdtempSync(join(tmpdir(), 'deploy-commands-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/**
 * An environment with no way to credentials: no AWS variables, a HOME without `~/.aws`, no
 * instance metadata. A command that would reach AWS stops at "Unable to resolve AWS account".
 */
function offlineEnvironment(): NodeJS.ProcessEnv {
  const env = Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith('AWS_')));
  return {
    ...env,
    HOME: join(scratch, 'home'),
    AWS_CONFIG_FILE: join(scratch, 'no-config'),
    AWS_SHARED_CREDENTIALS_FILE: join(scratch, 'no-credentials'),
    AWS_EC2_METADATA_DISABLED: 'true',
    CDK_DISABLE_VERSION_CHECK: 'true',
    npm_config_update_notifier: 'false',
  };
}

let outputs = 0;
/** Two CDK runs at a time: each is mostly one core's work (tsx, esbuild), and the machine has two. */
let running = 0;
const waiting: (() => void)[] = [];
async function cdk(args: readonly string[]): Promise<{ code: number; text: string }> {
  while (running >= 2) await new Promise<void>((resolve) => waiting.push(resolve));
  running += 1;
  try {
    return await runCdk(args);
  } finally {
    running -= 1;
    waiting.shift()?.();
  }
}

async function runCdk(args: readonly string[]): Promise<{ code: number; text: string }> {
  outputs += 1;
  try {
    const { stdout, stderr } = await run(
      'npx',
      ['cdk', ...args, '--output', join(scratch, `out-${outputs}`)],
      {
        cwd: ROOT,
        timeout: 240_000,
        env: offlineEnvironment(),
      },
    );
    return { code: 0, text: stdout + stderr };
  } catch (error) {
    const failed = error as { code?: number; stdout?: string; stderr?: string };
    return { code: failed.code ?? 1, text: `${failed.stdout ?? ''}${failed.stderr ?? ''}` };
  }
}

const CDK_COMMANDS = DEPLOY_COMMANDS.filter((command) => command.kind === 'cdk').map(
  (command) => command.text,
);
/** The `-c key=value` pairs of a command. */
const contextOf = (text: string) =>
  [...text.matchAll(/-c ([A-Za-z0-9]+)=(\S+)/g)].map((match) => [match[1] ?? '', match[2] ?? ''] as const);

describe('README "Deploying to AWS": the commands', () => {
  it('are each run by a test, or need AWS for a stated reason', () => {
    expect(DEPLOY_COMMANDS.length).toBeGreaterThan(20);
    for (const command of DEPLOY_COMMANDS.filter((c) => c.kind === 'aws')) {
      expect(NEEDS_AWS[awsService(command.text) ?? ''], command.text).toEqual(expect.any(String));
    }
    expect(CDK_COMMANDS.map((text) => text.split(' ')[2])).toEqual(
      expect.arrayContaining(['bootstrap', 'deploy', 'destroy']),
    );
  });

  it('use only context keys of the settings table, in every command and every sentence', () => {
    const known = new Set(contextSettings().map((setting) => String(setting.context)));
    // (The section's own `-c key=value` names the form, not a key.)
    const used = contextOf(DEPLOY_SECTION)
      .filter(([key, value]) => !(key === 'key' && value.startsWith('value')))
      .map(([key]) => key);
    expect(used.length).toBeGreaterThan(15);
    expect(used.filter((key) => !known.has(key))).toEqual([]);
  });

  it('give every AWS CLI command the variables an earlier command of the section set', () => {
    const defined = new Set<string>(['AWS_REGION', 'AWS_PROFILE']);
    for (const { text } of DEPLOY_COMMANDS) {
      for (const [, name] of text.matchAll(/\$\{?([A-Z_]+)\}?/g)) {
        expect(defined.has(name ?? ''), `${name} in: ${text}`).toBe(true);
      }
      for (const [, name] of text.matchAll(/^([A-Z_]+)=/g)) defined.add(name ?? '');
    }
  });
});

describe.concurrent.each(CDK_COMMANDS)('README: %s', (text) => {
  const args = text.split(/\s+/).slice(2);
  const verb = args[0];

  if (verb === 'synth') {
    it('synthesizes offline, without credentials', async () => {
      const { code, text: printed } = await cdk([...args, '--quiet']);
      expect(code, printed).toBe(0);
    });
    return;
  }

  it('passes the app (context, cdk-nag, bundling) and stops only where AWS is needed', async () => {
    // The CDK would ask before deploying or destroying; a test answers for itself.
    const answered =
      verb === 'destroy' ? ['--force'] : verb === 'deploy' ? ['--require-approval', 'never'] : [];
    const { code, text: printed } = await cdk([...args, ...answered]);
    expect(code).not.toBe(0);
    expect(printed).not.toMatch(/Invalid CDK context|AwsSolutions-|Subprocess exited with error/);
    expect(printed).toContain('Unable to resolve AWS account to use');
  });
});

describe('README troubleshooting: a cdk command without -c appIds', () => {
  it('prints the message the README shows', async () => {
    const shown = codeBlocks(subsection('Troubleshooting a deploy'), '').find((block) =>
      block.startsWith('Invalid CDK context:'),
    );
    expect(shown).toBeDefined();
    const { code, text } = await cdk(['bootstrap']);
    expect(code).not.toBe(0);
    expect(text).toContain((shown ?? '').trim());
  });
});

describe('README: what the walkthrough says about the stack', () => {
  let outputNames: string[];
  let template: ReturnType<typeof synthesize>['template'];

  beforeAll(() => {
    template = synthesize({ appIds: 'my_app' }).template;
    outputNames = Object.keys(template.toJSON().Outputs as Record<string, unknown>);
  });

  it('reads only outputs the stack has, and shows them all', () => {
    const read = [...DEPLOY_SECTION.matchAll(/cdk-outputs\.json'\)\.ClickstreamCollector\.(\w+)/g)].map(
      (match) => match[1],
    );
    expect(read.length).toBeGreaterThanOrEqual(4);
    expect(outputNames).toEqual(expect.arrayContaining(read));
    const printed = codeBlocks(subsection('First deploy, step by step'), '')
      .find((block) => block.startsWith('Outputs:'))
      ?.split('\n')
      .flatMap((line) => /^ClickstreamCollector\.(\w+) = /.exec(line)?.[1] ?? []);
    expect(printed?.sort()).toEqual([...outputNames].sort());
  });

  const retained = (context: Record<string, string>) =>
    Object.entries(
      synthesize({ appIds: 'my_app', ...context }).template.toJSON().Resources as Record<
        string,
        { Type: string; DeletionPolicy?: string }
      >,
    )
      .filter(([, resource]) => resource.DeletionPolicy === 'Retain')
      .map(([id, resource]) => ({ id, type: resource.Type }));

  it('lists in the teardown table exactly what the stack keeps, in every endpoint type', () => {
    const table = subsection('Tearing it all down');
    const listed = [...table.matchAll(/^\| [^|]+ \| `(\w+)…` \|/gm)].map((match) => match[1] ?? '');
    expect(listed).toHaveLength(4);
    const deployments: Record<string, string>[] = [
      {},
      { endpointType: 'http-api' },
      { endpointType: 'alb', allowPlainHttp: 'true' },
    ];
    for (const context of deployments) {
      const kept = retained(context);
      expect(kept.map(({ id }) => listed.find((prefix) => id.startsWith(prefix))).sort()).toEqual(
        [...listed].sort(),
      );
      // What the first teardown command asks CloudFormation for: every kept resource's type.
      const types = [...table.matchAll(/ResourceType=='([\w:]+)'/g)].map((match) => match[1]);
      expect([...new Set(kept.map(({ type }) => type))].sort()).toEqual([...new Set(types)].sort());
    }
    const accessLogs = /starts_with\(LogicalResourceId, '(\w+)'\)/.exec(table)?.[1] ?? '';
    expect(retained({}).filter(({ id }) => id.startsWith(accessLogs))).toHaveLength(1);
  });

  it('keeps nothing with -c destroyOnRemoval=true, and deletes every log group with the stack', () => {
    expect(DEPLOY_SECTION).toContain('-c destroyOnRemoval=true');
    expect(retained({ destroyOnRemoval: 'true' })).toEqual([]);
    const logGroups = Object.values(template.findResources('AWS::Logs::LogGroup')) as {
      DeletionPolicy?: string;
    }[];
    expect(logGroups.length).toBeGreaterThan(0);
    expect(logGroups.every((group) => group.DeletionPolicy === 'Delete')).toBe(true);
  });
});
