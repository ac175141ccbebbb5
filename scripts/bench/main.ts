import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { runColdStart } from './cold-start';
import { measureRecords } from './consumer';
import { checkTargets, type Results, render } from './report';
import { progress } from './stats';
import { profileHandler, runWarmCpu } from './warm-cpu';
import { runWorstCases } from './worst-cases';

/**
 * `npm run bench [-- --quick] [-- --write]`: measures, checks the targets, prints the report.
 * `--write` rewrites the tracked BENCHMARKS.md and benchmarks.json (otherwise: `.bench/`, ignored);
 * `--quick` is for trying a change. Scratch files live in one $TMPDIR folder, removed on any exit.
 */

process.env.POWERTOOLS_METRICS_DISABLED = 'true';
process.env.POWERTOOLS_LOG_LEVEL = 'SILENT';
const ROOT = new URL('../../', import.meta.url).pathname;
const [quick, write] = [process.argv.includes('--quick'), process.argv.includes('--write')];
const plan = quick
  ? { rounds: 3, roundMs: 40, profileMs: 1000, coldRuns: 3, worstRuns: 1, recordsMs: 200 }
  : { rounds: 15, roundMs: 100, profileMs: 4000, coldRuns: 15, worstRuns: 3, recordsMs: 1000 };
const scratch = mkdtempSync(join(tmpdir(), 'clickstream-bench-'));
process.on('exit', () => rmSync(scratch, { recursive: true, force: true }));
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => process.exit(130));

async function main(): Promise<void> {
  const started = performance.now();
  const load = loadavg()[0]?.toFixed(1);
  const warm = await runWarmCpu(plan);
  const profile = await profileHandler(plan.profileMs);
  const cold = await runColdStart(scratch, { runs: plan.coldRuns });
  const worst = await runWorstCases(scratch, { runs: plan.worstRuns });
  const records = await measureRecords({ records: 500, ms: plan.recordsMs });
  const where = `${cpus().length} × ${cpus()[0]?.model.trim()}, Node ${process.version}`;
  const machine = `${where}, load ${load} → ${loadavg()[0]?.toFixed(1)}${quick ? ', --quick' : ''}`;
  const [generatedAt, seconds] = [new Date().toISOString(), (performance.now() - started) / 1000];
  const results: Results = { generatedAt, seconds, machine, plan, warm, profile, cold, worst, records };
  const targets = checkTargets(results);
  const template = readFileSync(new URL('./BENCHMARKS.template.md', import.meta.url), 'utf8');
  const markdown = render(template, results, targets);
  const dir = write ? ROOT : join(ROOT, '.bench');
  await mkdir(dir, { recursive: true });
  await writeFile(join(dir, 'BENCHMARKS.md'), markdown);
  const json = join(dir, 'benchmarks.json');
  await writeFile(json, JSON.stringify({ ...results, targets }));
  // Laid out as the repository's formatter wants it, so that `npm run lint` stays clean.
  await promisify(execFile)('npx', ['biome', 'format', '--write', json], { cwd: ROOT });
  if (!write) process.stdout.write(markdown);
  for (const t of targets) progress(`${t.pass ? 'PASS' : 'FAIL'}  ${t.description}: ${t.measured}`);
  progress(
    `${write ? 'wrote' : 'also in .bench/:'} BENCHMARKS.md, benchmarks.json (${seconds.toFixed(0)} s)`,
  );
}

main().catch((error: unknown) => {
  progress(`failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
  process.exitCode = 1;
});
