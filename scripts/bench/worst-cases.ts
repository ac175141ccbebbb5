import { execFile } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { WORST_CASES } from '../../test/support/worst-cases';
import { bundle } from './cold-start';
import { progress, summarize } from './stats';

/**
 * Worst-case inputs (test/support/worst-cases.ts, which the integration suite also sends), each
 * request in a fresh process — the handler bundled as the function is, in-memory sinks, the 256 MB
 * heap cap of a 512 MB function — so that one case's peak memory cannot mix with another's.
 */

interface ChildResult {
  readonly status: number;
  readonly ms: number;
  readonly cpuMs: number;
  readonly rssBefore: number;
  readonly peakRss: number;
  readonly streamBytes: number;
  readonly quarantineBytes: number;
}

export async function runWorstCases(scratch: string, options: { readonly runs: number }) {
  const child = join(scratch, 'worst-case.mjs');
  await bundle({ file: new URL('./worst-case-child.ts', import.meta.url).pathname }, child);
  const env = {
    PATH: process.env.PATH ?? '',
    POWERTOOLS_METRICS_DISABLED: 'true',
    POWERTOOLS_LOG_LEVEL: 'SILENT',
  };
  const results = [];
  for (const worst of WORST_CASES) {
    const { query, body } = worst.request();
    const bodyFile = join(scratch, `${worst.id}.body`);
    await writeFile(bodyFile, body);
    const runs: ChildResult[] = [];
    for (let index = 0; index < options.runs; index++) {
      const args = ['--max-old-space-size=256', child, bodyFile, query];
      const { stdout } = await promisify(execFile)(process.execPath, args, { env });
      runs.push(JSON.parse(stdout.trim().split('\n').at(-1) ?? '') as ChildResult);
    }
    const last = runs.at(-1) as ChildResult;
    const highest = (pick: (run: ChildResult) => number) => Math.max(...runs.map(pick));
    results.push({
      id: worst.id,
      name: worst.name,
      status: last.status,
      expectedStatus: worst.status,
      bodyBytes: Buffer.byteLength(body),
      ms: summarize(runs.map((run) => run.ms)),
      cpuMs: summarize(runs.map((run) => run.cpuMs)),
      /** Peak resident set of the process (Node itself included), the highest of the runs. */
      peakRssBytes: highest((run) => run.peakRss),
      rssBeforeBytes: highest((run) => run.rssBefore),
      streamBytes: last.streamBytes,
      quarantineBytes: last.quarantineBytes,
    });
    progress(`worst case ${worst.id}: ${last.status} in ${Math.round(last.ms)} ms`);
  }
  return results;
}

export type WorstCaseResult = Awaited<ReturnType<typeof runWorstCases>>[number];
