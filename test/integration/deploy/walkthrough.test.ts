import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { API_EXAMPLE } from '../../../local/api-example';
import { type LocalCollector, startLocalCollector } from '../../../local/collector';
import { type LocalTablesLocation, queryLocalTables } from '../../../local/local-tables';
import { DEPLOY_COMMANDS } from '../../support/deploy-commands';
import { tablesOf } from '../../support/local-tables';
import { codeBlocks, subsection } from '../../support/readme';
import { type SsmStandIn, startSsmStandIn } from '../../support/ssm-parameter-stand-in';

/**
 * The README's first deploy, run as written against the local collector instead of AWS. What the
 * test changes, and only that: `./cdk-outputs.json` is a file of the local collector's names (in
 * the shape `cdk deploy --outputs-file` writes), the Kinesis endpoint of AWS is kinesalite's, and
 * SSM is a loopback stand-in. The profile `my-profile` of the README exists in a HOME of the
 * test's own, with keys the emulators accept.
 */

const exec = promisify(execFile);
const REPO_ROOT = fileURLToPath(new URL('../../..', import.meta.url));
const README_OUTPUTS = './cdk-outputs.json';
const README_KINESIS = 'https://kinesis.$AWS_REGION.amazonaws.com';

const LOCAL = DEPLOY_COMMANDS.filter((command) => command.kind === 'local').map((command) => command.text);
const EXPORT = LOCAL.filter((text) => text.startsWith('export '));
const OUTPUT_READS = LOCAL.filter((text) => /^[A-Z_]+=\$\(node -p /.test(text));
const CURL = LOCAL.filter((text) => text.startsWith('curl '));
const TAIL = LOCAL.filter((text) => text.includes('npm run tail'));
const SQL = LOCAL.filter((text) => text.startsWith('SQL='));
const APPS = LOCAL.filter((text) => text.startsWith('npm run apps'));

describe('README: the first deploy, against the local collector', () => {
  let collector: LocalCollector;
  let location: LocalTablesLocation;
  let scratch: string;
  let home: string;
  let outputsFile: string;
  let ssm: SsmStandIn;
  let rid = '';

  /** The environment of a user who ran nothing but the README's `export` line. */
  const userEnv = (extra: Record<string, string> = {}): NodeJS.ProcessEnv => ({
    ...Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith('AWS_'))),
    HOME: home,
    AWS_EC2_METADATA_DISABLED: 'true',
    ...extra,
  });

  /** The README's lines, with the test's outputs file and Kinesis endpoint, as one bash script. */
  const script = (...lines: string[]) =>
    ['set -e', ...EXPORT, ...OUTPUT_READS, ...lines]
      .join('\n')
      .replaceAll(README_OUTPUTS, outputsFile)
      .replaceAll(README_KINESIS, collector.kinesisEndpoint);

  const bash = async (lines: string[], env: NodeJS.ProcessEnv = userEnv()) => {
    try {
      const { stdout, stderr } = await exec('bash', ['-c', script(...lines)], {
        cwd: REPO_ROOT,
        env,
        timeout: 60_000,
      });
      return { code: 0, stdout, stderr };
    } catch (error) {
      const failed = error as { code?: number; stdout?: string; stderr?: string };
      return { code: failed.code ?? 1, stdout: failed.stdout ?? '', stderr: failed.stderr ?? '' };
    }
  };

  beforeAll(async () => {
    scratch = await mkdtemp(join(tmpdir(), 'walkthrough-'));
    home = join(scratch, 'home');
    await mkdir(join(home, '.aws'), { recursive: true });
    // The README's profile, with keys kinesalite and the SSM stand-in take.
    await writeFile(
      join(home, '.aws', 'credentials'),
      '[my-profile]\naws_access_key_id = AKIDWALKTHROUGH\naws_secret_access_key = walkthrough-secret\n',
    );
    collector = await startLocalCollector({
      env: { CLICKSTREAM_APP_IDS: 'my_app' },
      port: 0,
      quiet: true,
      dataDir: join(scratch, 'data'),
    });
    location = tablesOf(collector);
    outputsFile = join(scratch, 'cdk-outputs.json');
    await writeFile(
      outputsFile,
      JSON.stringify({
        ClickstreamCollector: {
          CollectorUrl: `${collector.url}/collect`,
          StreamName: collector.streamName,
          ArchiveBucket: collector.bucket,
          FailedBatchesBucket: 'failed-batches',
        },
      }),
    );
    ssm = await startSsmStandIn({
      'eu-west-1 /clickstream/ClickstreamCollector/app-ids': 'my_app,old_app',
      'eu-west-1 /clickstream/MyCollector/app-ids': 'other_app',
    });
  });

  afterAll(async () => {
    await collector?.stop();
    await ssm?.stop();
    if (scratch !== undefined) await rm(scratch, { recursive: true, force: true });
  });

  it('runs every command of the section that runs without AWS, once each', () => {
    expect([...EXPORT, ...OUTPUT_READS, ...CURL, ...TAIL, ...SQL, ...APPS].sort()).toEqual([...LOCAL].sort());
    expect([EXPORT, CURL, TAIL, SQL].map((group) => group.length)).toEqual([1, 1, 1, 1]);
    expect(OUTPUT_READS.length).toBeGreaterThanOrEqual(4);
    expect(APPS).toHaveLength(4);
  });

  it('step 3: reads the outputs into the shell', async () => {
    const names = OUTPUT_READS.map((text) => text.split('=')[0] ?? '');
    const { stdout } = await bash(names.map((name) => `echo "${name}=$${name}"`));
    expect(stdout).toContain(`COLLECTOR_URL=${collector.url}/collect\n`);
    expect(stdout).toContain(`STREAM_NAME=${collector.streamName}\n`);
    expect(stdout).toContain(`ARCHIVE_BUCKET=${collector.bucket}\n`);
  });

  it("step 4: curl sends the API document's example and gets a 200 with the request id", async () => {
    const { code, stdout, stderr } = await bash(CURL);
    expect(code, stderr).toBe(0);
    expect(stdout).toMatch(/^HTTP\/1\.1 200 /);
    rid = /^x-request-id: ([0-9a-f]{32})\r?$/im.exec(stdout)?.[1] ?? '';
    expect(rid).toMatch(/^[0-9a-f]{32}$/);
    expect(CURL[0]).toContain(`--data '${API_EXAMPLE.body}'`);
  });

  it('step 5: npm run tail, pointed at the stream by AWS_ENDPOINT_URL_KINESIS, shows that request', async () => {
    const shown = codeBlocks(subsection('First deploy, step by step'), '').find((block) =>
      block.includes(' rid='),
    );
    const [recordLine, noteLine] = (shown ?? '').trim().split('\n');
    const tail = startBash(script(...TAIL), userEnv());
    try {
      await tail.waitFor(/\(above: [^)]*\)/);
      const expected = (recordLine ?? '').replace(/^\S+/, '').replace(/rid=[0-9a-f]{32}/, `rid=${rid}`);
      expect(withoutNpmHeader(tail.stdout())).toMatch(new RegExp(`^\\S+Z${escapeRegExp(expected)}\\n$`));
      expect(tail.output()).toContain(noteLine);
      expect(tail.output()).toContain(
        `tailing stream ${collector.streamName} at ${collector.kinesisEndpoint}`,
      );
    } finally {
      await tail.stop();
    }
  });

  it('step 6: the Athena SQL finds both events of the request in the event table (DuckDB, same columns)', async () => {
    // The local archiver writes the tables every second; drain it until the events are there.
    const eventCount = async () =>
      Number((await queryLocalTables('SELECT count(*) AS n FROM event', location)).rows[0]?.n ?? 0);
    for (let round = 0; (await eventCount()) < 2 && round < 50; round += 1) await collector.drainArchive();
    const expected = [
      { event_name: 'button_click', event_id: '460daa08-0717-4385-8f2e-acb5bd019ee7', platform: 'Android' },
      { event_name: 'item_view', event_id: 'c6067c1c-fd8d-4fdb-bfaf-cc1212ca0195', platform: 'Android' },
    ];
    const byName = (rows: readonly Record<string, unknown>[]) =>
      [...rows].sort((a, b) => String(a.event_name).localeCompare(String(b.event_name)));

    const { stdout: cli } = await bash([...SQL, 'printf %s "$SQL"']);
    expect(cli).toContain('FROM clickstream.event ');
    const fromCli = await queryLocalTables(cli.replaceAll('clickstream.', ''), location);
    expect(byName(fromCli.rows)).toEqual(expected);

    const today = new Date().toISOString();
    const consoleQuery = (codeBlocks(subsection('First deploy, step by step'), 'sql')[0] ?? '')
      .replace("partition_year = '2026'", `partition_year = '${today.slice(0, 4)}'`)
      .replace("partition_month = '11'", `partition_month = '${today.slice(5, 7)}'`)
      .replace("partition_day = '28'", `partition_day = '${today.slice(8, 10)}'`);
    const fromConsole = await queryLocalTables(consoleQuery.replaceAll('clickstream.', ''), location);
    expect(byName(fromConsole.rows)).toEqual(expected);
  });

  it('registers and lists apps with npm run apps, on the parameter and in the Region the README says', async () => {
    const env = userEnv({ AWS_ENDPOINT_URL_SSM: ssm.endpoint });
    const results = [];
    for (const command of APPS) results.push(await bash([command], env));
    expect(results.map((result) => result.code)).toEqual([0, 0, 0, 0]);
    const [list, add, remove, other] = results.map((result) => withoutNpmHeader(result.stdout));
    expect(list).toBe('my_app\nold_app\n');
    expect(add).toContain('added new_app (/clickstream/ClickstreamCollector/app-ids)');
    expect(remove).toContain('removed old_app');
    expect(ssm.value('eu-west-1', '/clickstream/ClickstreamCollector/app-ids')).toBe('my_app,new_app');
    expect(other).toBe('other_app\n');
    expect(new Set(ssm.calls.map((call) => call.region))).toEqual(new Set(['eu-west-1']));
    expect(ssm.calls.at(-1)?.name).toBe('/clickstream/MyCollector/app-ids');
  });
});

describe('README: troubleshooting, as the local collector shows it', () => {
  let collector: LocalCollector;
  let scratch: string;

  beforeAll(async () => {
    scratch = await mkdtemp(join(tmpdir(), 'troubleshooting-'));
    collector = await startLocalCollector({
      env: { CLICKSTREAM_APP_IDS: 'my_app' },
      port: 0,
      quiet: true,
      archiver: false,
      dataDir: scratch,
    });
  });

  afterAll(async () => {
    await collector?.stop();
    await rm(scratch, { recursive: true, force: true });
  });

  const shownErrors = () =>
    codeBlocks(subsection('Troubleshooting a deploy'), '')
      .filter((block) => block.startsWith('{"error"'))
      .map((block) => JSON.parse(block) as { error: string });

  const post = (query: string, headers: Record<string, string> = {}) =>
    fetch(`${collector.url}/collect?${query}`, {
      method: 'POST',
      headers: { ...API_EXAMPLE.headers, ...headers },
      body: API_EXAMPLE.body,
    });

  it('answers an unregistered appId, and a page of an origin not listed, with the bodies shown', async () => {
    const shown = shownErrors();
    expect(shown.map((body) => body.error)).toEqual(['app_id_unknown', 'origin_not_allowed']);
    const answers = [
      await post('appId=nope'),
      await post('appId=my_app', { Origin: 'https://www.example.com' }),
    ];
    expect(answers.map((answer) => answer.status)).toEqual([403, 403]);
    const bodies = await Promise.all(answers.map((answer) => answer.json()));
    expect(bodies).toEqual(
      shown.map((body) => ({ ...body, requestId: expect.stringMatching(/^[0-9a-f]{32}$/) })),
    );
  });

  it('has npm run apps name ParameterNotFound when the Region holds no such registry', async () => {
    const ssm = await startSsmStandIn({ 'eu-west-1 /clickstream/ClickstreamCollector/app-ids': 'my_app' });
    try {
      const failed = await exec('npm', ['run', '--silent', 'apps', '--', 'list', '--region', 'us-east-1'], {
        cwd: REPO_ROOT,
        env: credentialsOnly({ AWS_ENDPOINT_URL_SSM: ssm.endpoint }, scratch),
      }).then(
        () => undefined,
        (error: { code?: number; stderr?: string }) => error,
      );
      expect(failed?.code).toBe(1);
      expect(failed?.stderr).toMatch(/^npm run apps: ParameterNotFound/m);
      expect(subsection('Troubleshooting a deploy')).toContain('`npm run apps: ParameterNotFound…`');
    } finally {
      await ssm.stop();
    }
  });

  it('has npm run tail say it waits for a stream that is not there, and what to check', async () => {
    const tail = startBash(
      `AWS_ENDPOINT_URL_KINESIS=${collector.kinesisEndpoint} CLICKSTREAM_STREAM_NAME=no-such-stream npm run tail`,
      credentialsOnly({}, scratch),
    );
    try {
      await tail.waitFor(
        new RegExp(
          `no stream no-such-stream at ${escapeRegExp(collector.kinesisEndpoint)} yet; check the stream name and the region`,
        ),
      );
      expect(subsection('Troubleshooting a deploy').replace(/\s+/g, ' ')).toContain(
        '`no stream <name> at https://kinesis.<region>.amazonaws.com yet; check the stream name and the region`',
      );
    } finally {
      await tail.stop();
    }
  });
});

/** No AWS settings of the machine: only test keys, a HOME without `~/.aws`, and `extra`. */
function credentialsOnly(extra: Record<string, string>, home: string): NodeJS.ProcessEnv {
  return {
    ...Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith('AWS_'))),
    HOME: home,
    AWS_EC2_METADATA_DISABLED: 'true',
    AWS_ACCESS_KEY_ID: 'AKIDWALKTHROUGH',
    AWS_SECRET_ACCESS_KEY: 'walkthrough-secret',
    AWS_REGION: 'eu-west-1',
    ...extra,
  };
}

/** What a script printed, without npm's own header (`> clickstream-collector@0.1.0 tail`, its command). */
function withoutNpmHeader(stdout: string): string {
  return stdout.replace(/^\n?> .*\n> .*\n(\n)?/, '');
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** A long-running bash script in its own process group, so stopping it stops npm and tail too. */
function startBash(text: string, env: NodeJS.ProcessEnv) {
  const child: ChildProcess = spawn('bash', ['-c', text], { cwd: REPO_ROOT, env, detached: true });
  let stdout = '';
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    stdout += chunk.toString('utf8');
    output += chunk.toString('utf8');
  });
  child.stderr?.on('data', (chunk: Buffer) => {
    output += chunk.toString('utf8');
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return {
    stdout: () => stdout,
    output: () => output,
    async waitFor(pattern: RegExp, timeoutMs = 30_000): Promise<void> {
      const deadline = Date.now() + timeoutMs;
      while (!pattern.test(output)) {
        if (Date.now() > deadline || child.exitCode !== null) {
          throw new Error(`no ${pattern} in:\n${output}`);
        }
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    },
    async stop(): Promise<void> {
      if (child.exitCode === null && child.pid !== undefined) process.kill(-child.pid, 'SIGINT');
      await exited;
    },
  };
}
