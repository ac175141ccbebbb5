import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';

/**
 * The local tools as a user runs them — `npm start` (`local/main.ts`) and `npm run tail`
 * (`local/tail.ts`), each in a child process of its own — so a test can hold them to what a
 * laptop (or a memory-capped function) sees: their output, their exit, their heap limit.
 */

const REPO_ROOT = fileURLToPath(new URL('../..', import.meta.url));
const READY = /collect\s+POST (http:\/\/[^\s]+?)\/collect/;

export interface ToolProcess {
  /** Everything the process printed so far (stdout and stderr, interleaved). */
  output(): string;
  /** What it printed on stdout only. */
  stdout(): string;
  /** Whether the process is still running. */
  alive(): boolean;
  /** Resolves once `pattern` appears in its output; rejects when it exits first or time runs out. */
  waitFor(pattern: RegExp, timeoutMs?: number): Promise<RegExpExecArray>;
  stop(): Promise<void>;
}

export interface CollectorProcess extends ToolProcess {
  /** e.g. `http://127.0.0.1:40123` */
  readonly url: string;
}

function startToolProcess(script: string, args: readonly string[], env: Record<string, string>): ToolProcess {
  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', script, ...args], {
    cwd: REPO_ROOT,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  let stdout = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    output += chunk.toString('utf8');
    stdout += chunk.toString('utf8');
  });
  child.stderr?.on('data', (chunk: Buffer) => {
    output += chunk.toString('utf8');
  });
  let exited = false;
  child.once('exit', () => {
    exited = true;
  });

  const waitFor = (pattern: RegExp, timeoutMs = 30_000) =>
    new Promise<RegExpExecArray>((resolve, reject) => {
      const finish = (settle: () => void) => {
        clearTimeout(timer);
        child.stdout?.off('data', check);
        child.stderr?.off('data', check);
        child.off('exit', check);
        settle();
      };
      const check = () => {
        const match = pattern.exec(output);
        if (match !== null) finish(() => resolve(match));
        else if (exited)
          finish(() => reject(new Error(`${script} exited before printing ${pattern}:\n${output}`)));
      };
      const timer = setTimeout(
        () => finish(() => reject(new Error(`${script} did not print ${pattern} in time:\n${output}`))),
        timeoutMs,
      );
      // Listeners added after the process's own collectors, so `output` is up to date in `check`.
      child.stdout?.on('data', check);
      child.stderr?.on('data', check);
      child.once('exit', check);
      check();
    });

  return {
    output: () => output,
    stdout: () => stdout,
    alive: () => !exited,
    waitFor,
    stop: async () => {
      if (exited) return;
      const done = once(child, 'exit');
      child.kill('SIGTERM');
      await done;
    },
  };
}

/** `npm start` on free ports; resolves once its banner names the collect URL. */
export async function startCollectorProcess(
  env: Record<string, string> = {},
  timeoutMs = 60_000,
): Promise<CollectorProcess> {
  const tool = startToolProcess('local/main.ts', [], { PORT: '0', ...env });
  try {
    const [, url] = await tool.waitFor(READY, timeoutMs);
    return { ...tool, url: url as string };
  } catch (error) {
    await tool.stop();
    throw new Error(`collector did not start: ${error instanceof Error ? error.message : String(error)}`);
  }
}

/** `npm run tail -- <args>` with the given environment (which stream, which endpoint). */
export function startTailProcess(args: readonly string[], env: Record<string, string>): ToolProcess {
  return startToolProcess('local/tail.ts', args, env);
}
