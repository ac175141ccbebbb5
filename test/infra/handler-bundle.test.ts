import { execFile } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import {
  GetRecordsCommand,
  GetShardIteratorCommand,
  KinesisClient,
  ListShardsCommand,
} from '@aws-sdk/client-kinesis';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Emulators, startEmulators } from '../../local/emulators';
import { CONFIGURATIONS, synthesize } from './support';

const run = promisify(execFile);
const STREAM = 'bundle-test-stream';
const BUCKET = 'bundle-test-bucket';

/** Directory of the function's asset in the synthesized cloud assembly (what `cdk deploy` would upload). */
function functionAssetDirectory(assemblyDir: string, artifactId: string): string {
  const manifest = JSON.parse(readFileSync(join(assemblyDir, `${artifactId}.assets.json`), 'utf8')) as {
    files: Record<string, { source: { path: string; packaging?: string } }>;
  };
  const dirs = Object.values(manifest.files)
    .filter((file) => file.source.packaging === 'zip')
    .map((file) => join(assemblyDir, file.source.path))
    .filter((dir) => existsSync(join(dir, 'index.mjs')));
  expect(dirs).toHaveLength(1);
  return dirs[0] as string;
}

/** The function URL event (payload 2.0) of an SDK-style POST. */
function functionUrlEvent(body: string) {
  const now = Date.now();
  return {
    version: '2.0',
    routeKey: '$default',
    rawPath: '/collect',
    rawQueryString: 'appId=shop_web&platform=Web&event_bundle_sequence_id=1',
    headers: {
      'content-type': 'application/json; charset=utf-8',
      'user-agent': 'bundle-test/1.0',
      host: 'x.lambda-url.us-east-1.on.aws',
    },
    queryStringParameters: { appId: 'shop_web', platform: 'Web', event_bundle_sequence_id: '1' },
    requestContext: {
      accountId: 'anonymous',
      apiId: 'bundletest',
      domainName: 'x.lambda-url.us-east-1.on.aws',
      domainPrefix: 'x',
      http: {
        method: 'POST',
        path: '/collect',
        protocol: 'HTTP/1.1',
        sourceIp: '203.0.113.7',
        userAgent: 'bundle-test/1.0',
      },
      requestId: '5f0c8a9e-1111-2222-3333-444455556666',
      routeKey: '$default',
      stage: '$default',
      time: '28/Nov/2026:12:00:00 +0000',
      timeEpoch: now,
    },
    body,
    isBase64Encoded: false,
  };
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

describe('the handler bundle that synth produces', () => {
  let emulators: Emulators;
  let bundle: string;
  let environment: Record<string, string>;

  beforeAll(async () => {
    const { app, stack, template } = synthesize(CONFIGURATIONS.functionUrl, { bundle: true });
    const assembly = app.synth();
    bundle = join(functionAssetDirectory(assembly.directory, stack.artifactId), 'index.mjs');
    const fn = Object.values(template.findResources('AWS::Lambda::Function'))[0] as {
      Properties: { Environment: { Variables: Record<string, unknown> } };
    };
    emulators = await startEmulators({ streamName: STREAM, bucket: BUCKET, kinesisPort: 0, s3Port: 0 });
    // The deployed environment, with the stream and bucket references pointing at the emulators.
    const variables = {
      ...fn.Properties.Environment.Variables,
      CLICKSTREAM_STREAM_NAME: STREAM,
      CLICKSTREAM_ARCHIVE_BUCKET: BUCKET,
    };
    environment = Object.fromEntries(
      Object.entries(variables).filter((entry): entry is [string, string] => typeof entry[1] === 'string'),
    );
  }, 120_000);

  afterAll(async () => {
    await emulators?.stop();
  });

  it('is an ESM bundle with the AWS SDK inside (nothing left to resolve from node_modules)', () => {
    const code = readFileSync(bundle, 'utf8');
    expect(code).not.toMatch(/from\s*["']@aws-sdk\//);
    expect(code).toContain('createRequire');
    expect(existsSync(`${bundle}.map`)).toBe(true);
  });

  it('accepts a function-URL event in a plain Node process and writes the record to Kinesis', async () => {
    const events = [
      {
        event_type: 'button_click',
        event_id: 'e7d9b2a4-0000-4000-8000-000000000001',
        timestamp: Date.now(),
        app_id: 'shop_web',
      },
    ];
    const body = JSON.stringify(events);
    const { stdout } = await run(
      process.execPath,
      [
        '--input-type=module',
        '-e',
        RUNNER,
        pathToFileURL(bundle).href,
        JSON.stringify(functionUrlEvent(body)),
      ],
      {
        timeout: 30_000,
        cwd: '/',
        env: {
          PATH: process.env.PATH ?? '',
          ...environment,
          AWS_REGION: 'us-east-1',
          AWS_ACCESS_KEY_ID: 'S3RVER',
          AWS_SECRET_ACCESS_KEY: 'S3RVER',
          AWS_ENDPOINT_URL_KINESIS: emulators.kinesisEndpoint,
          AWS_ENDPOINT_URL_S3: emulators.s3Endpoint,
          NODE_OPTIONS: '',
        },
      },
    );
    const line = stdout.split('\n').find((text) => text.startsWith('RESULT '));
    expect(line, stdout).toBeDefined();
    const result = JSON.parse((line as string).slice('RESULT '.length)) as {
      statusCode: number;
      headers?: Record<string, string>;
    };
    expect(result.statusCode).toBe(200);

    const kinesis = new KinesisClient({
      region: 'us-east-1',
      endpoint: emulators.kinesisEndpoint,
      credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' },
      requestHandler: new NodeHttpHandler({ connectionTimeout: 2_000, requestTimeout: 5_000 }),
    });
    try {
      const shards = await kinesis.send(new ListShardsCommand({ StreamName: STREAM }));
      const records: Record<string, unknown>[] = [];
      for (const shard of shards.Shards ?? []) {
        const { ShardIterator } = await kinesis.send(
          new GetShardIteratorCommand({
            StreamName: STREAM,
            ShardId: shard.ShardId,
            ShardIteratorType: 'TRIM_HORIZON',
          }),
        );
        const page = await kinesis.send(new GetRecordsCommand({ ShardIterator }));
        for (const record of page.Records ?? []) {
          records.push(JSON.parse(Buffer.from(record.Data ?? new Uint8Array()).toString('utf8')));
        }
      }
      expect(records).toHaveLength(1);
      const record = records[0] as Record<string, unknown>;
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
    } finally {
      kinesis.destroy();
    }
  });
});
