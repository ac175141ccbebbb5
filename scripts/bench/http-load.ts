import { type ChildProcess, fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import { requestBody, requestHeaders } from './handler-cpu';
import type { TargetCpu, TargetKind, TargetMemory, TargetMessage } from './http-target';
import { progress, type Summary, summarize } from './stats';

/**
 * Parts 2 and 4: the local HTTP collector under load on loopback (autocannon, 10-event requests),
 * with the in-memory sink, with the Kinesis emulator sink, and a bare Node server as the ceiling.
 * Each target is its own process; rounds rotate over the targets so all three see the same noise.
 */

export interface TargetResult {
  readonly kind: TargetKind;
  readonly label: string;
  readonly rps: Summary;
  readonly p50Ms: Summary;
  readonly p99Ms: Summary;
  /** CPU time of the target process per request answered (user + system), µs, per round. */
  readonly cpuUsPerRequest: Summary;
  readonly requests: number;
  readonly errors: number;
  readonly non2xx: number;
  /** Peak RSS of the target process over the whole run (warm-up and every round). */
  readonly peakRssMiB: number;
}

export interface HttpLoadResult {
  readonly connections: number;
  readonly roundSeconds: number;
  readonly rounds: number;
  readonly bodyBytes: number;
  readonly targets: readonly TargetResult[];
}

const LABELS: Record<TargetKind, string> = {
  bare: 'bare Node http server (ceiling)',
  'bare-handler': 'bare server + function URL event + handler (memory sinks), no local/ plumbing',
  memory: 'local collector, in-memory sink',
  kinesis: 'local collector, Kinesis emulator sink',
};

interface RunningTarget {
  readonly kind: TargetKind;
  readonly child: ChildProcess;
  readonly url: string;
}

const TARGET_SCRIPT = fileURLToPath(new URL('./http-target.ts', import.meta.url));
const START_TIMEOUT_MS = 60_000;

function startTarget(kind: TargetKind): Promise<RunningTarget> {
  const child = fork(TARGET_SCRIPT, [kind], {
    execArgv: ['--import', 'tsx'],
    stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
  });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill();
      reject(new Error(`http target ${kind} did not start within ${START_TIMEOUT_MS} ms`));
    }, START_TIMEOUT_MS);
    child.on('message', (message: TargetMessage) => {
      if (message.type !== 'ready') return;
      clearTimeout(timer);
      resolve({ kind, child, url: message.url });
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`http target ${kind} exited with ${code}`));
    });
  });
}

function peakRss(target: RunningTarget): Promise<TargetMemory> {
  return new Promise((resolve) => {
    const onMessage = (message: TargetMessage): void => {
      if (message.type !== 'memory') return;
      target.child.off('message', onMessage);
      resolve(message);
    };
    target.child.on('message', onMessage);
    target.child.send('memory');
  });
}

function cpuOf(target: RunningTarget): Promise<number> {
  return new Promise((resolve) => {
    const onMessage = (message: TargetMessage): void => {
      if (message.type !== 'cpu') return;
      target.child.off('message', onMessage);
      resolve((message as TargetCpu).cpuUs);
    };
    target.child.on('message', onMessage);
    target.child.send('cpu');
  });
}

async function stopTarget(target: RunningTarget): Promise<void> {
  if (target.child.exitCode !== null) return;
  const exited = new Promise<void>((resolve) => target.child.once('exit', () => resolve()));
  target.child.kill('SIGTERM');
  await exited;
}

export async function runHttpLoad(options: {
  readonly connections: number;
  readonly roundSeconds: number;
  readonly warmupSeconds: number;
  readonly rounds: number;
}): Promise<HttpLoadResult> {
  const request = requestBody(10, 'none');
  const kinds: TargetKind[] = ['bare', 'bare-handler', 'memory', 'kinesis'];
  const targets: RunningTarget[] = [];
  try {
    for (const kind of kinds) targets.push(await startTarget(kind));
    progress(`http load: targets up (${targets.map((target) => target.kind).join(', ')})`);
    const load = (target: RunningTarget, seconds: number) =>
      autocannon({
        url: `${target.url}/collect?${request.query}`,
        method: 'POST',
        headers: requestHeaders(),
        body: request.body,
        connections: options.connections,
        duration: seconds,
        timeout: 10,
      });

    for (const target of targets) await load(target, options.warmupSeconds);

    const samples = new Map<TargetKind, Array<{ rps: number; p50: number; p99: number; cpuUs: number }>>();
    const totals = new Map<TargetKind, { requests: number; errors: number; non2xx: number }>();
    for (let round = 0; round < options.rounds; round++) {
      // Rotate the order each round so no target always runs first (or right after the noisiest).
      const order = targets.map((_, index) => targets[(index + round) % targets.length] as RunningTarget);
      for (const target of order) {
        const cpuBefore = await cpuOf(target);
        const result = await load(target, options.roundSeconds);
        const cpuUs = ((await cpuOf(target)) - cpuBefore) / Math.max(1, result.requests.total);
        const list = samples.get(target.kind) ?? [];
        list.push({ rps: result.requests.average, p50: result.latency.p50, p99: result.latency.p99, cpuUs });
        samples.set(target.kind, list);
        const total = totals.get(target.kind) ?? { requests: 0, errors: 0, non2xx: 0 };
        totals.set(target.kind, {
          requests: total.requests + result.requests.total,
          errors: total.errors + result.errors + result.timeouts,
          non2xx: total.non2xx + result.non2xx,
        });
        progress(
          `http load round ${round + 1}/${options.rounds} ${target.kind}: ${result.requests.average.toFixed(0)} req/s, p50 ${result.latency.p50} ms, p99 ${result.latency.p99} ms, ${cpuUs.toFixed(0)} µs CPU/request`,
        );
      }
    }

    const results: TargetResult[] = [];
    for (const target of targets) {
      const list = samples.get(target.kind) ?? [];
      const total = totals.get(target.kind) ?? { requests: 0, errors: 0, non2xx: 0 };
      const memory = await peakRss(target);
      results.push({
        kind: target.kind,
        label: LABELS[target.kind],
        rps: summarize(list.map((sample) => sample.rps)),
        p50Ms: summarize(list.map((sample) => sample.p50)),
        p99Ms: summarize(list.map((sample) => sample.p99)),
        cpuUsPerRequest: summarize(list.map((sample) => sample.cpuUs)),
        ...total,
        peakRssMiB: memory.maxRssBytes / 1024 / 1024,
      });
    }
    return {
      connections: options.connections,
      roundSeconds: options.roundSeconds,
      rounds: options.rounds,
      bodyBytes: Buffer.byteLength(request.body),
      targets: results,
    };
  } finally {
    for (const target of targets) await stopTarget(target);
  }
}
