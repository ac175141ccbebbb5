import { execFile } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { WORST_CASES } from '../../test/support/worst-cases';
import { bundle } from './cold-start';
import { progress, summarize } from './stats';

/**
 * Worst-case inputs (test/support/worst-cases.ts), each request in a fresh process — the handler
 * bundled as deployed, in-memory sinks, a 128 MB heap (half the default 256 MB function) — so
 * that peaks cannot mix.
 */

type Child = Record<'status' | 'ms' | 'cpuMs' | 'rssBefore' | 'peakRss' | 'streamBytes', number>;
const SILENT = { POWERTOOLS_METRICS_DISABLED: 'true', POWERTOOLS_LOG_LEVEL: 'SILENT' };

export async function runWorstCases(scratch: string, options: { readonly runs: number }) {
  const child = join(scratch, 'worst-case.mjs');
  await bundle({ file: new URL('./worst-case-child.ts', import.meta.url).pathname }, child);
  const results = [];
  for (const { id, name, status: expectedStatus, request } of WORST_CASES) {
    const { query, body } = request();
    await writeFile(join(scratch, `${id}.body`), body);
    const runs: Child[] = [];
    for (let index = 0; index < options.runs; index++) {
      const args = ['--max-old-space-size=128', child, join(scratch, `${id}.body`), query];
      const { stdout } = await promisify(execFile)(process.execPath, args, {
        env: { PATH: process.env.PATH, ...SILENT },
      });
      runs.push(JSON.parse(stdout.trim().split('\n').at(-1) ?? ''));
    }
    const { status, streamBytes } = runs.at(-1) as Child;
    const highest = (pick: (run: Child) => number) => Math.max(...runs.map(pick));
    const [ms, cpuMs] = [summarize(runs.map((run) => run.ms)), summarize(runs.map((run) => run.cpuMs))];
    // Peak resident set of the process, Node itself included: the highest of the runs.
    const [peakRssBytes, rssBeforeBytes] = [highest((run) => run.peakRss), highest((run) => run.rssBefore)];
    const sizes = { bodyBytes: Buffer.byteLength(body), streamBytes, peakRssBytes, rssBeforeBytes };
    results.push({ id, name, status, expectedStatus, ms, cpuMs, ...sizes });
    progress(`worst case ${id}: ${status} in ${ms.median.toFixed(0)} ms`);
  }
  return results;
}

export type WorstCaseResult = Awaited<ReturnType<typeof runWorstCases>>[number];
