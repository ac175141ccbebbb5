import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { createConnection } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CollectorProcess, startCollectorProcess } from '../../support/collector-process';
import { freePort } from '../../support/free-port';
import { codeBlocks, commands, section } from '../../support/readme';

/**
 * README "Testing your app's tracking", run as written: its curl commands against `npm start`
 * (local/main.ts in a child process), with the answer the README shows, and its example script,
 * which starts `npm start` itself. A new command block in that section fails this test until it
 * is run here too.
 */

const run = promisify(execFile);
const REPO_ROOT = fileURLToPath(new URL('../../..', import.meta.url));
const README_URL = 'http://127.0.0.1:8080';
const SCRIPT_COMMAND = 'bash examples/check-tracking.sh';

function listening(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection({ port, host: '127.0.0.1' });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

const SECTION = section("Testing your app's tracking");
const BASH_BLOCKS = codeBlocks(SECTION, 'bash');
const CURL_BLOCK = BASH_BLOCKS.find((block) => block.includes(`${README_URL}/_local/events`)) ?? '';

describe("README: Testing your app's tracking", () => {
  it('has exactly the command blocks this file runs: the curl commands and the example script', () => {
    expect(BASH_BLOCKS).toEqual([CURL_BLOCK, `${SCRIPT_COMMAND}\n`]);
    expect(commands(CURL_BLOCK)).toHaveLength(4);
  });

  describe('the curl commands against npm start', () => {
    let collector: CollectorProcess;

    beforeAll(async () => {
      collector = await startCollectorProcess();
    });

    afterAll(async () => {
      await collector?.stop();
    });

    it('register the app, reset, send, and read back the very event, as the README shows', async () => {
      const outputs: string[] = [];
      for (const command of commands(CURL_BLOCK)) {
        const { stdout } = await run('bash', ['-c', command.replaceAll(README_URL, collector.url)]);
        outputs.push(stdout);
      }

      expect(JSON.parse(outputs[0] ?? '')).toEqual({ appId: 'my_shop', registered: true, changed: true });
      expect(JSON.parse(outputs[1] ?? '')).toEqual({ since: expect.any(String) });
      expect(outputs[2]).toBe('');
      const answer = JSON.parse(outputs[3] ?? '') as { items: Array<{ rid: string; receivedAt: string }> };
      const shown = JSON.parse(codeBlocks(SECTION, 'json')[0] ?? '') as typeof answer;
      const [item] = answer.items;
      expect(item?.rid).toMatch(/^[0-9a-f]{32}$/);
      expect(answer).toEqual({
        items: shown.items.map((example) => ({ ...example, rid: item?.rid, receivedAt: item?.receivedAt })),
      });
    });
  });

  describe('the example script', () => {
    let dataDir: string;

    beforeAll(async () => {
      dataDir = await mkdtemp(join(tmpdir(), 'clickstream-example-'));
    });

    afterAll(async () => {
      await rm(dataDir, { recursive: true, force: true });
    });

    async function scriptEnv(extra: Record<string, string> = {}) {
      const [port, kinesisPort, s3Port] = await Promise.all([freePort(), freePort(), freePort()]);
      const env = {
        ...process.env,
        PORT: String(port),
        CLICKSTREAM_LOCAL_KINESIS_PORT: String(kinesisPort),
        CLICKSTREAM_LOCAL_S3_PORT: String(s3Port),
        CLICKSTREAM_LOCAL_DATA_DIR: dataDir,
        ...extra,
      };
      return { env, port, kinesisPort };
    }

    it('starts npm start, checks the event through /_local/events, says ok and stops the collector', async () => {
      const { env, port, kinesisPort } = await scriptEnv();

      const { stdout } = await run('bash', ['-c', SCRIPT_COMMAND], { cwd: REPO_ROOT, env, timeout: 90_000 });

      expect(stdout).toMatch(/^ok: add_to_cart for coat-42 accepted \(request [0-9a-f]{32}\)\n$/);
      expect(await listening(port)).toBe(false);
      expect(await listening(kinesisPort)).toBe(false);
    });

    it('fails with the reason when the collector does not take the event', async () => {
      // The app sends to /collect, but this collector listens on another path.
      const { env, port } = await scriptEnv({ CLICKSTREAM_PATH: '/elsewhere' });

      const failure = await run('bash', ['-c', SCRIPT_COMMAND], {
        cwd: REPO_ROOT,
        env,
        timeout: 90_000,
      }).then(
        () => undefined,
        (error: { code?: number; stderr?: string }) => error,
      );

      expect(failure?.code).not.toBe(0);
      expect(failure?.stderr).toMatch(/404/);
      expect(await listening(port)).toBe(false);
    });
  });
});
