import { PutRecordCommand } from '@aws-sdk/client-kinesis';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { API_EXAMPLE, exampleUrl } from '../../../local/api-example';
import { type LocalCollector, startLocalCollector } from '../../../local/collector';
import { type KinesisEmulator, startKinesisEmulator } from '../../../local/emulators';
import { startTailProcess, type ToolProcess } from '../../support/collector-process';
import { emulatorKinesis } from '../../support/emulator-clients';

/**
 * `npm run tail` as the README's quick start uses it: requests are sent first, tail is started
 * after, and it still shows them — then it follows new ones.
 */

const CAUGHT_UP = /\((above|no records|waiting)[^)]*\)\n/;

/** The request ids in tail's record lines, in the order printed. */
function printedRids(tail: ToolProcess): string[] {
  return [...tail.stdout().matchAll(/rid=([0-9a-f]{32})/g)].map((match) => match[1] as string);
}

describe('npm run tail on the embedded stream of npm start', () => {
  let collector: LocalCollector;
  let tail: ToolProcess | undefined;

  beforeAll(async () => {
    collector = await startLocalCollector({ env: {}, port: 0, quiet: true, archiver: false });
  });

  afterEach(async () => {
    await tail?.stop();
    tail = undefined;
  });

  afterAll(async () => {
    await collector?.stop();
  });

  async function send(appId: string = API_EXAMPLE.appId): Promise<string> {
    const response = await fetch(exampleUrl(collector.url, '/collect', appId), {
      method: 'POST',
      headers: API_EXAMPLE.headers,
      body: API_EXAMPLE.body,
    });
    expect(response.status).toBe(200);
    return response.headers.get('x-request-id') as string;
  }

  function startTail(...args: string[]): ToolProcess {
    tail = startTailProcess(args, {
      CLICKSTREAM_LOCAL_KINESIS_PORT: new URL(collector.kinesisEndpoint).port,
      CLICKSTREAM_STREAM_NAME: collector.streamName,
    });
    return tail;
  }

  it('shows the API document example sent before tail started, then what is sent after', async () => {
    const before = await send();
    const started = startTail();
    await started.waitFor(CAUGHT_UP);
    expect(started.stdout()).toMatch(
      new RegExp(`test_release rid=${before} Android 2 events: button_click, item_view\\n`),
    );
    const after = await send('test_app');
    await started.waitFor(new RegExp(`test_app rid=${after} `));
    expect(printedRids(started).slice(-2)).toEqual([before, after]);
  });

  it('shows only the N newest records with --last N, oldest first', async () => {
    const sent = [await send(), await send(), await send()];
    const started = startTail('--last', '2');
    const [note] = await started.waitFor(CAUGHT_UP);
    expect(printedRids(started)).toEqual(sent.slice(1));
    expect(note).toContain('the 2 newest records on the stream');
  });

  it('shows every record on the stream with --from-start', async () => {
    const last = await send();
    const started = startTail('--from-start', '--json');
    await started.waitFor(CAUGHT_UP);
    const records = started
      .stdout()
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as { rid: string });
    // Every request the tests of this file sent, this one last.
    expect(records.length).toBeGreaterThanOrEqual(6);
    expect(records.at(-1)?.rid).toBe(last);
  });

  it('shows no earlier record with --last 0, only new ones', async () => {
    await send();
    const started = startTail('--last', '0');
    await started.waitFor(/\(waiting for new records\)/);
    const after = await send();
    await started.waitFor(new RegExp(`rid=${after}`));
    expect(printedRids(started)).toEqual([after]);
  });

  it('refuses an option it does not know, saying how to call it', async () => {
    const started = startTail('--lats', '3');
    await expect(started.waitFor(/usage: npm run tail/)).resolves.toBeDefined();
    expect(started.output()).toContain("Unknown option '--lats'");
  });
});

describe('npm run tail on another Kinesis endpoint (AWS_ENDPOINT_URL_KINESIS)', () => {
  const STREAM = 'tail-external';
  let kinesis: KinesisEmulator;
  let tail: ToolProcess | undefined;

  beforeAll(async () => {
    // Two shards, only the first written to: the other has no record to start at.
    kinesis = await startKinesisEmulator({ port: 0, streamName: STREAM, shardCount: 2 });
  });

  afterAll(async () => {
    await tail?.stop();
    await kinesis?.stop();
  });

  it('shows the newest records of the last minutes, and an empty shard does not hold it up', async () => {
    const client = emulatorKinesis(kinesis.endpoint);
    const rids = ['a', 'b', 'c'].map((letter) => letter.repeat(32));
    try {
      for (const rid of rids) {
        await client.send(
          new PutRecordCommand({
            StreamName: STREAM,
            PartitionKey: rid,
            ExplicitHashKey: '0',
            Data: Buffer.from(JSON.stringify({ appId: 'test_app', rid, data: '[]' })),
          }),
        );
      }
    } finally {
      client.destroy();
    }
    tail = startTailProcess([], {
      AWS_ENDPOINT_URL_KINESIS: kinesis.endpoint,
      CLICKSTREAM_STREAM_NAME: STREAM,
    });
    const [note] = await tail.waitFor(CAUGHT_UP);
    expect(printedRids(tail)).toEqual(rids);
    expect(note).toContain('the 3 newest records of the last 15 minutes');
  });
});
