import { execFile } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import type { Template } from 'aws-cdk-lib/assertions';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { COLLECTOR_BUNDLING } from '../../lib/function-bundling';
import { type Emulators, startEmulators } from '../../local/emulators';
import { kinesisStreamEvent } from '../support/kinesis-events';
import { lambdaEvent } from '../support/lambda-events';
import { sinkRecordBytes } from '../support/sink-records';
import { readObjects, readStream } from '../support/stream-reader';
import { CONFIGURATIONS, synthesize } from './support';

const run = promisify(execFile);
const STREAM = 'bundle-test-stream';
const BUCKET = 'bundle-test-bucket';

interface FunctionResource {
  readonly Properties: {
    readonly Code: { readonly S3Key: string };
    readonly Environment: { readonly Variables: Record<string, unknown> };
  };
}

/** The function whose logical ID starts with `prefix`. */
function functionOf(template: Template, prefix: string): FunctionResource {
  const entry = Object.entries(template.findResources('AWS::Lambda::Function')).find(([id]) =>
    id.startsWith(prefix),
  );
  expect(entry, prefix).toBeDefined();
  return entry?.[1] as FunctionResource;
}

/** Directory of a function's asset in the synthesized cloud assembly (what `cdk deploy` would upload). */
function functionAssetDirectory(assemblyDir: string, artifactId: string, fn: FunctionResource): string {
  const manifest = JSON.parse(readFileSync(join(assemblyDir, `${artifactId}.assets.json`), 'utf8')) as {
    files: Record<string, { source: { path: string; packaging?: string } }>;
  };
  const hash = fn.Properties.Code.S3Key.replace(/\.zip$/, '');
  const file = manifest.files[hash];
  expect(file?.source.packaging).toBe('zip');
  const dir = join(assemblyDir, file?.source.path ?? '');
  expect(existsSync(join(dir, 'index.mjs'))).toBe(true);
  return dir;
}

/** The deployed environment of a function, its string values only (references are replaced by the test). */
function stringVariables(fn: FunctionResource, overrides: Record<string, string>): Record<string, string> {
  return Object.fromEntries(
    Object.entries({ ...fn.Properties.Environment.Variables, ...overrides }).filter(
      (entry): entry is [string, string] => typeof entry[1] === 'string',
    ),
  );
}

// Runs in a plain `node` process: imports the bundle and calls its handler once.
const RUNNER = `
const [bundle, eventJson] = process.argv.slice(1);
const { handler } = await import(bundle);
const context = {
  callbackWaitsForEmptyEventLoop: true, functionName: 'clickstream', functionVersion: '$LATEST',
  invokedFunctionArn: 'arn:aws:lambda:us-east-1:123456789012:function:clickstream', memoryLimitInMB: '512',
  awsRequestId: 'b0d0e0f0-0000-4000-8000-000000000001', logGroupName: 'g', logStreamName: 's',
  getRemainingTimeInMillis: () => 10000, done() {}, fail() {}, succeed() {},
};
const result = await handler(JSON.parse(eventJson), context);
process.stdout.write('\\nRESULT ' + JSON.stringify(result) + '\\n');
process.exit(0);
`;

// Runs in a plain `node` process: imports the consumer bundle and hands it one Kinesis batch.
const CONSUMER_RUNNER = `
const [bundle, eventJson] = process.argv.slice(1);
const { handler } = await import(bundle);
const result = await handler(JSON.parse(eventJson));
process.stdout.write('\\nRESULT ' + JSON.stringify(result) + '\\n');
process.exit(0);
`;

/**
 * The asset directory as Lambda would run it: a copy, with the runtime's AWS SDK played by this
 * project's (`/var/runtime/node_modules` is on Lambda's ES-module search path; here a link).
 */
function asLambdaTask(assetDir: string): { dir: string; remove: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 'clickstream-task-'));
  cpSync(assetDir, dir, { recursive: true });
  symlinkSync(join(process.cwd(), 'node_modules', '@aws-sdk'), join(dir, 'node_modules', '@aws-sdk'));
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/** The module specifiers the bundle leaves to Node: static imports, and `import()` calls. */
function unbundledImports(code: string): { static: string[]; dynamic: string[] } {
  const of = (pattern: RegExp) => [...new Set([...code.matchAll(pattern)].map((match) => match[1] ?? ''))];
  return {
    static: of(/(?:^|[;}\s])import\s*(?:[\w{}*,\s]+from\s*)?["']([^"'./][^"']*)["']/g).filter(
      (name) => !name.startsWith('node:'),
    ),
    dynamic: of(/import\(\s*["']([^"'./][^"']*)["']\s*\)/g).filter((name) => !name.startsWith('node:')),
  };
}

describe('the handler bundle that synth produces', () => {
  let emulators: Emulators;
  let task: { dir: string; remove: () => void };
  let bundle: string;
  let environment: Record<string, string>;
  let consumerBundle: string;
  let consumerEnvironment: Record<string, string>;

  beforeAll(async () => {
    const { app, stack, template } = synthesize(CONFIGURATIONS.functionUrl, { bundle: true });
    const assembly = app.synth();
    const collector = functionOf(template, 'IngestionFunction');
    const consumer = functionOf(template, 'ArchiveConsumerFunction');
    task = asLambdaTask(functionAssetDirectory(assembly.directory, stack.artifactId, collector));
    bundle = join(task.dir, 'index.mjs');
    consumerBundle = join(
      functionAssetDirectory(assembly.directory, stack.artifactId, consumer),
      'index.mjs',
    );
    emulators = await startEmulators({ streamName: STREAM, bucket: BUCKET, kinesisPort: 0, s3Port: 0 });
    // The deployed environments, with the stream and bucket references pointing at the emulators.
    environment = stringVariables(collector, {
      CLICKSTREAM_STREAM_NAME: STREAM,
      CLICKSTREAM_ARCHIVE_BUCKET: BUCKET,
    });
    consumerEnvironment = stringVariables(consumer, { CLICKSTREAM_ARCHIVE_BUCKET: BUCKET });
  }, 120_000);

  afterAll(async () => {
    await emulators?.stop();
    task?.remove();
  });

  /** Runs the collector bundle once in a plain Node process; its result, and what it printed. */
  async function invokeCollector(event: unknown, overrides: Record<string, string> = {}) {
    const args = ['--input-type=module', '-e', RUNNER, pathToFileURL(bundle).href, JSON.stringify(event)];
    const env = {
      PATH: process.env.PATH ?? '',
      ...environment,
      AWS_REGION: 'us-east-1',
      AWS_ACCESS_KEY_ID: 'S3RVER',
      AWS_SECRET_ACCESS_KEY: 'S3RVER',
      AWS_ENDPOINT_URL_KINESIS: emulators.kinesisEndpoint,
      AWS_ENDPOINT_URL_S3: emulators.s3Endpoint,
      NODE_OPTIONS: '',
      ...overrides,
    };
    const { stdout, stderr } = await run(process.execPath, args, { timeout: 30_000, cwd: '/', env }).catch(
      (error: { stdout?: string; stderr?: string }) => ({
        stdout: error.stdout ?? '',
        stderr: error.stderr ?? '',
      }),
    );
    const line = stdout.split('\n').find((text) => text.startsWith('RESULT '));
    const result: { statusCode: number } | undefined = line
      ? JSON.parse(line.slice('RESULT '.length))
      : undefined;
    return { result, output: `${stdout}${stderr}` };
  }

  const collectEvent = (
    events: unknown[],
    query = 'appId=shop_web&platform=Web&event_bundle_sequence_id=1',
  ) =>
    lambdaEvent('function-url', {
      query,
      headers: { 'content-type': 'application/json; charset=utf-8', 'user-agent': 'bundle-test/1.0' },
      body: JSON.stringify(events),
      sourceIp: '203.0.113.7',
    });
  const oneEvent = (id: string) => [
    { event_type: 'button_click', event_id: id, timestamp: Date.now(), app_id: 'shop_web' },
  ];

  it('is an ESM bundle that leaves to Node only the modules it loads on first use', () => {
    const code = readFileSync(bundle, 'utf8');
    expect(code).toContain('createRequire');
    expect(existsSync(`${bundle}.map`)).toBe(true);
    const imports = unbundledImports(code);
    expect(imports.static).toEqual([]);
    // Each import() names an external module (some externals are reached only through others).
    expect(imports.dynamic).toEqual(
      expect.arrayContaining(['@aws-sdk/client-s3', '@aws-sdk/client-secrets-manager', 'tldts']),
    );
    expect(COLLECTOR_BUNDLING.externalModules).toEqual(expect.arrayContaining(imports.dynamic));
  });

  it('carries tldts beside the bundle, as an ES module with its licence', () => {
    const dir = join(dirname(bundle), 'node_modules', 'tldts');
    expect(JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'))).toMatchObject({
      name: 'tldts',
      type: 'module',
    });
    expect(readFileSync(join(dir, 'LICENSE'), 'utf8')).toMatch(/MIT/);
    expect(readFileSync(join(dir, 'index.mjs'), 'utf8')).toMatch(/export\s*\{/);
  });

  it('accepts a function-URL event in a plain Node process and writes the record to Kinesis', async () => {
    const events = oneEvent('e7d9b2a4-0000-4000-8000-000000000001');
    const { result, output } = await invokeCollector(collectEvent(events));
    expect(result?.statusCode, output).toBe(200);
    const records = await readStream(emulators.kinesisEndpoint, STREAM);
    expect(records).toHaveLength(1);
    const record = records[0] ?? {};
    expect(record).toMatchObject({
      appId: 'shop_web',
      platform: 'Web',
      method: 'POST',
      path: '/collect',
      ua: 'bundle-test/1.0',
      source_type: 'http_server',
    });
    expect(JSON.parse(String(record.data))).toEqual(events);
    expect(typeof record.ingest_time).toBe('number');
    expect(record.rid).toMatch(/^[0-9a-f]{32}$/);
  });

  it('loads the S3 client of the runtime on first use: with Kinesis unreachable the request lands in the fallback', async () => {
    const { result, output } = await invokeCollector(
      collectEvent(oneEvent('e7d9b2a4-0000-4000-8000-000000000002')),
      {
        AWS_ENDPOINT_URL_KINESIS: 'http://127.0.0.1:9',
      },
    );
    expect(result?.statusCode, output).toBe(200);
    const fallback = await readObjects(emulators.s3Endpoint, BUCKET, 'fallback/');
    expect(fallback.map((object) => object.text).join('')).toContain('e7d9b2a4-0000-4000-8000-000000000002');
  });

  it('loads the Public Suffix List from beside the bundle: a wildcard under github.io stops the start', async () => {
    const { result, output } = await invokeCollector(collectEvent(oneEvent('e3')), {
      CLICKSTREAM_CORS_ORIGINS: 'https://*.github.io',
    });
    expect(result).toBeUndefined();
    expect(output).toMatch(
      /CLICKSTREAM_CORS_ORIGINS: "https:\/\/\*\.github\.io".*github\.io is a public suffix/,
    );
  });

  it('starts with a wildcard below a registered domain', async () => {
    const { result, output } = await invokeCollector(
      lambdaEvent('function-url', { method: 'GET', path: '/health' }),
      {
        CLICKSTREAM_CORS_ORIGINS: 'https://*.example.com',
      },
    );
    expect(result?.statusCode, output).toBe(200);
  });

  it('runs the archive consumer bundle in a plain Node process: a Kinesis batch becomes the raw archive and the tables', async () => {
    const data = sinkRecordBytes(
      [
        {
          event_type: 'view',
          event_id: 'bundle-e-1',
          timestamp: 1_700_000_000_000,
          app_id: 'shop_web',
          attributes: { n: 1 },
        },
      ],
      {
        appId: 'shop_web',
        gzip: true,
        ua: 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36',
      },
    );
    const event = kinesisStreamEvent([
      {
        shardId: 'shardId-000000000000',
        sequenceNumber: '4960',
        partitionKey: 'p',
        data,
        arrivedAt: new Date(),
      },
    ]);
    const { stdout } = await run(
      process.execPath,
      [
        '--input-type=module',
        '-e',
        CONSUMER_RUNNER,
        pathToFileURL(consumerBundle).href,
        JSON.stringify(event),
      ],
      {
        timeout: 30_000,
        cwd: '/',
        env: {
          PATH: process.env.PATH ?? '',
          ...consumerEnvironment,
          AWS_REGION: 'us-east-1',
          AWS_ACCESS_KEY_ID: 'S3RVER',
          AWS_SECRET_ACCESS_KEY: 'S3RVER',
          AWS_ENDPOINT_URL_S3: emulators.s3Endpoint,
          NODE_OPTIONS: '',
        },
      },
    );
    const line = stdout.split('\n').find((text) => text.startsWith('RESULT '));
    expect(line, stdout).toBeDefined();
    expect(JSON.parse(line?.slice('RESULT '.length) ?? 'null')).toEqual({ batchItemFailures: [] });
    const archive = await readObjects(emulators.s3Endpoint, BUCKET, 'events/');
    expect(archive.map((object) => object.text)).toEqual([`${data.toString()}\n`]);
    const [events] = await readObjects(emulators.s3Endpoint, BUCKET, 'tables/event/partition_app=shop_web/');
    expect(JSON.parse(events?.text ?? '{}')).toMatchObject({
      event_id: 'bundle-e-1',
      device: { ua_browser: 'Chrome', ua_os: 'Linux', ua_device_category: 'PC' },
    });
  });
});
