import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findNoise } from './output-noise';

/**
 * `tsx scripts/ci/check-test-run.ts -- <command> [args…]` (`.ci/run` runs `npm test` and the
 * browser suite through it): runs the command with TMPDIR pointing at a fresh folder, showing
 * its output as it comes, and fails when the command fails, when it left anything in that
 * folder, or when its output has noise (scripts/ci/output-noise.ts). The folder is removed at
 * the end either way.
 */

async function run(
  command: string,
  args: readonly string[],
  env: NodeJS.ProcessEnv,
): Promise<{ code: number; output: string }> {
  const child = spawn(command, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => {
    output += chunk.toString('utf8');
    process.stdout.write(chunk);
  });
  child.stderr.on('data', (chunk: Buffer) => {
    output += chunk.toString('utf8');
    process.stderr.write(chunk);
  });
  const code = await new Promise<number>((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (exitCode, signal) => resolve(exitCode ?? (signal === null ? 1 : 128)));
  });
  return { code, output };
}

async function main(): Promise<void> {
  const separator = process.argv.indexOf('--');
  const [command, ...args] = separator === -1 ? [] : process.argv.slice(separator + 1);
  if (command === undefined) {
    console.error('usage: tsx scripts/ci/check-test-run.ts -- <command> [args…]');
    process.exitCode = 2;
    return;
  }
  const temp = mkdtempSync(join(tmpdir(), 'clickstream-ci-tmp-'));
  const problems: string[] = [];
  try {
    const { code, output } = await run(command, args, { ...process.env, TMPDIR: temp });
    if (code !== 0) problems.push(`${[command, ...args].join(' ')} exited with ${code}`);
    const left = readdirSync(temp);
    if (left.length > 0)
      problems.push(`left ${left.length} item(s) in its temporary folder: ${left.join(', ')}`);
    problems.push(...findNoise(output).map((problem) => `noise in its output: ${problem}`));
  } finally {
    rmSync(temp, { recursive: true, force: true, maxRetries: 3 });
  }
  const name = [command, ...args].join(' ');
  if (problems.length === 0) {
    console.log(`\ncheck-test-run: ${name} passed, left nothing in its temporary folder, printed no noise`);
    return;
  }
  console.error(`\ncheck-test-run: ${name}:\n${problems.map((problem) => `  - ${problem}`).join('\n')}`);
  process.exitCode = 1;
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? (error.stack ?? error.message) : error);
  process.exitCode = 1;
});
