import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { measureRecords } from './archive-proxy';
import { runColdStart } from './cold-start';
import { checkTargets, type Results, render } from './report';
import { progress } from './stats';
import { profileHandler, runWarmCpu } from './warm-cpu';
import { runWorstCases } from './worst-cases';

/**
 * `npm run bench [-- --quick] [-- --write]`: measures, checks the targets and prints the report.
 * `--write` writes BENCHMARKS.md and benchmarks.json at the repository root (the tracked copies);
 * without it they go to the git-ignored `.bench/`. `--quick` shortens every part, for trying a
 * change (not for committed figures). Scratch files live in one $TMPDIR folder, removed on exit.
 */

process.env.POWERTOOLS_METRICS_DISABLED = 'true';
process.env.POWERTOOLS_LOG_LEVEL = 'SILENT';

const ROOT = new URL('../../', import.meta.url).pathname;
const quick = process.argv.includes('--quick');
const write = process.argv.includes('--write');
const plan = quick
  ? { rounds: 3, roundMs: 40, profileMs: 1000, coldRuns: 3, worstRuns: 1, recordsMs: 200 }
  : { rounds: 15, roundMs: 100, profileMs: 4000, coldRuns: 15, worstRuns: 3, recordsMs: 1000 };

const scratch = mkdtempSync(join(tmpdir(), 'clickstream-bench-'));
process.on('exit', () => rmSync(scratch, { recursive: true, force: true }));
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => process.exit(130));

async function main(): Promise<void> {
  const started = performance.now();
  const load = loadavg()[0]?.toFixed(1);
  progress(`warm CPU${quick ? ' (quick)' : ''} …`);
  const warm = await runWarmCpu(plan);
  const profile = await profileHandler(plan.profileMs);
  progress('cold start …');
  const cold = await runColdStart(scratch, { runs: plan.coldRuns });
  progress('worst-case inputs …');
  const worst = await runWorstCases(scratch, { runs: plan.worstRuns });
  const records = await measureRecords({ records: 500, ms: plan.recordsMs });
  const results: Results = {
    generatedAt: new Date().toISOString(),
    seconds: (performance.now() - started) / 1000,
    machine: `${cpus().length} × ${cpus()[0]?.model.trim()}, Node ${process.version}, load average ${load} → ${loadavg()[0]?.toFixed(1)}${quick ? ' (--quick)' : ''}`,
    plan: { rounds: plan.rounds, roundMs: plan.roundMs, worstRuns: plan.worstRuns },
    warm,
    profile,
    cold,
    worst,
    records,
  };
  const targets = checkTargets(results);
  const template = readFileSync(new URL('./BENCHMARKS.template.md', import.meta.url), 'utf8');
  const markdown = render(template, results, targets);
  const dir = write ? ROOT : join(ROOT, '.bench');
  await mkdir(dir, { recursive: true });
  await writeFile(join(dir, 'BENCHMARKS.md'), markdown);
  await writeFile(join(dir, 'benchmarks.json'), JSON.stringify({ ...results, targets }));
  // Laid out as the repository's formatter wants it, so `npm run lint` stays clean.
  await promisify(execFile)('npx', ['biome', 'format', '--write', join(dir, 'benchmarks.json')], {
    cwd: ROOT,
  });
  if (!write) process.stdout.write(markdown);
  for (const target of targets)
    process.stderr.write(`${target.pass ? 'PASS' : 'FAIL'}  ${target.description}: ${target.measured}\n`);
  progress(
    `${write ? 'wrote' : 'report in .bench/ (--write for the tracked copies):'} BENCHMARKS.md and benchmarks.json, ${results.seconds.toFixed(0)} s`,
  );
}

main().catch((error: unknown) => {
  process.stderr.write(
    `bench failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
  );
  process.exitCode = 1;
});
