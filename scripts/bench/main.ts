import { spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { mkdir, rm } from 'node:fs/promises';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { BENCH_SCRATCH, runColdStart } from './cold-start';
import {
  type CostAssumptions,
  type CostMeasurements,
  costMatrix,
  DEFAULT_ASSUMPTIONS,
  ENDPOINT_TYPES,
  STREAM_MODES,
  workloadFor,
} from './cost-model';
import { findingsMarkdown } from './findings';
import {
  type HandlerCpuResult,
  type ProfileSummary,
  requestBody,
  runHandlerCpu,
  summarizeProfile,
} from './handler-cpu';
import { type HttpLoadResult, runHttpLoad } from './http-load';
import { ORIGINAL_SOLUTION_COST, PRICES } from './prices';
import { type BenchReport, type CostSection, type TargetCheck, writeReport } from './report';
import { progress } from './stats';

/**
 * `npm run bench`: runs the five parts, checks the targets, writes BENCHMARKS.md and
 * benchmarks.json at the repository root. `--quick` shortens every part (for trying changes; not
 * for committed figures). Budget: well under 10 minutes on 2 cores.
 */

// Silence Powertools for every in-process figure (the deployed-telemetry variant sets its own).
process.env.POWERTOOLS_METRICS_DISABLED = 'true';
process.env.POWERTOOLS_LOG_LEVEL = 'SILENT';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const quick = process.argv.includes('--quick');
const RATES = [10, 100, 1000] as const;

const plan = quick
  ? {
      profileSeconds: 2,
      cpu: { rounds: 5, roundMs: 60 },
      http: { connections: 10, roundSeconds: 2, warmupSeconds: 1, rounds: 1 },
      coldRuns: 5,
    }
  : {
      profileSeconds: 6,
      cpu: { rounds: 21, roundMs: 100 },
      http: { connections: 10, roundSeconds: 5, warmupSeconds: 2, rounds: 3 },
      coldRuns: 11,
    };

/** Profiles the handler in a child (`node --cpu-prof`) and reads the profile back. */
async function profile(seconds: number): Promise<ProfileSummary | null> {
  const dir = join(BENCH_SCRATCH, 'profiles');
  await rm(dir, { recursive: true, force: true });
  await mkdir(dir, { recursive: true });
  const script = fileURLToPath(new URL('./handler-cpu.ts', import.meta.url));
  const code = await new Promise<number | null>((resolve) => {
    const child = spawn(
      process.execPath,
      ['--cpu-prof', '--cpu-prof-dir', dir, '--import', 'tsx', script, '--profile', String(seconds)],
      { cwd: ROOT, stdio: ['ignore', 'ignore', 'inherit'] },
    );
    child.on('exit', resolve);
  });
  const file = readdirSync(dir).find((name) => name.endsWith('.cpuprofile'));
  if (code !== 0 || file === undefined) {
    progress(`profiling failed (exit ${code}); continuing without it`);
    return null;
  }
  return summarizeProfile(JSON.parse(readFileSync(join(dir, file), 'utf8')));
}

/** Lays the JSON out the way the repository's formatter does, so `npm run lint` stays clean. */
async function formatJson(path: string): Promise<void> {
  const code = await new Promise<number | null>((resolve) => {
    const child = spawn('npx', ['biome', 'format', '--write', path], { cwd: ROOT, stdio: 'ignore' });
    child.on('exit', resolve);
    child.on('error', () => resolve(null));
  });
  if (code !== 0) progress(`could not format ${path} with biome (exit ${code}); left as written`);
}

/** Scales the measured 10-event record to the model's 2 KB request (same envelope, same escaping). */
function recordBytesFor(handler: HandlerCpuResult, bodyBytes: number): number {
  const variant = handler.variants.find((entry) => entry.events === 10 && entry.compression === 'none');
  if (variant === undefined) throw new Error('no 10-event measurement');
  const body = requestBody(10, 'none').body;
  const escaped = Buffer.byteLength(JSON.stringify(body)) - 2;
  const envelope = variant.recordBytes - escaped;
  return Math.round(envelope + (bodyBytes * escaped) / Buffer.byteLength(body));
}

function costSection(handler: HandlerCpuResult, cold: BenchReport['coldStart']): CostSection {
  const assumptions: CostAssumptions = DEFAULT_ASSUMPTIONS;
  const telemetry = handler.telemetry;
  const measurements: CostMeasurements = {
    handlerCpuUs: telemetry.deployedUs.median,
    recordBytes: recordBytesFor(handler, assumptions.requestBodyBytes),
    archiveGzipRatio: handler.archiveGzipRatio,
    functionLogBytes: telemetry.logBytesPerRequest,
    functionLogEvents: telemetry.logLinesPerRequest,
    metricsLineBytes: telemetry.metricsLineBytes,
    metricsFlushSeconds: telemetry.metricsFlushSeconds,
    memoryMb: cold.memoryMb,
    systemLogLevel: cold.systemLogLevel,
  };
  const estimates = costMatrix(RATES, (rate) => workloadFor(rate, measurements, assumptions, PRICES), PRICES);
  const sensitivity = [5, 10, 20].map((waitMs) => {
    const changed = { ...assumptions, putRecordsWaitMs: waitMs };
    const at1000 = costMatrix([1000], (rate) => workloadFor(rate, measurements, changed, PRICES), PRICES);
    return {
      waitMs,
      billedMs: workloadFor(1000, measurements, changed, PRICES).billedMsPerRequest,
      cheapest1000: Math.min(...at1000.map((estimate) => estimate.total)),
    };
  });
  return {
    measurements,
    assumptions,
    workload10: workloadFor(10, measurements, assumptions, PRICES),
    estimates,
    sensitivity,
  };
}

function checkTargets(
  handler: HandlerCpuResult,
  http: HttpLoadResult,
  cold: BenchReport['coldStart'],
  cost: CostSection,
): TargetCheck[] {
  const ratioSummary = (events: number) =>
    handler.variants.find((variant) => variant.events === events && variant.compression === 'none')?.ratio;
  const ratioOf = (events: number) => ratioSummary(events)?.median ?? Number.NaN;
  /** Says so when the per-round (or per-run) range straddles the limit: the verdict is within noise. */
  const straddles = (summary: { min: number; max: number } | undefined, limit: number, digits: number) =>
    summary !== undefined && summary.min <= limit && summary.max > limit
      ? ` — borderline: rounds ranged ${summary.min.toFixed(digits)}–${summary.max.toFixed(digits)}, across the limit`
      : '';
  const bare = http.targets.find((target) => target.kind === 'bare');
  const memory = http.targets.find((target) => target.kind === 'memory');
  const share = (memory?.rps.median ?? 0) / (bare?.rps.median ?? Number.NaN);
  const p99 = memory?.p99Ms.median ?? Number.NaN;
  const bundleLimit = 600 * 1024;

  const costCheck = (rate: 10 | 100): { misses: string[]; worst: string } => {
    const misses: string[] = [];
    let worst = { ratio: 0, text: '' };
    for (const endpoint of ENDPOINT_TYPES) {
      for (const mode of STREAM_MODES) {
        const estimate = cost.estimates.find(
          (entry) =>
            entry.requestsPerSecond === rate && entry.endpoint === endpoint && entry.streamMode === mode,
        );
        const original = ORIGINAL_SOLUTION_COST[mode][rate];
        const text = `${endpoint}/${mode}: $${estimate?.total.toFixed(1)} vs $${original}`;
        if (estimate === undefined || estimate.total >= original) misses.push(text);
        const ratio = (estimate?.total ?? Number.POSITIVE_INFINITY) / original;
        if (ratio > worst.ratio) worst = { ratio, text };
      }
    }
    return { misses, worst: worst.text };
  };
  const cost10 = costCheck(10);
  const cost100 = costCheck(100);
  const at1000 = cost.estimates.filter((entry) => entry.requestsPerSecond === 1000);
  const cheapest = at1000.reduce((best, entry) => (entry.total < best.total ? entry : best));
  const limit1000 = 1.25 * ORIGINAL_SOLUTION_COST['on-demand'][1000];

  return [
    {
      id: 'handler-10',
      description: 'handler/baseline ≤ 2.0, 10-event request',
      measured: `${ratioOf(10).toFixed(3)}${straddles(ratioSummary(10), 2.0, 2)}`,
      pass: ratioOf(10) <= 2.0,
    },
    {
      id: 'handler-100',
      description: 'handler/baseline ≤ 1.5, 100-event request',
      measured: `${ratioOf(100).toFixed(3)}${straddles(ratioSummary(100), 1.5, 2)}`,
      pass: ratioOf(100) <= 1.5,
    },
    {
      id: 'http-share',
      description: 'local collector (in-memory sink) ≥ 50 % of the bare-server ceiling, req/s',
      measured: `${(100 * share).toFixed(0)} % (${memory?.rps.median.toFixed(0)} of ${bare?.rps.median.toFixed(0)} req/s)`,
      pass: share >= 0.5,
    },
    {
      id: 'http-p99',
      description: 'local collector (in-memory sink) p99 < 20 ms at that load',
      measured: `${p99} ms`,
      pass: p99 < 20,
    },
    {
      id: 'bundle-size',
      description: 'handler bundle ≤ 600 KB minified (synth output)',
      measured: `${(cold.bundleBytes / 1024).toFixed(0)} KiB`,
      pass: cold.bundleBytes <= bundleLimit,
    },
    {
      id: 'cold-start',
      description:
        'fresh process: import + first request ≤ 150 ms median — judged on import + first request, ' +
        "excluding Node's own boot (Lambda's runtime pays that whatever the function)",
      measured:
        `${cold.importAndFirstRequestMs.median.toFixed(0)} ms import + first request; ` +
        `process start → first answer ${cold.firstAnswerMs.median.toFixed(0)} ms, of which Node boot ${cold.bootMs.median.toFixed(0)} ms (CPU ${cold.cpuMs.median.toFixed(0)} ms)` +
        straddles(cold.importAndFirstRequestMs, 150, 0).replace('rounds', 'runs'),
      pass: cold.importAndFirstRequestMs.median <= 150,
    },
    {
      id: 'cost-10',
      description: 'monthly cost below the original at 10 req/s, every endpoint type (both stream modes)',
      measured:
        cost10.misses.length === 0
          ? `all 6 below (closest: ${cost10.worst})`
          : `above: ${cost10.misses.join('; ')}`,
      pass: cost10.misses.length === 0,
    },
    {
      id: 'cost-100',
      description: 'monthly cost below the original at 100 req/s, every endpoint type (both stream modes)',
      measured:
        cost100.misses.length === 0
          ? `all 6 below (closest: ${cost100.worst})`
          : `${cost100.misses.length} of 6 above: ${cost100.misses.join('; ')}`,
      pass: cost100.misses.length === 0,
    },
    {
      id: 'cost-1000',
      description: 'cheapest configuration at 1,000 req/s ≤ 1.25 × the original on-demand figure ($1,749.8)',
      measured: `$${cheapest.total.toFixed(1)} (${cheapest.endpoint}, ${cheapest.streamMode})`,
      pass: cheapest.total <= limit1000,
    },
  ];
}

/**
 * `--render`: rewrites BENCHMARKS.md from the benchmarks.json on disk, measuring nothing (for a
 * change of wording in report.ts or findings.ts; the figures stay those of the run that wrote the JSON).
 */
async function render(): Promise<void> {
  const report = JSON.parse(readFileSync(join(ROOT, 'benchmarks.json'), 'utf8')) as BenchReport;
  await writeReport(report, findingsMarkdown(report), {
    markdown: join(ROOT, 'BENCHMARKS.md'),
    json: join(ROOT, 'benchmarks.json'),
  });
  await formatJson(join(ROOT, 'benchmarks.json'));
  process.stdout.write(`rewrote BENCHMARKS.md from benchmarks.json (run of ${report.generatedAt})\n`);
}

async function main(): Promise<void> {
  if (process.argv.includes('--render')) {
    await render();
    return;
  }
  const started = performance.now();
  const loadStart = loadavg();
  progress(`benchmark${quick ? ' (quick)' : ''}: profiling the handler …`);
  const profileSummary = await profile(plan.profileSeconds);
  progress('part 1: handler CPU cost …');
  const handlerCpu = await runHandlerCpu(plan.cpu);
  progress('parts 2 and 4: local HTTP collector under load …');
  const httpLoad = await runHttpLoad(plan.http);
  progress('part 3: cold start …');
  const coldStart = await runColdStart({ runs: plan.coldRuns });
  progress('part 5: cost model …');
  const cost = costSection(handlerCpu, coldStart);
  const targets = checkTargets(handlerCpu, httpLoad, coldStart, cost);

  const report: BenchReport = {
    generatedAt: new Date().toISOString(),
    machine: {
      node: process.version,
      cpu: cpus()[0]?.model ?? 'unknown CPU',
      cores: cpus().length,
      loadAverageStart: loadStart,
      loadAverageEnd: loadavg(),
    },
    durationSeconds: (performance.now() - started) / 1000,
    targets,
    handlerCpu,
    profile: profileSummary,
    httpLoad,
    coldStart,
    cost,
  };
  await writeReport(report, findingsMarkdown(report), {
    markdown: join(ROOT, 'BENCHMARKS.md'),
    json: join(ROOT, 'benchmarks.json'),
  });
  await formatJson(join(ROOT, 'benchmarks.json'));
  for (const target of targets) {
    process.stdout.write(`${target.pass ? 'PASS' : 'FAIL'}  ${target.description}: ${target.measured}\n`);
  }
  process.stdout.write(`wrote BENCHMARKS.md and benchmarks.json in ${report.durationSeconds.toFixed(0)} s\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(
    `bench failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
  );
  process.exit(1);
});
