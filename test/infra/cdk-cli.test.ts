import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';

const run = promisify(execFile);
const ROOT = new URL('../..', import.meta.url).pathname;
const output = mkdtempSync(join(tmpdir(), 'cdk-cli-test-'));

afterAll(() => rmSync(output, { recursive: true, force: true }));

/** `npx cdk synth` as a user runs it, offline; resolves with its exit code and all it printed. */
async function cdkSynth(...args: string[]): Promise<{ code: number; text: string }> {
  try {
    const { stdout, stderr } = await run('npx', ['cdk', 'synth', '--quiet', '--output', output, ...args], {
      cwd: ROOT,
      timeout: 240_000,
      env: { ...process.env, CDK_DISABLE_VERSION_CHECK: 'true' },
    });
    return { code: 0, text: stdout + stderr };
  } catch (error) {
    const failed = error as { code?: number; stdout?: string; stderr?: string };
    return { code: failed.code ?? 1, text: `${failed.stdout ?? ''}${failed.stderr ?? ''}` };
  }
}

describe('npx cdk synth (the README commands, offline)', () => {
  it('synthesizes with -c appIds and prints no feature-flag notice', async () => {
    const { code, text } = await cdkSynth('-c', 'appIds=my_app');
    expect(code, text).toBe(0);
    expect(text).not.toMatch(/feature flags? (are|is) not configured/i);
  });

  it('fails without appIds, saying which key to pass', async () => {
    const { code, text } = await cdkSynth();
    expect(code).not.toBe(0);
    expect(text).toContain('-c appIds: required');
  });

  it('fails on a misspelled key, suggesting the right one', async () => {
    const { code, text } = await cdkSynth('-c', 'appIds=my_app', '-c', 'endpointTyp=alb');
    expect(code).not.toBe(0);
    expect(text).toContain('-c endpointTyp: unknown context key; did you mean endpointType?');
  });
});
