import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';

/**
 * `npm start` as a user runs it — `local/main.ts` in a child process of its own — on free ports,
 * so a test can hold it to what a laptop (or a memory-capped function) sees: its banner, its exit,
 * its heap limit.
 */

const REPO_ROOT = fileURLToPath(new URL('../..', import.meta.url));
const READY = /collect\s+POST (http:\/\/[^\s]+?)\/collect/;

export interface CollectorProcess {
  /** e.g. `http://127.0.0.1:40123` */
  readonly url: string;
  /** Everything the process printed so far (stdout and stderr). */
  output(): string;
  /** Whether the process is still running. */
  alive(): boolean;
  stop(): Promise<void>;
}

export async function startCollectorProcess(
  env: Record<string, string> = {},
  timeoutMs = 60_000,
): Promise<CollectorProcess> {
  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', 'local/main.ts'], {
    cwd: REPO_ROOT,
    env: { ...process.env, PORT: '0', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const collect = (chunk: Buffer) => {
    output += chunk.toString('utf8');
  };
  child.stdout?.on('data', collect);
  child.stderr?.on('data', collect);
  let exited = false;
  child.once('exit', () => {
    exited = true;
  });

  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`collector did not start:\n${output}`)), timeoutMs);
    const check = () => {
      const match = READY.exec(output);
      if (match?.[1] !== undefined) {
        clearTimeout(timer);
        resolve(match[1]);
      } else if (exited) {
        clearTimeout(timer);
        reject(new Error(`collector exited at start:\n${output}`));
      }
    };
    child.stdout?.on('data', check);
    child.once('exit', check);
  });

  return {
    url,
    output: () => output,
    alive: () => !exited,
    stop: async () => {
      if (exited) return;
      const done = once(child, 'exit');
      child.kill('SIGTERM');
      await done;
    },
  };
}
